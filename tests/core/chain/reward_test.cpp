// The reward actor's minting against every specs-actors golden (on each big-integer backend), the
// per-epoch RewardState update, and the per-block award.

#include "core/chain/reward.h"

#include <string>

#include <gtest/gtest.h>

#include "core/math/big_int_boost.h"
#include "tests/core/chain/big_int_backends.h"
#include "tests/test_data.h"

namespace minerx::chain {
namespace {

using math::BigInt;
using testing::read_lines;
using testing::split_fields;

template <class Int>
class RewardGoldenTest : public ::testing::Test {};
TYPED_TEST_SUITE(RewardGoldenTest, testing::BigIntBackends);

using testing::from_decimal;

template <class Int>
Int from_atto(AttoFil amount) {
    return math::make_int<Int>(static_cast<math::Uint128>(amount));
}

template <class Int>
Int q128(std::int64_t whole) {
    return math::shift_left(math::make_int<Int>(static_cast<math::Uint128>(whole)), 128);
}

// specs-actors actors/util/math/testdata/TestExpFunction.golden: x_i = i * floor((5 << 128) / 255).
TYPED_TEST(RewardGoldenTest, ExpNegQ128MatchesSpecsActorsGolden) {
    auto lines = read_lines("specs-actors/TestExpFunctionQ128.golden");
    ASSERT_EQ(lines.size(), 257u);
    EXPECT_EQ(lines[0], "x, y");
    TypeParam step = math::floor_divide(q128<TypeParam>(5), from_decimal<TypeParam>("255"));
    TypeParam x = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto fields = split_fields(lines[i], ',');
        ASSERT_EQ(fields.size(), 2u) << lines[i];
        EXPECT_EQ(math::to_decimal(x), fields[0]) << "line " << i + 1;
        EXPECT_EQ(math::to_decimal(reward_expneg<TypeParam>()(x)), fields[1]) << "line " << i + 1;
        x += step;
    }
}

// specs-actors actors/builtin/reward/testdata/TestSimpleReward.golden:
// x = 5000 i, computeReward(x, 0, 0, 330e6 FIL, 770e6 FIL).
TYPED_TEST(RewardGoldenTest, SimpleRewardMatchesSpecsActorsGolden) {
    auto lines = read_lines("specs-actors/TestSimpleReward.golden");
    ASSERT_EQ(lines.size(), 513u);
    EXPECT_EQ(lines[0], "x, y");
    const TypeParam zero = 0;
    const auto simple_total = from_atto<TypeParam>(kDefaultSimpleTotal);
    const auto baseline_total = from_atto<TypeParam>(kDefaultBaselineTotal);
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto fields = split_fields(lines[i], ',');
        ASSERT_EQ(fields.size(), 2u) << lines[i];
        ChainEpoch epoch = static_cast<ChainEpoch>(i - 1) * 5000;
        EXPECT_EQ(std::to_string(epoch), fields[0]) << "line " << i + 1;
        TypeParam reward = compute_reward(epoch, zero, zero, simple_total, baseline_total);
        EXPECT_EQ(math::to_decimal(reward), fields[1]) << "line " << i + 1;
    }
}

