// PoolAccounting as the driver sees it: events in, payments out. Warm-up and cool-down, settlement
// with and without forfeiture, PPLNS settlement waiting for the window, smoothed arrears through
// the whole machine, operator withdrawals, payout schedules, refusals of invalid requests, joins
// and leaves dated in the future, configuration bounds, and determinism.

#include "core/pool/pool_accounting.h"

#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/util/limits.h"
#include "tests/core/pool/pool_test_support.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;
using chain::StoragePower;
using testing::expect_sound;

constexpr MemberId kA = 101;
constexpr MemberId kB = 202;
constexpr ChainEpoch kVestEpochs = chain::kRewardVestingSpec.vest_period;

MemberPowerReport power_of(MemberId member, StoragePower power) {
    return {.member = member, .power = power, .eligibility = MiningEligibility::eligible};
}

EpochActions close(PoolAccounting& pool, const std::vector<MemberPowerReport>& powers,
                   StoragePower network_power = 100, AttoFil this_epoch_reward = 1000) {
    return pool.epoch_closed({.epoch = pool.open_epoch(),
                              .powers = powers,
                              .network_power = network_power,
                              .this_epoch_reward = this_epoch_reward});
}

PoolAccountingConfig config_with(RewardPolicyConfig policy, ChainEpoch warm_up,
                                 ChainEpoch cool_down,
                                 UnvestedOnLeave on_leave = UnvestedOnLeave::keep_vesting) {
    return {.membership = {.warm_up_epochs = warm_up,
                           .cool_down_epochs = cool_down,
                           .unvested_on_leave = on_leave},
            .policy = policy,
            .payout_schedule = PayoutSchedule::on_request,
            .arrears_batch_limit = kDefaultArrearsBatchLimit};
}

TEST(PoolAccounting, AWinnerInWarmUpKeepsItsBlockAndSharesOnceWarm) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 2, 2), 0);
    ASSERT_EQ(pool.member_joined(kA, 0, 0), JoinOutcome::joined);
    ASSERT_EQ(pool.member_joined(kB, 0, 0), JoinOutcome::joined);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 30), power_of(kB, 10)};
    ASSERT_EQ(pool.block_rewarded(0, kA, 1000), BlockRewardOutcome::booked);
    close(pool, powers);  // epoch 0: nobody shares yet
    EXPECT_EQ(pool.member_balance(kA).earned(), 1000);
    EXPECT_EQ(pool.member_balance(kB).earned(), 0);
    close(pool, powers);  // epoch 1
    pool.block_rewarded(2, kA, 1000);
    close(pool, powers);  // epoch 2: both share, 3:1
    EXPECT_EQ(pool.member_balance(kA).earned(), 1750);
    EXPECT_EQ(pool.member_balance(kB).earned(), 250);
    EXPECT_EQ(pool.member_balance(kB).vested_unpaid, 250 - 187);  // locked: 750 * 250 / 1000
    expect_sound(pool, "after epoch 2");
}

