// Theory of the reward policies: the formulas against each other and against research/sim.md §5,
// then against simulations (pool members, the smoothed policy's reserve, the actors' vesting), and
// the tables of docs/theory.md against a fresh computation.

#include "core/stats/policy_theory.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/vesting.h"
#include "core/chain/win_thresholds.h"
#include "core/stats/reward_split_matrix.h"
#include "core/util/random.h"
#include "tests/core/stats/stats_simulation.h"
#include "tests/test_data.h"

namespace minerx::stats {
namespace {

using chain::kEpochsPerDay;

constexpr double kReward = 100e18;  // ThisEpochReward: 100 FIL in attoFIL
constexpr double kDay = static_cast<double>(kEpochsPerDay);

TheoryParams pool_params(double member_share, double pool_share, double fee) {
    return TheoryParams{.member_share = member_share,
                        .pool_share = pool_share,
                        .fee = fee,
                        .reward_per_epoch_attofil = kReward};
}

TEST(Theory, PoliciesShareTheMeanAndDifferInVariance) {
    const TheoryParams params = pool_params(1e-4, 1e-2, 0.05);
    const IncomeMoments solo = income_moments(RewardPolicyModel::solo, params, kDay);
    EXPECT_DOUBLE_EQ(solo.mean_attofil, kDay * 1e-4 * kReward);
    EXPECT_DOUBLE_EQ(solo.variance_attofil2, kDay * 1e-4 * kReward * kReward / 5);
    EXPECT_DOUBLE_EQ(solo.cv().value(), 1 / std::sqrt(5 * 1e-4 * kDay));

    const IncomeMoments wta = income_moments(RewardPolicyModel::winner_takes_all, params, kDay);
    EXPECT_DOUBLE_EQ(wta.mean_attofil, 0.95 * solo.mean_attofil);
    EXPECT_DOUBLE_EQ(wta.variance_attofil2, 0.95 * 0.95 * solo.variance_attofil2);

    // Sharing keeps the mean and divides the variance by S/s (Rosenfeld's factor q = s/S).
    const IncomeMoments proportional =
        income_moments(RewardPolicyModel::power_proportional, params, kDay);
    EXPECT_DOUBLE_EQ(proportional.mean_attofil, wta.mean_attofil);
    EXPECT_NEAR(proportional.variance_attofil2 / wta.variance_attofil2, 1e-2, 1e-15);
    EXPECT_DOUBLE_EQ(proportional.cv().value(), 1 / std::sqrt(5 * 1e-2 * kDay));
    const IncomeMoments pplns = income_moments(RewardPolicyModel::pplns, params, kDay);
    EXPECT_EQ(pplns.mean_attofil, proportional.mean_attofil);
    EXPECT_EQ(pplns.variance_attofil2, proportional.variance_attofil2);

    const IncomeMoments smoothed = income_moments(RewardPolicyModel::smoothed, params, kDay);
    EXPECT_DOUBLE_EQ(smoothed.mean_attofil, wta.mean_attofil);
    EXPECT_EQ(smoothed.variance_attofil2, 0.0);
    EXPECT_EQ(zero_income_probability(RewardPolicyModel::smoothed, params, kDay), 0.0);
    EXPECT_EQ(mean_epochs_to_first_reward(RewardPolicyModel::smoothed, params), 1.0);
}

TEST(Theory, LossesAndMembersBelowTheMinimum) {
    TheoryParams lossy = pool_params(1e-4, 1e-2, 0.05);
    lossy.loss_rate = 0.1;
    const TheoryParams clean = pool_params(1e-4, 1e-2, 0.05);
    for (RewardPolicyModel policy : {RewardPolicyModel::solo, RewardPolicyModel::winner_takes_all,
                                     RewardPolicyModel::power_proportional}) {
        EXPECT_DOUBLE_EQ(income_moments(policy, lossy, kDay).mean_attofil,
                         0.9 * income_moments(policy, clean, kDay).mean_attofil);
    }
    // The smoothed policy pays the nominal rate: the operator carries the losses.
    EXPECT_EQ(income_moments(RewardPolicyModel::smoothed, lossy, kDay).mean_attofil,
              income_moments(RewardPolicyModel::smoothed, clean, kDay).mean_attofil);
    EXPECT_DOUBLE_EQ(smoothed_reserve_step(lossy).drift_attofil, (0.05 - 0.1) * 1e-2 * kReward);
    EXPECT_EQ(smoothed_ruin_probability_upper(lossy, 1e30), 1.0);

    // Below 10 TiB a member cannot win: alone it earns nothing, ever.
    const TheoryParams tiny = pool_params(0, 1e-2, 0.05);
    EXPECT_EQ(income_moments(RewardPolicyModel::solo, tiny, kDay).mean_attofil, 0.0);
    EXPECT_EQ(income_moments(RewardPolicyModel::solo, tiny, kDay).cv(), std::nullopt);
    EXPECT_EQ(zero_income_probability(RewardPolicyModel::winner_takes_all, tiny, 1e9), 1.0);
    EXPECT_TRUE(std::isinf(mean_epochs_to_first_reward(RewardPolicyModel::solo, tiny)));
    // A pool that lets it share gives it a weight q: paid like anyone of that weight.
    TheoryParams sharing = tiny;
    sharing.member_pool_fraction = 0.001;
    const IncomeMoments shared =
        income_moments(RewardPolicyModel::power_proportional, sharing, kDay);
    EXPECT_DOUBLE_EQ(shared.mean_attofil, kDay * 0.95 * 0.001 * 1e-2 * kReward);
    EXPECT_DOUBLE_EQ(shared.cv().value(), 1 / std::sqrt(5 * 1e-2 * kDay));
}

TEST(Theory, SoloNumbersOfTheResearchTable) {
    // research/sim.md §5: share, CV of daily income, P(zero day), P(zero 30 days), mean wait
    // 1/(5s) epochs, each as printed there (3 significant digits, or 2 for tiny probabilities).
    struct Row {
        double share, cv_day, zero_day, zero_month, wait_epochs;
    };
    const Row rows[] = {{1.0 / 2400, 0.408, 0.0025, 6.7e-79, 480},
                        {1e-3, 0.264, 5.6e-7, 0, 200},
                        {1e-4, 0.833, 0.237, 1.7e-19, 2000},
                        {1e-5, 2.635, 0.866, 0.0133, 20000}};
    for (const Row& row : rows) {
        const TheoryParams params{.member_share = row.share, .reward_per_epoch_attofil = kReward};
        const auto solo = RewardPolicyModel::solo;
        EXPECT_NEAR(income_moments(solo, params, kDay).cv().value(), row.cv_day, 5e-4);
        EXPECT_NEAR(zero_income_probability(solo, params, kDay) / row.zero_day, 1, 0.02);
        if (row.zero_month > 0) {
            EXPECT_NEAR(zero_income_probability(solo, params, 30 * kDay) / row.zero_month, 1,
                        0.02);
        } else {
            EXPECT_LT(zero_income_probability(solo, params, 30 * kDay), 1e-100);
        }
        // The exact geometric mean is 1/(1 − e^(−5s)) = 1/(5s) + 1/2 + O(s).
        EXPECT_NEAR(mean_epochs_to_first_reward(solo, params), row.wait_epochs + 0.5, 1e-2);
    }
}

TEST(Theory, LotusWinProbabilityIsPoisson) {
    // A 10 TiB miner in the 5.4 EiB network of mid-2021: Lotus' Q.256 P(WinCount >= 1) against
    // 1 − e^(−5 p/P).
    const chain::StoragePower network =
        chain::StoragePower{54} * (chain::StoragePower{1} << 60) / 10;
    const chain::StoragePower miner = chain::StoragePower{10} << 40;
    const double q = chain::WinThresholds(miner, network).win_probability();
    const double share = static_cast<double>(miner) / static_cast<double>(network);
    EXPECT_NEAR(q / -std::expm1(-5 * share), 1.0, 1e-9);
    const TheoryParams params{.member_share = share, .reward_per_epoch_attofil = kReward};
    EXPECT_NEAR(lotus_solo_zero_income_probability(q, 0, 30 * kDay) /
                    zero_income_probability(RewardPolicyModel::solo, params, 30 * kDay),
                1.0, 1e-9);
}

TEST(Theory, PplnsPaysEveryUnitOfPowerTimeTheSame) {
    // Constant pool power 100; a member of power 5 stays 500 epochs, less than the window of
    // 100,000 units (1000 epochs of the pool). Each epoch of its power enters 1000 windows at
    // 5/100,000, so Σ_t w(t) = 25, the same as 500 epochs of a proportional share 5/100: hopping
    // gains nothing in expectation.
    constexpr std::size_t kEpochs = 4000;
    std::vector<double> pool(kEpochs, 100);
    std::vector<double> member(kEpochs, 0);
    for (std::size_t t = 1200; t < 1700; ++t) member[t] = 5;
    const std::vector<double> weights = pplns_weights(member, pool, 1000.0 * 100);
    double weight_sum = 0;
    for (double w : weights) weight_sum += w;
    EXPECT_NEAR(weight_sum, 25, 1e-9);
    EXPECT_EQ(weights[1199], 0.0);
    EXPECT_DOUBLE_EQ(weights[1699], 5.0 * 500 / 100000);
    EXPECT_EQ(weights[2699], 0.0);  // paid until 1000 epochs after leaving, then no more

    const std::vector<double> pool_share(kEpochs, 1e-2);
    const IncomeMoments hopper = pooled_income_moments(pool_share, weights, 0.05, kReward, 0);
    const IncomeMoments stayer = income_moments(RewardPolicyModel::power_proportional,
                                                pool_params(5e-4, 1e-2, 0.05), 500);
    EXPECT_NEAR(hopper.mean_attofil / stayer.mean_attofil, 1.0, 1e-9);
    // Spread over 1500 epochs at lower weights, the same mean comes with less variance.
    EXPECT_LT(hopper.variance_attofil2, stayer.variance_attofil2);

    // A member present throughout has weight s/S once the window is full: PPLNS = proportional.
    std::vector<double> always(kEpochs, 5);
    const std::vector<double> full = pplns_weights(always, pool, 1000.0 * 100);
    const std::vector<double> tail_shares(full.begin() + 1000, full.end());
    const std::vector<double> tail_pool(kEpochs - 1000, 1e-2);
    const IncomeMoments steady = pooled_income_moments(tail_pool, tail_shares, 0.05, kReward, 0);
    const IncomeMoments proportional = income_moments(RewardPolicyModel::power_proportional,
                                                      pool_params(5e-4, 1e-2, 0.05), 3000);
    EXPECT_NEAR(steady.mean_attofil / proportional.mean_attofil, 1.0, 1e-12);
    EXPECT_NEAR(steady.variance_attofil2 / proportional.variance_attofil2, 1.0, 1e-12);
}

TEST(Theory, PplnsUnitWindowPaysTheSameWhenThePoolGrows) {
    // The pool's power triples at epoch 1500 (a big member starts sharing), and its winning share
    // S(t) with it (1e-4 per unit). A member of power 5 shares in [1000, 1500), just before. Its
    // expected pay Σ_t S(t) w(t) is that of its 2,500 units at the network rate, 1e-4 x 2500,
    // to within one epoch of the pool's units relative to the window: 300 / 100,000.
    constexpr std::size_t kEpochs = 4000;
    constexpr double kWindowUnits = 100'000;
    std::vector<double> pool(kEpochs, 100);
    std::vector<double> member(kEpochs, 0);
    std::vector<double> pool_share(kEpochs, 0);
    for (std::size_t t = 0; t < kEpochs; ++t) {
        if (t >= 1500) pool[t] = 300;
        if (t >= 1000 && t < 1500) member[t] = 5;
        pool_share[t] = 1e-4 * pool[t];
    }
    const std::vector<double> weights = pplns_weights(member, pool, kWindowUnits);
    const IncomeMoments moments = pooled_income_moments(pool_share, weights, 0, kReward, 0);
    const double fair = kReward * 1e-4 * 2500;
    EXPECT_NEAR(moments.mean_attofil / fair, 1.0, 300 / kWindowUnits);
    // A window of 1000 epochs instead (the same length before the jump) overpays it by 61 %: its
    // shares stay in windows whose pool total is still small while S(t) has tripled.
    double epoch_window_mean = 0;
    double member_sum = 0;
    double pool_sum = 0;
    for (std::size_t t = 0; t < kEpochs; ++t) {
        member_sum += member[t];
        pool_sum += pool[t];
        if (t >= 1000) {
            member_sum -= member[t - 1000];
            pool_sum -= pool[t - 1000];
        }
        epoch_window_mean += kReward * pool_share[t] * member_sum / pool_sum;
    }
    EXPECT_GT(epoch_window_mean / fair, 1.5);
}

// Poisson(mean) by inversion of the CDF.
std::int64_t draw_poisson(util::Random& random, double mean) {
    const double u = random.uniform();
    double probability = std::exp(-mean);
    double cdf = probability;
    std::int64_t k = 0;
    while (u >= cdf && k < 100) {
        ++k;
        probability *= mean / static_cast<double>(k);
        cdf += probability;
    }
    return k;
}

TEST(Theory, SmoothedReserveRuinLiesBetweenTheLundbergBounds) {
    // S = 0.2 (one expected WinCount per epoch), f = 5 %, initial reserve 2R. The reserve
    // walks by (R/5)K − 0.19R per epoch; a path ends ruined (below 0) or safe at 25R, from where
    // ruin has probability below e^(−25 κ R) = 2e-6.
    const TheoryParams params = pool_params(0.01, 0.2, 0.05);
    const ReserveStep step = smoothed_reserve_step(params);
    EXPECT_DOUBLE_EQ(step.drift_attofil, 0.05 * 0.2 * kReward);
    EXPECT_DOUBLE_EQ(step.variance_attofil2, 0.2 * kReward * kReward / 5);
    const double reserve = 2 * kReward;
    const double upper = smoothed_ruin_probability_upper(params, reserve);
    const double lower = smoothed_ruin_probability_lower(params, reserve);
    ASSERT_LT(lower, upper);

    constexpr int kPaths = 10000;
    util::Random random(2011);
    int ruined = 0;
    for (int path = 0; path < kPaths; ++path) {
        double level = reserve;
        while (level >= 0 && level < 25 * kReward) {
            level += kReward / 5 * static_cast<double>(draw_poisson(random, 1.0)) -
                     step.payout_attofil;
        }
        if (level < 0) ++ruined;
    }
    const double frequency = static_cast<double>(ruined) / kPaths;
    const double standard_error = std::sqrt(upper * (1 - upper) / kPaths);
    EXPECT_GT(frequency, lower - 5 * standard_error);
    EXPECT_LT(frequency, upper + 5 * standard_error);
}

TEST(Theory, RuinExponentDoesNotDependOnPoolSizeAndMatchesTheDiffusionToFirstOrder) {
    const double small = smoothed_lundberg_exponent_per_attofil(pool_params(1e-6, 1e-4, 0.05));
    const double large = smoothed_lundberg_exponent_per_attofil(pool_params(1e-3, 1e-1, 0.05));
    EXPECT_EQ(small, large);
    // Diffusion exponent 10 f / R; Lundberg's y = κR/5 solves (1 − f) y = 1 − e^(−y), so
    // y = 2f (1 + 2f/3 + O(f²)).
    for (double fee : {0.01, 0.05, 0.2}) {
        const double kappa = smoothed_lundberg_exponent_per_attofil(pool_params(1e-3, 1e-2, fee));
        const double y = kappa * kReward / 5;
        EXPECT_NEAR((1 - fee) * y, -std::expm1(-y), 1e-14);
        EXPECT_NEAR(kappa / (10 * fee / kReward), 1 + 2 * fee / 3, 2 * fee * fee) << fee;
    }
    const TheoryParams params = pool_params(1e-3, 1e-2, 0.05);
    const double reserve = smoothed_reserve_for_ruin_probability(params, 1e-3);
    EXPECT_NEAR(smoothed_ruin_probability_upper(params, reserve), 1e-3, 1e-15);
}

TEST(Theory, VestingLiquidityGapMatchesTheActorsVestingSchedule) {
    // The expected path, one lump a day: the pool receives S R · 2880 at the start of each day,
    // 25 % liquid and 75 % into the actors' vesting table (180 daily steps), and pays
    // (1 − f) S R · 2880 the same moment. The lumps vest up to half a day early and pay up to a
    // day early; at the peak (~168 days) that moves the gap by about one day of vesting,
    // 0.75 · 2880 · 168/180 ≈ 2000 epochs of a against a gap of ~169 000 epochs of a: 1.5 %
    // allowed.
    const TheoryParams params = pool_params(0.01, 0.01, 0.05);
    const chain::AttoFil daily_reward = 2880 * chain::kAttoFilPerFil;  // a = S R = 1 FIL/epoch
    const chain::AttoFil daily_payout = daily_reward * 95 / 100;
    chain::VestingSchedule schedule;
    chain::AttoFil liquid = 0;
    chain::AttoFil lowest = 0;
    for (chain::ChainEpoch day = 0; day < 400; ++day) {
        const chain::ChainEpoch epoch = day * kEpochsPerDay;
        liquid += schedule.unlock_vested_funds(epoch + 1);  // every step due at or before now
        const chain::RewardSplit split = chain::split_block_reward(daily_reward);
        liquid += split.available;
        liquid += schedule.add_locked_funds(epoch, split.locked, 0);
        liquid -= daily_payout;
        lowest = std::min(lowest, liquid);
    }
    const double simulated_gap = -static_cast<double>(lowest);
    const double theory = smoothed_expected_liquidity_gap_attofil(params);
    EXPECT_NEAR(theory / 1e18, 518400 * 0.7 * 0.7 / 1.5, 1e-6);  // S R V (3/4 − f)² / 1.5
    EXPECT_NEAR(simulated_gap / theory, 1.0, 0.015);
}

TEST(Theory, LiquidityMarginAtZeroSigmaIsTheExpectedGap) {
    const TheoryParams params = pool_params(1e-3, 1e-2, 0.05);
    const double expected = smoothed_expected_liquidity_gap_attofil(params);
    EXPECT_NEAR(smoothed_liquidity_gap_attofil(params, 0) / expected, 1.0, 1e-6);
    EXPECT_GT(smoothed_liquidity_gap_attofil(params, 3), expected);
    // Nothing to pre-fund when the payout fits in the liquid quarter; unbounded when the fee
    // does not cover the losses.
    EXPECT_EQ(smoothed_expected_liquidity_gap_attofil(pool_params(1e-3, 1e-2, 0.8)), 0.0);
    TheoryParams lossy = params;
    lossy.loss_rate = 0.06;
    EXPECT_TRUE(std::isinf(smoothed_expected_liquidity_gap_attofil(lossy)));
}

// Sample mean and CV of each row.
struct RowStats {
    double mean = 0;
    double cv = 0;
};
RowStats row_stats(const Eigen::MatrixXd& matrix, Eigen::Index row) {
    const Eigen::RowVectorXd values = matrix.row(row);
    const double mean = values.mean();
    const double variance =
        (values.array() - mean).square().sum() / static_cast<double>(values.size() - 1);
    return RowStats{.mean = mean, .cv = std::sqrt(variance) / mean};
}

// Delta-method standard error of a sample CV of Poisson(λ) counts (see income_metrics_test).
double poisson_cv_standard_error(double lambda, double samples) {
    return std::sqrt((1 / (4 * lambda * lambda) + 1 / (2 * lambda)) / samples);
}

TEST(Theory, SimulatedPoolMembersMatchTheirPolicysTheory) {
    // Ten members with shares S · i/55, S = 1/1024, for 1000 days; fee 5 %. The same elections
    // paid two ways: winner-takes-all (each member's own blocks) and power-proportional (every
    // pool block split by power, via the matrix split).
    constexpr std::int64_t kDays = 1000;
    constexpr double kFee = 0.05;
    constexpr double kPoolShare = 1.0 / 1024;
    std::vector<chain::StoragePower> powers;
    double pool_share = 0;
    for (int i = 1; i <= 10; ++i) {
        powers.push_back(testing::power_for_share(kPoolShare * i / 55));
        pool_share += testing::share_of(powers.back());
    }
    const testing::SimulatedRun run = testing::simulate_miners(powers, kDays, 55);

    const auto members = static_cast<Eigen::Index>(powers.size());
    const auto blocks = static_cast<Eigen::Index>(run.blocks.size());
    Eigen::MatrixXd wta = Eigen::MatrixXd::Zero(members, kDays);
    Eigen::MatrixXd weights(members, blocks);
    Eigen::VectorXd reward(blocks);
    std::vector<std::int64_t> day_by_block;
    for (Eigen::Index b = 0; b < blocks; ++b) {
        const testing::SimulatedBlock& block = run.blocks[static_cast<std::size_t>(b)];
        const double fil = 20.0 * static_cast<double>(block.win_count);
        const std::int64_t day = block.epoch / kEpochsPerDay;
        wta(static_cast<Eigen::Index>(block.member), day) += (1 - kFee) * fil;
        for (Eigen::Index i = 0; i < members; ++i) {
            weights(i, b) = static_cast<double>(powers[static_cast<std::size_t>(i)]);
        }
        reward(b) = fil;
        day_by_block.push_back(day);
    }
    const Eigen::MatrixXd proportional = split_rewards_by_day(sharing_weights(weights), reward,
                                                              day_by_block, kDays, kFee);

    const auto m = static_cast<double>(kDays);
    for (Eigen::Index i = 0; i < members; ++i) {
        const double share = testing::share_of(powers[static_cast<std::size_t>(i)]);
        const TheoryParams params{.member_share = share,
                                  .pool_share = pool_share,
                                  .fee = kFee,
                                  .reward_per_epoch_attofil = 100.0};  // FIL, as the matrices
        // Both policies: mean (1 − f) s R per epoch, i.e. the same income per unit of power.
        using Paid = std::pair<RewardPolicyModel, const Eigen::MatrixXd*>;
        const Paid paid[] = {Paid{RewardPolicyModel::winner_takes_all, &wta},
                             Paid{RewardPolicyModel::power_proportional, &proportional}};
        for (auto [policy, incomes] : paid) {
            const IncomeMoments theory = income_moments(policy, params, kDay);
            const RowStats simulated = row_stats(*incomes, i);
            EXPECT_NEAR(simulated.mean, theory.mean_attofil,
                        5 * std::sqrt(theory.variance_attofil2 / m))
                << policy_model_name(policy) << " member " << i;
            // CV: 1/√(14400 s) alone, 1/√(14400 S) shared, within 5 delta-method errors.
            const double lambda = 14400 * (policy == RewardPolicyModel::winner_takes_all
                                               ? share
                                               : pool_share);
            EXPECT_NEAR(simulated.cv, theory.cv().value(),
                        5 * poisson_cv_standard_error(lambda, m))
                << policy_model_name(policy) << " member " << i;
        }
    }
}

// --- The tables of docs/theory.md ---

std::string format(const char* pattern, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), pattern, value);
    return buffer;
}

