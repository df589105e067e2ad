#pragma once

// The reward actor's minting and per-block award, bit for bit with specs-actors
// (actors/builtin/reward/reward_logic.go, reward_state.go, reward_actor.go at 985cd0fa; the Rust
// builtin-actors actors/reward/src/logic.rs computes the same; research/election.md §5.1-5.2).
//
// Minting has two parts, both in Q.128 fixed point (integer = real value x 2^128) with floor
// shifts, where e^-x is the Q.128 ExpNeg of core/math/expneg.h:
//   simple(epoch) = SimpleTotal * (e^Lambda - 1) * e^(-Lambda * epoch)          (6-year half-life)
//   supply(theta) = BaselineTotal * (1 - e^(-Lambda * theta))
//   reward(epoch, t0, t1) = floor((simple(epoch) + supply(t1) - supply(t0)) / 2^128)
// theta is the effective network time: how far the network has progressed along a baseline power
// that starts at ~2.5 EiB and doubles every year. Realized power counts up to the baseline only,
// and it is the network's RAW-BYTE power (specs-actors power_actor.go passes
// ThisEpochRawBytePower).
//
// The templates take any integer type satisfying core/math/big_int.h so the golden tests run on
// GMP and on Boost; RewardState and the award functions use GMP (BigInt) and expose attoFIL as
// AttoFil and powers as StoragePower.

#include <cstdint>
#include <string_view>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/math/big_int.h"
#include "core/math/expneg.h"

