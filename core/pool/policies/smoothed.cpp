#include "core/pool/policies/smoothed.h"

#include <limits>

#include "core/pool/apportion.h"
#include "core/util/assert.h"

namespace minerx::pool {

SmoothedPolicy::SmoothedPolicy(SmoothedConfig config) : config_(config) {
    MINERX_ASSERT(!reward_policy_config_error(config_).has_value());
}

std::unique_ptr<RewardPolicy> SmoothedPolicy::clone() const {
    return std::make_unique<SmoothedPolicy>(*this);
}

chain::AttoFil SmoothedPolicy::expected_credit(chain::AttoFil this_epoch_reward,
                                               chain::StoragePower power,
                                               chain::StoragePower network_power) const {
    MINERX_ASSERT(this_epoch_reward >= 0);
    MINERX_ASSERT(this_epoch_reward <= chain::kTotalFilSupply);
    if (network_power == 0 || power == 0) return 0;
    constexpr auto kMillion = static_cast<math::Uint128>(kOneMillion);
    MINERX_ASSERT(network_power <= std::numeric_limits<math::Uint128>::max() / kMillion);
    // (10^6 - fee) * reward < 2^20 * 2^91 fits 128 bits; its product with power (up to ~2^140)
    // does not, and proportional_part forms it exactly in 256 bits (math::mul_div_rem).
    const chain::AttoFil scaled_reward = (kOneMillion - config_.fee_ppm) * this_epoch_reward;
    return proportional_part(scaled_reward, power, kMillion * network_power);
}

// The credits, with the rate and weights they were formed from (credit = floor(rate x power)),
// which the ledger uses to keep unfunded credits compactly.
EpochPolicyActions SmoothedPolicy::close_epoch(const EpochInput& epoch) {
    EpochPolicyActions actions;
    actions.sweep_reserve_above = config_.reserve_cap;
    if (epoch.network_power == 0) return actions;
    MINERX_ASSERT(epoch.this_epoch_reward >= 0);
    MINERX_ASSERT(epoch.this_epoch_reward <= chain::kTotalFilSupply);
    constexpr auto kMillion = static_cast<math::Uint128>(kOneMillion);
    MINERX_ASSERT(epoch.network_power <= std::numeric_limits<math::Uint128>::max() / kMillion);
    actions.credit_rate = CreditRate{
        .numerator = (kOneMillion - config_.fee_ppm) * epoch.this_epoch_reward,
        .denominator = kMillion * epoch.network_power};
    for (const MemberStanding& standing : epoch.members) {
        if (!is_eligible(standing, config_.below_minimum)) continue;
        const chain::AttoFil credit =
            expected_credit(epoch.this_epoch_reward, standing.power, epoch.network_power);
        if (credit == 0) continue;
        actions.credits_from_reserve.push_back({standing.member, credit});
        actions.credit_weights.push_back(standing.power);
    }
    return actions;
}

std::vector<Allocation> SmoothedPolicy::allocate_block_reward(const BlockInput& block) const {
    MINERX_ASSERT(block.award >= 0);
    const MemberStanding* winner = find_standing(block.members, block.winner);
    if (winner == nullptr || !is_eligible(*winner, config_.below_minimum)) {
        return allocate_to_winner(block.winner, block.award, config_.fee_ppm);
    }
    if (block.award == 0) return {};
    return {Allocation{.beneficiary = Beneficiary::reserve(), .amount = block.award}};
}

}  // namespace minerx::pool
