// Luck: the explorer and filscan definitions on hand-made series (where they agree and where they
// must not), the rolling windows against a recomputation from the epochs, and simulated miners
// against the Poisson theory of policy_theory.h.

#include "core/stats/luck.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/win_thresholds.h"
#include "core/stats/policy_theory.h"
#include "core/util/random.h"
#include "tests/core/stats/stats_simulation.h"

namespace minerx::stats {
namespace {

using chain::ChainEpoch;
using chain::StoragePower;
using testing::kTestNetworkPower;

// 1/64 and 1/32 of the network: binary fractions, so every expected value below is exact.
constexpr StoragePower kSixtyFourth = kTestNetworkPower / 64;
constexpr StoragePower kThirtySecond = kTestNetworkPower / 32;

LuckEpoch quiet_epoch(ChainEpoch epoch, StoragePower miner_power, std::int64_t network_wins) {
    return LuckEpoch{.epoch = epoch,
                     .miner_wins = 0,
                     .network_wins = network_wins,
                     .miner_power = miner_power,
                     .network_power = kTestNetworkPower};
}

TEST(LuckTracker, FilscanEqualsExplorerWhenTheNetworkWinsExactlyFivePerEpoch) {
    LuckTracker tracker;
    std::int64_t miner_wins = 0;
    for (ChainEpoch epoch = 0; epoch < chain::kEpochsPerDay; ++epoch) {
        LuckEpoch record = quiet_epoch(epoch, kSixtyFourth, 5);
        if (epoch % 37 == 0) record.miner_wins = 1 + epoch % 3;
        miner_wins += record.miner_wins;
        tracker.add_epoch(record);
    }
    const LuckSummary day = tracker.window(LuckWindow::day);
    EXPECT_EQ(day.buckets, 24);
    EXPECT_EQ(day.epochs, chain::kEpochsPerDay);
    EXPECT_EQ(day.miner_wins, miner_wins);
    EXPECT_EQ(day.network_wins, 5 * chain::kEpochsPerDay);
    // 14400 · p/P per day (research/election.md §5.7).
    EXPECT_EQ(day.explorer_expected_wins, 14400.0 / 64);
    EXPECT_EQ(day.filscan_expected_wins, 14400.0 / 64);
    ASSERT_TRUE(day.explorer_luck() && day.filscan_luck());
    EXPECT_EQ(*day.explorer_luck(), static_cast<double>(miner_wins) / 225);
    EXPECT_EQ(*day.filscan_luck(), *day.explorer_luck());
}

TEST(LuckTracker, FilscanNormalisesByTheNetworkWinsRealisedInEachBucket) {
    // Half the day the network wins 5 per epoch, the other half 4 (e.g. a fifth of the power is
    // offline). The explorer still expects 225 wins; filscan expects (600 + 480) · 12 / 64.
    LuckTracker tracker;
    for (ChainEpoch epoch = 0; epoch < chain::kEpochsPerDay; ++epoch) {
        const bool degraded = epoch >= chain::kEpochsPerDay / 2;
        LuckEpoch record = quiet_epoch(epoch, kSixtyFourth, degraded ? 4 : 5);
        if (epoch % 40 == 0) record.miner_wins = 1;  // 72 wins
        tracker.add_epoch(record);
    }
    const LuckSummary day = tracker.window(LuckWindow::day);
    EXPECT_EQ(day.miner_wins, 72);
    EXPECT_EQ(day.network_wins, 1440 * 5 + 1440 * 4);
    EXPECT_EQ(day.explorer_expected_wins, 225.0);
    EXPECT_EQ(day.filscan_expected_wins, 202.5);
    EXPECT_DOUBLE_EQ(*day.explorer_luck(), 72.0 / 225.0);
    EXPECT_DOUBLE_EQ(*day.filscan_luck(), 72.0 / 202.5);
}

TEST(LuckTracker, FilscanSamplesPowerAtTheBucketHeightWhileTheExplorerFollowsEveryEpoch) {
    LuckTracker tracker;
    for (ChainEpoch epoch = 0; epoch < kLuckBucketEpochs; ++epoch) {
        tracker.add_epoch(quiet_epoch(epoch, epoch < 60 ? kSixtyFourth : kThirtySecond, 5));
    }
    const LuckSummary day = tracker.window(LuckWindow::day);
    EXPECT_EQ(day.buckets, 1);
    EXPECT_EQ(day.explorer_expected_wins, 60 * 5.0 / 64 + 60 * 5.0 / 32);
    EXPECT_EQ(day.filscan_expected_wins, 600.0 / 64);
    ASSERT_TRUE(day.explorer_luck().has_value());
    EXPECT_EQ(*day.explorer_luck(), 0.0);
}

TEST(LuckTracker, NoPowerMeansNoLuck) {
    LuckTracker tracker;
    for (ChainEpoch epoch = 0; epoch < kLuckBucketEpochs; ++epoch) {
        tracker.add_epoch(quiet_epoch(epoch, 0, epoch % 2 == 0 ? 0 : 9));
    }
    EXPECT_EQ(tracker.window(LuckWindow::day).explorer_luck(), std::nullopt);
    EXPECT_EQ(tracker.window(LuckWindow::day).filscan_luck(), std::nullopt);
}

TEST(LuckTracker, AnOpenBucketIsNotCountedAndAFirstPartialBucketIs) {
    LuckTracker tracker;
    // Joining at epoch 100: the first bucket (height 0) holds 20 epochs.
    for (ChainEpoch epoch = 100; epoch < 100 + 20 + 120 + 7; ++epoch) {
        tracker.add_epoch(quiet_epoch(epoch, kSixtyFourth, 5));
    }
    const LuckSummary week = tracker.window(LuckWindow::week);
    EXPECT_EQ(week.buckets, 2);
    EXPECT_EQ(week.epochs, 140);  // the 7 epochs of the open bucket are not in any window
    EXPECT_EQ(week.explorer_expected_wins, 140 * 5.0 / 64);
    EXPECT_EQ(week.filscan_expected_wins, 140 * 5.0 / 64);
    EXPECT_LT(week.epochs, luck_window_buckets(LuckWindow::week) * kLuckBucketEpochs);
    EXPECT_EQ(tracker.total().epochs, 140);
}

TEST(LuckTracker, BucketsBuiltByTheCallerGiveTheSameWindowsAsEpochs) {
    LuckTracker by_epoch;
    LuckTracker by_bucket;
    util::Random random(11);
    for (ChainEpoch start = 0; start < 40 * chain::kEpochsPerDay; start += kLuckBucketEpochs) {
        const StoragePower power = testing::power_for_share(random.uniform(0, 0.02));
        std::int64_t miner_wins = 0;
        std::int64_t network_wins = 0;
        for (ChainEpoch epoch = start; epoch < start + kLuckBucketEpochs; ++epoch) {
            const auto network_wins_now = static_cast<std::int64_t>(random.below(9));
            LuckEpoch record = quiet_epoch(epoch, power, network_wins_now);
            record.miner_wins = std::min<std::int64_t>(record.network_wins, random.below(50) == 0);
            miner_wins += record.miner_wins;
            network_wins += record.network_wins;
            by_epoch.add_epoch(record);
        }
        by_bucket.add_bucket(LuckBucket::with_constant_power(
            start, kLuckBucketEpochs, miner_wins, network_wins, power, kTestNetworkPower));
    }
    for (LuckWindow window : kLuckWindows) {
        const LuckSummary a = by_epoch.window(window);
        const LuckSummary b = by_bucket.window(window);
        EXPECT_EQ(a.buckets, b.buckets);
        EXPECT_EQ(a.epochs, b.epochs);
        EXPECT_EQ(a.miner_wins, b.miner_wins);
        EXPECT_EQ(a.network_wins, b.network_wins);
        // 120 additions of 5p/P against one product 600 p/P: the same up to rounding.
        EXPECT_NEAR(a.explorer_expected_wins, b.explorer_expected_wins,
                    1e-12 * b.explorer_expected_wins);
        EXPECT_EQ(a.filscan_expected_wins, b.filscan_expected_wins);
    }
}

// The windows, recomputed from the raw epochs by the definitions in luck.h.
LuckSummary recompute(const std::vector<LuckEpoch>& epochs, std::int64_t window_buckets) {
    // Complete buckets end at the last epoch with (epoch + 1) % 120 == 0.
    std::size_t end = epochs.size();
    while (end > 0 && (epochs[end - 1].epoch + 1) % kLuckBucketEpochs != 0) --end;
    LuckSummary sums;
    std::size_t index = end;
    while (index > 0 && sums.buckets < window_buckets) {
        const ChainEpoch height = epochs[index - 1].epoch / kLuckBucketEpochs * kLuckBucketEpochs;
        std::size_t first = index;
        while (first > 0 && epochs[first - 1].epoch >= height) --first;
        const double share_at_height = static_cast<double>(epochs[first].miner_power) /
                                       static_cast<double>(epochs[first].network_power);
        std::int64_t bucket_network_wins = 0;
        for (std::size_t i = first; i < index; ++i) {
            const double share = static_cast<double>(epochs[i].miner_power) /
                                 static_cast<double>(epochs[i].network_power);
            sums.explorer_expected_wins += 5 * share;
            sums.miner_wins += epochs[i].miner_wins;
            bucket_network_wins += epochs[i].network_wins;
            ++sums.epochs;
        }
        sums.network_wins += bucket_network_wins;
        sums.filscan_expected_wins += share_at_height * static_cast<double>(bucket_network_wins);
        ++sums.buckets;
        index = first;
    }
    return sums;
}

TEST(LuckTracker, RollingWindowsEqualARecomputationFromTheEpochs) {
    util::Random random(2024);
    LuckTracker tracker;
    std::vector<LuckEpoch> epochs;
    StoragePower power = 0;
    // 40 days from epoch 37 (a partial first bucket), powers changing at random epochs.
    for (ChainEpoch epoch = 37; epoch < 37 + 40 * chain::kEpochsPerDay; ++epoch) {
        if (random.below(500) == 0 || epoch == 37) {
            power = testing::power_for_share(random.uniform(0, 0.01));
        }
        LuckEpoch record = quiet_epoch(epoch, power, static_cast<std::int64_t>(random.below(11)));
        record.miner_wins =
            std::min<std::int64_t>(record.network_wins, random.below(100) == 0 ? 2 : 0);
        epochs.push_back(record);
        tracker.add_epoch(record);
        if ((epoch + 1) % chain::kEpochsPerDay != 0 && epoch % 977 != 0) continue;
        for (LuckWindow window : kLuckWindows) {
            const LuckSummary expected = recompute(epochs, luck_window_buckets(window));
            const LuckSummary actual = tracker.window(window);
            ASSERT_EQ(actual.buckets, expected.buckets) << "epoch " << epoch;
            ASSERT_EQ(actual.epochs, expected.epochs);
            ASSERT_EQ(actual.miner_wins, expected.miner_wins);
            ASSERT_EQ(actual.network_wins, expected.network_wins);
            // Q.50 rounding of each bucket (< 2^-51 each) and the recomputation's own rounding
            // over up to 86 400 double additions: both far below 1e-11 relative.
            ASSERT_NEAR(actual.explorer_expected_wins, expected.explorer_expected_wins,
                        1e-11 * expected.explorer_expected_wins + 1e-12);
            ASSERT_NEAR(actual.filscan_expected_wins, expected.filscan_expected_wins,
                        1e-11 * expected.filscan_expected_wins + 1e-12);
        }
    }
    const LuckSummary all = recompute(epochs, 1'000'000);
    EXPECT_EQ(tracker.total().miner_wins, all.miner_wins);
    EXPECT_NEAR(tracker.total().explorer_expected_wins, all.explorer_expected_wins,
                1e-11 * all.explorer_expected_wins);
}

// --- Simulated miners against theory ---

struct DailyLuck {
    std::vector<double> explorer;
    std::vector<double> filscan;
};

// One miner of share `share` in a network whose other power is split over four miners (each
// wins < 1.3 per epoch, so Lotus' cap of 15 never matters). The day window is read at every day
// boundary: disjoint, independent days.
DailyLuck simulate_daily_luck(double share, std::int64_t days, std::uint64_t seed) {
    constexpr int kOtherMiners = 4;
    util::Random random(seed);
    const StoragePower miner_power = testing::power_for_share(share);
    const chain::WinThresholds miner(miner_power, kTestNetworkPower);
    const chain::WinThresholds other((kTestNetworkPower - miner_power) / kOtherMiners,
                                     kTestNetworkPower);
    LuckTracker tracker;
    DailyLuck luck;
    for (ChainEpoch epoch = 0; epoch < days * chain::kEpochsPerDay; ++epoch) {
        const std::int64_t miner_wins = testing::draw_win_count(miner, random);
        std::int64_t network_wins = miner_wins;
        for (int i = 0; i < kOtherMiners; ++i) {
            network_wins += testing::draw_win_count(other, random);
        }
        tracker.add_epoch({.epoch = epoch,
                           .miner_wins = miner_wins,
                           .network_wins = network_wins,
                           .miner_power = miner_power,
                           .network_power = kTestNetworkPower});
        if ((epoch + 1) % chain::kEpochsPerDay != 0) continue;
        const LuckSummary day = tracker.window(LuckWindow::day);
        luck.explorer.push_back(day.explorer_luck().value());
        luck.filscan.push_back(day.filscan_luck().value());
    }
    return luck;
}

double mean_of(const std::vector<double>& values) {
    double sum = 0;
    for (double value : values) sum += value;
    return sum / static_cast<double>(values.size());
}

double sample_variance(const std::vector<double>& values) {
    const double mean = mean_of(values);
    double squares = 0;
    for (double value : values) squares += (value - mean) * (value - mean);
    return squares / static_cast<double>(values.size() - 1);
}

TEST(LuckSimulation, SoloExplorerLuckAveragesOneWithPoissonDispersion) {
    // s = 1e-3: μ = 14.4 expected wins a day, daily luck W/μ with W ~ Poisson(μ).
    constexpr double kShare = 1.0 / 1024;
    constexpr std::int64_t kDays = 1000;
    const DailyLuck luck = simulate_daily_luck(kShare, kDays, 31);
    const double mu = 14400 * kShare;
    const double theory_variance = explorer_luck_variance(kShare, chain::kEpochsPerDay);
    EXPECT_DOUBLE_EQ(theory_variance, 1 / mu);
    const auto m = static_cast<double>(kDays);
    // Mean of m independent daily lucks: standard error sqrt(1/(μ m)) = 0.0082; allow 5 of them.
    EXPECT_NEAR(mean_of(luck.explorer), 1.0, 5 * std::sqrt(theory_variance / m));
    // Sample variance of W/μ: for Poisson, Var(s²_W) ≈ (μ + 2μ²)/m, so the relative standard
    // error of the luck variance is sqrt((1/μ + 2)/m) = 4.6 %; allow 5 of them (23 %).
    const double relative_error = std::sqrt((1 / mu + 2) / m);
    EXPECT_NEAR(sample_variance(luck.explorer) / theory_variance, 1.0, 5 * relative_error);
}

TEST(LuckSimulation, FilscanLuckOfALargeMinerVariesLessThanTheExplorers) {
    // s = 1/2: the miner's own wins are half the normaliser, so filscan's variance is
    // (1 − s)/(5 s n), half the explorer's 1/(5 s n) (policy_theory.h).
    constexpr double kShare = 0.5;
    constexpr std::int64_t kDays = 800;
    const DailyLuck luck = simulate_daily_luck(kShare, kDays, 32);
    const double explorer_theory = explorer_luck_variance(kShare, chain::kEpochsPerDay);
    const double filscan_theory = filscan_luck_variance(kShare, chain::kEpochsPerDay);
    EXPECT_DOUBLE_EQ(filscan_theory, explorer_theory / 2);
    const auto m = static_cast<double>(kDays);
    EXPECT_NEAR(mean_of(luck.explorer), 1.0, 5 * std::sqrt(explorer_theory / m));
    EXPECT_NEAR(mean_of(luck.filscan), 1.0, 5 * std::sqrt(filscan_theory / m));
    // With 7200 expected wins a day luck is nearly normal: the sample variance has a relative
    // standard error of sqrt(2/(m − 1)) = 5 %; 5 of them (25 %) keep the two bands apart.
    const double relative_error = std::sqrt(2 / (m - 1));
    EXPECT_NEAR(sample_variance(luck.explorer) / explorer_theory, 1.0, 5 * relative_error);
    EXPECT_NEAR(sample_variance(luck.filscan) / filscan_theory, 1.0, 5 * relative_error);
}

}  // namespace
}  // namespace minerx::stats
