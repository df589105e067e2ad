#pragma once

// One account's locked money in the pool's books, vested on ONE pool-wide grid instead of each
// winner's miner actor's grid, and provably never ahead of the chain in aggregate.
//
// The pool vesting schedule does not replicate each winner's actor (that takes a 180-entry table
// per beneficiary per winner grid, and a 128-bit division per entry per block per member). It
// runs on ONE pool-wide grid and is provably never ahead of the chain in aggregate:
//   - Slots. The pool grid cuts time into slots of 1440 epochs, [g, g + 1440) with
//     g = pool_grid_offset (mod 1440). A locked part booked at e goes into its beneficiary's
//     bucket for the slot containing e. A bucket holds S (the sum of its locked parts) and n (how
//     many there are).
//   - Steps. Step k (1 <= k <= 180) of slot g vests at epoch P_k = g + 2880 k + 2878 (released by
//     an unlock at an epoch > P_k, as the chain's entries are), bringing the bucket's cumulative
//     vested amount to
//         V(k) = max(0, floor((S k - 179 (n - 1)) / 180))   for k < 180,   V(180) = S.
//   - Never early. For a reward booked at e in the slot, the winner's step k vests at
//     v_k = quantize_up(e + 2880 k, 1440, pps) <= e + 2880 k + 1439 <= g + 2880 k + 2878 = P_k,
//     so by any epoch at which the pool has applied step k, the chain has released step k of
//     every reward in the slot, that is floor(L (v_k - e) / 518400) >= floor(L k / 180).
//   - Never more. Split each reward's L over beneficiaries as l_1 + l_2 + ...: the chain's
//     floor(L k / 180) >= Σ_i floor(l_i k / 180). For one beneficiary's bucket,
//     Σ_parts floor(l k / 180) >= Σ_parts (l k - 179) / 180 = (S k - 179 n) / 180, and being an
//     integer it is >= ceil((S k - 179 n) / 180) = floor((S k - 179 (n - 1)) / 180); it is also
//     >= 0. So V(k) is at most what the chain has released of that bucket's parts, and summing
//     over beneficiaries and slots, the ledger's vested total never exceeds the chain's. At
//     k = 180 both are everything. For a single part (n = 1), V(k) = floor(S k / 180) exactly.
//   - The price: a step comes at most 2878 epochs (under a day) after the chain's, and a
//     bucket of n parts is at most n - 1 attoFIL short of the sum of its parts' floors until the
//     last step. Locked parts too small to vest before the last step (l k < 180) simply vest then.
//   - Bounded state. A bucket is dropped once its step 180 has vested (P_180 = g + 521278), so
//     an account holds at most kMaxVestingBuckets = 362 buckets, however many winners there are.
//     Booking is O(1) per beneficiary; an unlock visits the buckets of accounts with a step due,
//     and steps fall only on one epoch per 1440.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/chain/vesting.h"

namespace minerx::pool {

// The pool vesting grid (the header comment): slots of 1440 epochs (the chain's reward
// quantization), steps 2880 epochs apart, 180 of them.
inline constexpr chain::ChainEpoch kVestingSlotEpochs = chain::kRewardVestingSpec.quantization;
inline constexpr chain::ChainEpoch kVestingStepEpochs = chain::kRewardVestingSpec.step_duration;
inline constexpr std::int64_t kVestingSteps =
    chain::kRewardVestingSpec.vest_period / chain::kRewardVestingSpec.step_duration;
// Step k of the slot starting at g vests at g + k * kVestingStepEpochs + kVestingStepLagEpochs:
// the slot's last epoch (g + 1439) plus the largest round-up of a winner's grid (1439).
inline constexpr chain::ChainEpoch kVestingStepLagEpochs = 2 * (kVestingSlotEpochs - 1);
// Buckets alive after an unlock at t have P_180 >= t, so their slots start in [t - 521278, t]
// (rewards are booked no later than the latest unlock: receive_reward unlocks first). An interval
// of 521279 epochs holds at most 362 points of a 1440-epoch grid.
inline constexpr std::size_t kMaxVestingBuckets = 362;
static_assert(kVestingSteps * kVestingStepEpochs == chain::kRewardVestingSpec.vest_period);
static_assert(kVestingStepEpochs % kVestingSlotEpochs == 0);

// The start of the pool-grid slot containing `epoch`. REQUIRES: 0 <= grid_offset < 1440.
chain::ChainEpoch vesting_slot_start(chain::ChainEpoch epoch, chain::ChainEpoch grid_offset);

// The epoch at which step k of the slot starting at slot_start vests. REQUIRES: 1 <= k <= 180.
constexpr chain::ChainEpoch pool_vest_epoch(chain::ChainEpoch slot_start, std::int64_t step) {
    return slot_start + step * kVestingStepEpochs + kVestingStepLagEpochs;
}

static_assert(kMaxVestingBuckets == static_cast<std::size_t>(pool_vest_epoch(0, kVestingSteps) /
                                                              kVestingSlotEpochs + 1));

// One account's locked money on the pool vesting grid: one bucket per slot, ascending.
class PoolVestingSchedule {
public:
    struct Bucket {
        chain::AttoFil locked = 0;       // S: every locked part booked into the slot
        chain::AttoFil released = 0;     // vested so far, 0 <= released <= locked
        chain::ChainEpoch slot_start = 0;
        std::int64_t parts = 0;          // n: locked parts booked, each > 0
        std::int64_t steps_applied = 0;  // 0..179 while the bucket is kept
    };

    // Books a locked part into the slot starting at slot_start.
    // REQUIRES: amount > 0; slot_start >= every earlier slot_start.
    void add(chain::ChainEpoch slot_start, chain::AttoFil amount);

    // Applies every step that vests before current_epoch; returns the amount it released.
    chain::AttoFil unlock(chain::ChainEpoch current_epoch);

    // Takes over every bucket of `other` (emptied), merging buckets of the same slot.
    void absorb(PoolVestingSchedule& other);

    chain::AttoFil total_locked() const { return total_locked_; }  // Σ (locked - released)
    std::size_t bucket_count() const { return buckets_.size(); }
    // The earliest epoch at which a step vests, or kNoVestEpoch if nothing is locked.
    chain::ChainEpoch next_vest_epoch() const { return next_vest_epoch_; }
    // Buckets ascending by slot, amounts within bounds, total_locked() matches them.
    bool consistent() const;

    static constexpr chain::ChainEpoch kNoVestEpoch =
        std::numeric_limits<chain::ChainEpoch>::max();

private:
    std::deque<Bucket> buckets_;
    chain::AttoFil total_locked_ = 0;
    chain::ChainEpoch next_vest_epoch_ = kNoVestEpoch;
};

}  // namespace minerx::pool

