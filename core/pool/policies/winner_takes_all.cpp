#include "core/pool/policies/winner_takes_all.h"

#include "core/util/assert.h"

namespace minerx::pool {

WinnerTakesAllPolicy::WinnerTakesAllPolicy(WinnerTakesAllConfig config) : config_(config) {
    MINERX_ASSERT(!reward_policy_config_error(config_).has_value());
}

std::unique_ptr<RewardPolicy> WinnerTakesAllPolicy::clone() const {
    return std::make_unique<WinnerTakesAllPolicy>(*this);
}

EpochPolicyActions WinnerTakesAllPolicy::close_epoch(const EpochInput& epoch) {
    static_cast<void>(epoch);
    return {};
}

std::vector<Allocation> WinnerTakesAllPolicy::allocate_block_reward(const BlockInput& block) const {
    return allocate_to_winner(block.winner, block.award, config_.fee_ppm);
}

}  // namespace minerx::pool