// A and B split a block 500/500 at epoch 0; A leaves at epoch 1 and settles at epoch 11: its
// immediate 125 is paid then, and the locked 375 as it vests: the pool grid's first step for the
// slot [0, 1440) (vest epoch 2880 + 2878 = 5758, unlocked by the close of 5759) is
// floor(375 / 180) = 2.
TEST(PoolAccounting, ALeaverIsPaidAtSettlementAndThenAsItsFundsVest) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 0, 10), 0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 10), power_of(kB, 10)};
    pool.block_rewarded(0, kB, 1000);
    close(pool, powers);
    EXPECT_EQ(pool.leave_requested(kA, 1), LeaveOutcome::leaving);
    AttoFil paid_to_a = 0;
    ChainEpoch settled_at = -1;
    std::vector<ChainEpoch> payment_epochs;
    while (pool.open_epoch() <= 5759) {
        const ChainEpoch epoch = pool.open_epoch();
        const EpochActions actions = close(pool, powers);
        if (!actions.settled_members.empty()) settled_at = epoch;
        for (const Payment& payment : actions.payments) {
            EXPECT_EQ(payment.beneficiary, Beneficiary::of_member(kA));
            paid_to_a += payment.amount;
            payment_epochs.push_back(epoch);
        }
    }
    EXPECT_EQ(settled_at, 11);
    EXPECT_EQ(payment_epochs, (std::vector<ChainEpoch>{11, 5759}));
    EXPECT_EQ(paid_to_a, 127);
    EXPECT_EQ(pool.member_balance(kA).paid, 127);
    EXPECT_EQ(pool.member_balance(kA).unvested, 373);
    EXPECT_EQ(pool.member_balance(kB).paid, 0);  // on request only
    EXPECT_EQ(pool.block_rewarded(pool.open_epoch(), kA, 5), BlockRewardOutcome::not_a_member);
    // Everything vests within 180 days plus 2879 epochs (step 180 at 518400 + 2878) and is paid.
    while (pool.open_epoch() <= kVestEpochs + chain::kEpochsPerDay) close(pool, powers);
    EXPECT_EQ(pool.member_balance(kA).paid, 500);
    EXPECT_EQ(pool.member_balance(kA).owed(), 0);
    EXPECT_EQ(pool.member_balance(kB).vested_unpaid, 500);
    expect_sound(pool, "after vesting");
}

TEST(PoolAccounting, ForfeitureSendsTheLeaversUnvestedPartToTheReserve) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 0, 10, UnvestedOnLeave::forfeit), 0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 10), power_of(kB, 10)};
    pool.block_rewarded(0, kB, 1000);
    close(pool, powers);
    pool.leave_requested(kA, 1);
    EpochActions at_settlement;
    while (pool.open_epoch() <= 11) at_settlement = close(pool, powers);
    EXPECT_EQ(at_settlement.settled_members, (std::vector<MemberId>{kA}));
    EXPECT_EQ(at_settlement.payments,
              (std::vector<Payment>{{.beneficiary = Beneficiary::of_member(kA), .amount = 125}}));
    EXPECT_EQ(pool.member_balance(kA).owed(), 0);
    EXPECT_EQ(pool.member_balance(kA).paid, 125);
    EXPECT_EQ(pool.reserve_balance().unvested, 375);
    EXPECT_EQ(pool.member_balance(kB).unvested, 375);
    expect_sound(pool, "after forfeiture");
}

// Credits of 100 per member per epoch (1000 * 1 / 10) with an empty reserve run into arrears;
// A's block at epoch 2 brings 500 of vested reserve (25% of 2000), which repays epoch 0's and
// epoch 1's credits in full and half of epoch 2's.
TEST(PoolAccounting, SmoothedArrearsAreRepaidOldestFirstFromTheReserve) {
    PoolAccounting pool(config_with(SmoothedConfig{}, 0, 0), 0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 1), power_of(kB, 1)};
    close(pool, powers, 10, 1000);
    close(pool, powers, 10, 1000);
    EXPECT_EQ(pool.ledger().total_arrears(), 400);
    EXPECT_EQ(pool.member_balance(kA).arrears, 200);
    pool.block_rewarded(2, kA, 2000);
    close(pool, powers, 10, 1000);
    EXPECT_EQ(pool.member_balance(kA).vested_unpaid, 250);
    EXPECT_EQ(pool.member_balance(kB).vested_unpaid, 250);
    EXPECT_EQ(pool.member_balance(kA).arrears, 50);
    EXPECT_EQ(pool.reserve_balance().vested_unpaid, 0);
    EXPECT_EQ(pool.reserve_balance().unvested, 1500);
    const ReserveRisk& risk = pool.ledger().reserve_risk();
    EXPECT_EQ(risk.max_total_arrears, 400);
    EXPECT_EQ(risk.epochs_in_arrears, 3);
    EXPECT_EQ(risk.min_vested_reserve, 0);
    expect_sound(pool, "after repayment");
}

