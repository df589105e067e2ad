// The settlement ledger: the chain's 75/25 locking and 180-day vesting reproduced per beneficiary,
// payouts bounded by vested balances, smoothed-policy arrears repaid oldest first, reserve sweeps,
// forfeiture, and the money invariant after every operation.

#include "core/pool/settlement_ledger.h"

#include <vector>

#include <gtest/gtest.h>

#include "core/chain/vesting.h"
#include "core/util/random.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;

constexpr Beneficiary kAlice = Beneficiary::of_member(11);
constexpr Beneficiary kBob = Beneficiary::of_member(22);
constexpr Beneficiary kCarol = Beneficiary::of_member(33);
constexpr ChainEpoch kVestEpochs = chain::kRewardVestingSpec.vest_period;

void expect_invariant(const SettlementLedger& ledger) {
    const LedgerInvariant invariant = ledger.check_invariant();
    EXPECT_TRUE(invariant.accounts_consistent);
    EXPECT_EQ(invariant.money_held, invariant.money_received);
}

AttoFil vested_total(const AccountBalance& balance) { return balance.vested_unpaid + balance.paid; }

TEST(Ledger, OneBeneficiaryVestsExactlyLikeTheWinnersMinerActor) {
    SettlementLedger ledger;
    const AttoFil reward = AttoFil{20} * chain::kAttoFilPerFil + 123'456'789'012'345'678;
    const ChainEpoch epoch = 1000;
    const ChainEpoch proving_period_start = 777;
    ledger.receive_reward(epoch, proving_period_start, reward, std::vector<Allocation>{
                                                                   {kAlice, reward}});
    const chain::RewardSplit split = chain::split_block_reward(reward);
    EXPECT_EQ(ledger.balance(kAlice).unvested, split.locked);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, split.available);

    chain::VestingSchedule actor;
    static_cast<void>(actor.add_locked_funds(epoch, split.locked, proving_period_start));
    AttoFil released = split.available;
    for (ChainEpoch now = epoch + 1; now <= epoch + kVestEpochs + 2 * chain::kEpochsPerDay;
         now += 97) {
        ledger.unlock_vested(now);
        released += actor.unlock_vested_funds(now);
        ASSERT_EQ(ledger.balance(kAlice).vested_unpaid, released) << "at epoch " << now;
        ASSERT_EQ(ledger.balance(kAlice).unvested, actor.total_locked());
    }
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, reward);
    EXPECT_EQ(ledger.next_vest_epoch(), std::nullopt);
    expect_invariant(ledger);
}

// R = 1000: locked 750 over allocations 500/300/200 gives 375/225/150 (exact quotas); the
// immediate parts are 125/75/50.
TEST(Ledger, LockedPartIsApportionedByAllocation) {
    SettlementLedger ledger;
    ledger.receive_reward(10, 0, 1000,
                          std::vector<Allocation>{{kAlice, 500}, {kBob, 300}, {kCarol, 200}});
    EXPECT_EQ(ledger.balance(kAlice).unvested, 375);
    EXPECT_EQ(ledger.balance(kBob).unvested, 225);
    EXPECT_EQ(ledger.balance(kCarol).unvested, 150);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 125);
    EXPECT_EQ(ledger.balance(kBob).vested_unpaid, 75);
    EXPECT_EQ(ledger.balance(kCarol).vested_unpaid, 50);
    expect_invariant(ledger);
}

// R = 7 over 3 (Alice) and 4 (operator): L = floor(21/4) = 5; quotas 15/7 and 20/7, floors 2 and
// 2, remainders 1 and 6: the leftover attoFIL is locked for the operator. Immediate: 1 and 1.
TEST(Ledger, LockedRemainderFollowsTheLargestRemainder) {
    SettlementLedger ledger;
    ledger.receive_reward(10, 0, 7,
                          std::vector<Allocation>{{kAlice, 3}, {Beneficiary::pool_operator(), 4}});
    EXPECT_EQ(ledger.balance(kAlice).unvested, 2);
    EXPECT_EQ(ledger.balance(Beneficiary::pool_operator()).unvested, 3);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 1);
    EXPECT_EQ(ledger.balance(Beneficiary::pool_operator()).vested_unpaid, 1);
    expect_invariant(ledger);
}

