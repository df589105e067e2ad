#pragma once

// Solo: the baseline a pool is compared with. Every member is on its own: the award of a block it
// wins is 100% its own, with no fee and no sharing, whatever its membership state. A member under
// the consensus minimum wins nothing on chain, so it earns nothing.
//   income_i = Σ over blocks won by i of award

#include <memory>
#include <string_view>
#include <vector>

#include "core/pool/reward_policy.h"

namespace minerx::pool {

class SoloPolicy final : public RewardPolicy {
public:
    // SoloConfig has no settings: solo has no fee and nothing to configure.
    explicit SoloPolicy(SoloConfig = {}) {}

    std::unique_ptr<RewardPolicy> clone() const override;
    std::string_view name() const override { return "solo"; }
    EpochPolicyActions close_epoch(const EpochInput& epoch) override;
    std::vector<Allocation> allocate_block_reward(const BlockInput& block) const override;
};

}  // namespace minerx::pool
