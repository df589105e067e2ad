#include "core/chain/vesting.h"

#include <algorithm>
#include <limits>

#include "core/util/assert.h"

namespace minerx::chain {

namespace {

// amount * elapsed with amount <= kTotalFilSupply and elapsed < vest_period must fit 127 bits.
constexpr AttoFil kVestPeriodMax = std::numeric_limits<AttoFil>::max() / kTotalFilSupply;

void check_spec(const VestSpec& spec) {
    MINERX_ASSERT(spec.initial_delay >= 0);
    MINERX_ASSERT(spec.vest_period > 0);
    MINERX_ASSERT(spec.vest_period <= kVestPeriodMax);
    MINERX_ASSERT(spec.step_duration > 0);
    MINERX_ASSERT(spec.quantization > 0);
}

// The cumulative amount due `elapsed` epochs after the vesting clock started.
AttoFil vesting_target(AttoFil amount, ChainEpoch elapsed, const VestSpec& spec) {
    if (elapsed >= spec.vest_period) return amount;
    // Non-negative operands: C++ truncation equals Go's Euclidean division.
    return amount * elapsed / spec.vest_period;
}

}  // namespace

RewardSplit split_block_reward(AttoFil total_reward) {
    MINERX_ASSERT(total_reward >= 0);
    MINERX_ASSERT(total_reward <= kTotalFilSupply);
    RewardSplit split;
    split.locked = total_reward * kLockedRewardFactorNum / kLockedRewardFactorDenom;
    split.available = total_reward - split.locked;
    return split;
}

ChainEpoch quantize_up(ChainEpoch e, ChainEpoch unit, ChainEpoch offset_seed) {
    MINERX_ASSERT(unit > 0);
    // Go and C++ both truncate / and % toward zero, so these are quantize.go's exact values.
    ChainEpoch offset = offset_seed % unit;
    ChainEpoch remainder = (e - offset) % unit;
    ChainEpoch quotient = (e - offset) / unit;
    // On the grid, or below the offset (where truncation already rounded up): keep the quotient.
    if (remainder == 0 || e - offset < 0) return unit * quotient + offset;
    return unit * (quotient + 1) + offset;
}

AttoFil VestingSchedule::add_locked_funds(ChainEpoch current_epoch, AttoFil amount,
                                          ChainEpoch proving_period_start, const VestSpec& spec) {
    MINERX_ASSERT(amount >= 0);
    MINERX_ASSERT(amount <= kTotalFilSupply);
    check_spec(spec);
    AttoFil unlocked = unlock_vested_funds(current_epoch);

    const ChainEpoch vest_begin = current_epoch + spec.initial_delay;
    // Each step's elapsed time is at least step_duration more than the previous one's.
    const ChainEpoch step_count_max = spec.vest_period / spec.step_duration + 1;
    AttoFil vested_so_far = 0;
    ChainEpoch step_count = 0;
    for (ChainEpoch e = vest_begin + spec.step_duration; vested_so_far < amount;
         e += spec.step_duration) {
        ++step_count;
        MINERX_ASSERT(step_count <= step_count_max);
        ChainEpoch vest_epoch = quantize_up(e, spec.quantization, proving_period_start);
        AttoFil target = vesting_target(amount, vest_epoch - vest_begin, spec);
        add_to_entry(vest_epoch, target - vested_so_far);
        vested_so_far = target;
    }
    total_locked_ += amount;
    return unlocked;
}

void VestingSchedule::add_to_entry(ChainEpoch epoch, AttoFil amount) {
    MINERX_ASSERT(amount >= 0);
    auto before = [](const VestingFund& fund, ChainEpoch e) { return fund.epoch < e; };
    auto at = std::lower_bound(funds_.begin(), funds_.end(), epoch, before);
    if (at != funds_.end() && at->epoch == epoch) {
        at->amount += amount;
    } else {
        funds_.insert(at, VestingFund{.epoch = epoch, .amount = amount});
    }
}

AttoFil VestingSchedule::unlock_vested_funds(ChainEpoch current_epoch) {
    auto first_locked = std::find_if(funds_.begin(), funds_.end(), [&](const VestingFund& fund) {
        return fund.epoch >= current_epoch;
    });
    AttoFil unlocked = 0;
    for (auto it = funds_.begin(); it != first_locked; ++it) unlocked += it->amount;
    funds_.erase(funds_.begin(), first_locked);
    total_locked_ -= unlocked;
    MINERX_ASSERT(total_locked_ >= 0);
    return unlocked;
}

AttoFil VestingSchedule::vested_before(ChainEpoch current_epoch) const {
    AttoFil vested = 0;
    for (const VestingFund& fund : funds_) {
        if (fund.epoch >= current_epoch) break;
        vested += fund.amount;
    }
    return vested;
}

}  // namespace minerx::chain
