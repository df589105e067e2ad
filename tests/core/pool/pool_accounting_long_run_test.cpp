// Long-run fairness: under every policy, each member's income per unit of power converges to a
// solo miner's expectation less the fee,
//   E[income_i] / p_i = (1 - fee) * ThisEpochReward / P * epochs,
// because a miner's expected WinCount per epoch is 5 p/P and each WinCount earns
// ThisEpochReward / 5. Wins are drawn with the chain's own election (WinThresholds, bit-exact with
// Lotus) on random tickets; every policy sees the same draws.
//
// Tolerance (stated per check): income counts Poisson(λT) wins, so its relative standard deviation
// is 1/sqrt(λT), with λ the member's win rate (solo, winner-takes-all) or the pool's (sharing
// policies, where every member gets its power share of the pool's income). Each check allows 4
// standard deviations; the smoothed policy pays the expectation itself, so it is checked to within
// the one-attoFIL-per-epoch flooring of the credits.

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/reward.h"
#include "tests/core/pool/pool_test_support.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;
using chain::StoragePower;

constexpr ChainEpoch kEpochs = 20'000;
constexpr PartsPerMillion kFeePpm = 50'000;
constexpr double kSigmas = 4.0;
constexpr StoragePower kTiB = StoragePower{1} << 40;
// 5 FIL per epoch: each WinCount earns exactly 1 FIL, so block rewards have no rounding.
constexpr AttoFil kThisEpochReward = 5 * chain::kAttoFilPerFil;

struct Draw {
    ChainEpoch epoch;
    MemberId winner;
    std::int64_t win_count;
};

TEST(PoolAccountingLongRun, EveryPolicyPaysSoloExpectationLessTheFeePerUnitOfPower) {
    // A pool of 20% of the network: members of 10, 20, 30, 40 and 100 TiB-units.
    const StoragePower unit = 100 * kTiB;
    const StoragePower network_power = 1000 * unit;
    std::vector<testing::ElectedMember> members;
    const std::vector<std::uint64_t> sizes = {10, 20, 30, 40, 100};
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        members.emplace_back(1 + i, sizes[i] * unit, network_power);
    }
    StoragePower pool_power = 0;
    for (const auto& member : members) pool_power += member.power;

    util::Random random(31337);
    std::vector<Draw> draws;
    for (ChainEpoch epoch = 0; epoch < kEpochs; ++epoch) {
        for (const auto& member : members) {
            const std::int64_t win_count = member.draw_win_count(random);
            if (win_count > 0) draws.push_back({epoch, member.member, win_count});
        }
    }

    std::vector<MemberPowerReport> reports;
    for (const auto& member : members) {
        reports.push_back({.member = member.member, .power = member.power,
                           .eligibility = MiningEligibility::eligible});
    }
    const double per_unit_power_expected = static_cast<double>(kThisEpochReward) /
                                           static_cast<double>(network_power) *
                                           static_cast<double>(kEpochs);
    const double expected_pool_wins = 5.0 * static_cast<double>(pool_power) /
                                      static_cast<double>(network_power) * kEpochs;

    // PPLNS: a window of 100 epochs of the pool's 20,000 TiB.
    for (const testing::NamedPolicy& policy : testing::every_policy(kFeePpm, 100 * 20'000)) {
        SCOPED_TRACE(policy.name);
        const PoolAccountingConfig config{
            .membership = {.warm_up_epochs = 0,
                           .cool_down_epochs = 0,
                           .unvested_on_leave = UnvestedOnLeave::keep_vesting},
            .policy = policy.config,
            .payout_schedule = PayoutSchedule::on_request,
            .arrears_batch_limit = kDefaultArrearsBatchLimit};
        PoolAccounting pool(config, 0);
        for (const auto& member : members) pool.member_joined(member.member, 0, 0);
        // The smoothed reserve is pre-funded so that no credit waits in arrears at the end.
        pool.reserve_deposited(kEpochs * kThisEpochReward);
        std::size_t next_draw = 0;
        for (ChainEpoch epoch = 0; epoch < kEpochs; ++epoch) {
            for (; next_draw < draws.size() && draws[next_draw].epoch == epoch; ++next_draw) {
                const AttoFil award = chain::block_reward(kThisEpochReward,
                                                          draws[next_draw].win_count);
                pool.block_rewarded(epoch, draws[next_draw].winner, award);
            }
            pool.epoch_closed({.epoch = epoch,
                               .powers = reports,
                               .network_power = network_power,
                               .this_epoch_reward = kThisEpochReward});
        }
        testing::expect_sound(pool, policy.name);
        EXPECT_EQ(pool.ledger().total_arrears(), 0);
        const double fee_factor = std::holds_alternative<SoloConfig>(policy.config)
                                      ? 1.0
                                      : 1.0 - static_cast<double>(kFeePpm) / kOneMillion;
        for (const auto& member : members) {
            const double earned = static_cast<double>(pool.member_balance(member.member).earned());
            const double ratio = earned / static_cast<double>(member.power) /
                                 (fee_factor * per_unit_power_expected);
            const double member_wins = 5.0 * static_cast<double>(member.power) /
                                       static_cast<double>(network_power) * kEpochs;
            const bool is_smoothed = std::holds_alternative<SmoothedConfig>(policy.config);
            const double tolerance = is_smoothed        ? 1e-9
                                     : policy.shares    ? kSigmas / std::sqrt(expected_pool_wins)
                                                        : kSigmas / std::sqrt(member_wins);
            EXPECT_NEAR(ratio, 1.0, tolerance) << "member " << member.member;
        }
    }
}

}  // namespace
}  // namespace minerx::pool
