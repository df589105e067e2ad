#include "core/pool/policies/pplns.h"

#include <algorithm>
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
    accrue_all(epoch);
    // The epoch that just left the window [epoch - N + 1, epoch].
    const chain::ChainEpoch expired_epoch = epoch.epoch - config_.window_epochs;
    for (MemberWindow& entry : windows_) expire(entry.window, expired_epoch);
    std::erase_if(windows_,
                  [](const MemberWindow& entry) { return entry.window.segments.empty(); });
    return {};
}

// Standings and windows are both ascending: one merged walk accrues every eligible member, and
// members new to the window are merged in once at the end.
void PplnsPolicy::accrue_all(const EpochInput& epoch) {
    std::vector<MemberWindow> arrivals;
    auto window = windows_.begin();
    for (const MemberStanding& standing : epoch.members) {
        if (!is_eligible(standing, config_.below_minimum) || standing.power == 0) continue;
        while (window != windows_.end() && window->member < standing.member) ++window;
        if (window != windows_.end() && window->member == standing.member) {
            accrue((window++)->window, epoch.epoch, standing.power);
        } else {
            arrivals.push_back({.member = standing.member, .window = {}});
            accrue(arrivals.back().window, epoch.epoch, standing.power);
        }
    }
    if (arrivals.empty()) return;
    std::vector<MemberWindow> merged;
    merged.reserve(windows_.size() + arrivals.size());
    const auto by_member = [](const MemberWindow& a, const MemberWindow& b) {
        return a.member < b.member;
    };
    std::merge(std::make_move_iterator(windows_.begin()), std::make_move_iterator(windows_.end()),
               std::make_move_iterator(arrivals.begin()), std::make_move_iterator(arrivals.end()),
               std::back_inserter(merged), by_member);
    windows_ = std::move(merged);
}

void PplnsPolicy::accrue(Window& window, chain::ChainEpoch epoch, chain::StoragePower power) {
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
    for (const MemberWindow& entry : windows_) {
        weights.push_back({.member = entry.member, .weight = entry.window.shares});
    }
    return allocate_by_weight(weights, take_fee(block.award, config_.fee_ppm));
}

const PplnsPolicy::MemberWindow* PplnsPolicy::find_window(MemberId member) const {
    auto it = std::lower_bound(
        windows_.begin(), windows_.end(), member,
        [](const MemberWindow& entry, MemberId id) { return entry.member < id; });
    return it == windows_.end() || it->member != member ? nullptr : &*it;
}

void PplnsPolicy::forget_member(MemberId member) {
    if (const MemberWindow* found = find_window(member)) {
        windows_.erase(windows_.begin() + (found - windows_.data()));
    }
}

math::Uint128 PplnsPolicy::window_shares(MemberId member) const {
    const MemberWindow* found = find_window(member);
    return found == nullptr ? 0 : found->window.shares;
}

}  // namespace minerx::pool
