#pragma once

// Who is in the pool, and since when their power counts for sharing. Time gating is what makes
// pool hopping unprofitable (docs/reward-policies.md, "Hopping"):
//
//   join at epoch j            -> warming up: the member mines with the pool, but its power does
//                                 not share (its own blocks stay its own, less the pool fee; it
//                                 gets no part of anyone else's);
//   epoch j + warm_up_epochs   -> sharing;
//   leave requested at epoch l -> cooling down at once: no sharing from epoch l on;
//   epoch l + cool_down_epochs -> departed: the account settles (vested balance paid out; the
//                                 unvested rest keeps vesting and is paid as it vests, or is
//                                 forfeited to the reserve, per UnvestedOnLeave). The caller may
//                                 settle later than that (PoolAccounting waits for a leaver's
//                                 PPLNS shares to leave the window): settle_due / settle.
//
// A join or leave may be dated in the future: the member counts (is_member) from its join epoch
// and shares until its leave epoch. A departed member may join again; the warm-up starts over.
// Joining while cooling down is refused (the member waits for its settlement). Refusals are
// return values: requests come from RPC. Epochs near 2^63 saturate instead of wrapping
// (util::saturating_add). The state is a pure function of the events (member, epoch) it was
// given; it reads no clock.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include <string>

#include "core/chain/chain_types.h"
#include "core/pool/pool_types.h"

namespace minerx::pool {

// Defaults: one day each. A day is long against the pool's block interval (a 1% pool wins about
// 144 blocks a day) and short against the 180-day vesting, so an honest member hardly notices.
inline constexpr chain::ChainEpoch kDefaultWarmUpEpochs = chain::kEpochsPerDay;
inline constexpr chain::ChainEpoch kDefaultCoolDownEpochs = chain::kEpochsPerDay;

// What happens, at settlement, to a leaver's allocations that have not vested yet.
enum class UnvestedOnLeave : std::uint8_t {
    keep_vesting,  // they stay the member's, paid out as they vest
    forfeit,       // they move to the reserve (still on their vesting schedule)
};

struct MembershipConfig {
    chain::ChainEpoch warm_up_epochs = kDefaultWarmUpEpochs;      // [0, 100 years of epochs]
    chain::ChainEpoch cool_down_epochs = kDefaultCoolDownEpochs;  // [0, 100 years of epochs]
    UnvestedOnLeave unvested_on_leave = UnvestedOnLeave::keep_vesting;
};

// Why the configuration cannot be used (naming the field), or nullopt. Both durations must lie
// in [0, util::kMaxConfiguredEpochs] (100 years).
std::optional<std::string> membership_config_error(const MembershipConfig& config);

enum class MemberStatus : std::uint8_t {
    active,        // joined; warming up before sharing_from_epoch, sharing from it on
    cooling_down,  // leave requested, settlement pending
    departed,      // settled
};

struct MemberRecord {
    MemberStatus status = MemberStatus::active;
    chain::ChainEpoch joined_epoch = 0;
    chain::ChainEpoch sharing_from_epoch = 0;  // joined_epoch + warm_up_epochs
    chain::ChainEpoch leave_epoch = 0;         // set once a leave is requested
    chain::ChainEpoch settles_epoch = 0;       // leave_epoch + cool_down_epochs
};

enum class JoinOutcome : std::uint8_t {
    joined,
    already_member,  // active (perhaps from a future join epoch)
    cooling_down,    // leave requested, settlement pending
    epoch_in_past,   // dated before the pool's open epoch, or before the member's last settlement
};
enum class LeaveOutcome : std::uint8_t {
    leaving,
    not_a_member,       // never joined, or departed
    already_leaving,
    leave_before_join,  // dated before the member's join epoch
    epoch_in_past,      // dated before the pool's open epoch (PoolAccounting)
};

class Membership {
public:
    // REQUIRES: membership_config_error(config) is nullopt.
    explicit Membership(MembershipConfig config);

    // A new member, or a departed one coming back; anyone else is refused with the reason.
    JoinOutcome join(MemberId member, chain::ChainEpoch epoch);
    LeaveOutcome request_leave(MemberId member, chain::ChainEpoch epoch);

    // Whether the member's power counts for sharing at `epoch`: active, warm-up over, no leave
    // requested at or before `epoch`.
    bool is_sharing(MemberId member, chain::ChainEpoch epoch) const;
    static bool is_sharing(const MemberRecord& record, chain::ChainEpoch epoch);
    // Active or cooling down (a join dated in the future included).
    bool is_member(MemberId member) const;
    // A member at `epoch`: active or cooling down, and joined at or before `epoch`. The pool
    // mines for it and books its rewards.
    bool is_member(MemberId member, chain::ChainEpoch epoch) const;

    // Members whose cool-down ends at or before `epoch`, ascending; they become departed.
    std::vector<MemberId> settle_due(chain::ChainEpoch epoch);
    // The member departs now (its account settles). REQUIRES: it is cooling down.
    void settle(MemberId member);

    // The earliest epoch after `after_epoch` at which some member starts or stops sharing or its
    // cool-down ends, if any: the next moment the membership changes without a new event.
    std::optional<chain::ChainEpoch> next_transition_epoch(chain::ChainEpoch after_epoch) const;

    const MemberRecord* find(MemberId member) const;
    const std::map<MemberId, MemberRecord>& records() const { return records_; }
    const MembershipConfig& config() const { return config_; }

private:
    MembershipConfig config_;
    std::map<MemberId, MemberRecord> records_;  // departed members stay, for their accounts
};

}  // namespace minerx::pool
