// Pool hopping, joining before luck and leaving after it, must not pay more than staying.
//
// 1. A scripted lucky stretch: a hopper that joins just before it and leaves just after earns less
//    per unit of power-time than a member who stays, under every sharing policy with the default
//    warm-up. Without a warm-up the same hop does pay under power-proportional sharing, which is
//    what the warm-up is for.
// 2. Statistics: a hopper that acts only on the past (joins after a dry spell, leaves after a lucky
//    run; mines solo while out) earns on average no more than a stayer of the same power, within
//    a one-sided 3-standard-error bound over seeded runs. Wins are Poisson and memoryless, so the
//    past predicts nothing. The same statistic does flag a hopper that sees the future, so the
//    bound has the power to detect a real gain.
// 3. Membership events: a hopper that times other members' joins and leaves (in when a big member
//    starts sharing, out when one leaves, or the reverse) earns exactly its expectation under
//    power-proportional and smoothed, and under PPLNS within the window's epoch granularity.
//    Blocks are worth exactly their expected value every epoch, so the test is deterministic and
//    tight; with the window counted in epochs PPLNS paid such hoppers up to 5 % more (or less).

#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/reward.h"
#include "tests/core/pool/pool_test_support.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;
using chain::StoragePower;

constexpr MemberId kStayer = 1;
constexpr MemberId kOther = 2;
constexpr MemberId kHopper = 3;
constexpr StoragePower kTiB = StoragePower{1} << 40;
constexpr AttoFil kFil = chain::kAttoFilPerFil;

std::vector<MemberPowerReport> reports_of(StoragePower stayer, StoragePower other,
                                          StoragePower hopper) {
    constexpr MiningEligibility kEligible = MiningEligibility::eligible;
    return {{.member = kStayer, .power = stayer, .eligibility = kEligible},
            {.member = kOther, .power = other, .eligibility = kEligible},
            {.member = kHopper, .power = hopper, .eligibility = kEligible}};
}

// --- 1. The scripted lucky stretch ---

// A day of the two stayers' 200 TiB (the PPLNS window the test used in epochs, now in units).
constexpr std::int64_t kLuckyStretchPplnsWindowTibEpochs = 200 * chain::kEpochsPerDay;

struct ScriptedOutcome {
    double stayer_per_power_epoch = 0;
    double hopper_per_power_epoch = 0;
};

