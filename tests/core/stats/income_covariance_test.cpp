// Covariance of members' daily incomes: a hand-made matrix, independent solo members (nearly
// diagonal), and members of a power-proportional pool (perfectly correlated).

#include "core/stats/income_covariance.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/stats/reward_split_matrix.h"
#include "tests/core/stats/stats_simulation.h"

namespace minerx::stats {
namespace {

using chain::AttoFil;
using chain::kAttoFilPerFil;

TEST(Covariance, HandMadeMatrix) {
    const std::vector<std::vector<AttoFil>> daily{
        {1 * kAttoFilPerFil, 2 * kAttoFilPerFil, 3 * kAttoFilPerFil, 4 * kAttoFilPerFil},
        {8 * kAttoFilPerFil, 6 * kAttoFilPerFil, 4 * kAttoFilPerFil, 2 * kAttoFilPerFil},
        {5 * kAttoFilPerFil, 5 * kAttoFilPerFil, 5 * kAttoFilPerFil, 5 * kAttoFilPerFil}};
    const Eigen::MatrixXd incomes = income_matrix_fil(daily);
    ASSERT_EQ(incomes.rows(), 3);
    ASSERT_EQ(incomes.cols(), 4);
    EXPECT_EQ(incomes(1, 2), 4.0);
    const Eigen::MatrixXd covariance = covariance_by_member(incomes);
    // Member 0 deviations −1.5, −0.5, 0.5, 1.5 (Σd² = 5); member 1 is −2 × member 0.
    EXPECT_DOUBLE_EQ(covariance(0, 0), 5.0 / 3.0);
    EXPECT_DOUBLE_EQ(covariance(1, 1), 20.0 / 3.0);
    EXPECT_DOUBLE_EQ(covariance(0, 1), -10.0 / 3.0);
    EXPECT_DOUBLE_EQ(covariance(1, 0), covariance(0, 1));
    EXPECT_EQ(covariance(2, 2), 0.0);
    const Eigen::MatrixXd correlation = correlation_from_covariance(covariance);
    EXPECT_DOUBLE_EQ(correlation(0, 1), -1.0);
    // The constant member: no defined correlation, reported as 0 off the diagonal.
    EXPECT_EQ(correlation(0, 2), 0.0);
    EXPECT_EQ(correlation(2, 2), 1.0);
    EXPECT_DOUBLE_EQ(max_abs_off_diagonal(correlation), 1.0);
}

std::vector<std::vector<AttoFil>> winner_takes_all_income(const testing::SimulatedRun& run) {
    std::vector<std::vector<AttoFil>> daily;
    for (const auto& wins : run.wins_by_member_day) {
        std::vector<AttoFil> member;
        for (std::int64_t count : wins) member.push_back(count * testing::kTestRewardPerWin);
        daily.push_back(member);
    }
    return daily;
}

TEST(Covariance, IndependentSoloMembersAreNearlyUncorrelated) {
    // 8 members of 1e-4 .. 8e-4 of the network for 500 days. The sample correlation of two
    // independent series has standard deviation ≈ 1/√days = 0.045; the largest of 28 pairs stays
    // below 5 of them (P(any pair beyond) < 28 · 6e-7).
    constexpr std::int64_t kDays = 500;
    std::vector<chain::StoragePower> powers;
    for (int i = 1; i <= 8; ++i) powers.push_back(testing::power_for_share(1e-4 * i));
    const testing::SimulatedRun run = testing::simulate_miners(powers, kDays, 17);
    const auto daily = winner_takes_all_income(run);
    const Eigen::MatrixXd covariance = covariance_by_member(income_matrix_fil(daily));
    const Eigen::MatrixXd correlation = correlation_from_covariance(covariance);
    EXPECT_LT(max_abs_off_diagonal(correlation), 5 / std::sqrt(static_cast<double>(kDays)));
    // The diagonal is each member's Poisson variance: (20 FIL)² · 14400 s a day, within 5
    // relative standard errors sqrt((1/λ + 2)/days) of the sample variance.
    for (int i = 0; i < 8; ++i) {
        const double lambda = 14400 * testing::share_of(powers[static_cast<std::size_t>(i)]);
        const double theory = 20.0 * 20.0 * lambda;
        const double relative = std::sqrt((1 / lambda + 2) / static_cast<double>(kDays));
        EXPECT_NEAR(covariance(i, i) / theory, 1.0, 5 * relative) << "member " << i;
    }
}

TEST(Covariance, MembersOfAProportionalPoolArePerfectlyCorrelated) {
    constexpr std::int64_t kDays = 200;
    std::vector<chain::StoragePower> powers;
    for (int i = 1; i <= 6; ++i) powers.push_back(testing::power_for_share(2e-4 * i));
    const testing::SimulatedRun run = testing::simulate_miners(powers, kDays, 18);
    // Every pool block is split by constant power shares: incomes = shares × pool income, a
    // rank-one matrix.
    Eigen::MatrixXd power_by_member_block(6, static_cast<Eigen::Index>(run.blocks.size()));
    Eigen::VectorXd reward_by_block(static_cast<Eigen::Index>(run.blocks.size()));
    std::vector<std::int64_t> day_by_block;
    for (std::size_t b = 0; b < run.blocks.size(); ++b) {
        for (std::size_t i = 0; i < powers.size(); ++i) {
            power_by_member_block(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(b)) =
                static_cast<double>(powers[i]);
        }
        reward_by_block(static_cast<Eigen::Index>(b)) =
            20.0 * static_cast<double>(run.blocks[b].win_count);
        day_by_block.push_back(run.blocks[b].epoch / chain::kEpochsPerDay);
    }
    const Eigen::MatrixXd incomes =
        split_rewards_by_day(sharing_weights(power_by_member_block), reward_by_block,
                             day_by_block, kDays, 0.05);
    const Eigen::MatrixXd correlation = correlation_from_covariance(covariance_by_member(incomes));
    EXPECT_TRUE(correlation.isApprox(Eigen::MatrixXd::Ones(6, 6), 1e-9));
}

}  // namespace
}  // namespace minerx::stats
