#pragma once

// Winner-takes-all (the Venus pool today): the pool mines for its members, and the award of a
// block goes to the member that won it, less the pool fee.
//   fee = floor(award * fee_ppm / 10^6) to the operator; award - fee to the winner.
// Membership gating does not matter (nobody shares). A member under the consensus minimum never
// wins, so it earns nothing.

#include <memory>
#include <string_view>
#include <vector>

#include "core/pool/reward_policy.h"

namespace minerx::pool {

class WinnerTakesAllPolicy final : public RewardPolicy {
public:
    explicit WinnerTakesAllPolicy(WinnerTakesAllConfig config);

    std::unique_ptr<RewardPolicy> clone() const override;
    std::string_view name() const override { return "winner_takes_all"; }
    EpochPolicyActions close_epoch(const EpochInput& epoch) override;
    std::vector<Allocation> allocate_block_reward(const BlockInput& block) const override;

private:
    WinnerTakesAllConfig config_;
};

}  // namespace minerx::pool