// Stayers S and O (100 TiB each) are in from epoch 0; blocks of WinCount 1 (10 FIL at a
// ThisEpochReward of 50 FIL) fall every 20 epochs, about average luck for 200 TiB of a 20 PiB
// network (5 * 200 / 20480 = 0.049 blocks per epoch), and at every epoch of the stretch
// [5000, 5200) (20x luck). The hopper (100 TiB) joins at 4999 and asks to leave at 5200.
ScriptedOutcome run_lucky_stretch(const RewardPolicyConfig& policy, ChainEpoch warm_up) {
    constexpr ChainEpoch kEpochs = 4 * chain::kEpochsPerDay;
    constexpr ChainEpoch kStretchStart = 5000;
    constexpr ChainEpoch kStretchEnd = 5200;
    constexpr ChainEpoch kJoin = kStretchStart - 1;
    const StoragePower power = 100 * kTiB;
    const PoolAccountingConfig config{
        .membership = {.warm_up_epochs = warm_up,
                       .cool_down_epochs = kDefaultCoolDownEpochs,
                       .unvested_on_leave = UnvestedOnLeave::keep_vesting},
        .policy = policy,
        .payout_schedule = PayoutSchedule::on_request,
        .arrears_batch_limit = kDefaultArrearsBatchLimit};
    PoolAccounting pool(config, 0);
    pool.reserve_deposited(100'000 * kFil);
    pool.member_joined(kStayer, 0, 0);
    pool.member_joined(kOther, 0, 0);
    const std::vector<MemberPowerReport> reports = reports_of(power, power, power);
    for (ChainEpoch epoch = 0; epoch < kEpochs; ++epoch) {
        if (epoch == kJoin) pool.member_joined(kHopper, epoch, 0);
        if (epoch == kStretchEnd) pool.leave_requested(kHopper, epoch);
        const bool lucky = epoch >= kStretchStart && epoch < kStretchEnd;
        if (lucky || epoch % 20 == 0) {
            pool.block_rewarded(epoch, epoch % 2 == 0 ? kStayer : kOther, 10 * kFil);
        }
        pool.epoch_closed({.epoch = epoch,
                           .powers = reports,
                           .network_power = 20 * 1024 * kTiB,
                           .this_epoch_reward = 50 * kFil});
    }
    testing::expect_sound(pool, "lucky stretch");
    const double power_units = 1.0;  // all three have the same power
    return ScriptedOutcome{
        .stayer_per_power_epoch = static_cast<double>(pool.member_balance(kStayer).earned()) /
                                  (power_units * static_cast<double>(kEpochs)),
        .hopper_per_power_epoch = static_cast<double>(pool.member_balance(kHopper).earned()) /
                                  (power_units * static_cast<double>(kStretchEnd - kJoin)),
    };
}

TEST(Hopping, JoiningJustBeforeALuckyStretchEarnsLessThanStayingUnderTheDefaultWarmUp) {
    for (const testing::NamedPolicy& policy :
         testing::every_policy(50'000, kLuckyStretchPplnsWindowTibEpochs)) {
        if (!policy.shares) continue;
        SCOPED_TRACE(policy.name);
        const ScriptedOutcome outcome = run_lucky_stretch(policy.config, kDefaultWarmUpEpochs);
        EXPECT_GT(outcome.stayer_per_power_epoch, 0);
        EXPECT_LT(outcome.hopper_per_power_epoch, outcome.stayer_per_power_epoch);
    }
}

TEST(Hopping, WithoutAWarmUpTheSameHopPaysUnderPowerProportionalSharing) {
    const ScriptedOutcome outcome =
        run_lucky_stretch(PowerProportionalConfig{.fee_ppm = 50'000}, 0);
    EXPECT_GT(outcome.hopper_per_power_epoch, 2 * outcome.stayer_per_power_epoch);
}

// --- 2. Hoppers acting on the past, over seeded runs ---

constexpr ChainEpoch kRunEpochs = 10'000;
constexpr int kRuns = 20;
constexpr StoragePower kUnit = 100 * kTiB;
constexpr StoragePower kNetworkPower = 50 * kUnit;  // 5 wins per epoch: 0.1 per unit of power
constexpr AttoFil kRewardPerEpoch = 5 * kFil;       // 1 FIL per WinCount, no rounding

struct EpochWins {
    std::int64_t stayer = 0;
    std::int64_t other = 0;
    std::int64_t hopper = 0;
};

// The stayer and the hopper have one unit of power each, the other members three.
std::vector<EpochWins> draw_run(std::uint64_t seed) {
    const testing::ElectedMember stayer(kStayer, kUnit, kNetworkPower);
    const testing::ElectedMember other(kOther, 3 * kUnit, kNetworkPower);
    const testing::ElectedMember hopper(kHopper, kUnit, kNetworkPower);
    util::Random random(seed);
    std::vector<EpochWins> wins(kRunEpochs);
    for (EpochWins& epoch : wins) {
        epoch.stayer = stayer.draw_win_count(random);
        epoch.other = other.draw_win_count(random);
        epoch.hopper = hopper.draw_win_count(random);
    }
    return wins;
}

enum class Hopper {
    past,    // joins after 10 epochs without a pool block, leaves after >= 7 in the last 10
    oracle,  // joins when the next 10 epochs hold >= 6 pool blocks, leaves when <= 3 (cheating)
};

std::int64_t pool_blocks(const std::vector<EpochWins>& wins, ChainEpoch from, ChainEpoch to) {
    std::int64_t blocks = 0;
    for (ChainEpoch e = std::max<ChainEpoch>(from, 0); e < std::min(to, kRunEpochs); ++e) {
        const auto& epoch = wins[static_cast<std::size_t>(e)];
        blocks += (epoch.stayer > 0 ? 1 : 0) + (epoch.other > 0 ? 1 : 0);
    }
    return blocks;
}

bool hopper_wants_in(Hopper kind, const std::vector<EpochWins>& wins, ChainEpoch epoch) {
    if (kind == Hopper::past) return epoch >= 10 && pool_blocks(wins, epoch - 10, epoch) == 0;
    return pool_blocks(wins, epoch, epoch + 10) >= 6;
}

bool hopper_wants_out(Hopper kind, const std::vector<EpochWins>& wins, ChainEpoch epoch) {
    if (kind == Hopper::past) return pool_blocks(wins, epoch - 10, epoch) >= 7;
    return pool_blocks(wins, epoch, epoch + 10) <= 3;
}

struct HopRun {
    double hopper_income = 0;  // from the pool while a member, solo while not
    double stayer_income = 0;
    int joins = 0;
};

HopRun run_hopper(const PoolAccountingConfig& config, const std::vector<EpochWins>& wins,
                  Hopper kind) {
    PoolAccounting pool(config, 0);
    pool.reserve_deposited(100'000 * kFil);
    pool.member_joined(kStayer, 0, 0);
    pool.member_joined(kOther, 0, 0);
    const std::vector<MemberPowerReport> reports = reports_of(kUnit, 3 * kUnit, kUnit);
    HopRun run;
    AttoFil solo_income = 0;
    for (ChainEpoch epoch = 0; epoch < kRunEpochs; ++epoch) {
        const MemberRecord* record = pool.membership().find(kHopper);
        const bool out = record == nullptr || record->status == MemberStatus::departed;
        const bool in = record != nullptr && record->status == MemberStatus::active;
        if (out && hopper_wants_in(kind, wins, epoch)) {
            pool.member_joined(kHopper, epoch, 0);
            ++run.joins;
        } else if (in && hopper_wants_out(kind, wins, epoch)) {
            pool.leave_requested(kHopper, epoch);
        }
        const EpochWins& won = wins[static_cast<std::size_t>(epoch)];
        if (won.stayer > 0) {
            pool.block_rewarded(epoch, kStayer, chain::block_reward(kRewardPerEpoch, won.stayer));
        }
        if (won.other > 0) {
            pool.block_rewarded(epoch, kOther, chain::block_reward(kRewardPerEpoch, won.other));
        }
        if (won.hopper > 0) {
            const AttoFil award = chain::block_reward(kRewardPerEpoch, won.hopper);
            if (pool.block_rewarded(epoch, kHopper, award) == BlockRewardOutcome::not_a_member) {
                solo_income += award;
            }
        }
        pool.epoch_closed({.epoch = epoch,
                           .powers = reports,
                           .network_power = kNetworkPower,
                           .this_epoch_reward = kRewardPerEpoch});
    }
    testing::expect_sound(pool, "hopper run");
    run.hopper_income =
        static_cast<double>(pool.member_balance(kHopper).earned() + solo_income);
    run.stayer_income = static_cast<double>(pool.member_balance(kStayer).earned());
    return run;
}

struct HopStatistics {
    double mean_gain = 0;       // mean of (hopper - stayer) / expected stayer income
    double standard_error = 0;
    int joins = 0;
};

HopStatistics hop_statistics(const PoolAccountingConfig& config, Hopper kind,
                             const std::vector<std::vector<EpochWins>>& runs) {
    const double expected_income = static_cast<double>(kRewardPerEpoch) *
                                   static_cast<double>(kUnit) /
                                   static_cast<double>(kNetworkPower) * kRunEpochs;
    std::vector<double> gains;
    HopStatistics statistics;
    for (const auto& wins : runs) {
        const HopRun run = run_hopper(config, wins, kind);
        gains.push_back((run.hopper_income - run.stayer_income) / expected_income);
        statistics.joins += run.joins;
    }
    double sum = 0;
    for (double gain : gains) sum += gain;
    statistics.mean_gain = sum / static_cast<double>(gains.size());
    double squares = 0;
    for (double gain : gains) {
        squares += (gain - statistics.mean_gain) * (gain - statistics.mean_gain);
    }
    const double deviation = std::sqrt(squares / static_cast<double>(gains.size() - 1));
    statistics.standard_error = deviation / std::sqrt(static_cast<double>(gains.size()));
    return statistics;
}

std::vector<std::vector<EpochWins>> seeded_runs() {
    std::vector<std::vector<EpochWins>> runs;
    for (int run = 0; run < kRuns; ++run) {
        runs.push_back(draw_run(9000 + static_cast<std::uint64_t>(run)));
    }
    return runs;
}

// No fee: a hopper out of the pool mines solo and would otherwise gain the fee it does not pay.
// Gating scaled to the 10,000-epoch runs: warm-up 20, cool-down 60, PPLNS window 60 epochs of the
// stayers' 400 TiB (24,000 TiB-epochs).
PoolAccountingConfig statistics_config(RewardPolicyConfig policy, ChainEpoch warm_up,
                                       ChainEpoch cool_down) {
    return {.membership = {.warm_up_epochs = warm_up,
                           .cool_down_epochs = cool_down,
                           .unvested_on_leave = UnvestedOnLeave::keep_vesting},
            .policy = policy,
            .payout_schedule = PayoutSchedule::on_request,
            .arrears_batch_limit = kDefaultArrearsBatchLimit};
}

TEST(Hopping, AHopperActingOnThePastEarnsNoMoreThanAStayer) {
    const auto runs = seeded_runs();
    for (const testing::NamedPolicy& policy : testing::every_policy(0, 60 * 400)) {
        if (!policy.shares) continue;
        SCOPED_TRACE(policy.name);
        const HopStatistics statistics =
            hop_statistics(statistics_config(policy.config, 20, 60), Hopper::past, runs);
        EXPECT_GT(statistics.joins, 10 * kRuns);  // it did hop, often
        EXPECT_LE(statistics.mean_gain, 3 * statistics.standard_error)
            << "mean gain " << statistics.mean_gain << " +- " << statistics.standard_error;
    }
}

// --- 3. Hoppers acting on other members' joins and leaves ---

enum class EventHopper {
    ramp_up,          // joins when a big member joins (sharing with it), leaves a window later
    join_then_leave,  // joins when a big member joins, leaves when a big member leaves
    after_leave,      // joins when a big member leaves, leaves when a big member joins
};

struct EventHopRun {
    double pool_deviation = 0;  // (income - expectation) / expectation over its member epochs
    int joins = 0;
    bool settled_with_nothing_held = false;
};

// Stayer S (100 units) from epoch 0; big member B (100 units) joins at 1000 and asks to leave at
// 3000 in each 4000-epoch cycle; for join_then_leave a second big member C (100 units, in from 0)
// asks to leave at 1500 and rejoins at 2500. The hopper (1 unit) reacts to those events for four
// cycles and mines solo while out. Every epoch each member's block is worth exactly its expected
// reward ThisEpochReward x p / P (every policy splits linearly, so this is the expectation path).
// No fee: a hopper mining solo would otherwise gain the fee. Warm-up 10; cool-down 100, shorter
// than PPLNS's window: a leaver's shares must still be paid in full (its settlement waits).
EventHopRun run_event_hopper(const RewardPolicyConfig& policy, EventHopper kind) {
    constexpr MemberId kBig = 4;
    constexpr ChainEpoch kCycle = 4000;
    constexpr ChainEpoch kHoppingEpochs = 4 * kCycle;
    constexpr ChainEpoch kEpochs = kHoppingEpochs + 6000;  // the last shares leave the window
    constexpr ChainEpoch kStay = 500;                       // ramp_up: a window at 201 units
    const StoragePower network_power = 10'000 * kUnit;
    const AttoFil reward = 1'000'000 * kFil;
    std::map<MemberId, StoragePower> powers = {
        {kStayer, 100 * kUnit}, {kOther, 100 * kUnit}, {kHopper, kUnit}, {kBig, 100 * kUnit}};
    const auto expected_award = [&](MemberId member) {
        return reward * static_cast<AttoFil>(powers.at(member) / kTiB) /
               static_cast<AttoFil>(network_power / kTiB);
    };
    PoolAccounting pool({.membership = {.warm_up_epochs = 10,
                                        .cool_down_epochs = 100,
                                        .unvested_on_leave = UnvestedOnLeave::keep_vesting},
                         .policy = policy},
                        0);
    pool.reserve_deposited(100'000'000 * kFil);
    pool.member_joined(kStayer, 0, 0);
    const bool with_other = kind == EventHopper::join_then_leave;
    if (with_other) pool.member_joined(kOther, 0, 0);
    EventHopRun run;
    AttoFil solo_income = 0;
    ChainEpoch joined_at = 0;
    std::int64_t member_epochs = 0;
    for (ChainEpoch epoch = 0; epoch < kEpochs; ++epoch) {
        const ChainEpoch in_cycle = epoch % kCycle;
        bool big_join = false;
        bool big_leave = false;
        if (in_cycle == 1000) big_join = pool.member_joined(kBig, epoch, 0) == JoinOutcome::joined;
        if (in_cycle == 3000) {
            big_leave = pool.leave_requested(kBig, epoch) == LeaveOutcome::leaving;
        }
        if (with_other && in_cycle == 1500) {
            big_leave = pool.leave_requested(kOther, epoch) == LeaveOutcome::leaving;
        }
        if (with_other && in_cycle == 2500) {
            big_join = pool.member_joined(kOther, epoch, 0) == JoinOutcome::joined;
        }
        const MemberRecord* record = pool.membership().find(kHopper);
        const bool out = record == nullptr || record->status == MemberStatus::departed;
        const bool in = record != nullptr && record->status == MemberStatus::active;
        const bool wants_in = kind == EventHopper::after_leave ? big_leave : big_join;
        const bool wants_out = kind == EventHopper::ramp_up       ? epoch == joined_at + kStay
                               : kind == EventHopper::after_leave ? big_join
                                                                  : big_leave;
        if (out && wants_in && epoch < kHoppingEpochs) {
            pool.member_joined(kHopper, epoch, 0);
            joined_at = epoch;
            ++run.joins;
        } else if (in && wants_out) {
            pool.leave_requested(kHopper, epoch);
        }
        std::vector<MemberPowerReport> reports;
        for (const auto& [member, power] : powers) {
            const BlockRewardOutcome booked =
                pool.block_rewarded(epoch, member, expected_award(member));
            if (member == kHopper) {
                if (booked == BlockRewardOutcome::booked) ++member_epochs;
                if (booked == BlockRewardOutcome::not_a_member) {
                    solo_income += expected_award(member);
                }
            }
            reports.push_back(
                {.member = member, .power = power, .eligibility = MiningEligibility::eligible});
        }
        pool.epoch_closed({.epoch = epoch,
                           .powers = reports,
                           .network_power = network_power,
                           .this_epoch_reward = reward});
    }
    testing::expect_sound(pool, "event hopper");
    const double expected_per_epoch = static_cast<double>(expected_award(kHopper));
    const double income =
        static_cast<double>(pool.member_balance(kHopper).earned() + solo_income);
    run.pool_deviation = (income - expected_per_epoch * static_cast<double>(kEpochs)) /
                         (expected_per_epoch * static_cast<double>(member_epochs));
    const MemberRecord* record = pool.membership().find(kHopper);
    run.settled_with_nothing_held = record != nullptr &&
                                    record->status == MemberStatus::departed &&
                                    !pool.policy().holds_shares(kHopper);
    return run;
}

TEST(Hopping, AHopperActingOnOtherMembersJoinsAndLeavesGainsNothing) {
    // PPLNS window: 500 epochs of the 201 units of stayer, other member and hopper. A unit of
    // shares is paid by the blocks of the next W units to within one epoch of the pool's units
    // (at most 301 units with the big member in), so the bound is 301 / (500 x 201), 0.3 %. The
    // other policies pay the expectation exactly (to the attoFIL's rounding).
    constexpr std::int64_t kWindowTibEpochs = std::int64_t{500} * 201 * 100;
    const double pplns_bound = 301.0 / (500.0 * 201.0);
    for (const testing::NamedPolicy& policy : testing::every_policy(0, kWindowTibEpochs)) {
        if (!policy.shares) continue;
        const bool is_pplns = std::holds_alternative<PplnsConfig>(policy.config);
        for (EventHopper kind :
             {EventHopper::ramp_up, EventHopper::join_then_leave, EventHopper::after_leave}) {
            SCOPED_TRACE(policy.name + " hopper " + std::to_string(static_cast<int>(kind)));
            const EventHopRun run = run_event_hopper(policy.config, kind);
            EXPECT_GE(run.joins, 4);
            EXPECT_TRUE(run.settled_with_nothing_held);
            EXPECT_LE(std::abs(run.pool_deviation), is_pplns ? pplns_bound : 1e-9)
                << "deviation " << run.pool_deviation;
        }
    }
}

TEST(Hopping, TheStatisticDetectsAHopperThatSeesTheFuture) {
    const HopStatistics statistics = hop_statistics(
        statistics_config(PowerProportionalConfig{}, 0, 0), Hopper::oracle, seeded_runs());
    EXPECT_GT(statistics.mean_gain, 3 * statistics.standard_error)
        << "mean gain " << statistics.mean_gain << " +- " << statistics.standard_error;
}

}  // namespace
}  // namespace minerx::pool
