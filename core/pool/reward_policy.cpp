#include "core/pool/reward_policy.h"

#include <algorithm>
#include <limits>

#include "core/pool/apportion.h"
#include "core/pool/policies/power_proportional.h"
#include "core/pool/policies/pplns.h"
#include "core/pool/policies/smoothed.h"
#include "core/pool/policies/solo.h"
#include "core/pool/policies/winner_takes_all.h"
#include "core/util/assert.h"

namespace minerx::pool {

namespace {

std::optional<std::string> fee_error(PartsPerMillion fee_ppm) {
    if (fee_ppm < 0 || fee_ppm > kOneMillion) {
        return "fee_ppm must be between 0 and 1000000 (got " + std::to_string(fee_ppm) + ")";
    }
    return std::nullopt;
}

struct ConfigChecker {
    std::optional<std::string> operator()(const SoloConfig&) const { return std::nullopt; }
    std::optional<std::string> operator()(const WinnerTakesAllConfig& config) const {
        return fee_error(config.fee_ppm);
    }
    std::optional<std::string> operator()(const PowerProportionalConfig& config) const {
        return fee_error(config.fee_ppm);
    }
    std::optional<std::string> operator()(const PplnsConfig& config) const {
        if (config.window_tib_epochs < 1 || config.window_tib_epochs > kMaxPplnsWindowTibEpochs) {
            return "pplns window_tib_epochs must be between 1 and " +
                   std::to_string(kMaxPplnsWindowTibEpochs) +
                   " TiB-epochs (100 years of a 1 ZiB pool), got " +
                   std::to_string(config.window_tib_epochs);
        }
        return fee_error(config.fee_ppm);
    }
    std::optional<std::string> operator()(const SmoothedConfig& config) const {
        if (config.reserve_cap && *config.reserve_cap < 0) {
            return "smoothed reserve_cap must not be negative";
        }
        return fee_error(config.fee_ppm);
    }
};

struct PolicyMaker {
    std::unique_ptr<RewardPolicy> operator()(const SoloConfig& config) const {
        return std::make_unique<SoloPolicy>(config);
    }
    std::unique_ptr<RewardPolicy> operator()(const WinnerTakesAllConfig& config) const {
        return std::make_unique<WinnerTakesAllPolicy>(config);
    }
    std::unique_ptr<RewardPolicy> operator()(const PowerProportionalConfig& config) const {
        return std::make_unique<PowerProportionalPolicy>(config);
    }
    std::unique_ptr<RewardPolicy> operator()(const PplnsConfig& config) const {
        return std::make_unique<PplnsPolicy>(config);
    }
    std::unique_ptr<RewardPolicy> operator()(const SmoothedConfig& config) const {
        return std::make_unique<SmoothedPolicy>(config);
    }
};

}  // namespace

std::optional<std::string> reward_policy_config_error(const RewardPolicyConfig& config) {
    return std::visit(ConfigChecker{}, config);
}

std::unique_ptr<RewardPolicy> make_reward_policy(const RewardPolicyConfig& config) {
    MINERX_ASSERT(!reward_policy_config_error(config).has_value());
    return std::visit(PolicyMaker{}, config);
}

FeeSplit take_fee(chain::AttoFil award, PartsPerMillion fee_ppm) {
    MINERX_ASSERT(award >= 0);
    MINERX_ASSERT(award <= chain::kTotalFilSupply);
    MINERX_ASSERT(fee_ppm >= 0);
    MINERX_ASSERT(fee_ppm <= kOneMillion);
    // award < 2^91 and fee_ppm <= 2^20: the product fits 128 bits.
    const chain::AttoFil fee = award * fee_ppm / kOneMillion;
    return FeeSplit{.fee = fee, .net = award - fee};
}

bool is_eligible(const MemberStanding& standing, BelowMinimumRule rule) {
    if (!standing.sharing) return false;
    switch (standing.eligibility) {
        case MiningEligibility::eligible: return true;
        case MiningEligibility::below_minimum: return rule == BelowMinimumRule::include;
        case MiningEligibility::ineligible: return false;
    }
    return false;
}

const MemberStanding* find_standing(std::span<const MemberStanding> members, MemberId member) {
    auto it = std::lower_bound(
        members.begin(), members.end(), member,
        [](const MemberStanding& standing, MemberId id) { return standing.member < id; });
    if (it == members.end() || it->member != member) return nullptr;
    return &*it;
}

std::vector<Allocation> allocate_to_winner(MemberId winner, chain::AttoFil award,
                                           PartsPerMillion fee_ppm) {
    const FeeSplit split = take_fee(award, fee_ppm);
    std::vector<Allocation> allocations;
    if (split.net > 0) {
        allocations.push_back({.beneficiary = Beneficiary::of_member(winner), .amount = split.net});
    }
    if (split.fee > 0) {
        allocations.push_back({.beneficiary = Beneficiary::pool_operator(), .amount = split.fee});
    }
    return allocations;
}

std::vector<Allocation> allocate_by_weight(std::span<const MemberWeight> weights,
                                           const FeeSplit& split) {
    math::Uint128 total_weight = 0;
    for (const MemberWeight& entry : weights) {
        MINERX_ASSERT(entry.weight <= std::numeric_limits<math::Uint128>::max() - total_weight);
        total_weight += entry.weight;
    }
    std::vector<Allocation> allocations;
    allocations.reserve(weights.size() + 2);
    if (total_weight > 0 && split.net > 0) {
        const std::vector<chain::AttoFil> parts = apportion_by_member(split.net, weights);
        for (std::size_t i = 0; i < weights.size(); ++i) {
            if (parts[i] == 0) continue;
            allocations.push_back(
                {.beneficiary = Beneficiary::of_member(weights[i].member), .amount = parts[i]});
        }
    }
    if (split.fee > 0) {
        allocations.push_back({.beneficiary = Beneficiary::pool_operator(), .amount = split.fee});
    }
    if (total_weight == 0 && split.net > 0) {
        allocations.push_back({.beneficiary = Beneficiary::reserve(), .amount = split.net});
    }
    return allocations;
}

}  // namespace minerx::pool
