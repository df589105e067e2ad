// Gini and dispersion: closed forms for known distributions, and the Gini of simulated equal solo
// miners against the normal approximation of policy_theory.h.

#include "core/stats/inequality.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/win_thresholds.h"
#include "core/stats/policy_theory.h"
#include "core/util/random.h"
#include "tests/core/stats/stats_simulation.h"

namespace minerx::stats {
namespace {

TEST(Inequality, GiniOfEqualIncomesIsZero) {
    EXPECT_EQ(gini(std::vector<double>(100, 3.5)), 0.0);
    EXPECT_EQ(gini(std::vector<double>{0, 0, 0}), 0.0);
    EXPECT_EQ(gini(std::vector<double>{42}), 0.0);
}

TEST(Inequality, GiniWhenOneMemberHoldsEverything) {
    std::vector<double> values(50, 0);
    values[17] = 9;
    EXPECT_DOUBLE_EQ(gini(values), 49.0 / 50.0);
}

TEST(Inequality, GiniOfAnArithmeticSequence) {
    // x_i = i for i = 1..n: Σ(2i − n − 1) i = n(n+1)(n−1)/6 and n Σ x = n²(n+1)/2, so
    // G = (n − 1)/(3n).
    for (int n : {2, 3, 10, 1001}) {
        std::vector<double> values;
        for (int i = n; i >= 1; --i) values.push_back(i);  // unsorted input
        EXPECT_NEAR(gini(values), (n - 1.0) / (3.0 * n), 1e-12) << n;
    }
}

TEST(Inequality, GiniOfIncomePerPowerWithMembersThatCannotWin) {
    // A fraction z of members earns nothing per unit of power (below the 10 TiB minimum under
    // solo or winner-takes-all), the rest earn the same: Σ|x_i − x_j| = 2 (zn)((1 − z)n) v and
    // 2n² mean = 2n²(1 − z)v, so G = z.
    for (int zero_members : {0, 1, 25, 60}) {
        std::vector<double> values(100, 0.8);
        for (int i = 0; i < zero_members; ++i) values[static_cast<std::size_t>(i)] = 0;
        EXPECT_NEAR(gini(values), zero_members / 100.0, 1e-12) << zero_members;
    }
}

TEST(Inequality, GiniOfAnExponentialSampleIsOneHalf) {
    // The exponential distribution's Gini is 1/2. For n = 20000 draws the sample Gini's
    // standard deviation is below 0.004 (asymptotic variance of the Gini U-statistic for the
    // exponential, ~0.083/n); 0.02 is 5 of them.
    util::Random random(5);
    std::vector<double> values;
    for (int i = 0; i < 20000; ++i) values.push_back(random.exponential(3.0));
    EXPECT_NEAR(gini(values), 0.5, 0.02);
}

TEST(Inequality, QuantilesInterpolateBetweenOrderStatistics) {
    const std::vector<double> sorted{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.0), 1);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.1), 2);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.5), 6);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 0.95), 10.5);
    EXPECT_DOUBLE_EQ(quantile_of_sorted(sorted, 1.0), 11);
}

TEST(Inequality, DispersionOfIncomePerUnitOfPower) {
    constexpr chain::StoragePower kTib = chain::StoragePower{1} << 40;
    const std::vector<chain::AttoFil> incomes{10 * chain::kAttoFilPerFil,
                                              40 * chain::kAttoFilPerFil,
                                              90 * chain::kAttoFilPerFil, 0};
    const std::vector<chain::StoragePower> powers{10 * kTib, 20 * kTib, 30 * kTib, 40 * kTib};
    const std::vector<double> ratios = fil_per_tib(incomes, powers);
    EXPECT_EQ(ratios, (std::vector<double>{1, 2, 3, 0}));
    const Dispersion spread = dispersion(ratios);
    EXPECT_EQ(spread.count, 4u);
    EXPECT_DOUBLE_EQ(spread.mean, 1.5);
    EXPECT_DOUBLE_EQ(spread.standard_deviation, std::sqrt(5.0 / 3.0));
    EXPECT_DOUBLE_EQ(spread.cv.value(), std::sqrt(5.0 / 3.0) / 1.5);
    EXPECT_DOUBLE_EQ(spread.min, 0);
    EXPECT_DOUBLE_EQ(spread.p50, 1.5);
    EXPECT_DOUBLE_EQ(spread.max, 3);
    // Sorted 0, 1, 2, 3: Σ(2i − 5) x_(i) = 0·(−3) + 1·(−1) + 2·1 + 3·3 = 10; n Σ x = 24.
    EXPECT_DOUBLE_EQ(spread.gini, 10.0 / 24.0);
    EXPECT_EQ(dispersion(std::vector<double>{0, 0}).cv, std::nullopt);
}

TEST(Inequality, GiniOfEqualSoloMinersMatchesTheNormalApproximation) {
    // 400 equal solo miners for 7 days with s = 1/1024: 98 expected wins each, CV = 1/√98.
    // Expected sample Gini ≈ (1 − 1/n) CV/√π = 0.0569. The approximation (normal for Poisson)
    // and the sampling error (~3 % for n = 400) stay well inside the 10 % allowed.
    constexpr int kMiners = 400;
    constexpr std::int64_t kEpochs = 7 * chain::kEpochsPerDay;
    const chain::StoragePower power = testing::power_for_share(1.0 / 1024);
    const chain::WinThresholds thresholds(power, testing::kTestNetworkPower);
    util::Random random(404);
    std::vector<double> wins(kMiners, 0);
    for (std::int64_t epoch = 0; epoch < kEpochs; ++epoch) {
        for (double& count : wins) {
            count += static_cast<double>(testing::draw_win_count(thresholds, random));
        }
    }
    const double mean_wins = 5 * testing::share_of(power) * kEpochs;
    const double expected =
        (1 - 1.0 / kMiners) * gini_of_equal_members_normal(1 / std::sqrt(mean_wins));
    EXPECT_NEAR(gini(wins), expected, 0.1 * expected);
}

}  // namespace
}  // namespace minerx::stats