TEST(PoolAccounting, SmoothedReserveAboveTheCapIsSweptToTheOperator) {
    PoolAccounting pool(
        config_with(SmoothedConfig{.fee_ppm = 0,
                                   .below_minimum = BelowMinimumRule::exclude,
                                   .reserve_cap = 300},
                    0, 0),
        0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    pool.reserve_deposited(1000);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 1), power_of(kB, 1)};
    close(pool, powers, 10, 1000);  // credits 200, reserve 800, swept to 300
    EXPECT_EQ(pool.operator_balance().vested_unpaid, 500);
    EXPECT_EQ(pool.reserve_balance().vested_unpaid, 300);
    close(pool, powers, 10, 1000);  // credits 200, reserve 100: under the cap, nothing swept
    EXPECT_EQ(pool.operator_balance().vested_unpaid, 500);
    EXPECT_EQ(pool.reserve_balance().vested_unpaid, 100);
    EXPECT_EQ(pool.ledger().reserve_deposits(), 1000);
    expect_sound(pool, "after sweeps");
}

// Winner-takes-all at 10%: A's 1000 -> A 900, operator 100; 25% of each vests at once and is paid
// at the close: 225 and 25.
TEST(PoolAccounting, EveryEpochScheduleHandsOutEveryVestedBalance) {
    PoolAccountingConfig config = config_with(WinnerTakesAllConfig{.fee_ppm = 100'000}, 0, 0);
    config.payout_schedule = PayoutSchedule::every_epoch;
    PoolAccounting pool(config, 0);
    pool.member_joined(kA, 0, 0);
    pool.block_rewarded(0, kA, 1000);
    const EpochActions actions = close(pool, {power_of(kA, 10)});
    EXPECT_EQ(actions.payments,
              (std::vector<Payment>{{.beneficiary = Beneficiary::of_member(kA), .amount = 225},
                                    {.beneficiary = Beneficiary::pool_operator(), .amount = 25}}));
    EXPECT_EQ(pool.member_balance(kA).unvested, 675);
    EXPECT_EQ(pool.operator_balance().unvested, 75);
    expect_sound(pool, "after payouts");
}

TEST(PoolAccounting, PayoutsOnRequestAreBoundedByTheVestedBalance) {
    PoolAccounting pool(config_with(SoloConfig{}, 0, 0), 0);
    pool.member_joined(kA, 0, 0);
    pool.block_rewarded(0, kA, 1000);
    close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.payout(Beneficiary::of_member(kA), 251),
              PayoutResult::insufficient_vested_balance);
    EXPECT_EQ(pool.payout(Beneficiary::of_member(kA), 250), PayoutResult::paid);
    EXPECT_EQ(pool.payout(Beneficiary::of_member(kB), 1), PayoutResult::unknown_account);
    EXPECT_TRUE(pool.pay_all_vested().empty());
    expect_sound(pool, "after payout");
}

TEST(PoolAccounting, RefusesNonMembersAndRepeatedMembershipEvents) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 5, 5), 10);
    EXPECT_EQ(pool.block_rewarded(10, kA, 1000), BlockRewardOutcome::not_a_member);
    EXPECT_EQ(pool.leave_requested(kA, 10), LeaveOutcome::not_a_member);
    EXPECT_EQ(pool.member_joined(kA, 10, 0), JoinOutcome::joined);
    EXPECT_EQ(pool.member_joined(kA, 10, 0), JoinOutcome::already_member);
    EXPECT_EQ(pool.leave_requested(kA, 10), LeaveOutcome::leaving);
    EXPECT_EQ(pool.member_joined(kA, 10, 0), JoinOutcome::cooling_down);
    EXPECT_EQ(pool.block_rewarded(10, kA, 1000), BlockRewardOutcome::booked);  // still mined for
    // A block report for another epoch is refused, not a crash (it can come from RPC; this was an
    // assertion before). The epoch report is the driver's own and stays a precondition.
    EXPECT_EQ(pool.block_rewarded(11, kA, 1000), BlockRewardOutcome::wrong_epoch);
    EXPECT_DEATH(close(pool, {power_of(kB, 1), power_of(kA, 1)}), "member < report");
}

