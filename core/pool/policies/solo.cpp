#include "core/pool/policies/solo.h"

#include "core/util/assert.h"

namespace minerx::pool {

std::unique_ptr<RewardPolicy> SoloPolicy::clone() const {
    return std::make_unique<SoloPolicy>(*this);
}

EpochPolicyActions SoloPolicy::close_epoch(const EpochInput& epoch) {
    static_cast<void>(epoch);
    return {};
}

std::vector<Allocation> SoloPolicy::allocate_block_reward(const BlockInput& block) const {
    MINERX_ASSERT(block.award >= 0);
    return allocate_to_winner(block.winner, block.award, 0);
}

}  // namespace minerx::pool
