#include "core/pool/policies/pplns.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "core/math/mul_div.h"
#include "core/pool/apportion.h"
#include "core/util/assert.h"

namespace minerx::pool {

namespace {

using math::Uint128;

constexpr Uint128 kUnitsPerTibEpoch = Uint128{1} << 40;

// The units of the epochs [first, last] of a run. No overflow: they are part of the run list's
// sum, which fits (accrue checks every addition).
Uint128 run_units(Uint128 power, chain::ChainEpoch first, chain::ChainEpoch last) {
    return power * static_cast<Uint128>(last - first + 1);
}

}  // namespace

PplnsPolicy::PplnsPolicy(PplnsConfig config)
    : config_(config),
      window_units_(static_cast<Uint128>(config.window_tib_epochs) * kUnitsPerTibEpoch) {
    MINERX_ASSERT(!reward_policy_config_error(config_).has_value());
}

std::unique_ptr<RewardPolicy> PplnsPolicy::clone() const {
    return std::make_unique<PplnsPolicy>(*this);
}

EpochPolicyActions PplnsPolicy::close_epoch(const EpochInput& epoch) {
    if (last_closed_epoch_) MINERX_ASSERT(epoch.epoch == *last_closed_epoch_ + 1);
    last_closed_epoch_ = epoch.epoch;
    accrue_all(epoch);
    drop_epochs_outside();
    if (totals_.runs.empty()) return {};  // no eligible power has ever accrued
    const chain::ChainEpoch boundary = totals_.runs.front().first_epoch;
    for (MemberShares& entry : members_) expire_before(entry.shares, boundary);
    std::erase_if(members_, [](const MemberShares& entry) { return entry.shares.runs.empty(); });
    return {};
}

// Standings and members_ are both ascending: one merged walk accrues every eligible member, and
// members new to the window are merged in once at the end.
void PplnsPolicy::accrue_all(const EpochInput& epoch) {
    std::vector<MemberShares> arrivals;
    Uint128 total = 0;
    auto entry = members_.begin();
    for (const MemberStanding& standing : epoch.members) {
        if (!is_eligible(standing, config_.below_minimum) || standing.power == 0) continue;
        MINERX_ASSERT(standing.power <= std::numeric_limits<Uint128>::max() - total);
        total += standing.power;
        while (entry != members_.end() && entry->member < standing.member) ++entry;
        if (entry != members_.end() && entry->member == standing.member) {
            accrue((entry++)->shares, epoch.epoch, standing.power);
        } else {
            arrivals.push_back({.member = standing.member, .shares = {}});
            accrue(arrivals.back().shares, epoch.epoch, standing.power);
        }
    }
    if (total > 0) accrue(totals_, epoch.epoch, total);
    if (arrivals.empty()) return;
    std::vector<MemberShares> merged;
    merged.reserve(members_.size() + arrivals.size());
    const auto by_member = [](const MemberShares& a, const MemberShares& b) {
        return a.member < b.member;
    };
    std::merge(std::make_move_iterator(members_.begin()), std::make_move_iterator(members_.end()),
               std::make_move_iterator(arrivals.begin()), std::make_move_iterator(arrivals.end()),
               std::back_inserter(merged), by_member);
    members_ = std::move(merged);
}

void PplnsPolicy::accrue(Runs& runs, chain::ChainEpoch epoch, Uint128 power) {
    MINERX_ASSERT(power <= std::numeric_limits<Uint128>::max() - runs.units);
    runs.units += power;
    if (!runs.runs.empty()) {
        Run& last = runs.runs.back();
        MINERX_ASSERT(last.last_epoch < epoch);
        if (last.power == power && last.last_epoch + 1 == epoch) {
            last.last_epoch = epoch;
            return;
        }
    }
    runs.runs.push_back({.first_epoch = epoch, .last_epoch = epoch, .power = power});
}

// Drops the oldest whole epochs as long as the epochs after them still hold W units, so that
// afterwards the first epoch kept (the boundary) is the one that reaches back to the W-th unit:
// held - T(boundary) < W <= held, or held <= W with nothing dropped.
void PplnsPolicy::drop_epochs_outside() {
    while (!totals_.runs.empty() && totals_.units > window_units_) {
        Run& front = totals_.runs.front();
        const Uint128 excess = totals_.units - window_units_;
        const auto epochs = static_cast<Uint128>(front.last_epoch - front.first_epoch + 1);
        const Uint128 droppable = std::min(epochs, excess / front.power);
        if (droppable == 0) return;
        totals_.units -= droppable * front.power;  // <= excess
        if (droppable == epochs) {
            totals_.runs.pop_front();
        } else {
            front.first_epoch += static_cast<chain::ChainEpoch>(droppable);
        }
    }
}

void PplnsPolicy::expire_before(Runs& runs, chain::ChainEpoch epoch) {
    while (!runs.runs.empty()) {
        Run& first = runs.runs.front();
        if (first.first_epoch >= epoch) return;
        const chain::ChainEpoch last_dropped = std::min(first.last_epoch, epoch - 1);
        const Uint128 dropped = run_units(first.power, first.first_epoch, last_dropped);
        MINERX_ASSERT(runs.units >= dropped);
        runs.units -= dropped;
        if (last_dropped == first.last_epoch) {
            runs.runs.pop_front();
        } else {
            first.first_epoch = epoch;
        }
    }
}

Uint128 PplnsPolicy::units_inside(const Runs& shares) const {
    if (totals_.units <= window_units_ || shares.runs.empty()) return shares.units;
    const Run& boundary = totals_.runs.front();
    const Run& first = shares.runs.front();
    if (first.first_epoch != boundary.first_epoch) return shares.units;
    // The boundary epoch's units still inside the window, shared pro rata by power: inside_b =
    // W - (held - T(b)), with 0 < inside_b < T(b) (drop_epochs_outside).
    const Uint128 inside = window_units_ - (totals_.units - boundary.power);
    MINERX_ASSERT(inside > 0 && inside < boundary.power);
    MINERX_ASSERT(first.power <= boundary.power);
    return shares.units - first.power + math::mul_div(first.power, inside, boundary.power);
}

std::vector<Allocation> PplnsPolicy::allocate_block_reward(const BlockInput& block) const {
    MINERX_ASSERT(last_closed_epoch_.has_value());
    MINERX_ASSERT(block.epoch == *last_closed_epoch_);
    const MemberStanding* winner = find_standing(block.members, block.winner);
    if (winner == nullptr || !is_eligible(*winner, config_.below_minimum)) {
        return allocate_to_winner(block.winner, block.award, config_.fee_ppm);
    }
    // Weights: each member's units among the last W, then the reserve's (the window's unfilled
    // part and the boundary's rounding), summing exactly to W.
    std::vector<Uint128> weights;
    weights.reserve(members_.size() + 1);
    Uint128 paid_units = 0;
    for (const MemberShares& entry : members_) {
        weights.push_back(units_inside(entry.shares));
        paid_units += weights.back();
    }
    MINERX_ASSERT(paid_units <= window_units_);
    weights.push_back(window_units_ - paid_units);

    const FeeSplit split = take_fee(block.award, config_.fee_ppm);
    std::vector<Allocation> allocations;
    allocations.reserve(weights.size() + 1);
    std::vector<chain::AttoFil> parts(weights.size(), 0);
    if (split.net > 0) parts = apportion(split.net, weights);
    for (std::size_t i = 0; i < members_.size(); ++i) {
        if (parts[i] == 0) continue;
        allocations.push_back(
            {.beneficiary = Beneficiary::of_member(members_[i].member), .amount = parts[i]});
    }
    if (split.fee > 0) {
        allocations.push_back({.beneficiary = Beneficiary::pool_operator(), .amount = split.fee});
    }
    if (parts.back() > 0) {
        allocations.push_back({.beneficiary = Beneficiary::reserve(), .amount = parts.back()});
    }
    return allocations;
}

const PplnsPolicy::MemberShares* PplnsPolicy::find_shares(MemberId member) const {
    auto it = std::lower_bound(
        members_.begin(), members_.end(), member,
        [](const MemberShares& entry, MemberId id) { return entry.member < id; });
    return it == members_.end() || it->member != member ? nullptr : &*it;
}

bool PplnsPolicy::holds_shares(MemberId member) const { return find_shares(member) != nullptr; }

void PplnsPolicy::forget_member(MemberId member) {
    if (const MemberShares* found = find_shares(member)) {
        members_.erase(members_.begin() + (found - members_.data()));
    }
}

Uint128 PplnsPolicy::window_share_units(MemberId member) const {
    const MemberShares* found = find_shares(member);
    return found == nullptr ? 0 : units_inside(found->shares);
}

}  // namespace minerx::pool
