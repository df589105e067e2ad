#pragma once

// Power-proportional sharing: each block the pool wins is split over the members eligible at the
// block's epoch by their lookback power.
//   fee = floor(award * fee_ppm / 10^6) to the operator;
//   award - fee apportioned (largest remainder, core/pool/apportion.h) by p_i over eligible i,
//   where eligible = sharing (membership) and p_i >= consensus minimum (or any p_i under
//   BelowMinimumRule::include).
// A winner that is not eligible keeps its block less the fee (reward_policy.h). With no eligible
// power the net goes to the reserve.

#include <memory>
#include <string_view>
#include <vector>

#include "core/pool/reward_policy.h"

namespace minerx::pool {

class PowerProportionalPolicy final : public RewardPolicy {
public:
    explicit PowerProportionalPolicy(PowerProportionalConfig config);

    std::unique_ptr<RewardPolicy> clone() const override;
    std::string_view name() const override { return "power_proportional"; }
    EpochPolicyActions close_epoch(const EpochInput& epoch) override;
    std::vector<Allocation> allocate_block_reward(const BlockInput& block) const override;

private:
    PowerProportionalConfig config_;
};

}  // namespace minerx::pool
