// Reward locking (75/25) and the vesting table, checked against values derived by hand from the
// specs-actors algorithm (actors/builtin/miner/vesting_state.go, actors/builtin/quantize.go).

#include "core/chain/vesting.h"

#include <cstdint>
#include <iterator>

#include <gtest/gtest.h>

#include "core/math/int128.h"

namespace minerx::chain {
namespace {

constexpr ChainEpoch kVestPeriod = 518400;
constexpr ChainEpoch kQuantum = 1440;
constexpr ChainEpoch kStep = 2880;

AttoFil sum_of(const VestingSchedule& schedule) {
    AttoFil sum = 0;
    for (const VestingFund& fund : schedule.funds()) sum += fund.amount;
    return sum;
}

void expect_sorted_and_consistent(const VestingSchedule& schedule) {
    auto funds = schedule.funds();
    for (std::size_t i = 1; i < funds.size(); ++i) EXPECT_LT(funds[i - 1].epoch, funds[i].epoch);
    for (const VestingFund& fund : funds) EXPECT_GE(fund.amount, 0);
    EXPECT_EQ(sum_of(schedule), schedule.total_locked());
}

TEST(VestingSplit, LocksFlooredThreeQuartersOfOddAmounts) {
    struct Case {
        AttoFil reward, locked, available;
    };
    const Case cases[] = {
        {0, 0, 0},
        {1, 0, 1},
        {3, 2, 1},
        {101, 75, 26},
        {AttoFil{10'000'000'000'000'000'000ULL} + 7, AttoFil{7'500'000'000'000'000'005ULL},
         AttoFil{2'500'000'000'000'000'002ULL}},
        {kTotalFilSupply, kTotalFilSupply / 4 * 3, kTotalFilSupply / 4},
    };
    for (const Case& c : cases) {
        RewardSplit split = split_block_reward(c.reward);
        EXPECT_EQ(math::to_string(split.locked), math::to_string(c.locked));
        EXPECT_EQ(math::to_string(split.available), math::to_string(c.available));
    }
    for (AttoFil reward = 0; reward < 1000; ++reward) {
        RewardSplit split = split_block_reward(reward);
        ASSERT_EQ(split.locked + split.available, reward);
        ASSERT_LE(split.locked * 100, reward * 75);
        ASSERT_GT((split.locked + 1) * 100, reward * 75);
    }
}

TEST(VestingQuantize, RoundsUpToTheOffsetGridAsGoDoes) {
    EXPECT_EQ(quantize_up(0, kQuantum, 0), 0);
    EXPECT_EQ(quantize_up(1, kQuantum, 0), 1440);
    EXPECT_EQ(quantize_up(1440, kQuantum, 0), 1440);
    EXPECT_EQ(quantize_up(2980, kQuantum, 1000), 3880);
    EXPECT_EQ(quantize_up(1439, kQuantum, 3 * 1440 + 7), 1447);  // only seed % unit matters
    // Below zero, truncating division already rounds up.
    EXPECT_EQ(quantize_up(-5, kQuantum, 0), 0);
    EXPECT_EQ(quantize_up(-1441, kQuantum, 0), -1440);
    // A negative seed gives a negative offset (Go's %), on the same grid as seed + unit.
    EXPECT_EQ(quantize_up(2980, kQuantum, -100), 4220);
    EXPECT_EQ(quantize_up(2980, kQuantum, 1340), 4220);
    EXPECT_EQ(quantize_up(-101, kQuantum, -100), -100);
    EXPECT_EQ(quantize_up(0, kQuantum, -100), 1340);
}

// amount 1000 at epoch 0, proving period start 0: the step epochs 2880 k are on the grid, so the
// k-th cumulative target is floor(1000 * 2880 k / 518400) = floor(50 k / 9), and 1000 at k = 180.
TEST(VestingSchedule, HandComputedExampleOnTheGrid) {
    VestingSchedule schedule;
    EXPECT_EQ(schedule.add_locked_funds(0, 1000, 0), 0);
    auto funds = schedule.funds();
    ASSERT_EQ(funds.size(), 180u);
    const AttoFil first_steps[] = {5, 6, 5, 6, 5, 6, 5, 6, 6, 5};  // 5, 11, 16, 22, ..., 50, 55
    for (std::size_t i = 0; i < std::size(first_steps); ++i) {
        EXPECT_EQ(funds[i].amount, first_steps[i]) << "step " << i + 1;
    }
    AttoFil previous_target = 0;
    for (std::size_t i = 0; i < funds.size(); ++i) {
        auto k = static_cast<AttoFil>(i + 1);
        AttoFil target = k == 180 ? 1000 : 50 * k / 9;
        EXPECT_EQ(funds[i].epoch, 2880 * static_cast<ChainEpoch>(k));
        EXPECT_EQ(funds[i].amount, target - previous_target) << "step " << i + 1;
        previous_target = target;
    }
    EXPECT_EQ(funds.back().epoch, kVestPeriod);
    EXPECT_EQ(funds.back().amount, 1000 - 994);  // floor(8950 / 9) = 994 at k = 179
    EXPECT_EQ(schedule.total_locked(), 1000);
}

// amount 518400 (one attoFIL per epoch of the period) at epoch 100, proving period start 1000:
// step epochs 100 + 2880 k round up to 1000 + 1440 m, i.e. 3880, 6760, ..., 519400
// (900 epochs of extra delay); elapsed is 3780 + 2880 (k - 1), so the first entry is 3780, the
// next 178 are 2880 each, and the last (elapsed 519300 >= 518400) is the remaining 1980.
TEST(VestingSchedule, HandComputedExampleOffsetByProvingPeriodStart) {
    VestingSchedule schedule;
    EXPECT_EQ(schedule.add_locked_funds(100, 518400, 1000), 0);
    auto funds = schedule.funds();
    ASSERT_EQ(funds.size(), 180u);
    EXPECT_EQ(funds.front().epoch, 3880);
    EXPECT_EQ(funds.front().amount, 3780);
    for (std::size_t i = 1; i + 1 < funds.size(); ++i) {
        EXPECT_EQ(funds[i].epoch, 3880 + 2880 * static_cast<ChainEpoch>(i));
        EXPECT_EQ(funds[i].amount, 2880);
    }
    EXPECT_EQ(funds.back().epoch, 519400);
    EXPECT_EQ(funds.back().amount, 1980);
    expect_sorted_and_consistent(schedule);
}

TEST(VestingSchedule, RealRewardSumsExactlyOnTheProvingPeriodGrid) {
    const AttoFil total_reward = AttoFil{21'759'758'576} * 1'000'000'000 + 266'280'844;
    const AttoFil locked = split_block_reward(total_reward).locked;
    for (ChainEpoch start : {ChainEpoch{0}, ChainEpoch{123}, ChainEpoch{-77}, ChainEpoch{2879}}) {
        VestingSchedule schedule;
        const ChainEpoch now = 1'000'003;
        EXPECT_EQ(schedule.add_locked_funds(now, locked, start), 0);
        auto funds = schedule.funds();
        ASSERT_EQ(funds.size(), 180u);
        EXPECT_EQ(sum_of(schedule), locked);
        EXPECT_EQ(schedule.total_locked(), locked);
        ChainEpoch grid = ((start % kQuantum) + kQuantum) % kQuantum;
        for (const VestingFund& fund : funds) {
            ASSERT_EQ(((fund.epoch % kQuantum) + kQuantum) % kQuantum, grid) << fund.epoch;
            ASSERT_GT(fund.amount, 0);
        }
        EXPECT_GE(funds.front().epoch, now + kStep);
        EXPECT_LT(funds.front().epoch, now + kStep + kQuantum);
        EXPECT_GE(funds.back().epoch, now + kVestPeriod);
        EXPECT_LT(funds.back().epoch, now + kVestPeriod + kQuantum);
        expect_sorted_and_consistent(schedule);
    }
}

TEST(VestingSchedule, NothingUnlocksUntilAfterTheFirstVestEpoch) {
    VestingSchedule schedule;
    EXPECT_EQ(schedule.add_locked_funds(100, 518400, 1000), 0);
    // The first entry is at 3880; unlocking needs its epoch strictly before the current one.
    EXPECT_EQ(schedule.vested_before(3880), 0);
    EXPECT_EQ(schedule.unlock_vested_funds(100), 0);
    EXPECT_EQ(schedule.unlock_vested_funds(3880), 0);
    EXPECT_EQ(schedule.total_locked(), 518400);
    EXPECT_EQ(schedule.vested_before(3881), 3780);
    EXPECT_EQ(schedule.unlock_vested_funds(3881), 3780);
    EXPECT_EQ(schedule.total_locked(), 518400 - 3780);
    EXPECT_EQ(schedule.funds().size(), 179u);
    EXPECT_EQ(schedule.unlock_vested_funds(3881), 0);  // already unlocked
    expect_sorted_and_consistent(schedule);
}

TEST(VestingSchedule, EverythingVestsAfterTheVestPeriodPlusOneQuantum) {
    for (ChainEpoch start : {ChainEpoch{0}, ChainEpoch{1}, ChainEpoch{1439}, ChainEpoch{-1}}) {
        VestingSchedule schedule;
        const ChainEpoch now = 5000;
        const AttoFil amount = AttoFil{12'345'678'901'234'567'891ULL};
        EXPECT_EQ(schedule.add_locked_funds(now, amount, start), 0);
        EXPECT_LT(schedule.unlock_vested_funds(now + kVestPeriod), amount);
        EXPECT_GT(schedule.total_locked(), 0);
        AttoFil rest = schedule.total_locked();
        EXPECT_EQ(schedule.unlock_vested_funds(now + kVestPeriod + kQuantum), rest);
        EXPECT_EQ(schedule.total_locked(), 0);
        EXPECT_TRUE(schedule.funds().empty());
    }
}

TEST(VestingSchedule, VestsLinearlyAtDailySteps) {
    VestingSchedule schedule;
    const AttoFil amount = AttoFil{7'000'000'000'000'000'001ULL};
    EXPECT_EQ(schedule.add_locked_funds(0, amount, 0), 0);
    AttoFil unlocked = 0;
    for (ChainEpoch day = 1; day <= 180; ++day) {
        unlocked += schedule.unlock_vested_funds(day * kStep + 1);
        // After `day` days, floor(amount * day / 180) has vested.
        ASSERT_EQ(unlocked, day == 180 ? amount : amount * day / 180) << "day " << day;
    }
}

TEST(VestingSchedule, TinyAmountsKeepTheZeroStepsSpecsActorsWrites) {
    VestingSchedule schedule;
    EXPECT_EQ(schedule.add_locked_funds(0, 1, 0), 0);
    auto funds = schedule.funds();
    ASSERT_EQ(funds.size(), 180u);
    for (std::size_t i = 0; i + 1 < funds.size(); ++i) EXPECT_EQ(funds[i].amount, 0);
    EXPECT_EQ(funds.back().amount, 1);

    VestingSchedule empty;
    EXPECT_EQ(empty.add_locked_funds(0, 0, 0), 0);
    EXPECT_TRUE(empty.funds().empty());
}

TEST(VestingSchedule, AddingUnlocksFirstThenMergesOnSharedEpochs) {
    VestingSchedule schedule;
    EXPECT_EQ(schedule.add_locked_funds(0, 1000, 0), 0);
    // Two days later on the same grid: the old entry at 2880 has vested and is returned; the new
    // steps land on 8640, 11520, ..., 524160 and merge with the old entries up to 518400.
    EXPECT_EQ(schedule.add_locked_funds(2 * kStep, 1000, 0), 5);
    EXPECT_EQ(schedule.total_locked(), 1995);
    auto funds = schedule.funds();
    ASSERT_EQ(funds.size(), 181u);  // old 5760..518400 (179) + new 521280 and 524160
    EXPECT_EQ(funds[0].epoch, 5760);
    EXPECT_EQ(funds[0].amount, 6);  // old step 2 only
    EXPECT_EQ(funds[1].epoch, 8640);
    EXPECT_EQ(funds[1].amount, 5 + 5);  // old step 3 + new step 1
    EXPECT_EQ(funds.back().epoch, 2 * kStep + kVestPeriod);
    expect_sorted_and_consistent(schedule);
}

TEST(VestingSchedule, ManyRewardsNeverCreateOrLoseAnAttoFil) {
    VestingSchedule schedule;
    std::uint64_t lcg = 99;
    AttoFil added = 0;
    AttoFil unlocked = 0;
    ChainEpoch epoch = 0;
    for (int i = 0; i < 3000; ++i) {
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        epoch += static_cast<ChainEpoch>(lcg >> 54);  // 0..1023 epochs between wins
        AttoFil reward = static_cast<AttoFil>(lcg >> 1) * 1'000'003;
        AttoFil locked = split_block_reward(reward).locked;
        unlocked += schedule.add_locked_funds(epoch, locked, 777);
        added += locked;
        if (i % 7 == 0) unlocked += schedule.unlock_vested_funds(epoch);
        ASSERT_EQ(added, unlocked + schedule.total_locked());
    }
    expect_sorted_and_consistent(schedule);
    unlocked += schedule.unlock_vested_funds(epoch + kVestPeriod + kQuantum);
    EXPECT_EQ(unlocked, added);
    EXPECT_EQ(schedule.total_locked(), 0);
}

}  // namespace
}  // namespace minerx::chain