// Many rewards from winners with different proving periods, split randomly: at every epoch what
// the ledger has vested is at most what the winners' actors have released, and all of it in the
// end.
TEST(Ledger, NeverVestsMoreThanTheChainHasReleased) {
    util::Random random(5);
    SettlementLedger ledger;
    const std::vector<ChainEpoch> proving_period_starts = {0, 333, -100, 2000};
    std::vector<chain::VestingSchedule> actors(proving_period_starts.size());
    const std::vector<Beneficiary> beneficiaries = {kAlice, kBob, kCarol,
                                                    Beneficiary::pool_operator(),
                                                    Beneficiary::reserve()};
    AttoFil chain_released = 0;
    ChainEpoch epoch = 0;
    for (int block = 0; block < 300; ++block) {
        epoch += 1 + static_cast<ChainEpoch>(random.below(3000));
        const std::size_t winner = random.below(actors.size());
        const AttoFil reward = static_cast<AttoFil>(random.next_u64() >> 1) * 3 + 1;
        std::vector<Allocation> allocations;
        AttoFil left = reward;
        for (std::size_t i = 0; i < beneficiaries.size(); ++i) {
            const AttoFil part = i + 1 == beneficiaries.size()
                                     ? left
                                     : static_cast<AttoFil>(random.below(
                                           static_cast<std::uint64_t>(left / 4 + 1)));
            allocations.push_back({beneficiaries[i], part});
            left -= part;
        }
        ledger.receive_reward(epoch, proving_period_starts[winner], reward, allocations);
        chain_released += actors[winner].add_locked_funds(
            epoch, chain::split_block_reward(reward).locked, proving_period_starts[winner]);
        chain_released += chain::split_block_reward(reward).available;
        ledger.unlock_vested(epoch + 1);
        for (auto& actor : actors) chain_released += actor.unlock_vested_funds(epoch + 1);
        AttoFil ledger_vested = 0;
        for (const Beneficiary& beneficiary : beneficiaries) {
            ledger_vested += vested_total(ledger.balance(beneficiary));
        }
        ASSERT_LE(ledger_vested, chain_released) << "block " << block;
        expect_invariant(ledger);
    }
    const ChainEpoch end = epoch + kVestEpochs + chain::kEpochsPerDay;
    ledger.unlock_vested(end);
    for (auto& actor : actors) chain_released += actor.unlock_vested_funds(end);
    AttoFil ledger_vested = 0;
    for (const Beneficiary& beneficiary : beneficiaries) {
        ledger_vested += vested_total(ledger.balance(beneficiary));
        EXPECT_EQ(ledger.balance(beneficiary).unvested, 0);
    }
    EXPECT_EQ(ledger_vested, chain_released);
    EXPECT_EQ(ledger_vested, ledger.rewards_received());
}

TEST(Ledger, PayoutsMoveOnlyVestedBalances) {
    SettlementLedger ledger;
    ledger.receive_reward(10, 0, 1000, std::vector<Allocation>{{kAlice, 1000}});
    EXPECT_EQ(ledger.pay(kAlice, 251), PayoutResult::insufficient_vested_balance);
    EXPECT_EQ(ledger.pay(kAlice, -1), PayoutResult::invalid_amount);
    EXPECT_EQ(ledger.pay(kBob, 1), PayoutResult::unknown_account);
    EXPECT_EQ(ledger.pay(Beneficiary::reserve(), 0), PayoutResult::not_payable);
    EXPECT_EQ(ledger.pay(kAlice, 200), PayoutResult::paid);
    EXPECT_EQ(ledger.pay(kAlice, 50), PayoutResult::paid);
    const AccountBalance alice = ledger.balance(kAlice);
    EXPECT_EQ(alice.paid, 250);
    EXPECT_EQ(alice.vested_unpaid, 0);
    EXPECT_EQ(alice.unvested, 750);
    EXPECT_EQ(alice.owed(), 750);
    EXPECT_EQ(alice.earned(), 1000);
    expect_invariant(ledger);
}