// specs-actors actors/builtin/reward/testdata/TestBaselineReward.golden (driver in
// research/election.md §2.5): both thetas start one `delta` apart and advance by `step`; y is the
// reward at epoch 0 minus the reward at epoch 0 with both thetas 0 (the simple part).
TYPED_TEST(RewardGoldenTest, BaselineRewardMatchesSpecsActorsGolden) {
    auto lines = read_lines("specs-actors/TestBaselineReward.golden");
    ASSERT_EQ(lines.size(), 513u);
    EXPECT_EQ(lines[0], "t0, t1, y");
    const TypeParam zero = 0;
    const auto simple_total = from_atto<TypeParam>(kDefaultSimpleTotal);
    const auto baseline_total = from_atto<TypeParam>(kDefaultBaselineTotal);
    const TypeParam step = q128<TypeParam>(5000) - from_decimal<TypeParam>("77777777777");
    const TypeParam delta = q128<TypeParam>(1) - from_decimal<TypeParam>("33333333333");
    const TypeParam simple = compute_reward(0, zero, zero, simple_total, baseline_total);
    TypeParam prev_theta = 0;
    TypeParam theta = delta;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto fields = split_fields(lines[i], ',');
        ASSERT_EQ(fields.size(), 3u) << lines[i];
        EXPECT_EQ(math::to_decimal(prev_theta), fields[0]) << "line " << i + 1;
        EXPECT_EQ(math::to_decimal(theta), fields[1]) << "line " << i + 1;
        TypeParam reward = compute_reward(0, prev_theta, theta, simple_total, baseline_total);
        EXPECT_EQ(math::to_decimal(TypeParam(reward - simple)), fields[2]) << "line " << i + 1;
        prev_theta += step;
        theta += step;
    }
}

// specs-actors reward_logic_test.go TestComputeRTeta: baseline power (e + 1) * 2048 at epoch e.
TYPED_TEST(RewardGoldenTest, RThetaInterpolatesLinearlyInsideAnEpoch) {
    auto n = [](std::int64_t value) {
        return math::make_int<TypeParam>(static_cast<math::Uint128>(value));
    };
    auto at = [&](std::int64_t epoch) { return n(2048 * (epoch + 1)); };
    const TypeParam half = math::shift_left(n(1), 127);
    const TypeParam quarter = math::shift_left(n(1), 126);
    EXPECT_EQ(compute_r_theta<TypeParam>(1, at(1), n(2048 + 2048), n(2048 + 2 * 2048)), half);
    EXPECT_EQ(compute_r_theta<TypeParam>(1, at(1), n(2048 + 1024), n(2048 + 2 * 2048)), quarter);
    TypeParam cumsum15 = 0;
    for (std::int64_t e = 0; e < 16; ++e) cumsum15 += at(e);
    TypeParam theta = compute_r_theta<TypeParam>(16, at(16), TypeParam(cumsum15 + at(16) / 4),
                                                 TypeParam(cumsum15 + at(16)));
    EXPECT_EQ(theta, q128<TypeParam>(15) + quarter);
    EXPECT_EQ(compute_r_theta<TypeParam>(0, at(0), n(5), n(7)), n(0));
}

TYPED_TEST(RewardGoldenTest, InitialBaselinePowerGrowsToOneByteBelowInitialValue) {
    // specs-actors reward_test.go TestConstructor: "rounding error of one byte".
    TypeParam at_zero = baseline_power_from_prev(initial_baseline_power<TypeParam>());
    EXPECT_EQ(at_zero, math::make_int<TypeParam>(kBaselineInitialValue - 1));
}

// ---------------------------------------------------------------------------------------------
// RewardState

