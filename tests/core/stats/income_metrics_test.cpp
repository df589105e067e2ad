// Income metrics: the daily series and each metric on hand-made data, then a simulated solo miner
// against policy_theory.h (mean, CV, zero-income week and month, time to first reward), each within
// a confidence bound derived in the test.

#include "core/stats/income_metrics.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/win_thresholds.h"
#include "core/stats/policy_theory.h"
#include "core/util/random.h"
#include "tests/core/stats/stats_simulation.h"

namespace minerx::stats {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;
using chain::kAttoFilPerFil;
using chain::kEpochsPerDay;

TEST(IncomeSeries, CountsDaysFromTheStartEpochAndPadsZeros) {
    DailyIncomeSeries series(1000);
    series.add_income(1000, 3);                      // day 0
    series.add_income(1000 + kEpochsPerDay - 1, 4);  // day 0, last epoch
    series.add_income(1000 + 3 * kEpochsPerDay, 5);  // day 3
    EXPECT_EQ(series.total(), 12);
    EXPECT_EQ(series.complete_days(1000), std::vector<AttoFil>{});
    EXPECT_EQ(series.complete_days(1000 + kEpochsPerDay), (std::vector<AttoFil>{7}));
    EXPECT_EQ(series.complete_days(1000 + 3 * kEpochsPerDay + 5), (std::vector<AttoFil>{7, 0, 0}));
    EXPECT_EQ(series.complete_days(1000 + 6 * kEpochsPerDay),
              (std::vector<AttoFil>{7, 0, 0, 5, 0, 0}));
}

TEST(IncomeSeries, TimeToFirstRewardCountsTheCreditedEpoch) {
    DailyIncomeSeries series(500);
    EXPECT_EQ(series.epochs_to_first_reward(), std::nullopt);
    series.add_income(600, 0);  // a zero credit is not a reward
    EXPECT_EQ(series.epochs_to_first_reward(), std::nullopt);
    series.add_income(800, 9);
    EXPECT_EQ(series.epochs_to_first_reward(), 301);
    series.add_income(700, 1);  // credits may arrive out of order
    EXPECT_EQ(series.epochs_to_first_reward(), 201);
    DailyIncomeSeries immediate(42);
    immediate.add_income(42, 1);
    EXPECT_EQ(immediate.epochs_to_first_reward(), 1);
}

TEST(IncomeMetrics, CoefficientOfVariationUsesTheSampleDeviation) {
    const std::vector<AttoFil> values{1 * kAttoFilPerFil, 2 * kAttoFilPerFil, 3 * kAttoFilPerFil,
                                      4 * kAttoFilPerFil};
    EXPECT_DOUBLE_EQ(mean_attofil(values), 2.5e18);
    // Sample variance (1.5² + 0.5² + 0.5² + 1.5²) / 3 = 5/3.
    EXPECT_DOUBLE_EQ(coefficient_of_variation(values).value(), std::sqrt(5.0 / 3.0) / 2.5);
    EXPECT_EQ(coefficient_of_variation(std::vector<AttoFil>{7}), std::nullopt);
    EXPECT_EQ(coefficient_of_variation(std::vector<AttoFil>{0, 0, 0}), std::nullopt);
    EXPECT_DOUBLE_EQ(coefficient_of_variation(std::vector<AttoFil>{5, 5, 5}).value(), 0.0);
}

TEST(IncomeMetrics, ZeroIncomeWindowsDisjointAndSliding) {
    const std::vector<AttoFil> days{0, 0, 0, 5, 0, 0, 0, 0, 0, 0};
    // Disjoint 3-day windows: [0,3) zero, [3,6) not, [6,9) zero; day 9 is left over.
    EXPECT_DOUBLE_EQ(zero_income_window_fraction(days, 3, WindowPlacement::disjoint).value(),
                     2.0 / 3.0);
    // Sliding: 8 windows start on days 0..7; those starting on days 1, 2, 3 contain day 3.
    EXPECT_DOUBLE_EQ(zero_income_window_fraction(days, 3, WindowPlacement::sliding).value(),
                     5.0 / 8.0);
    EXPECT_EQ(zero_income_window_fraction(days, 11, WindowPlacement::sliding), std::nullopt);
    EXPECT_DOUBLE_EQ(zero_income_window_fraction(days, 1, WindowPlacement::disjoint).value(), 0.9);
}

TEST(IncomeMetrics, FilPerTibDay) {
    constexpr chain::StoragePower kTenTib = chain::StoragePower{10} << 40;
    EXPECT_DOUBLE_EQ(fil_per_tib_day(10 * kAttoFilPerFil, kTenTib, 2), 0.5);
    EXPECT_DOUBLE_EQ(fil_per_tib_day(0, kTenTib, 1), 0.0);
}

TEST(IncomeMetrics, SummaryOfASeries) {
    DailyIncomeSeries series(0);
    for (std::int64_t day = 0; day < 40; ++day) {
        if (day % 10 == 9) series.add_income(day * kEpochsPerDay + 7, kAttoFilPerFil);
    }
    series.add_income(40 * kEpochsPerDay + 1, kAttoFilPerFil);  // an incomplete day: left out
    const IncomeSummary summary = summarize_income(series, 40 * kEpochsPerDay + 100);
    EXPECT_EQ(summary.days, 40);
    EXPECT_EQ(summary.total, 4 * kAttoFilPerFil);
    EXPECT_DOUBLE_EQ(summary.mean_daily_attofil, 0.1e18);
    // Incomes on days 9, 19, 29, 39: every 30-day window holds one; 7-day windows starting on
    // days 0-2, 10-12, 20-22, 30-32 hold none: 12 of 34.
    EXPECT_DOUBLE_EQ(summary.zero_month_fraction.value(), 0.0);
    EXPECT_DOUBLE_EQ(summary.zero_week_fraction.value(), 12.0 / 34.0);
    EXPECT_EQ(summary.epochs_to_first_reward, 9 * kEpochsPerDay + 8);
    EXPECT_EQ(summarize_income(series, 9 * kEpochsPerDay).epochs_to_first_reward, std::nullopt);
}

// --- A simulated solo miner against theory ---

struct SoloRun {
    std::vector<AttoFil> daily;
    double share = 0;            // the exact p / P simulated
    double win_probability = 0;  // Lotus' per-epoch P(WinCount >= 1) for that power
};

SoloRun simulate_solo(double share, std::int64_t days, std::uint64_t seed) {
    const chain::StoragePower power = testing::power_for_share(share);
    const chain::WinThresholds thresholds(power, testing::kTestNetworkPower);
    util::Random random(seed);
    DailyIncomeSeries series(0);
    for (ChainEpoch epoch = 0; epoch < days * kEpochsPerDay; ++epoch) {
        const std::int64_t wins = testing::draw_win_count(thresholds, random);
        if (wins > 0) series.add_income(epoch, wins * testing::kTestRewardPerWin);
    }
    return SoloRun{.daily = series.complete_days(days * kEpochsPerDay),
                   .share = testing::share_of(power),
                   .win_probability = thresholds.win_probability()};
}

TheoryParams solo_params(double share) {
    const auto reward = static_cast<double>(testing::kTestRewardPerEpoch);
    return TheoryParams{.member_share = share, .reward_per_epoch_attofil = reward};
}

// The standard error of a sample CV when the daily count is Poisson(λ), by the delta method on
// (mean, variance): with μ3 = λ and μ4 = λ + 3λ², Var(CV) ≈ (1/(4λ²) + 1/(2λ)) / m.
double poisson_cv_standard_error(double lambda, double samples) {
    return std::sqrt((1 / (4 * lambda * lambda) + 1 / (2 * lambda)) / samples);
}

double binomial_standard_error(double probability, double samples) {
    return std::sqrt(probability * (1 - probability) / samples);
}

TEST(IncomeSimulation, SoloMeanCvAndZeroWeekMatchTheory) {
    // s = 1.2e-5: λ = 0.173 wins a day, P(zero week) ≈ 0.30. 2000 disjoint weeks.
    constexpr std::int64_t kDays = 14000;
    const SoloRun run = simulate_solo(1.2e-5, kDays, 7);
    const TheoryParams params = solo_params(run.share);
    const auto m = static_cast<double>(kDays);

    const IncomeMoments day = income_moments(RewardPolicyModel::solo, params, kEpochsPerDay);
    EXPECT_NEAR(mean_attofil(run.daily), day.mean_attofil,
                5 * std::sqrt(day.variance_attofil2 / m));

    const double lambda_day = 14400 * run.share;
    EXPECT_DOUBLE_EQ(day.cv().value(), 1 / std::sqrt(lambda_day));
    EXPECT_NEAR(coefficient_of_variation(run.daily).value(), day.cv().value(),
                5 * poisson_cv_standard_error(lambda_day, m));

    // Disjoint weeks are independent: binomial standard error, 5 of them.
    const double week_theory =
        lotus_solo_zero_income_probability(run.win_probability, 0, 7 * kEpochsPerDay);
    EXPECT_NEAR(week_theory,
                zero_income_probability(RewardPolicyModel::solo, params, 7 * kEpochsPerDay),
                1e-9);
    const double weeks = m / 7;
    const double week_bound = 5 * binomial_standard_error(week_theory, weeks);
    EXPECT_NEAR(zero_income_window_fraction(run.daily, 7, WindowPlacement::disjoint).value(),
                week_theory, week_bound);
    // Sliding windows average 7 shifted disjoint estimates, so their error is no larger.
    EXPECT_NEAR(zero_income_window_fraction(run.daily, 7, WindowPlacement::sliding).value(),
                week_theory, week_bound);
}

TEST(IncomeSimulation, SoloZeroMonthMatchesTheory) {
    // s = 2e-6 (about 8 TiB of 4 EiB): P(zero month) = e^(−5 s 86400) ≈ 0.42. 600 disjoint months.
    constexpr std::int64_t kMonths = 600;
    const SoloRun run = simulate_solo(2e-6, 30 * kMonths, 8);
    const double month_theory =
        lotus_solo_zero_income_probability(run.win_probability, 0, 30 * kEpochsPerDay);
    EXPECT_NEAR(month_theory, std::exp(-5 * run.share * 30 * kEpochsPerDay), 1e-9);
    const double bound = 5 * binomial_standard_error(month_theory, kMonths);
    EXPECT_NEAR(zero_income_window_fraction(run.daily, 30, WindowPlacement::disjoint).value(),
                month_theory, bound);
    EXPECT_NEAR(zero_income_window_fraction(run.daily, 30, WindowPlacement::sliding).value(),
                month_theory, bound);
}

TEST(IncomeSimulation, TimeToFirstRewardIsGeometric) {
    // 5 s = 1e-3 per epoch: the first win comes after 1/q ≈ 1000 epochs on average.
    constexpr double kShare = 2e-4;
    constexpr int kTrials = 3000;
    const chain::StoragePower power = testing::power_for_share(kShare);
    const chain::WinThresholds thresholds(power, testing::kTestNetworkPower);
    const double q = thresholds.win_probability();
    const TheoryParams params = solo_params(testing::share_of(power));
    EXPECT_NEAR(mean_epochs_to_first_reward(RewardPolicyModel::solo, params), 1 / q, 1e-6 / q);

    util::Random random(99);
    double sum = 0;
    int later_than_mean = 0;
    const auto mean_epochs = static_cast<std::int64_t>(std::floor(1 / q));
    for (int trial = 0; trial < kTrials; ++trial) {
        DailyIncomeSeries series(0);
        // P(no win in 60/q epochs) = e^-60: the cap never binds.
        for (ChainEpoch epoch = 0; epoch < 60 * mean_epochs; ++epoch) {
            const std::int64_t wins = testing::draw_win_count(thresholds, random);
            if (wins == 0) continue;
            series.add_income(epoch, wins * testing::kTestRewardPerWin);
            break;
        }
        const std::int64_t waited = series.epochs_to_first_reward().value();
        sum += static_cast<double>(waited);
        if (waited > mean_epochs) ++later_than_mean;
    }
    // Geometric: standard deviation sqrt(1 − q)/q; 5 standard errors of the mean.
    const double sd = std::sqrt(variance_epochs_to_first_reward(RewardPolicyModel::solo, params));
    EXPECT_NEAR(sum / kTrials, 1 / q, 5 * sd / std::sqrt(kTrials));
    // P(T > k) = (1 − q)^k, about 1/e at k = 1/q.
    const double survival = std::pow(1 - q, static_cast<double>(mean_epochs));
    EXPECT_NEAR(static_cast<double>(later_than_mean) / kTrials, survival,
                5 * binomial_standard_error(survival, kTrials));
}

}  // namespace
}  // namespace minerx::stats
