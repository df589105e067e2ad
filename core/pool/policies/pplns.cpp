#include "core/pool/policies/pplns.h"

#include <iterator>
#include <limits>

#include "core/pool/apportion.h"
#include "core/util/assert.h"

namespace minerx::pool {

PplnsPolicy::PplnsPolicy(PplnsConfig config) : config_(config) {
    MINERX_ASSERT(!reward_policy_config_error(config_).has_value());
}

std::unique_ptr<RewardPolicy> PplnsPolicy::clone() const {
    return std::make_unique<PplnsPolicy>(*this);
}

EpochPolicyActions PplnsPolicy::close_epoch(const EpochInput& epoch) {
    if (last_closed_epoch_) MINERX_ASSERT(epoch.epoch == *last_closed_epoch_ + 1);
    last_closed_epoch_ = epoch.epoch;
    for (const MemberStanding& standing : epoch.members) {
        if (!is_eligible(standing, config_.below_minimum) || standing.power == 0) continue;
        accrue(standing.member, epoch.epoch, standing.power);
    }
    // The epoch that just left the window [epoch - N + 1, epoch].
    const chain::ChainEpoch expired_epoch = epoch.epoch - config_.window_epochs;
    for (auto it = windows_.begin(); it != windows_.end();) {
        expire(it->second, expired_epoch);
        it = it->second.segments.empty() ? windows_.erase(it) : std::next(it);
    }
    return {};
}

void PplnsPolicy::accrue(MemberId member, chain::ChainEpoch epoch, chain::StoragePower power) {
    Window& window = windows_[member];
    MINERX_ASSERT(power <= std::numeric_limits<math::Uint128>::max() - window.shares);
    window.shares += power;
    if (!window.segments.empty()) {
        Segment& last = window.segments.back();
        MINERX_ASSERT(last.last_epoch < epoch);
        if (last.power == power && last.last_epoch + 1 == epoch) {
            last.last_epoch = epoch;
            return;
        }
    }
    window.segments.push_back({.first_epoch = epoch, .last_epoch = epoch, .power = power});
}

void PplnsPolicy::expire(Window& window, chain::ChainEpoch epoch) {
    if (window.segments.empty()) return;
    Segment& first = window.segments.front();
    // Epochs leave one at a time, so nothing older than `epoch` can remain.
    MINERX_ASSERT(first.first_epoch >= epoch);
    if (first.first_epoch != epoch) return;
    MINERX_ASSERT(window.shares >= first.power);
    window.shares -= first.power;
    ++first.first_epoch;
    if (first.first_epoch > first.last_epoch) window.segments.pop_front();
}

std::vector<Allocation> PplnsPolicy::allocate_block_reward(const BlockInput& block) const {
    MINERX_ASSERT(last_closed_epoch_.has_value());
    MINERX_ASSERT(block.epoch == *last_closed_epoch_);
    const MemberStanding* winner = find_standing(block.members, block.winner);
    if (winner == nullptr || !is_eligible(*winner, config_.below_minimum)) {
        return allocate_to_winner(block.winner, block.award, config_.fee_ppm);
    }
    std::vector<MemberWeight> weights;
    weights.reserve(windows_.size());
    for (const auto& [member, window] : windows_) {
        weights.push_back({.member = member, .weight = window.shares});
    }
    return allocate_by_weight(weights, take_fee(block.award, config_.fee_ppm));
}

void PplnsPolicy::forget_member(MemberId member) { windows_.erase(member); }

math::Uint128 PplnsPolicy::window_shares(MemberId member) const {
    auto it = windows_.find(member);
    return it == windows_.end() ? 0 : it->second.shares;
}

}  // namespace minerx::pool
