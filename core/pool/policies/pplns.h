#pragma once

// PPLNS sharing ("pay per last N shares", Rosenfeld 2011, arXiv:1112.4980 §3.3), with Filecoin's
// deterministic power-time as the shares. A share unit is one byte of eligible power for one
// epoch (the configuration counts TiB-epochs, 2^40 units each): at every closed epoch each
// eligible member accrues p_i units. The window is a fixed number W of share UNITS, not of
// epochs: a block won at epoch e pays the most recent W units of shares, those of epoch e
// included, the oldest epoch inside partially (the boundary):
//   fee = floor(award * fee_ppm / 10^6) to the operator;
//   award - fee apportioned by u_i / W over the members, where u_i is i's units among the last W;
//   while fewer than W units exist (the pool's start) the part W - Σ u_i goes to the reserve.
// At the boundary epoch b only the units still inside count: u_i includes
// floor(p_i(b) * inside_b / T(b)), with T(b) the pool's units at b (the byte-epochs lost to that
// floor also go to the reserve).
//
// Why units, not epochs: a share is then paid by the blocks found while the next W units are
// contributed, and the pool wins 5 / P WinCount per unit of eligible power-time whoever
// contributes it, so a share's expected payment is (1 - fee) ThisEpochReward / P per byte-epoch
// whoever else joins or leaves, up to the epoch granularity (one epoch of the pool's units,
// relative to W). With a window of epochs, a big member starting to share raised the pool's
// block rate at once while its window shares took N epochs to fill, overpaying everyone's shares
// for N epochs (docs/reward-policies.md, "Hopping resistance").
//
// Shares outlive membership: a member that stops sharing (leave requested) keeps the shares it
// has in the window until they slide out, and holds_shares() tells PoolAccounting to settle its
// account only then. forget_member() drops a member's record; its units stay in the window and
// their part goes to the reserve.
//
// Cost: O(members) per epoch and per block. Each member's window is a run-length list of
// (epochs, power) runs with its running sum, the pool's per-epoch totals another, so accrual,
// expiry and the boundary are O(1) per member.

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
    bool holds_shares(MemberId member) const override;
    void forget_member(MemberId member) override;

    // W in share units (byte-epochs): window_tib_epochs x 2^40.
    math::Uint128 window_units() const { return window_units_; }
    // The member's units among the last W (the boundary epoch's part included): what a block at
    // the last closed epoch weighs it by. 0 if none.
    math::Uint128 window_share_units(MemberId member) const;
    // The units of every epoch the window reaches into, the boundary epoch whole: >= W once full.
    math::Uint128 held_units() const { return totals_.units; }

private:
    // Consecutive epochs [first_epoch, last_epoch] at one power (per epoch).
    struct Run {
        chain::ChainEpoch first_epoch = 0;
        chain::ChainEpoch last_epoch = 0;
        math::Uint128 power = 0;
    };
    struct Runs {
        std::deque<Run> runs;    // ascending, disjoint, from the boundary epoch on
        math::Uint128 units = 0;  // Σ power x epochs over the runs
    };
    struct MemberShares {
        MemberId member = 0;
        Runs shares;
    };

    void accrue_all(const EpochInput& epoch);
    void drop_epochs_outside();
    static void accrue(Runs& runs, chain::ChainEpoch epoch, math::Uint128 power);
    static void expire_before(Runs& runs, chain::ChainEpoch epoch);
    // u_i for one member's shares (the class comment).
    math::Uint128 units_inside(const Runs& shares) const;
    const MemberShares* find_shares(MemberId member) const;

    PplnsConfig config_;
    math::Uint128 window_units_;
    // Members with shares in the window, ascending: a flat vector, since every epoch walks all
    // of them (accrual, expiry) and members arrive and leave rarely.
    std::vector<MemberShares> members_;
    // The pool's units per epoch over the same epochs (epochs without eligible power left out);
    // its first epoch is the boundary.
    Runs totals_;
    std::optional<chain::ChainEpoch> last_closed_epoch_;
};

}  // namespace minerx::pool