namespace minerx::chain {

inline constexpr unsigned kRewardPrecisionBits = 128;

// reward_logic.go: the per-epoch growth factor of the baseline, e^(ln 2 / EpochsInYear), in Q.128
// (slightly above 2^128, so it does not fit 128 bits).
inline constexpr std::string_view kBaselineExponentQ128 = "340282591298641078465964189926313473653";
// reward_logic.go: the baseline power at epoch 0, in bytes (~2.5057 EiB).
inline constexpr StoragePower kBaselineInitialValue = 2'888'888'880'000'000'000;
// reward_logic.go: Lambda = ln 2 / (6 * EpochsInYear) and e^Lambda - 1, both in Q.128.
inline constexpr std::string_view kLambdaQ128 = "37396271439864487274534522888786";
inline constexpr std::string_view kExpLamSubOneQ128 = "37396273494747879394193016954629";
// reward_logic.go: the minting allocations a new reward actor starts with (330M + 770M FIL).
// Mainnet holds its own values in reward-actor state (the nv4 migration lowered BaselineTotal).
inline constexpr AttoFil kDefaultSimpleTotal = AttoFil{330'000'000} * kAttoFilPerFil;
inline constexpr AttoFil kDefaultBaselineTotal = AttoFil{770'000'000} * kAttoFilPerFil;
// reward_state.go: the initial position and velocity of the smoothed reward estimate
// (36.266260308195979333 FIL and -1.09897758509e-7 FIL/epoch). The filter itself is not modelled.
inline constexpr AttoFil kInitialRewardPositionEstimate =
    AttoFil{36'266'260'308} * 1'000'000'000 + 195'979'333;
inline constexpr AttoFil kInitialRewardVelocityEstimate = -109'897'758'509;
// reward_actor.go (specs-actors v2 onward): the message penalty a block producer owes is tripled.
inline constexpr AttoFil kPenaltyMultiplier = 3;

// The Q.128 constants parsed once per integer type (immutable after construction).
template <class Int>
struct RewardConstants {
    Int one = math::shift_left(math::make_int<Int>(1), kRewardPrecisionBits);
    Int baseline_exponent = math::make_int_from_decimal<Int>(kBaselineExponentQ128);
    Int lambda = math::make_int_from_decimal<Int>(kLambdaQ128);
    Int exp_lambda_minus_one = math::make_int_from_decimal<Int>(kExpLamSubOneQ128);
    math::ExpNeg<Int> expneg{kRewardPrecisionBits};
};

template <class Int>
const RewardConstants<Int>& reward_constants() {
    static const RewardConstants<Int> constants;
    return constants;
}

// The reward actor's e^-x in Q.128 (specs-actors actors/util/math/expneg.go).
template <class Int>
const math::ExpNeg<Int>& reward_expneg() {
    return reward_constants<Int>().expneg;
}

// The baseline power one epoch after `previous` (bytes):
// floor(previous * BaselineExponent / 2^128).
template <class Int>
Int baseline_power_from_prev(const Int& previous) {
    return math::floor_shift_right(Int(previous * reward_constants<Int>().baseline_exponent),
                                   kRewardPrecisionBits);
}

// The baseline power the reward actor records for epoch -1, chosen so that one growth step gives
// about kBaselineInitialValue at epoch 0 (it gives kBaselineInitialValue - 1 after rounding).
template <class Int>
Int initial_baseline_power() {
    Int initial_q256 = math::shift_left(math::make_int<Int>(kBaselineInitialValue),
                                        2 * kRewardPrecisionBits);
    Int at_minus_one_q128 =
        math::floor_divide(initial_q256, reward_constants<Int>().baseline_exponent);
    return math::floor_shift_right(at_minus_one_q128, kRewardPrecisionBits);
}

// RTheta: the fractional effective network time in Q.128, interpolating linearly inside the
// epoch effective_network_time (the ceiling of theta):
//   theta = effective_network_time
//           - (cumsum_baseline - cumsum_realized) / baseline_at_effective_time
// with the quotient floored in Q.128; theta = 0 while effective_network_time is 0.
// REQUIRES: effective_network_time >= 0; baseline_at_effective_time > 0.
template <class Int>
Int compute_r_theta(ChainEpoch effective_network_time, const Int& baseline_at_effective_time,
                    const Int& cumsum_realized, const Int& cumsum_baseline) {
    MINERX_ASSERT(effective_network_time >= 0);
    if (effective_network_time == 0) return math::make_int<Int>(0);
    Int whole = math::shift_left(
        math::make_int<Int>(static_cast<math::Uint128>(effective_network_time)),
        kRewardPrecisionBits);
    Int shortfall = math::shift_left(Int(cumsum_baseline - cumsum_realized), kRewardPrecisionBits);
    return whole - math::floor_divide(shortfall, baseline_at_effective_time);
}

// Baseline minting released up to effective network time theta (Q.128 in, attoFIL Q.128 out).
// REQUIRES: theta >= 0.
template <class Int>
Int baseline_supply(const Int& theta, const Int& baseline_total) {
    MINERX_ASSERT(!math::is_negative(theta));
    const auto& constants = reward_constants<Int>();
    Int theta_lambda = math::floor_shift_right(Int(theta * constants.lambda), kRewardPrecisionBits);
    return baseline_total * Int(constants.one - constants.expneg(theta_lambda));
}

// Simple minting for one epoch (attoFIL in Q.128). REQUIRES: epoch >= 0.
template <class Int>
Int simple_reward(ChainEpoch epoch, const Int& simple_total) {
    MINERX_ASSERT(epoch >= 0);
    const auto& constants = reward_constants<Int>();
    Int epoch_lambda =
        math::make_int<Int>(static_cast<math::Uint128>(epoch)) * constants.lambda;
    Int rate = simple_total * constants.exp_lambda_minus_one;
    return math::floor_shift_right(Int(rate * constants.expneg(epoch_lambda)),
                                   kRewardPrecisionBits);
}

// computeReward: the attoFIL minted for all of an epoch's expected leaders when the effective
// network time moves from prev_theta to curr_theta (both Q.128). The result is floored once, after
// adding the two Q.128 parts. REQUIRES: epoch >= 0, prev_theta >= 0, curr_theta >= 0.
template <class Int>
Int compute_reward(ChainEpoch epoch, const Int& prev_theta, const Int& curr_theta,
                   const Int& simple_total, const Int& baseline_total) {
    Int baseline_part =
        baseline_supply(curr_theta, baseline_total) - baseline_supply(prev_theta, baseline_total);
    return math::floor_shift_right(Int(simple_reward(epoch, simple_total) + baseline_part),
                                   kRewardPrecisionBits);
}

// computeReward with the production backend and attoFIL totals.
// REQUIRES: as compute_reward; simple_total >= 0, baseline_total >= 0.
AttoFil compute_epoch_reward(ChainEpoch epoch, const math::BigInt& prev_theta,
                             const math::BigInt& curr_theta, AttoFil simple_total,
                             AttoFil baseline_total);

// The reward actor's state as far as minting goes: one value per chain, advanced once per epoch.
// Mirrors specs-actors reward_state.go State without the smoothed estimate and without
// TotalStoragePowerReward. Invariant: effective_network_time() <= epoch() + 1 (realized power is
// capped by a baseline that never outgrows the effective one), so each update loops a bounded
// number of times.
class RewardState {
public:
    // ConstructState: the state at epoch -1 advanced once with reward, so epoch() == 0 and
    // this_epoch_reward() is the reward for epoch 0.
    // REQUIRES: simple_total >= 0, baseline_total >= 0.
    explicit RewardState(StoragePower realized_raw_power,
                         AttoFil simple_total = kDefaultSimpleTotal,
                         AttoFil baseline_total = kDefaultBaselineTotal);

    // updateToNextEpochWithReward: advances one epoch and recomputes this_epoch_reward() from the
    // effective network time before and after (research/election.md §5.2 steps 1-6).
    void update_to_next_epoch(StoragePower realized_raw_power);

    // updateToNextEpoch: advances one epoch (baseline, cumulative sums, effective network time)
    // without recomputing this_epoch_reward(). The actor's catch-up loop uses it; see below.
    void advance_null_epoch(StoragePower realized_raw_power);

    // UpdateNetworkKPI, run by the power actor's cron: catches up with advance_null_epoch while
    // epoch() < current_epoch, then one update_to_next_epoch. After it, epoch() ==
    // max(current_epoch, epoch() before) + 1: the reward is for the next epoch.
    // Driver contract: Lotus runs cron for EVERY epoch, null rounds included (ApplyBlocks runs the
    // crons of the null epochs before the tipset's own; chain/consensus/compute_state.go), each
    // with the raw power of its own cron. So call update_network_kpi(e, power at e's cron) for
    // every epoch e; the catch-up loop then never runs. It exists because the actor has it, and it
    // gives a different ThisEpochReward if a driver skips null epochs while power changes.
    void update_network_kpi(ChainEpoch current_epoch, StoragePower realized_raw_power);

    // The epoch this_epoch_reward() was computed for.
    ChainEpoch epoch() const { return epoch_; }
    // attoFIL for all of an epoch's winners together; one WinCount earns a fifth (block_reward).
    AttoFil this_epoch_reward() const;
    StoragePower this_epoch_baseline_power() const;
    // The ceiling of theta.
    ChainEpoch effective_network_time() const { return effective_network_time_; }
    StoragePower effective_baseline_power() const;
    // Byte-epochs.
    const math::BigInt& cumsum_realized() const { return cumsum_realized_; }
    const math::BigInt& cumsum_baseline() const { return cumsum_baseline_; }
    // The current effective network time theta (RTheta), Q.128.
    math::BigInt theta() const;
    AttoFil simple_total() const;
    AttoFil baseline_total() const;

    bool operator==(const RewardState& other) const = default;

private:
    math::BigInt cumsum_baseline_;
    math::BigInt cumsum_realized_;
    ChainEpoch effective_network_time_ = 0;
    math::BigInt effective_baseline_power_;
    math::BigInt this_epoch_reward_;
    math::BigInt this_epoch_baseline_power_;
    ChainEpoch epoch_ = -1;
    math::BigInt simple_total_;
    math::BigInt baseline_total_;
};

// The minted part of one block's award: floor(this_epoch_reward * win_count / 5).
// REQUIRES: this_epoch_reward >= 0; 1 <= win_count <= kMaxWinCount.
AttoFil block_reward(AttoFil this_epoch_reward, std::int64_t win_count);

struct BlockAward {
    AttoFil block_reward = 0;  // minted part actually paid (the rest of the reward actor's balance
                               // if that is short)
    AttoFil total_reward = 0;  // block_reward + gas reward: what the miner actor receives
};

// AwardBlockReward's amounts (specs-actors reward_actor.go; research/election.md §5.1 steps 2-4):
// the minted block reward plus the gas reward (the block's tips), capped at the reward actor's
// balance, in which case the gas reward is paid in full and the minted part takes what is left.
// REQUIRES: 1 <= win_count <= kMaxWinCount; 0 <= gas_reward <= reward_actor_balance (the actor
// aborts otherwise); this_epoch_reward >= 0.
BlockAward award_block_reward(AttoFil this_epoch_reward, std::int64_t win_count,
                              AttoFil gas_reward, AttoFil reward_actor_balance);

// The fee debt a block producer incurs for its messages' penalty (3x). REQUIRES: penalty >= 0.
AttoFil miner_penalty(AttoFil message_penalty);

}  // namespace minerx::chain
