#include "core/stats/policy_theory.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/chain/chain_types.h"
#include "core/chain/vesting.h"
#include "core/util/assert.h"

namespace minerx::stats {
namespace {

constexpr double kLeaders = static_cast<double>(chain::kExpectedLeadersPerEpoch);
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// FIP-0004 as the actors implement it (chain/vesting.h): the liquid fraction of a reward and the
// linear vesting period of the rest, in epochs.
constexpr double kLiquidFraction =
    1.0 - static_cast<double>(chain::kLockedRewardFactorNum) /
              static_cast<double>(chain::kLockedRewardFactorDenom);
constexpr double kVestingEpochs = static_cast<double>(chain::kRewardVestingSpec.vest_period);

bool is_sharing(RewardPolicyModel policy) {
    return policy == RewardPolicyModel::power_proportional || policy == RewardPolicyModel::pplns ||
           policy == RewardPolicyModel::smoothed;
}

void require_common(const TheoryParams& params) {
    MINERX_ASSERT(params.member_share >= 0 && params.member_share <= 1);
    MINERX_ASSERT(params.fee >= 0 && params.fee < 1);
    MINERX_ASSERT(params.reward_per_epoch_attofil > 0);
    MINERX_ASSERT(params.loss_rate >= 0 && params.loss_rate < 1);
}

void require_pool(const TheoryParams& params) {
    require_common(params);
    MINERX_ASSERT(params.pool_share > 0 && params.pool_share <= 1);
    if (params.member_pool_fraction) {
        MINERX_ASSERT(*params.member_pool_fraction >= 0 && *params.member_pool_fraction <= 1);
    } else {
        MINERX_ASSERT(params.member_share <= params.pool_share);
    }
}

double member_pool_fraction(const TheoryParams& params) {
    return params.member_pool_fraction.value_or(params.member_share / params.pool_share);
}

// The rate of counted wins per epoch: λ for the member alone, Λ for the pool.
double solo_win_rate(const TheoryParams& params) {
    return kLeaders * params.member_share * (1 - params.loss_rate);
}
double pool_win_rate(const TheoryParams& params) {
    return kLeaders * params.pool_share * (1 - params.loss_rate);
}

double win_probability(double poisson_rate) { return -std::expm1(-poisson_rate); }

// y > 0 solving (1 − f) y = (1 − ℓ)(1 − e^(−y)) by bisection. h(y) = (1−ℓ)(1−e^−y) − (1−f) y is
// concave with h(0) = 0 and h'(0) = f − ℓ > 0, and h((1−ℓ)/(1−f)) < 0, so the root is unique and
// bracketed.
double lundberg_root(double fee, double loss_rate) {
    auto h = [&](double y) { return -(1 - loss_rate) * std::expm1(-y) - (1 - fee) * y; };
    double low = 0;
    double high = (1 - loss_rate) / (1 - fee);
    constexpr int kBisectionSteps = 200;
    for (int step = 0; step < kBisectionSteps; ++step) {
        const double middle = 0.5 * (low + high);
        if (middle <= low || middle >= high) break;
        (h(middle) > 0 ? low : high) = middle;
    }
    return 0.5 * (low + high);
}

// Vested inflow, as the pool's expected reward a per epoch, released by time t (epochs): each
// reward is liquid at g(v) = φ + (1 − φ) min(v, V) / V of its value, v epochs after it arrived.
double expected_vested_inflow(double inflow_per_epoch, double t) {
    const double locked = 1 - kLiquidFraction;
    if (t <= kVestingEpochs) {
        return inflow_per_epoch * (kLiquidFraction * t + locked * t * t / (2 * kVestingEpochs));
    }
    return inflow_per_epoch * (t - locked * kVestingEpochs / 2);
}

// ∫_0^t g(v)² dv, the variance weight of the vested inflow by time t.
double vested_square_integral(double t) {
    const double locked = 1 - kLiquidFraction;
    const double until = std::min(t, kVestingEpochs);
    const double g = kLiquidFraction + locked * until / kVestingEpochs;
    const double ramp = kVestingEpochs / (3 * locked) *
                        (g * g * g - kLiquidFraction * kLiquidFraction * kLiquidFraction);
    return ramp + std::max(0.0, t - kVestingEpochs);
}

}  // namespace

std::string_view policy_model_name(RewardPolicyModel policy) {
    switch (policy) {
        case RewardPolicyModel::solo: return "solo";
        case RewardPolicyModel::winner_takes_all: return "winner-takes-all";
        case RewardPolicyModel::power_proportional: return "power-proportional";
        case RewardPolicyModel::pplns: return "PPLNS";
        case RewardPolicyModel::smoothed: return "smoothed (FPPS)";
    }
    return "?";
}

std::optional<double> IncomeMoments::cv() const {
    if (mean_attofil == 0) return std::nullopt;
    return std::sqrt(variance_attofil2) / mean_attofil;
}

IncomeMoments income_moments(RewardPolicyModel policy, const TheoryParams& params, double epochs) {
    MINERX_ASSERT(epochs >= 0);
    const double reward = params.reward_per_epoch_attofil;
    const double keep = 1 - params.fee;
    if (!is_sharing(policy)) {
        require_common(params);
        const double win_unit = reward / kLeaders;  // what one WinCount earns
        const double rate = solo_win_rate(params) * epochs;
        const double scale = policy == RewardPolicyModel::solo ? 1.0 : keep;
        return IncomeMoments{.mean_attofil = scale * rate * win_unit,
                             .variance_attofil2 = scale * scale * rate * win_unit * win_unit};
    }
    require_pool(params);
    const double q = member_pool_fraction(params);
    if (policy == RewardPolicyModel::smoothed) {
        return IncomeMoments{.mean_attofil = epochs * keep * q * params.pool_share * reward,
                             .variance_attofil2 = 0};
    }
    const double member_unit = keep * q * reward / kLeaders;  // the member's part of one WinCount
    const double rate = pool_win_rate(params) * epochs;
    return IncomeMoments{.mean_attofil = rate * member_unit,
                         .variance_attofil2 = rate * member_unit * member_unit};
}

double reward_probability_per_epoch(RewardPolicyModel policy, const TheoryParams& params) {
    if (!is_sharing(policy)) {
        require_common(params);
        return win_probability(solo_win_rate(params));
    }
    require_pool(params);
    if (member_pool_fraction(params) == 0) return 0;
    if (policy == RewardPolicyModel::smoothed) return 1;
    return win_probability(pool_win_rate(params));
}

double zero_income_probability(RewardPolicyModel policy, const TheoryParams& params,
                               double epochs) {
    MINERX_ASSERT(epochs >= 0);
    const double p1 = reward_probability_per_epoch(policy, params);
    if (p1 == 1) return epochs == 0 ? 1 : 0;
    return std::exp(epochs * std::log1p(-p1));
}

double lotus_solo_zero_income_probability(double win_probability, double loss_rate,
                                          double epochs) {
    MINERX_ASSERT(win_probability >= 0 && win_probability <= 1);
    MINERX_ASSERT(loss_rate >= 0 && loss_rate < 1);
    MINERX_ASSERT(epochs >= 0);
    const double p1 = win_probability * (1 - loss_rate);
    if (p1 == 1) return epochs == 0 ? 1 : 0;
    return std::exp(epochs * std::log1p(-p1));
}

double mean_epochs_to_first_reward(RewardPolicyModel policy, const TheoryParams& params) {
    const double p1 = reward_probability_per_epoch(policy, params);
    return p1 > 0 ? 1 / p1 : kInfinity;
}

double variance_epochs_to_first_reward(RewardPolicyModel policy, const TheoryParams& params) {
    const double p1 = reward_probability_per_epoch(policy, params);
    return p1 > 0 ? (1 - p1) / (p1 * p1) : kInfinity;
}

std::vector<double> pplns_weights(std::span<const double> member_power_by_epoch,
                                  std::span<const double> pool_power_by_epoch,
                                  double window_units) {
    MINERX_ASSERT(member_power_by_epoch.size() == pool_power_by_epoch.size());
    MINERX_ASSERT(window_units > 0);
    const std::size_t epochs = member_power_by_epoch.size();
    std::vector<double> weights(epochs, 0);
    // Prefix sums of units, so every window is summed in the same order (no drift).
    std::vector<double> member_before(epochs + 1, 0);
    std::vector<double> pool_before(epochs + 1, 0);
    for (std::size_t t = 0; t < epochs; ++t) {
        MINERX_ASSERT(member_power_by_epoch[t] >= 0);
        MINERX_ASSERT(member_power_by_epoch[t] <= pool_power_by_epoch[t]);
        member_before[t + 1] = member_before[t] + member_power_by_epoch[t];
        pool_before[t + 1] = pool_before[t] + pool_power_by_epoch[t];
    }
    for (std::size_t t = 0; t < epochs; ++t) {
        const double window_start = pool_before[t + 1] - window_units;  // units after it count
        if (window_start <= 0) {
            weights[t] = member_before[t + 1] / window_units;
            continue;
        }
        // The boundary epoch b: the first whose units end after window_start.
        const auto last = pool_before.begin() + static_cast<std::ptrdiff_t>(t) + 2;
        const auto after = std::upper_bound(pool_before.begin() + 1, last, window_start);
        const auto b = static_cast<std::size_t>(after - pool_before.begin()) - 1;
        const double inside_b = pool_before[b + 1] - window_start;
        const double boundary_units =
            member_power_by_epoch[b] * inside_b / pool_power_by_epoch[b];
        weights[t] = (member_before[t + 1] - member_before[b + 1] + boundary_units) / window_units;
    }
    return weights;
}

IncomeMoments pooled_income_moments(std::span<const double> pool_share_by_epoch,
                                    std::span<const double> member_weight_by_epoch,
                                    double fee, double reward_per_epoch_attofil,
                                    double loss_rate) {
    MINERX_ASSERT(pool_share_by_epoch.size() == member_weight_by_epoch.size());
    MINERX_ASSERT(fee >= 0 && fee < 1);
    MINERX_ASSERT(reward_per_epoch_attofil > 0);
    MINERX_ASSERT(loss_rate >= 0 && loss_rate < 1);
    double weight_sum = 0;
    double weight_square_sum = 0;
    for (std::size_t t = 0; t < pool_share_by_epoch.size(); ++t) {
        const double share = pool_share_by_epoch[t];
        const double weight = member_weight_by_epoch[t];
        MINERX_ASSERT(share >= 0 && share <= 1);
        MINERX_ASSERT(weight >= 0 && weight <= 1);
        weight_sum += share * weight;
        weight_square_sum += share * weight * weight;
    }
    const double keep = 1 - fee;
    const double kept = 1 - loss_rate;
    const double reward = reward_per_epoch_attofil;
    return IncomeMoments{
        .mean_attofil = keep * kept * reward * weight_sum,
        .variance_attofil2 = keep * keep * kept * reward * reward / kLeaders * weight_square_sum,
    };
}

ReserveStep smoothed_reserve_step(const TheoryParams& params) {
    require_pool(params);
    const double pool_reward = params.pool_share * params.reward_per_epoch_attofil;
    return ReserveStep{
        .drift_attofil = (params.fee - params.loss_rate) * pool_reward,
        .variance_attofil2 = (1 - params.loss_rate) * pool_reward *
                             params.reward_per_epoch_attofil / kLeaders,
        .payout_attofil = (1 - params.fee) * pool_reward,
    };
}

double smoothed_ruin_probability_diffusion(const TheoryParams& params, double reserve_attofil) {
    MINERX_ASSERT(reserve_attofil >= 0);
    const ReserveStep step = smoothed_reserve_step(params);
    if (step.drift_attofil <= 0) return 1;
    return std::exp(-2 * step.drift_attofil * reserve_attofil / step.variance_attofil2);
}

double smoothed_lundberg_exponent_per_attofil(const TheoryParams& params) {
    require_pool(params);
    if (params.fee <= params.loss_rate) return 0;
    return kLeaders * lundberg_root(params.fee, params.loss_rate) /
           params.reward_per_epoch_attofil;
}

double smoothed_ruin_probability_upper(const TheoryParams& params, double reserve_attofil) {
    MINERX_ASSERT(reserve_attofil >= 0);
    const double kappa = smoothed_lundberg_exponent_per_attofil(params);
    if (kappa == 0) return 1;
    return std::exp(-kappa * reserve_attofil);
}

double smoothed_ruin_probability_lower(const TheoryParams& params, double reserve_attofil) {
    MINERX_ASSERT(reserve_attofil >= 0);
    const double kappa = smoothed_lundberg_exponent_per_attofil(params);
    if (kappa == 0) return 1;
    const double payout = smoothed_reserve_step(params).payout_attofil;
    return std::exp(-kappa * (reserve_attofil + payout));
}

double smoothed_reserve_for_ruin_probability(const TheoryParams& params,
                                             double ruin_probability) {
    MINERX_ASSERT(ruin_probability > 0 && ruin_probability < 1);
    const double kappa = smoothed_lundberg_exponent_per_attofil(params);
    MINERX_ASSERT(kappa > 0);
    return -std::log(ruin_probability) / kappa;
}

double smoothed_expected_liquidity_gap_attofil(const TheoryParams& params) {
    require_pool(params);
    const double pool_reward = params.pool_share * params.reward_per_epoch_attofil;
    const double inflow = (1 - params.loss_rate) * pool_reward;
    const double payout = (1 - params.fee) * pool_reward;
    if (payout <= kLiquidFraction * inflow) return 0;
    if (payout >= inflow) return kInfinity;
    const double excess = payout - kLiquidFraction * inflow;
    return excess * excess * kVestingEpochs / (2 * (1 - kLiquidFraction) * inflow);
}

double smoothed_liquidity_gap_attofil(const TheoryParams& params, double z) {
    require_pool(params);
    MINERX_ASSERT(z >= 0);
    MINERX_ASSERT(params.fee > params.loss_rate);
    const double pool_reward = params.pool_share * params.reward_per_epoch_attofil;
    const double inflow = (1 - params.loss_rate) * pool_reward;
    const double payout = (1 - params.fee) * pool_reward;
    const double variance_rate = smoothed_reserve_step(params).variance_attofil2;
    // Beyond V the mean gap falls at (inflow − payout) per epoch while z·σ grows like z·√(kt),
    // whose slope drops below that after z² k / (4 (inflow − payout)²) epochs.
    const double slope = inflow - payout;
    const double settle = z * z * variance_rate / (4 * slope * slope);
    const double horizon = 2 * kVestingEpochs + 2 * settle;
    constexpr std::int64_t kGridPointsMax = 100'000;
    const double step = std::max(static_cast<double>(chain::kEpochsPerDay) / 10,
                                 horizon / static_cast<double>(kGridPointsMax));
    double largest = 0;
    for (std::int64_t point = 0; point <= kGridPointsMax; ++point) {
        const double t = static_cast<double>(point) * step;
        if (t > horizon) break;
        const double mean_gap = payout * t - expected_vested_inflow(inflow, t);
        const double deviation = std::sqrt(variance_rate * vested_square_integral(t));
        largest = std::max(largest, mean_gap + z * deviation);
    }
    return largest;
}

double explorer_luck_variance(double share, double epochs) {
    MINERX_ASSERT(share > 0 && share <= 1);
    MINERX_ASSERT(epochs > 0);
    return 1 / (kLeaders * share * epochs);
}

double filscan_luck_variance(double share, double epochs) {
    MINERX_ASSERT(share > 0 && share <= 1);
    MINERX_ASSERT(epochs > 0);
    return (1 - share) / (kLeaders * share * epochs);
}

double gini_of_equal_members_normal(double cv) {
    MINERX_ASSERT(cv >= 0);
    return cv / std::sqrt(std::numbers::pi);
}

}  // namespace minerx::stats
