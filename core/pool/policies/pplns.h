#pragma once

// PPLNS-like sharing ("pay per last N shares", Rosenfeld 2011, arXiv:1112.4980 §3.3), with
// Filecoin's deterministic power-time as the shares: at every closed epoch each eligible member
// accrues p_i x 1 epoch of shares; a block won at epoch e is split by the shares accrued in the
// window [e - N + 1, e].
//   fee = floor(award * fee_ppm / 10^6) to the operator;
//   award - fee apportioned by W_i(e) = Σ_{t = e-N+1..e, i eligible at t} p_i(t).
// Shares outlive membership: a member that stops sharing (leave requested) keeps the shares it
// has in the window until they slide out or its account settles (forget_member). With the default
// cool-down equal to the window, every share is exposed to N epochs of blocks, which is what makes
// a share's expected payment independent of when it was earned (hopping resistance).
//
// Cost: O(members) per epoch; each member's window is a run-length list of (epochs, power)
// segments with its running sum, so accrual and expiry are O(1) and a block's split reads the
// sums directly.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "core/math/int128.h"
#include "core/pool/reward_policy.h"

namespace minerx::pool {

class PplnsPolicy final : public RewardPolicy {
public:
    explicit PplnsPolicy(PplnsConfig config);

    std::unique_ptr<RewardPolicy> clone() const override;
    std::string_view name() const override { return "pplns"; }
    EpochPolicyActions close_epoch(const EpochInput& epoch) override;
    std::vector<Allocation> allocate_block_reward(const BlockInput& block) const override;
    void forget_member(MemberId member) override;

    // The member's power-epochs in the current window (0 if none).
    math::Uint128 window_shares(MemberId member) const;

private:
    // Consecutive epochs [first_epoch, last_epoch] at one power.
    struct Segment {
        chain::ChainEpoch first_epoch = 0;
        chain::ChainEpoch last_epoch = 0;
        chain::StoragePower power = 0;
    };
    struct Window {
        std::deque<Segment> segments;  // ascending, disjoint, inside the window
        math::Uint128 shares = 0;      // Σ power x epochs over the segments
    };
    struct MemberWindow {
        MemberId member = 0;
        Window window;
    };

    void accrue_all(const EpochInput& epoch);
    static void accrue(Window& window, chain::ChainEpoch epoch, chain::StoragePower power);
    static void expire(Window& window, chain::ChainEpoch epoch);
    const MemberWindow* find_window(MemberId member) const;

    PplnsConfig config_;
    // Members with shares in the window, ascending: a flat vector, since every epoch walks all
    // of them (accrual, expiry) and members arrive and leave rarely.
    std::vector<MemberWindow> windows_;
    std::optional<chain::ChainEpoch> last_closed_epoch_;
};

}  // namespace minerx::pool