// Credits of 10 (Alice, epoch 1) and 20 (Bob, epoch 2) find an empty reserve; a deposit of 15
// pays Alice's older credit in full and 5 of Bob's; the next 15 pays Bob's remaining 15.
TEST(Ledger, ArrearsAreRepaidOldestFirst) {
    SettlementLedger ledger;
    ledger.credit_from_reserve(1, std::vector<MemberCredit>{{11, 10}});
    ledger.credit_from_reserve(2, std::vector<MemberCredit>{{22, 20}});
    EXPECT_EQ(ledger.total_arrears(), 30);
    EXPECT_EQ(ledger.balance(kAlice).arrears, 10);
    EXPECT_EQ(ledger.balance(kAlice).owed(), 10);
    ledger.deposit_to_reserve(15);
    EXPECT_EQ(ledger.balance(kAlice).arrears, 0);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 10);
    EXPECT_EQ(ledger.balance(kBob).arrears, 15);
    EXPECT_EQ(ledger.balance(kBob).vested_unpaid, 5);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 0);
    expect_invariant(ledger);
    ledger.deposit_to_reserve(16);
    EXPECT_EQ(ledger.balance(kBob).arrears, 0);
    EXPECT_EQ(ledger.balance(kBob).vested_unpaid, 20);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 1);
    EXPECT_EQ(ledger.total_arrears(), 0);
    expect_invariant(ledger);
}

// One batch {Alice 30, Bob 10} and 20 available: pro rata 15 and 5.
TEST(Ledger, APartlyFundedBatchIsSharedProRata) {
    SettlementLedger ledger;
    ledger.credit_from_reserve(1, std::vector<MemberCredit>{{11, 30}, {22, 10}});
    ledger.deposit_to_reserve(20);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 15);
    EXPECT_EQ(ledger.balance(kBob).vested_unpaid, 5);
    EXPECT_EQ(ledger.balance(kAlice).arrears, 15);
    EXPECT_EQ(ledger.balance(kBob).arrears, 5);
    expect_invariant(ledger);
}

TEST(Ledger, CreditsArePaidAtOnceWhenTheReserveCoversThem) {
    SettlementLedger ledger;
    ledger.deposit_to_reserve(100);
    ledger.credit_from_reserve(1, std::vector<MemberCredit>{{11, 30}, {22, 0}, {33, 10}});
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 30);
    EXPECT_EQ(ledger.balance(kCarol).vested_unpaid, 10);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 60);
    EXPECT_EQ(ledger.total_arrears(), 0);
    EXPECT_EQ(ledger.arrears_batch_count(), 0u);
    expect_invariant(ledger);
}

// With a limit of 2 batches a third merges into the second; the first stays strictly first.
TEST(Ledger, BatchesBeyondTheLimitMergeAtTheNewestEnd) {
    SettlementLedger ledger(2);
    ledger.credit_from_reserve(1, std::vector<MemberCredit>{{11, 10}});
    ledger.credit_from_reserve(2, std::vector<MemberCredit>{{22, 10}});
    ledger.credit_from_reserve(3, std::vector<MemberCredit>{{11, 10}, {33, 20}});
    EXPECT_EQ(ledger.arrears_batch_count(), 2u);
    // 10 pays the first batch (Alice); 20 of the merged {Bob 10, Alice 10, Carol 20} pro rata.
    ledger.deposit_to_reserve(30);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 15);
    EXPECT_EQ(ledger.balance(kBob).vested_unpaid, 5);
    EXPECT_EQ(ledger.balance(kCarol).vested_unpaid, 10);
    EXPECT_EQ(ledger.total_arrears(), 20);
    expect_invariant(ledger);
}