// Reports for non-members are ignored; a member without a report has no power.
TEST(PoolAccounting, PowersAreTakenOnlyForMembers) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 0, 0), 0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    pool.block_rewarded(0, kA, 1000);
    close(pool, {power_of(7, 1000), power_of(kA, 10)});
    EXPECT_EQ(pool.member_balance(kA).earned(), 1000);
    EXPECT_EQ(pool.member_balance(kB).earned(), 0);
    EXPECT_EQ(pool.member_balance(7).earned(), 0);
}

TEST(PoolAccounting, ReportsTheNextTransition) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 100, 50), 0);
    EXPECT_EQ(pool.next_transition_epoch(), std::nullopt);
    pool.member_joined(kA, 0, 0);
    EXPECT_EQ(pool.next_transition_epoch(), 100);
    pool.leave_requested(kA, 10);
    EXPECT_EQ(pool.next_transition_epoch(), 60);
    pool.block_rewarded(0, kA, 1000);
    close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.next_transition_epoch(), 60);
    while (pool.open_epoch() <= 60) close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.next_transition_epoch(), 5759);  // slot [0, 1440) first vests at 5758
}

// The pool grid offset moves the slots: with offset 1000 a block at epoch 0 falls in the slot
// [-440, 1000), whose first step vests at -440 + 5758 = 5318. Offsets off the 12-hour grid are a
// configuration error.
TEST(PoolAccounting, ThePoolGridOffsetPlacesTheVestingSlots) {
    PoolAccountingConfig config = config_with(SoloConfig{}, 0, 0);
    config.pool_grid_offset = 1000;
    PoolAccounting pool(config, 0);
    pool.member_joined(kA, 0, 0);
    pool.block_rewarded(0, kA, 1000);
    close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.next_transition_epoch(), 5319);
    config.pool_grid_offset = 1440;
    EXPECT_EQ(pool_accounting_config_error(config),
              "pool_grid_offset must be between 0 and 1439 (got 1440)");
    config.pool_grid_offset = -1;
    EXPECT_TRUE(pool_accounting_config_error(config).has_value());
}

// The same events give the same books, and a copy is independent of its original.
TEST(PoolAccounting, IsDeterministicAndCopiesAreIndependent) {
    auto run = [](PoolAccounting& pool, int from, int to) {
        for (int step = from; step < to; ++step) {
            const ChainEpoch epoch = pool.open_epoch();
            if (step % 3 == 0) pool.block_rewarded(epoch, step % 2 == 1 ? kA : kB, 1000 + step);
            // TiB: PPLNS counts its window in TiB-epochs.
            const auto power_a = static_cast<StoragePower>(1 + (step * 7) % 9) << 40;
            const auto power_b = static_cast<StoragePower>(1 + (step * 5 + 3) % 9) << 40;
            close(pool, {power_of(kA, power_a), power_of(kB, power_b)});
        }
    };
    const PplnsConfig pplns{.fee_ppm = 30'000,
                            .below_minimum = BelowMinimumRule::exclude,
                            .window_tib_epochs = 7 * 10};
    const PoolAccountingConfig config = config_with(pplns, 2, 2);
    PoolAccounting first(config, 0);
    first.member_joined(kA, 0, 0);
    first.member_joined(kB, 0, 700);
    run(first, 0, 50);
    PoolAccounting copy = first;
    run(first, 50, 100);
    PoolAccounting again(config, 0);
    again.member_joined(kA, 0, 0);
    again.member_joined(kB, 0, 700);
    run(again, 0, 100);
    for (MemberId member : {kA, kB}) {
        EXPECT_EQ(first.member_balance(member).earned(), again.member_balance(member).earned());
        EXPECT_EQ(first.member_balance(member).unvested, again.member_balance(member).unvested);
    }
    EXPECT_EQ(copy.open_epoch(), 50);
    EXPECT_LT(copy.member_balance(kA).earned(), first.member_balance(kA).earned());
    run(copy, 50, 100);
    EXPECT_EQ(copy.member_balance(kA).earned(), first.member_balance(kA).earned());
    EXPECT_EQ(copy.member_balance(kB).earned(), first.member_balance(kB).earned());
}

