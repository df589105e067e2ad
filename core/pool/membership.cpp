#include "core/pool/membership.h"

#include <algorithm>

#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::pool {

namespace {

std::optional<std::string> duration_error(chain::ChainEpoch epochs, const char* field) {
    if (epochs < 0 || epochs > util::kMaxConfiguredEpochs) {
        return std::string(field) + " must be between 0 and " +
               std::to_string(util::kMaxConfiguredEpochs) + " epochs (100 years), got " +
               std::to_string(epochs);
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> membership_config_error(const MembershipConfig& config) {
    if (auto error = duration_error(config.warm_up_epochs, "warm_up_epochs")) return error;
    return duration_error(config.cool_down_epochs, "cool_down_epochs");
}

Membership::Membership(MembershipConfig config) : config_(config) {
    MINERX_ASSERT(!membership_config_error(config_).has_value());
}

JoinOutcome Membership::join(MemberId member, chain::ChainEpoch epoch) {
    auto [it, inserted] = records_.try_emplace(member);
    MemberRecord& record = it->second;
    if (!inserted) {
        if (record.status == MemberStatus::active) return JoinOutcome::already_member;
        if (record.status == MemberStatus::cooling_down) return JoinOutcome::cooling_down;
        if (epoch < record.settles_epoch) return JoinOutcome::epoch_in_past;
    }
    record = MemberRecord{
        .status = MemberStatus::active,
        .joined_epoch = epoch,
        .sharing_from_epoch = util::saturating_add(epoch, config_.warm_up_epochs),
    };
    return JoinOutcome::joined;
}

LeaveOutcome Membership::request_leave(MemberId member, chain::ChainEpoch epoch) {
    auto it = records_.find(member);
    if (it == records_.end() || it->second.status == MemberStatus::departed) {
        return LeaveOutcome::not_a_member;
    }
    MemberRecord& record = it->second;
    if (record.status == MemberStatus::cooling_down) return LeaveOutcome::already_leaving;
    if (epoch < record.joined_epoch) return LeaveOutcome::leave_before_join;
    record.status = MemberStatus::cooling_down;
    record.leave_epoch = epoch;
    record.settles_epoch = util::saturating_add(epoch, config_.cool_down_epochs);
    return LeaveOutcome::leaving;
}

bool Membership::is_sharing(const MemberRecord& record, chain::ChainEpoch epoch) {
    if (record.status == MemberStatus::departed) return false;
    if (epoch < record.sharing_from_epoch) return false;
    return record.status == MemberStatus::active || epoch < record.leave_epoch;
}

bool Membership::is_sharing(MemberId member, chain::ChainEpoch epoch) const {
    const MemberRecord* record = find(member);
    return record != nullptr && is_sharing(*record, epoch);
}

bool Membership::is_member(MemberId member) const {
    const MemberRecord* record = find(member);
    return record != nullptr && record->status != MemberStatus::departed;
}

bool Membership::is_member(MemberId member, chain::ChainEpoch epoch) const {
    const MemberRecord* record = find(member);
    return record != nullptr && record->status != MemberStatus::departed &&
           epoch >= record->joined_epoch;
}

std::vector<MemberId> Membership::settle_due(chain::ChainEpoch epoch) {
    std::vector<MemberId> settled;
    for (auto& [member, record] : records_) {
        if (record.status != MemberStatus::cooling_down) continue;
        if (record.settles_epoch > epoch) continue;
        record.status = MemberStatus::departed;
        settled.push_back(member);
    }
    return settled;
}

void Membership::settle(MemberId member) {
    auto it = records_.find(member);
    MINERX_ASSERT(it != records_.end());
    MINERX_ASSERT(it->second.status == MemberStatus::cooling_down);
    it->second.status = MemberStatus::departed;
}

std::optional<chain::ChainEpoch> Membership::next_transition_epoch(
    chain::ChainEpoch after_epoch) const {
    std::optional<chain::ChainEpoch> next;
    auto consider = [&](chain::ChainEpoch epoch) {
        if (epoch > after_epoch) next = next ? std::min(*next, epoch) : epoch;
    };
    for (const auto& [member, record] : records_) {
        if (record.status == MemberStatus::active) consider(record.sharing_from_epoch);
        if (record.status != MemberStatus::cooling_down) continue;
        // A leave dated in the future stops sharing at its epoch, if sharing has begun by then.
        if (record.sharing_from_epoch < record.leave_epoch) {
            consider(record.sharing_from_epoch);
            consider(record.leave_epoch);
        }
        consider(record.settles_epoch);
    }
    return next;
}

const MemberRecord* Membership::find(MemberId member) const {
    auto it = records_.find(member);
    return it == records_.end() ? nullptr : &it->second;
}

}  // namespace minerx::pool
