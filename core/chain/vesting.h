#pragma once

// Locking and vesting of block rewards in the miner actor (FIP-0004), bit for bit with specs-actors
// at 985cd0fa: actors/builtin/miner/monies.go (LockedRewardFromReward), policy.go
// (RewardVestingSpec), vesting_state.go (the vesting table), miner_state.go (AddLockedFunds,
// UnlockVestedFunds) and actors/builtin/quantize.go (QuantizeUp). research/election.md §5.3.
//
// A block's total reward (minted part + tips) is split: 75% (floored) is locked and vests
// linearly over 180 days in daily steps, the rest is available at once. Amounts are integer
// attoFIL.

#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::chain {

// monies.go: LockedRewardFactorNum / LockedRewardFactorDenom (network version 6 onward).
inline constexpr AttoFil kLockedRewardFactorNum = 75;
inline constexpr AttoFil kLockedRewardFactorDenom = 100;

struct RewardSplit {
    AttoFil locked = 0;     // goes into the vesting table
    AttoFil available = 0;  // immediately available to the miner (before any fee debt)
};

// LockedRewardFromReward: locked = floor(total_reward * 75 / 100), available = the remainder.
// REQUIRES: 0 <= total_reward <= kTotalFilSupply.
RewardSplit split_block_reward(AttoFil total_reward);

// QuantizeUp: the smallest epoch >= e of the form unit * k + (offset_seed % unit), with Go's
// (C++'s) truncating %, so a negative offset_seed gives a negative offset. REQUIRES: unit > 0.
ChainEpoch quantize_up(ChainEpoch e, ChainEpoch unit, ChainEpoch offset_seed);

// VestSpec (policy.go).
struct VestSpec {
    ChainEpoch initial_delay = 0;  // epochs before the vesting clock starts
    ChainEpoch vest_period = 0;    // epochs from start until everything has vested
    ChainEpoch step_duration = 0;  // epochs between successive vesting steps
    ChainEpoch quantization = 0;   // vesting epochs are rounded up to this grid
};

// RewardVestingSpec: no delay, 180 days, daily steps, 12-hour quantization.
inline constexpr VestSpec kRewardVestingSpec{
    .initial_delay = 0,
    .vest_period = 180 * kEpochsPerDay,
    .step_duration = kEpochsPerDay,
    .quantization = kEpochsPerDay / 2,
};
static_assert(kRewardVestingSpec.vest_period == 518400);

struct VestingFund {
    ChainEpoch epoch = 0;  // the funds unlock at the first unlock with current_epoch > epoch
    AttoFil amount = 0;    // may be 0: the table keeps the zero steps specs-actors writes

    bool operator==(const VestingFund&) const = default;
};

// One miner's vesting table: entries sorted by strictly increasing epoch, as VestingFunds in
// vesting_state.go. Invariant: total_locked() == the sum of all entry amounts, every amount >= 0.
class VestingSchedule {
public:
    // miner State.AddLockedFunds: first unlocks what has vested before current_epoch (returned),
    // then adds `amount` as vesting_state.go addLockedFunds does: for each step epoch
    // e = start + step, start + 2 step, ... (start = current_epoch + initial_delay), the vest epoch
    // is quantize_up(e, quantization, proving_period_start) and the cumulative target is
    // floor(amount * (vest_epoch - start) / vest_period), or all of amount once that span reaches
    // vest_period; each step adds target minus the previous target to the entry at its vest epoch
    // (merging with an existing entry). Steps continue until the whole amount is scheduled.
    // REQUIRES: 0 <= amount <= kTotalFilSupply; spec fields > 0 except initial_delay >= 0.
    [[nodiscard]] AttoFil add_locked_funds(ChainEpoch current_epoch, AttoFil amount,
                                           ChainEpoch proving_period_start,
                                           const VestSpec& spec = kRewardVestingSpec);

    // unlockVestedFunds: removes and returns every entry whose epoch is strictly before
    // current_epoch (an entry at epoch E first unlocks at current_epoch E + 1).
    AttoFil unlock_vested_funds(ChainEpoch current_epoch);

    // CheckVestedFunds: what unlock_vested_funds(current_epoch) would return, without unlocking.
    AttoFil vested_before(ChainEpoch current_epoch) const;

    AttoFil total_locked() const { return total_locked_; }
    std::span<const VestingFund> funds() const { return funds_; }

    bool operator==(const VestingSchedule&) const = default;

private:
    void add_to_entry(ChainEpoch epoch, AttoFil amount);

    std::vector<VestingFund> funds_;
    AttoFil total_locked_ = 0;
};

}  // namespace minerx::chain