// Requests that can come from RPC are refused with an outcome, and change nothing.
TEST(PoolAccounting, RefusesInvalidRequestsWithoutChangingAnything) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 5, 5), 10);
    EXPECT_EQ(pool.member_joined(kA, 9, 0), JoinOutcome::epoch_in_past);
    EXPECT_FALSE(pool.membership().is_member(kA));
    EXPECT_EQ(pool.leave_requested(kB, 9), LeaveOutcome::epoch_in_past);
    EXPECT_EQ(pool.member_joined(kA, 20, 0), JoinOutcome::joined);  // dated in the future
    EXPECT_EQ(pool.leave_requested(kA, 9), LeaveOutcome::epoch_in_past);
    EXPECT_EQ(pool.leave_requested(kA, 15), LeaveOutcome::leave_before_join);
    EXPECT_EQ(pool.membership().find(kA)->status, MemberStatus::active);
    EXPECT_EQ(pool.reserve_deposited(-1), DepositResult::invalid_amount);
    EXPECT_EQ(pool.reserve_deposited(chain::kTotalFilSupply + 1), DepositResult::invalid_amount);
    EXPECT_EQ(pool.ledger().reserve_deposits(), 0);
    EXPECT_EQ(pool.block_rewarded(11, kA, 1000), BlockRewardOutcome::wrong_epoch);
    EXPECT_EQ(pool.block_rewarded(9, kA, 1000), BlockRewardOutcome::wrong_epoch);
    EXPECT_EQ(pool.block_rewarded(10, kA, -1), BlockRewardOutcome::invalid_amount);
    EXPECT_EQ(pool.block_rewarded(10, kA, chain::kTotalFilSupply + 1),
              BlockRewardOutcome::invalid_amount);
    EXPECT_EQ(pool.payout(Beneficiary::of_member(kA), -1), PayoutResult::invalid_amount);
    EXPECT_EQ(pool.reserve_withdrawn(-1), WithdrawalResult::invalid_amount);
    EXPECT_EQ(pool.reserve_withdrawn(1), WithdrawalResult::insufficient_vested_reserve);
    close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.ledger().rewards_received(), 0);
    EXPECT_EQ(pool.reserve_balance().vested_unpaid, 0);
    expect_sound(pool, "after refusals");
}

// B's join is dated at epoch 3: before it, B is not a member (its block is not booked and it is
// not in the split even though the report carries its power); from epoch 3 on it is.
TEST(PoolAccounting, AJoinDatedInTheFutureCountsFromItsEpoch) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 0, 0), 0);
    pool.member_joined(kA, 0, 0);
    ASSERT_EQ(pool.member_joined(kB, 3, 0), JoinOutcome::joined);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 10), power_of(kB, 30)};
    EXPECT_FALSE(pool.membership().is_member(kB, 0));
    EXPECT_EQ(pool.block_rewarded(0, kB, 1000), BlockRewardOutcome::not_a_member);
    EXPECT_EQ(pool.block_rewarded(0, kA, 1000), BlockRewardOutcome::booked);
    close(pool, powers);
    EXPECT_EQ(pool.member_balance(kA).earned(), 1000);
    EXPECT_EQ(pool.member_balance(kB).earned(), 0);
    EXPECT_EQ(pool.next_transition_epoch(), 3);  // B starts sharing (warm-up 0)
    close(pool, powers);
    close(pool, powers);
    EXPECT_EQ(pool.block_rewarded(3, kB, 1000), BlockRewardOutcome::booked);
    close(pool, powers);
    EXPECT_EQ(pool.member_balance(kA).earned(), 1250);
    EXPECT_EQ(pool.member_balance(kB).earned(), 750);
    expect_sound(pool, "after the future join");
}

