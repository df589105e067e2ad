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
//                                 forfeited to the reserve, per UnvestedOnLeave).
//
// A departed member may join again; the warm-up starts over. Joining while cooling down is
// refused (the member waits for its settlement). The state is a pure function of the events
// (member, epoch) it was given; it reads no clock.

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

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
    chain::ChainEpoch warm_up_epochs = kDefaultWarmUpEpochs;
    chain::ChainEpoch cool_down_epochs = kDefaultCoolDownEpochs;
    UnvestedOnLeave unvested_on_leave = UnvestedOnLeave::keep_vesting;
};

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

enum class JoinOutcome : std::uint8_t { joined, already_member, cooling_down };
enum class LeaveOutcome : std::uint8_t { leaving, not_a_member, already_leaving };

class Membership {
public:
    // REQUIRES: warm_up_epochs >= 0, cool_down_epochs >= 0.
    explicit Membership(MembershipConfig config);

    // A new member, or a departed one coming back; anyone else is refused with the reason.
    JoinOutcome join(MemberId member, chain::ChainEpoch epoch);
    LeaveOutcome request_leave(MemberId member, chain::ChainEpoch epoch);

    // Whether the member's power counts for sharing at `epoch`: active, warm-up over, no leave
    // requested at or before `epoch`.
    bool is_sharing(MemberId member, chain::ChainEpoch epoch) const;
    // Active or cooling down: the pool still mines for it and books its rewards.
    bool is_member(MemberId member) const;

    // Members whose cool-down ends at or before `epoch`, ascending; they become departed.
    std::vector<MemberId> settle_due(chain::ChainEpoch epoch);

    // The earliest epoch at which some member starts sharing or settles, if any: the next moment
    // the membership changes without a new event.
    std::optional<chain::ChainEpoch> next_transition_epoch(chain::ChainEpoch after_epoch) const;

    const MemberRecord* find(MemberId member) const;
    const std::map<MemberId, MemberRecord>& records() const { return records_; }
    const MembershipConfig& config() const { return config_; }

private:
    MembershipConfig config_;
    std::map<MemberId, MemberRecord> records_;  // departed members stay, for their accounts
};

}  // namespace minerx::pool
