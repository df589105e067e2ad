#include "core/pool/policies/power_proportional.h"

#include "core/pool/apportion.h"
#include "core/util/assert.h"

namespace minerx::pool {

PowerProportionalPolicy::PowerProportionalPolicy(PowerProportionalConfig config)
    : config_(config) {
    MINERX_ASSERT(!reward_policy_config_error(config_).has_value());
}

std::unique_ptr<RewardPolicy> PowerProportionalPolicy::clone() const {
    return std::make_unique<PowerProportionalPolicy>(*this);
}

EpochPolicyActions PowerProportionalPolicy::close_epoch(const EpochInput& epoch) {
    static_cast<void>(epoch);
    return {};
}

std::vector<Allocation> PowerProportionalPolicy::allocate_block_reward(
    const BlockInput& block) const {
    const MemberStanding* winner = find_standing(block.members, block.winner);
    if (winner == nullptr || !is_eligible(*winner, config_.below_minimum)) {
        return allocate_to_winner(block.winner, block.award, config_.fee_ppm);
    }
    std::vector<MemberWeight> weights;
    weights.reserve(block.members.size());
    for (const MemberStanding& standing : block.members) {
        if (!is_eligible(standing, config_.below_minimum) || standing.power == 0) continue;
        weights.push_back({.member = standing.member, .weight = standing.power});
    }
    return allocate_by_weight(weights, take_fee(block.award, config_.fee_ppm));
}

}  // namespace minerx::pool
