#include "core/chain/reward.h"

#include <algorithm>

#include "core/util/assert.h"

namespace minerx::chain {

using math::BigInt;

namespace {

// REQUIRES: amount >= 0 (every amount the reward actor handles is).
BigInt big_from_atto(AttoFil amount) {
    MINERX_ASSERT(amount >= 0);
    return math::make_int<BigInt>(static_cast<math::Uint128>(amount));
}

BigInt big_from_power(StoragePower power) { return math::make_int<BigInt>(power); }

}  // namespace

AttoFil compute_epoch_reward(ChainEpoch epoch, const BigInt& prev_theta, const BigInt& curr_theta,
                             AttoFil simple_total, AttoFil baseline_total) {
    return math::to_int128(compute_reward(epoch, prev_theta, curr_theta,
                                          big_from_atto(simple_total),
                                          big_from_atto(baseline_total)));
}

RewardState::RewardState(StoragePower realized_raw_power, AttoFil simple_total,
                         AttoFil baseline_total)
    : cumsum_baseline_(0),
      cumsum_realized_(0),
      effective_baseline_power_(big_from_power(kBaselineInitialValue)),
      this_epoch_reward_(0),
      this_epoch_baseline_power_(initial_baseline_power<BigInt>()),
      simple_total_(big_from_atto(simple_total)),
      baseline_total_(big_from_atto(baseline_total)) {
    update_to_next_epoch(realized_raw_power);
}

void RewardState::advance_null_epoch(StoragePower realized_raw_power) {
    ++epoch_;
    this_epoch_baseline_power_ = baseline_power_from_prev(this_epoch_baseline_power_);
    BigInt realized = big_from_power(realized_raw_power);
    cumsum_realized_ += std::min(this_epoch_baseline_power_, realized);
    // Advance the effective network time until the baseline's cumulative sum covers the realized
    // one. The realized sum grows by at most this epoch's baseline, which is never above the
    // effective chain's baseline one epoch later, hence the bound asserted here.
    while (cumsum_realized_ > cumsum_baseline_) {
        ++effective_network_time_;
        MINERX_ASSERT(effective_network_time_ <= epoch_ + 1);
        effective_baseline_power_ = baseline_power_from_prev(effective_baseline_power_);
        cumsum_baseline_ += effective_baseline_power_;
    }
}

void RewardState::update_to_next_epoch(StoragePower realized_raw_power) {
    BigInt theta_before = theta();
    advance_null_epoch(realized_raw_power);
    BigInt theta_after = theta();
    MINERX_ASSERT(theta_after >= theta_before);
    this_epoch_reward_ =
        compute_reward(epoch_, theta_before, theta_after, simple_total_, baseline_total_);
}

void RewardState::update_network_kpi(ChainEpoch current_epoch, StoragePower realized_raw_power) {
    while (epoch_ < current_epoch) advance_null_epoch(realized_raw_power);
    update_to_next_epoch(realized_raw_power);
}

AttoFil RewardState::this_epoch_reward() const { return math::to_int128(this_epoch_reward_); }

StoragePower RewardState::this_epoch_baseline_power() const {
    return math::to_uint128(this_epoch_baseline_power_);
}

StoragePower RewardState::effective_baseline_power() const {
    return math::to_uint128(effective_baseline_power_);
}

BigInt RewardState::theta() const {
    return compute_r_theta(effective_network_time_, effective_baseline_power_, cumsum_realized_,
                           cumsum_baseline_);
}

AttoFil RewardState::simple_total() const { return math::to_int128(simple_total_); }

AttoFil RewardState::baseline_total() const { return math::to_int128(baseline_total_); }

AttoFil block_reward(AttoFil this_epoch_reward, std::int64_t win_count) {
    MINERX_ASSERT(this_epoch_reward >= 0);
    MINERX_ASSERT(win_count >= 1);
    MINERX_ASSERT(win_count <= kMaxWinCount);
    // Non-negative operands: C++ truncation equals Go's Euclidean division here.
    return this_epoch_reward * win_count / kExpectedLeadersPerEpoch;
}

BlockAward award_block_reward(AttoFil this_epoch_reward, std::int64_t win_count,
                              AttoFil gas_reward, AttoFil reward_actor_balance) {
    MINERX_ASSERT(gas_reward >= 0);
    MINERX_ASSERT(gas_reward <= reward_actor_balance);
    BlockAward award;
    award.block_reward = block_reward(this_epoch_reward, win_count);
    award.total_reward = award.block_reward + gas_reward;
    if (award.total_reward > reward_actor_balance) {
        award.total_reward = reward_actor_balance;
        award.block_reward = award.total_reward - gas_reward;
    }
    MINERX_ASSERT(award.block_reward >= 0);
    return award;
}

AttoFil miner_penalty(AttoFil message_penalty) {
    MINERX_ASSERT(message_penalty >= 0);
    return kPenaltyMultiplier * message_penalty;
}

}  // namespace minerx::chain