std::string number(double value) {
    if (value == 0) return "0";
    if (std::isinf(value)) return "∞";
    return format("%.3g", value);
}

// One Markdown table row.
std::string row(const std::vector<std::string>& cells) {
    std::string line = "|";
    for (const std::string& cell : cells) line += " " + cell + " |";
    return line + "\n";
}

// A probability that is positive in theory but below the smallest double prints as such; the
// smoothed policy's zeros are exact.
std::string probability(double value, RewardPolicyModel policy) {
    if (value == 0 && policy != RewardPolicyModel::smoothed) return "< 1e-300";
    return number(value);
}

// Incubator sizes (BRIEF: members up to 1 PiB) in the 5.4 EiB network of mid-2021
// (data/network-2021-power-distribution.csv), each in a pool of 100 members of its size.
struct MemberSize {
    const char* name;
    double bytes;
};
constexpr MemberSize kSizes[] = {{"10 TiB", 10.0 * 0x1p40}, {"100 TiB", 100.0 * 0x1p40},
                                 {"1 PiB", 0x1p50}};
constexpr double kNetworkBytes = 5.4 * 0x1p60;
constexpr double kPoolMembers = 100;
constexpr double kTableFee = 0.05;

std::string member_table() {
    std::string table =
        "| Member | Policy | Mean FIL/day | CV, 1 day | CV, 30 days | P(no income, 7 days) "
        "| P(no income, 30 days) | Mean wait for first reward (days) |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|\n";
    for (const MemberSize& size : kSizes) {
        const double share = size.bytes / kNetworkBytes;
        const TheoryParams params = {.member_share = share,
                                     .pool_share = kPoolMembers * share,
                                     .fee = kTableFee,
                                     .reward_per_epoch_attofil = kReward};
        for (RewardPolicyModel policy : kRewardPolicyModels) {
            const IncomeMoments day = income_moments(policy, params, kDay);
            const IncomeMoments month = income_moments(policy, params, 30 * kDay);
            table += row({size.name, std::string(policy_model_name(policy)),
                          number(day.mean_attofil / 1e18), number(day.cv().value()),
                          number(month.cv().value()),
                          probability(zero_income_probability(policy, params, 7 * kDay), policy),
                          probability(zero_income_probability(policy, params, 30 * kDay), policy),
                          number(mean_epochs_to_first_reward(policy, params) / kDay)});
        }
    }
    return table;
}