TEST(Ledger, ReserveIncomeFromRewardsAndVestingRepaysArrears) {
    SettlementLedger ledger;
    ledger.credit_from_reserve(5, std::vector<MemberCredit>{{11, 400}});
    // 1000 to the reserve: 250 vests at once and goes to Alice's arrears.
    ledger.receive_reward(6, 0, 1000, std::vector<Allocation>{{Beneficiary::reserve(), 1000}});
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 250);
    EXPECT_EQ(ledger.balance(kAlice).arrears, 150);
    // The rest of the arrears is paid as the reserve's locked 750 vests.
    ledger.unlock_vested(6 + kVestEpochs + chain::kEpochsPerDay);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 400);
    EXPECT_EQ(ledger.balance(kAlice).arrears, 0);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 600);
    expect_invariant(ledger);
}

TEST(Ledger, SweepMovesTheReserveAboveItsCapToTheOperator) {
    SettlementLedger ledger;
    ledger.deposit_to_reserve(100);
    EXPECT_EQ(ledger.sweep_reserve_above(60), 40);
    EXPECT_EQ(ledger.sweep_reserve_above(60), 0);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 60);
    EXPECT_EQ(ledger.balance(Beneficiary::pool_operator()).vested_unpaid, 40);
    EXPECT_EQ(ledger.reserve_deposits(), 100);
    expect_invariant(ledger);
}

TEST(Ledger, ForfeitureMovesUnvestedFundsToTheReserveOnTheirSchedule) {
    SettlementLedger ledger;
    ledger.receive_reward(100, 0, 1000, std::vector<Allocation>{{kAlice, 600}, {kBob, 400}});
    EXPECT_EQ(ledger.forfeit_unvested(11), 450);
    EXPECT_EQ(ledger.forfeit_unvested(99), 0);  // no account
    EXPECT_EQ(ledger.balance(kAlice).unvested, 0);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 150);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).unvested, 450);
    expect_invariant(ledger);
    // Halfway through the vesting period the reserve has vested what Alice's schedule would have.
    chain::VestingSchedule alice_schedule;
    static_cast<void>(alice_schedule.add_locked_funds(100, 450, 0));
    const ChainEpoch halfway = 100 + kVestEpochs / 2 + 1;
    ledger.unlock_vested(halfway);
    const AttoFil reserve_vested = ledger.balance(Beneficiary::reserve()).vested_unpaid;
    EXPECT_EQ(reserve_vested, alice_schedule.unlock_vested_funds(halfway));
    EXPECT_GT(reserve_vested, 0);
    EXPECT_LT(reserve_vested, 450);
    ledger.unlock_vested(100 + kVestEpochs + chain::kEpochsPerDay);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 450);
    expect_invariant(ledger);
}

TEST(Ledger, RiskObservablesTrackArrearsAndTheReserve) {
    SettlementLedger ledger;
    ledger.deposit_to_reserve(50);
    ledger.record_epoch_closed();
    ledger.credit_from_reserve(1, std::vector<MemberCredit>{{11, 80}});
    ledger.record_epoch_closed();
    ledger.credit_from_reserve(2, std::vector<MemberCredit>{{11, 20}});
    ledger.record_epoch_closed();
    ledger.deposit_to_reserve(100);
    ledger.record_epoch_closed();
    const ReserveRisk& risk = ledger.reserve_risk();
    EXPECT_EQ(risk.max_total_arrears, 50);
    EXPECT_EQ(risk.epochs_in_arrears, 2);
    EXPECT_EQ(risk.longest_arrears_streak_epochs, 2);
    EXPECT_EQ(risk.current_arrears_streak_epochs, 0);
    EXPECT_EQ(risk.min_vested_reserve, 0);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 50);
    expect_invariant(ledger);
}

TEST(Ledger, RejectsAllocationsThatDoNotSumToTheReward) {
    SettlementLedger ledger;
    EXPECT_DEATH(ledger.receive_reward(1, 0, 10, std::vector<Allocation>{{kAlice, 9}}),
                 "sum == reward");
    EXPECT_DEATH(ledger.receive_reward(1, 0, 10, std::vector<Allocation>{{kBob, 5}, {kAlice, 5}}),
                 "beneficiary < allocations");
}

}  // namespace
}  // namespace minerx::pool
