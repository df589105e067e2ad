// The matrix form of splitting block rewards: weights, totals, and the per-day split.

#include "core/stats/reward_split_matrix.h"

#include <vector>

#include <gtest/gtest.h>

#include "core/util/random.h"

namespace minerx::stats {
namespace {

TEST(StatisticsRewardSplit, WeightsNormaliseEachBlockAndLeaveEmptyBlocksUnassigned) {
    Eigen::MatrixXd power(3, 3);
    power << 1, 0, 5,  //
        3, 0, 5,       //
        4, 0, 0;
    const Eigen::MatrixXd weights = sharing_weights(power);
    EXPECT_DOUBLE_EQ(weights(0, 0), 1.0 / 8);
    EXPECT_DOUBLE_EQ(weights(2, 0), 4.0 / 8);
    EXPECT_EQ(weights.col(1).sum(), 0.0);
    EXPECT_DOUBLE_EQ(weights(1, 2), 0.5);
    EXPECT_DOUBLE_EQ(weights.col(0).sum(), 1.0);
}

TEST(StatisticsRewardSplit, OneBlockOverTenThousandMembers) {
    constexpr Eigen::Index kMembers = 10'000;
    util::Random random(10);
    Eigen::MatrixXd power(kMembers, 1);
    for (Eigen::Index i = 0; i < kMembers; ++i) power(i, 0) = random.uniform(1, 1024);
    Eigen::VectorXd reward(1);
    reward << 20.0;  // FIL
    const Eigen::VectorXd income = split_rewards(sharing_weights(power), reward, 0.05);
    EXPECT_NEAR(income.sum(), 19.0, 1e-9);
    const double per_unit = 19.0 / power.sum();
    for (Eigen::Index i = 0; i < kMembers; i += 997) {
        EXPECT_NEAR(income(i), per_unit * power(i, 0), 1e-12);
    }
}

TEST(StatisticsRewardSplit, PerDaySplitPaysEachBlockOnItsDay) {
    Eigen::MatrixXd power(2, 4);
    power << 1, 1, 3, 0,  //
        1, 3, 1, 2;
    Eigen::VectorXd reward(4);
    reward << 10, 20, 40, 80;
    const std::vector<std::int64_t> day{0, 0, 2, 2};
    const Eigen::MatrixXd income = split_rewards_by_day(sharing_weights(power), reward, day, 3, 0);
    EXPECT_DOUBLE_EQ(income(0, 0), 5 + 5);
    EXPECT_DOUBLE_EQ(income(1, 0), 5 + 15);
    EXPECT_EQ(income.col(1).sum(), 0.0);
    EXPECT_DOUBLE_EQ(income(0, 2), 30);
    EXPECT_DOUBLE_EQ(income(1, 2), 10 + 80);
    // The per-day split and the total split agree.
    const Eigen::VectorXd total = split_rewards(sharing_weights(power), reward, 0);
    EXPECT_TRUE(income.rowwise().sum().isApprox(total));
}

}  // namespace
}  // namespace minerx::stats