std::string operator_table() {
    std::string table =
        "| Pool of 100 × | S | Pool reward FIL/day | Reserve for P(ruin) ≤ 10⁻³, Lundberg (FIL) "
        "| Same, diffusion (FIL) | Expected vesting liquidity gap (FIL) | Gap in days of pool "
        "reward |\n"
        "|---|---:|---:|---:|---:|---:|---:|\n";
    for (const MemberSize& size : kSizes) {
        const double share = size.bytes / kNetworkBytes;
        const TheoryParams params = {.member_share = share,
                                     .pool_share = kPoolMembers * share,
                                     .fee = kTableFee,
                                     .reward_per_epoch_attofil = kReward};
        const double pool_daily = params.pool_share * kReward * kDay;
        const double lundberg = smoothed_reserve_for_ruin_probability(params, 1e-3);
        // exp(−2 μ x / σ²) = δ  ⇔  x = ln(1/δ) σ² / (2 μ)
        const ReserveStep step = smoothed_reserve_step(params);
        const double diffusion =
            std::log(1e3) * step.variance_attofil2 / (2 * step.drift_attofil);
        const double gap = smoothed_expected_liquidity_gap_attofil(params);
        table += row({size.name, number(params.pool_share), number(pool_daily / 1e18),
                      number(lundberg / 1e18), number(diffusion / 1e18), number(gap / 1e18),
                      number(gap / pool_daily)});
    }
    return table;
}

// The text between "<!-- begin NAME -->\n" and "<!-- end NAME -->" in docs/theory.md.
std::string docs_section(const std::string& name) {
    std::string text;
    for (const std::string& line : minerx::testing::read_lines("../../docs/theory.md")) {
        text += line + "\n";
    }
    const std::string begin = "<!-- begin " + name + " -->\n";
    const std::string end = "<!-- end " + name + " -->";
    const auto from = text.find(begin);
    const auto to = text.find(end);
    if (from == std::string::npos || to == std::string::npos || to < from) return "";
    return text.substr(from + begin.size(), to - from - begin.size());
}

TEST(Theory, IncubatorTablesInTheDocsAreComputedHere) {
    // docs/theory.md carries these tables verbatim. After a change to the theory, copy the
    // tables this test prints into the docs.
    const std::string members = member_table();
    const std::string operators = operator_table();
    EXPECT_EQ(docs_section("member-table"), members) << "member-table:\n" << members;
    EXPECT_EQ(docs_section("operator-table"), operators) << "operator-table:\n" << operators;
}

}  // namespace
}  // namespace minerx::stats
