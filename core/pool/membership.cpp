#include "core/pool/membership.h"

#include <algorithm>

#include "core/util/assert.h"

namespace minerx::pool {

Membership::Membership(MembershipConfig config) : config_(config) {
    MINERX_ASSERT(config_.warm_up_epochs >= 0);
    MINERX_ASSERT(config_.cool_down_epochs >= 0);
}

JoinOutcome Membership::join(MemberId member, chain::ChainEpoch epoch) {
    auto [it, inserted] = records_.try_emplace(member);
    MemberRecord& record = it->second;
    if (!inserted) {
        if (record.status == MemberStatus::active) return JoinOutcome::already_member;
        if (record.status == MemberStatus::cooling_down) return JoinOutcome::cooling_down;
        MINERX_ASSERT(epoch >= record.settles_epoch);
    }
    record = MemberRecord{
        .status = MemberStatus::active,
        .joined_epoch = epoch,
        .sharing_from_epoch = epoch + config_.warm_up_epochs,
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
    MINERX_ASSERT(epoch >= record.joined_epoch);
    record.status = MemberStatus::cooling_down;
    record.leave_epoch = epoch;
    record.settles_epoch = epoch + config_.cool_down_epochs;
    return LeaveOutcome::leaving;
}

bool Membership::is_sharing(MemberId member, chain::ChainEpoch epoch) const {
    const MemberRecord* record = find(member);
    if (record == nullptr || record->status == MemberStatus::departed) return false;
    if (epoch < record->sharing_from_epoch) return false;
    return record->status == MemberStatus::active || epoch < record->leave_epoch;
}

bool Membership::is_member(MemberId member) const {
    const MemberRecord* record = find(member);
    return record != nullptr && record->status != MemberStatus::departed;
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

std::optional<chain::ChainEpoch> Membership::next_transition_epoch(
    chain::ChainEpoch after_epoch) const {
    std::optional<chain::ChainEpoch> next;
    auto consider = [&](chain::ChainEpoch epoch) {
        if (epoch > after_epoch) next = next ? std::min(*next, epoch) : epoch;
    };
    for (const auto& [member, record] : records_) {
        if (record.status == MemberStatus::active) consider(record.sharing_from_epoch);
        if (record.status == MemberStatus::cooling_down) consider(record.settles_epoch);
    }
    return next;
}

const MemberRecord* Membership::find(MemberId member) const {
    auto it = records_.find(member);
    return it == records_.end() ? nullptr : &it->second;
}

}  // namespace minerx::pool