constexpr AttoFil kEpochZeroReward = AttoFil{36'266'264'293} * 1'000'000'000 + 777'134'739;
constexpr StoragePower kHugePower = StoragePower{1} << 100;  // far above any baseline here

TEST(RewardState, ConstructWithZeroPowerPaysOnlySimpleMinting) {
    // specs-actors reward_test.go TestConstructor "construct with 0 power".
    RewardState state(0);
    EXPECT_EQ(state.epoch(), 0);
    EXPECT_EQ(state.this_epoch_reward(), kEpochZeroReward);
    EXPECT_EQ(state.cumsum_realized(), 0);
    EXPECT_EQ(state.this_epoch_baseline_power(), kBaselineInitialValue - 1);
    EXPECT_EQ(state.effective_baseline_power(), kBaselineInitialValue);
    EXPECT_EQ(state.effective_network_time(), 0);
    EXPECT_EQ(state.theta(), 0);
    EXPECT_EQ(state.simple_total(), kDefaultSimpleTotal);
    EXPECT_EQ(state.baseline_total(), kDefaultBaselineTotal);
    // The smoothed estimate's starting position approximates this reward (to ~4e12 attoFIL).
    AttoFil estimate_error = kEpochZeroReward - kInitialRewardPositionEstimate;
    EXPECT_GT(estimate_error, 0);
    EXPECT_LT(estimate_error, kAttoFilPerFil / 100'000);
}

TEST(RewardState, ProductionComputeRewardMatchesGoldens) {
    const BigInt zero = 0;
    EXPECT_EQ(compute_epoch_reward(0, zero, zero, kDefaultSimpleTotal, kDefaultBaselineTotal),
              kEpochZeroReward);
    // TestBaselineReward.golden line 2: t0 = 0, t1 = 2^128 - 33333333333.
    BigInt theta = q128<BigInt>(1) - BigInt(33333333333);
    AttoFil reward =
        compute_epoch_reward(0, zero, theta, kDefaultSimpleTotal, kDefaultBaselineTotal);
    EXPECT_EQ(math::to_string(reward - kEpochZeroReward), "84621274052457285111");
}

TEST(RewardState, RealizedPowerCountsOnlyUpToBaseline) {
    // specs-actors reward_test.go "construct with more power than baseline": same reward.
    RewardState at_baseline(kBaselineInitialValue);
    RewardState above(2 * kBaselineInitialValue);
    EXPECT_EQ(at_baseline.this_epoch_reward(), above.this_epoch_reward());
    EXPECT_TRUE(at_baseline == above);
    EXPECT_EQ(at_baseline.cumsum_realized(), math::make_int<BigInt>(kBaselineInitialValue - 1));
}

TEST(RewardState, FirstRewardAtBaselineIsSimplePlusBaselineMinting) {
    RewardState state(kBaselineInitialValue);
    // simple ~36.266 FIL (exactly the golden epoch-0 value) + baseline ~84.62 FIL (research §5.2).
    AttoFil baseline_part = state.this_epoch_reward() - kEpochZeroReward;
    EXPECT_GT(baseline_part, AttoFil{8460} * kAttoFilPerFil / 100);
    EXPECT_LT(baseline_part, AttoFil{8463} * kAttoFilPerFil / 100);
    // theta went from 0 to just under 1 epoch: B(0) / B(1) of the way into epoch 1.
    EXPECT_EQ(state.effective_network_time(), 1);
    EXPECT_LT(state.theta(), q128<BigInt>(1));
    EXPECT_GT(state.theta(), q128<BigInt>(1) - math::shift_left(BigInt(1), 108));
}

TEST(RewardState, EffectiveTimeTracksEpochWhenPowerStaysAtOrAboveBaseline) {
    RewardState state(kHugePower);
    AttoFil previous_reward = state.this_epoch_reward();
    for (int i = 0; i < 3000; ++i) {
        BigInt cumsum_before = state.cumsum_realized();
        StoragePower power = i % 2 == 0 ? kHugePower : state.this_epoch_baseline_power() * 2;
        state.update_to_next_epoch(power);
        ASSERT_EQ(state.effective_network_time(), state.epoch() + 1) << "epoch " << state.epoch();
        ASSERT_GT(state.theta(), q128<BigInt>(state.epoch()));
        ASSERT_LE(state.theta(), q128<BigInt>(state.epoch() + 1));
        ASSERT_EQ(state.cumsum_realized() - cumsum_before,
                  math::make_int<BigInt>(state.this_epoch_baseline_power()));
        // Both minting curves decay, so the reward never rises.
        ASSERT_LE(state.this_epoch_reward(), previous_reward) << "epoch " << state.epoch();
        previous_reward = state.this_epoch_reward();
    }
    EXPECT_EQ(state.epoch(), 3000);
}

TEST(RewardState, ZeroPowerRewardFollowsSimpleGolden) {
    auto lines = read_lines("specs-actors/TestSimpleReward.golden");
    ASSERT_GE(lines.size(), 4u);
    RewardState state(0);
    for (std::size_t line = 1; line <= 3; ++line) {
        ChainEpoch epoch = static_cast<ChainEpoch>(line - 1) * 5000;
        while (state.epoch() < epoch) state.update_to_next_epoch(0);
        EXPECT_EQ(math::to_string(state.this_epoch_reward()), split_fields(lines[line], ',')[1]);
        EXPECT_EQ(state.theta(), 0);
    }
}

TEST(RewardState, PowerBelowBaselineLagsAndEarnsLess) {
    RewardState on_baseline(kHugePower);
    RewardState half(kBaselineInitialValue / 2);
    for (int i = 0; i < 2880; ++i) {
        on_baseline.update_to_next_epoch(kHugePower);
        half.update_to_next_epoch(half.this_epoch_baseline_power() / 2);
    }
    // Half the baseline's cumulative power: about half the effective time.
    EXPECT_GE(half.effective_network_time(), 2880 / 2 - 2);
    EXPECT_LE(half.effective_network_time(), 2880 / 2 + 2);
    EXPECT_LT(half.this_epoch_reward(), on_baseline.this_epoch_reward());
    // Still above the simple part alone.
    RewardState none(0);
    for (int i = 0; i < 2880; ++i) none.update_to_next_epoch(0);
    EXPECT_GT(half.this_epoch_reward(), none.this_epoch_reward());
}

TEST(RewardState, ThetaAndBaselinesAreMonotoneUnderVaryingPower) {
    RewardState state(0);
    std::uint64_t lcg = 12345;
    for (int i = 0; i < 2000; ++i) {
        lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
        StoragePower power = state.this_epoch_baseline_power() / 64 * ((lcg >> 58) + 1) / 32;
        BigInt theta_before = state.theta();
        StoragePower baseline_before = state.this_epoch_baseline_power();
        BigInt cumsum_before = state.cumsum_realized();
        state.update_to_next_epoch(power);
        ASSERT_GE(state.theta(), theta_before);
        ASSERT_GT(state.this_epoch_baseline_power(), baseline_before);
        ASSERT_GE(state.cumsum_realized(), cumsum_before);
        ASSERT_LE(state.cumsum_realized(), state.cumsum_baseline());
        ASSERT_LE(state.effective_network_time(), state.epoch() + 1);
        ASSERT_GT(state.this_epoch_reward(), 0);
    }
}

TEST(RewardState, NetworkKpiCatchesUpNullRoundsWithoutTheirReward) {
    const StoragePower power = kBaselineInitialValue;
    // specs-actors reward_actor.go UpdateNetworkKPI: cron at epoch c leaves the state at c + 1.
    RewardState by_cron(power);
    by_cron.update_network_kpi(1, power);
    EXPECT_EQ(by_cron.epoch(), 2);
    by_cron.update_network_kpi(2, power);
    EXPECT_EQ(by_cron.epoch(), 3);
    by_cron.update_network_kpi(5, power);  // epochs 3 and 4 were null rounds
    EXPECT_EQ(by_cron.epoch(), 6);

    RewardState by_hand(power);
    by_hand.advance_null_epoch(power);
    by_hand.update_to_next_epoch(power);
    by_hand.update_to_next_epoch(power);
    by_hand.advance_null_epoch(power);
    by_hand.advance_null_epoch(power);
    by_hand.update_to_next_epoch(power);
    EXPECT_TRUE(by_cron == by_hand);

    // The baseline minting of the caught-up epochs is never paid: the reward covers one epoch.
    RewardState no_nulls(power);
    for (int i = 0; i < 6; ++i) no_nulls.update_to_next_epoch(power);
    EXPECT_EQ(no_nulls.epoch(), 6);
    EXPECT_EQ(no_nulls.theta(), by_cron.theta());
    // With constant power the catch-up and the per-epoch updates reach the same state exactly.
    EXPECT_TRUE(by_cron == no_nulls);
}

TEST(RewardState, BaselineDoublesInAYear) {
    // specs-actors reward_logic_test.go TestBaselineRewardGrowth: error bound 1e-8 at ~EiB.
    BigInt baseline = math::make_int<BigInt>(kBaselineInitialValue);
    for (ChainEpoch e = 0; e < kEpochsPerYear; ++e) baseline = baseline_power_from_prev(baseline);
    BigInt expected = math::make_int<BigInt>(2 * kBaselineInitialValue);
    BigInt error = expected - baseline;
    EXPECT_GE(error, 0);
    EXPECT_LT(error * 100'000'000, expected);
}

// ---------------------------------------------------------------------------------------------
// Block award

TEST(BlockAward, IsFlooredFifthOfEpochRewardPerWin) {
    EXPECT_EQ(math::to_string(block_reward(kEpochZeroReward, 1)), "7253252858755426947");
    EXPECT_EQ(math::to_string(block_reward(kEpochZeroReward, 2)), "14506505717510853895");
    EXPECT_EQ(math::to_string(block_reward(kEpochZeroReward, 3)), "21759758576266280843");
    EXPECT_EQ(math::to_string(block_reward(kEpochZeroReward, 15)), "108798792881331404217");
    EXPECT_EQ(block_reward(4, 1), 0);
    EXPECT_EQ(block_reward(9, 1), 1);
    EXPECT_EQ(block_reward(0, 15), 0);
}

TEST(BlockAward, PaysBlockRewardPlusGasReward) {
    // specs-actors reward_test.go "pays reward and tracks penalty".
    AttoFil balance = AttoFil{1'000'000'000} * kAttoFilPerFil;
    BlockAward award = award_block_reward(kEpochZeroReward, 1, 200, balance);
    EXPECT_EQ(award.block_reward, kEpochZeroReward / 5);
    EXPECT_EQ(award.total_reward, kEpochZeroReward / 5 + 200);
    EXPECT_EQ(miner_penalty(100), 300);
}

TEST(BlockAward, IsCappedAtRewardActorBalance) {
    // specs-actors reward_test.go "pays out current balance when reward exceeds total balance".
    BlockAward award = award_block_reward(kEpochZeroReward, 1, 0, 300);
    EXPECT_EQ(award.total_reward, 300);
    EXPECT_EQ(award.block_reward, 300);
    // The gas reward is paid in full; the minted part takes what is left.
    award = award_block_reward(kEpochZeroReward, 1, 100, 300);
    EXPECT_EQ(award.total_reward, 300);
    EXPECT_EQ(award.block_reward, 200);
    award = award_block_reward(kEpochZeroReward, 3, 300, 300);
    EXPECT_EQ(award.total_reward, 300);
    EXPECT_EQ(award.block_reward, 0);
}

TEST(BlockAward, DrainsBalanceExactlyAcrossBlocks) {
    // specs-actors reward_test.go "TotalStoragePowerReward tracks correctly": reward 5000 per
    // epoch, balance 3500: three full awards of 1000 and a partial one of 500.
    AttoFil balance = 3500;
    AttoFil paid = 0;
    const AttoFil expected[] = {1000, 1000, 1000, 500};
    for (AttoFil want : expected) {
        BlockAward award = award_block_reward(5000, 1, 0, balance);
        EXPECT_EQ(award.block_reward, want);
        balance -= award.total_reward;
        paid += award.block_reward;
    }
    EXPECT_EQ(paid, 3500);
    EXPECT_EQ(balance, 0);
}

TEST(BlockAwardDeathTest, RejectsZeroWinCountAndNegativeGas) {
    EXPECT_DEATH(block_reward(kEpochZeroReward, 0), "win_count >= 1");
    EXPECT_DEATH(award_block_reward(kEpochZeroReward, 1, -1, 1000), "gas_reward >= 0");
    EXPECT_DEATH(award_block_reward(kEpochZeroReward, 1, 10, 9), "gas_reward <= ");
}

}  // namespace
}  // namespace minerx::chain