// A leave dated in the future stops sharing at its epoch: that is the next transition, before
// the cool-down ends.
TEST(PoolAccounting, TheNextTransitionIncludesALeaveDatedInTheFuture) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 0, 50), 0);
    pool.member_joined(kA, 0, 0);
    close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.next_transition_epoch(), std::nullopt);
    ASSERT_EQ(pool.leave_requested(kA, 100), LeaveOutcome::leaving);
    EXPECT_EQ(pool.next_transition_epoch(), 100);
    EXPECT_TRUE(pool.membership().is_sharing(kA, 99));
    EXPECT_FALSE(pool.membership().is_sharing(kA, 100));
    while (pool.open_epoch() <= 100) close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.next_transition_epoch(), 150);
}

// A miner publishes at most one block per height: a second report is refused, not booked twice.
TEST(PoolAccounting, ASecondBlockByOneMinerAtOneHeightIsRefused) {
    PoolAccounting pool(config_with(WinnerTakesAllConfig{}, 0, 0), 0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    EXPECT_EQ(pool.block_rewarded(0, kA, 1000), BlockRewardOutcome::booked);
    EXPECT_EQ(pool.block_rewarded(0, kA, 1000), BlockRewardOutcome::duplicate_block);
    EXPECT_EQ(pool.block_rewarded(0, kB, 1000), BlockRewardOutcome::booked);
    close(pool, {power_of(kA, 10), power_of(kB, 10)});
    EXPECT_EQ(pool.ledger().rewards_received(), 2000);
    EXPECT_EQ(pool.block_rewarded(1, kA, 1000), BlockRewardOutcome::booked);  // next height
}

// Under the smoothed policy with the subsidising rule: A (eligible) and C (only under the
// minimum) are credited 100 each (1000 x 1 / 10); B meets the minimum but cannot mine (fee debt,
// consensus fault): it is never credited, and its own block is its own.
TEST(PoolAccounting, AMemberThatCannotMineForAnotherReasonNeverShares) {
    constexpr MemberId kC = 303;
    PoolAccounting pool(config_with(SmoothedConfig{.fee_ppm = 0,
                                                   .below_minimum = BelowMinimumRule::include,
                                                   .reserve_cap = std::nullopt},
                                    0, 0),
                        0);
    for (MemberId member : {kA, kB, kC}) pool.member_joined(member, 0, 0);
    pool.reserve_deposited(10'000);
    pool.block_rewarded(0, kB, 400);
    close(pool,
          {power_of(kA, 1),
           {.member = kB, .power = 1, .eligibility = MiningEligibility::ineligible},
           {.member = kC, .power = 1, .eligibility = MiningEligibility::below_minimum}},
          10, 1000);
    EXPECT_EQ(pool.member_balance(kA).earned(), 100);
    EXPECT_EQ(pool.member_balance(kB).earned(), 400);
    EXPECT_EQ(pool.member_balance(kC).earned(), 100);
    expect_sound(pool, "after ineligibility");
}

// Without a reserve cap the operator takes its margin by withdrawing from the vested reserve,
// never while members are owed arrears. Fee 10%: credits 90 each (0.9 x 1000 x 1 / 10).
TEST(PoolAccounting, TheOperatorWithdrawsVestedReserveOnlyWhenNoArrearsAreOwed) {
    PoolAccounting pool(config_with(SmoothedConfig{.fee_ppm = 100'000,
                                                   .below_minimum = BelowMinimumRule::exclude,
                                                   .reserve_cap = std::nullopt},
                                    0, 0),
                        0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 1), power_of(kB, 1)};
    close(pool, powers, 10, 1000);  // 180 of credits in arrears
    EXPECT_EQ(pool.ledger().total_arrears(), 180);
    EXPECT_EQ(pool.reserve_withdrawn(0), WithdrawalResult::arrears_owed);
    EXPECT_EQ(pool.reserve_deposited(1000), DepositResult::deposited);  // repays them: 820 left
    EXPECT_EQ(pool.ledger().total_arrears(), 0);
    pool.block_rewarded(1, kA, 2000);  // to the reserve: 500 vested now, 1500 vesting
    close(pool, powers, 10, 1000);     // credits 180: 820 + 500 - 180 = 1140
    EXPECT_EQ(pool.reserve_balance().vested_unpaid, 1140);
    EXPECT_EQ(pool.reserve_withdrawn(1141), WithdrawalResult::insufficient_vested_reserve);
    EXPECT_EQ(pool.reserve_withdrawn(1000), WithdrawalResult::withdrawn);
    EXPECT_EQ(pool.reserve_balance().vested_unpaid, 140);
    EXPECT_EQ(pool.reserve_balance().unvested, 1500);
    EXPECT_EQ(pool.operator_balance().vested_unpaid, 1000);
    EXPECT_EQ(pool.payout(Beneficiary::pool_operator(), 1000), PayoutResult::paid);
    expect_sound(pool, "after the withdrawal");
}

// PPLNS window 200 TiB-epochs; A and B (10 TiB each) share from epoch 0; every epoch A wins a
// block of 1000. B asks to leave at epoch 10 with a cool-down of 2, but its 100 units of shares
// (epochs 0-9) stay in the window until A has contributed 200 more, at epoch 29: B's account
// settles then, not at 12, and B is paid for every share: while the window fills (epochs 0-9)
// 1000 x 10 (t + 1) / 200 each, 2750 in all; then 1000 x (95 - 5 k) / 200 at epoch 10 + k for
// k = 0..18, 4750 in all. Settling at 12 would have dropped 3675 of that.
TEST(PoolAccounting, APplnsLeaverSettlesOnlyOnceItsSharesHaveLeftTheWindow) {
    constexpr StoragePower kTiB = StoragePower{1} << 40;
    PoolAccounting pool(config_with(PplnsConfig{.fee_ppm = 0,
                                                .below_minimum = BelowMinimumRule::exclude,
                                                .window_tib_epochs = 200},
                                    0, 2),
                        0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    const std::vector<MemberPowerReport> powers = {power_of(kA, 10 * kTiB),
                                                   power_of(kB, 10 * kTiB)};
    ChainEpoch settled_at = -1;
    while (pool.open_epoch() < 40) {
        const ChainEpoch epoch = pool.open_epoch();
        if (epoch == 10) {
            ASSERT_EQ(pool.leave_requested(kB, 10), LeaveOutcome::leaving);
        }
        pool.block_rewarded(epoch, kA, 1000);
        const EpochActions actions = close(pool, powers);
        if (!actions.settled_members.empty()) {
            EXPECT_EQ(actions.settled_members, (std::vector<MemberId>{kB}));
            settled_at = epoch;
        }
        if (epoch == 12) {
            EXPECT_EQ(pool.members_awaiting_settlement(), (std::vector<MemberId>{kB}));
            EXPECT_EQ(pool.member_joined(kB, 13, 0), JoinOutcome::cooling_down);
        }
    }
    EXPECT_EQ(settled_at, 29);
    EXPECT_EQ(pool.member_balance(kB).earned(), 2750 + 4750);
    EXPECT_EQ(pool.member_balance(kA).earned(), 40 * 1000 - 7500 - 4500);
    EXPECT_EQ(pool.reserve_balance().owed(), 4500);  // the unfilled window of epochs 0-8
    expect_sound(pool, "after the PPLNS settlement");
}

// Departed members are visited only while they are owed something: 300 members that join, leave
// and settle with nothing owed leave no trace in the per-close work; a leaver with vesting funds
// stays until everything has vested and been paid.
TEST(PoolAccounting, DepartedMembersAreVisitedOnlyWhileTheyAreOwedMoney) {
    PoolAccounting pool(config_with(PowerProportionalConfig{}, 0, 0), 0);
    pool.member_joined(kA, 0, 0);
    pool.member_joined(kB, 0, 0);
    for (MemberId member = 1000; member < 1300; ++member) pool.member_joined(member, 0, 0);
    pool.block_rewarded(0, kA, 1000);
    close(pool, {power_of(kA, 10), power_of(kB, 10)});
    for (MemberId member = 1000; member < 1300; ++member) pool.leave_requested(member, 1);
    pool.leave_requested(kB, 1);
    const EpochActions settled = close(pool, {power_of(kA, 10), power_of(kB, 10)});
    EXPECT_EQ(settled.settled_members.size(), 301u);
    EXPECT_EQ(pool.departed_members_owed(), 1u);  // B: 375 of its 500 still vesting
    EXPECT_EQ(pool.member_balance(kB).paid, 125);
    while (pool.open_epoch() <= kVestEpochs + chain::kEpochsPerDay) close(pool, {power_of(kA, 10)});
    EXPECT_EQ(pool.member_balance(kB).paid, 500);
    EXPECT_EQ(pool.departed_members_owed(), 0u);
    expect_sound(pool, "after the departures");
}

// Durations are bounded (100 years of epochs), so that huge values are refused instead of
// wrapping when added to an epoch ("warm up for ever" turning into "share at once").
TEST(PoolAccounting, ConfigurationRefusesDurationsBeyondAHundredYears) {
    PoolAccountingConfig config = config_with(PowerProportionalConfig{}, 0, 0);
    config.membership.warm_up_epochs = std::numeric_limits<ChainEpoch>::max();
    const auto warm_up = pool_accounting_config_error(config);
    ASSERT_TRUE(warm_up.has_value());
    EXPECT_NE(warm_up->find("warm_up_epochs"), std::string::npos);
    EXPECT_NE(warm_up->find("100 years"), std::string::npos);
    config.membership.warm_up_epochs = util::kMaxConfiguredEpochs;
    EXPECT_FALSE(pool_accounting_config_error(config).has_value());
    config.membership.cool_down_epochs = util::kMaxConfiguredEpochs + 1;
    const auto cool_down = pool_accounting_config_error(config);
    ASSERT_TRUE(cool_down.has_value());
    EXPECT_NE(cool_down->find("cool_down_epochs"), std::string::npos);
    config.membership.cool_down_epochs = 0;
    config.policy = PplnsConfig{.fee_ppm = 0,
                                .below_minimum = BelowMinimumRule::exclude,
                                .window_tib_epochs = kMaxPplnsWindowTibEpochs + 1};
    EXPECT_TRUE(pool_accounting_config_error(config).has_value());
    // The longest warm-up, from a join dated near the end of time, saturates: never sharing.
    config.policy = PowerProportionalConfig{};
    PoolAccounting pool(config, 0);
    const ChainEpoch late = std::numeric_limits<ChainEpoch>::max() - 5;
    ASSERT_EQ(pool.member_joined(kA, late, 0), JoinOutcome::joined);
    EXPECT_EQ(pool.membership().find(kA)->sharing_from_epoch,
              std::numeric_limits<ChainEpoch>::max());
    EXPECT_FALSE(pool.membership().is_sharing(kA, late + 4));
}

}  // namespace
}  // namespace minerx::pool
