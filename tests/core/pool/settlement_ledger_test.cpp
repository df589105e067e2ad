// The settlement ledger: the chain's 75/25 split, the pool vesting schedule (never ahead of the
// winners' miner actors, under a day behind them, bounded state), payouts bounded by vested
// balances, smoothed-policy arrears repaid oldest first (kept compactly, checked against a
// per-member-per-batch reference), reserve sweeps, operator withdrawals, refused deposits,
// forfeiture, and the money invariant after every operation.

#include "core/pool/settlement_ledger.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/vesting.h"
#include "core/math/mul_div.h"
#include "core/pool/apportion.h"
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

AttoFil vested_total_of(const SettlementLedger& ledger, const std::vector<Beneficiary>& who) {
    AttoFil total = 0;
    for (const Beneficiary& beneficiary : who) total += vested_total(ledger.balance(beneficiary));
    return total;
}

// Rewards of 1 attoFIL to ~2^65: dust (1-3 attoFIL: the chain vests none of it before half
// time), tiny, small and block-sized ones; `mix` (0-3) admits the first mix + 1 of these kinds.
AttoFil random_reward(util::Random& random, std::uint64_t mix) {
    switch (random.below(mix + 1)) {
        case 0: return 1 + static_cast<AttoFil>(random.below(3));
        case 1: return 1 + static_cast<AttoFil>(random.below(1000));
        case 2: return 1 + static_cast<AttoFil>(random.below(std::uint64_t{1} << 40));
        default: return static_cast<AttoFil>(random.next_u64() >> 1) * 6 + 1;
    }
}

// A random split of reward over `who` (ascending), some parts zero.
std::vector<Allocation> random_allocations(util::Random& random,
                                           const std::vector<Beneficiary>& who, AttoFil reward) {
    std::vector<Allocation> allocations;
    AttoFil left = reward;
    for (std::size_t i = 0; i < who.size(); ++i) {
        const AttoFil part =
            i + 1 == who.size()
                ? left
                : static_cast<AttoFil>(random.below(static_cast<std::uint64_t>(left / 2 + 1)));
        allocations.push_back({who[i], part});
        left -= part;
    }
    return allocations;
}

// R = 4000 at epoch 100 (pool grid offset 0, so slot [0, 1440)): L = 3000 locked, 1000 at once.
// Step k vests at P_k = 2880 k + 2878 (unlocked from P_k + 1) and brings the vested locked part to
// floor(3000 k / 180) = floor(50 k / 3): 16 at 5759, 33 at 8639, 2983 at 518399 (k = 179), all
// 3000 at 521279 (k = 180).
TEST(Ledger, OneRewardVestsOnThePoolGridHandComputed) {
    SettlementLedger ledger;
    ledger.receive_reward(100, 777, 4000, std::vector<Allocation>{{kAlice, 4000}});
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 1000);
    EXPECT_EQ(ledger.balance(kAlice).unvested, 3000);
    EXPECT_EQ(ledger.next_vest_epoch(), 5758);
    EXPECT_EQ(ledger.vesting_bucket_count(kAlice), 1u);
    const std::vector<std::pair<ChainEpoch, AttoFil>> expected = {
        {5758, 1000},         {5759, 1016},         {8638, 1016},   {8639, 1033},
        {518398, 1000 + 2966}, {518399, 1000 + 2983}, {521278, 3983}, {521279, 4000}};
    for (const auto& [epoch, vested] : expected) {
        ledger.unlock_vested(epoch);
        EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, vested) << "at epoch " << epoch;
        EXPECT_EQ(ledger.balance(kAlice).unvested, 4000 - vested) << "at epoch " << epoch;
    }
    EXPECT_EQ(ledger.next_vest_epoch(), std::nullopt);
    EXPECT_EQ(ledger.vesting_bucket_count(kAlice), 0u);
    expect_invariant(ledger);
}

// One beneficiary, one large reward, against the winner's own actor (chain::VestingSchedule, the
// miner actor's table), checked at every epoch: never ahead of it, and never more than 2878
// epochs behind it (by the epoch the actor has vested k steps, plus 2878, the ledger has vested
// floor(L k / 180)). The reward is booked at 1760, the last epoch of the pool slot [321, 1761);
// proving-period start 1759 puts the winner's grid one epoch before it, so the actor rounds every
// step up by the full 1439 epochs and vests it at the same epoch as the pool: the tight case.
TEST(Ledger, OneRewardVestsBehindTheWinnersActorByLessThanADay) {
    for (const ChainEpoch proving_period_start : {ChainEpoch{1759}, ChainEpoch{0}, ChainEpoch{777},
                                                  ChainEpoch{-5}, ChainEpoch{1760}}) {
        SCOPED_TRACE(proving_period_start);
        SettlementLedger ledger(kDefaultArrearsBatchLimit, 321);
        const AttoFil reward = AttoFil{20} * chain::kAttoFilPerFil + 123'456'789'012'345'678;
        const ChainEpoch epoch = 1760;
        ledger.receive_reward(epoch, proving_period_start, reward,
                              std::vector<Allocation>{{kAlice, reward}});
        const chain::RewardSplit split = chain::split_block_reward(reward);
        chain::VestingSchedule actor;
        static_cast<void>(actor.add_locked_funds(epoch, split.locked, proving_period_start));
        const std::vector<chain::VestingFund> steps(actor.funds().begin(), actor.funds().end());
        ASSERT_EQ(steps.size(), 180u);
        if (proving_period_start == 1759) {
            EXPECT_EQ(steps[0].epoch, pool_vest_epoch(321, 1));
        }
        AttoFil released = split.available;
        std::int64_t steps_a_day_ago = 0;  // actor steps vested before now - 2878
        for (ChainEpoch now = epoch + 1; now <= epoch + kVestEpochs + 2 * chain::kEpochsPerDay;
             ++now) {
            ledger.unlock_vested(now);
            released += actor.unlock_vested_funds(now);
            while (steps_a_day_ago < 180 && steps[static_cast<std::size_t>(steps_a_day_ago)].epoch <
                                                now - 2878) {
                ++steps_a_day_ago;
            }
            const AttoFil vested = ledger.balance(kAlice).vested_unpaid;
            ASSERT_LE(vested, released) << "at epoch " << now;
            ASSERT_GE(vested - split.available, split.locked * steps_a_day_ago / 180)
                << "at epoch " << now;
        }
        EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, reward);
        EXPECT_EQ(ledger.next_vest_epoch(), std::nullopt);
        expect_invariant(ledger);
    }
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

// Two parts of 100 locked (R = 134 each) for Alice in one slot: S = 200, n = 2. Pooled naively,
// step 1 would vest floor(200 / 180) = 1 while the chain has released floor(100 / 180) = 0 of
// each reward. V(1) = floor((200 - 179) / 180) = 0; V(2) = floor((400 - 179) / 180) = 1 (the
// chain: 1 + 1); V(9) = floor((1800 - 179) / 180) = 9 (the chain: 5 + 5).
TEST(Ledger, PartsPooledInOneSlotNeverVestAheadOfTheirSeparateFloors) {
    SettlementLedger ledger;
    ledger.receive_reward(10, 0, 134, std::vector<Allocation>{{kAlice, 134}});
    ledger.receive_reward(20, 0, 134, std::vector<Allocation>{{kAlice, 134}});
    EXPECT_EQ(ledger.balance(kAlice).unvested, 200);
    EXPECT_EQ(ledger.vesting_bucket_count(kAlice), 1u);
    const AttoFil immediate = 2 * 34;
    ledger.unlock_vested(pool_vest_epoch(0, 1) + 1);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, immediate);
    ledger.unlock_vested(pool_vest_epoch(0, 2) + 1);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, immediate + 1);
    ledger.unlock_vested(pool_vest_epoch(0, 9) + 1);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, immediate + 9);
    ledger.unlock_vested(pool_vest_epoch(0, 180) + 1);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 268);
    expect_invariant(ledger);
}

// Tiny locked parts need no rule of their own. One part of 5 (R = 7) vests floor(5 k / 180): its
// first attoFIL at step 36. A hundred parts of 1 (R = 2) in one slot have V(k) =
// floor((100 k - 179 * 99) / 180) = 0 for every k < 180: they vest at the last step, as each
// reward's floor(k / 180) does on chain.
TEST(Ledger, TinyLockedPartsVestAsTheirFloorsAllow) {
    SettlementLedger ledger;
    ledger.receive_reward(0, 0, 7, std::vector<Allocation>{{kAlice, 7}});
    EXPECT_EQ(ledger.balance(kAlice).unvested, 5);
    ledger.unlock_vested(pool_vest_epoch(0, 35) + 1);
    EXPECT_EQ(ledger.balance(kAlice).unvested, 5);
    ledger.unlock_vested(pool_vest_epoch(0, 36) + 1);
    EXPECT_EQ(ledger.balance(kAlice).unvested, 4);

    SettlementLedger many;
    for (ChainEpoch epoch = 0; epoch < 100; ++epoch) {
        many.receive_reward(epoch, epoch * 13, 2, std::vector<Allocation>{{kBob, 2}});
    }
    EXPECT_EQ(many.balance(kBob).unvested, 100);
    EXPECT_EQ(many.vesting_bucket_count(kBob), 1u);
    many.unlock_vested(pool_vest_epoch(0, 179) + 1);
    EXPECT_EQ(many.balance(kBob).unvested, 100);
    many.unlock_vested(pool_vest_epoch(0, 180) + 1);
    EXPECT_EQ(many.balance(kBob).unvested, 0);
    EXPECT_EQ(many.balance(kBob).vested_unpaid, 200);
    expect_invariant(many);
}

// The contract, as a property: rewards from winners with random proving periods, split randomly
// over the beneficiaries, many to a slot. At EVERY epoch the ledger's total vested is at most
// what the winners' actors (exact chain::VestingSchedule replicas) have released, and once
// everything has vested the two are equal. Run 0 books only dust, where the rounding slack of
// pooled parts decides (pooling without it pays dust the chain has not released); the later runs
// mix in tiny, small and block-sized rewards (up to ~55 FIL).
TEST(Ledger, NeverVestsMoreThanTheWinnersActorsHaveReleased) {
    util::Random random(5);
    const std::vector<Beneficiary> beneficiaries = {kAlice, kBob, kCarol,
                                                    Beneficiary::pool_operator(),
                                                    Beneficiary::reserve()};
    for (std::uint64_t run_index = 0; run_index < 5; ++run_index) {
        const auto grid_offset = static_cast<ChainEpoch>(random.below(1440));
        SCOPED_TRACE("pool grid offset " + std::to_string(grid_offset));
        SettlementLedger ledger(kDefaultArrearsBatchLimit, grid_offset);
        std::vector<ChainEpoch> proving_period_starts;
        for (int i = 0; i < 12; ++i) {
            proving_period_starts.push_back(static_cast<ChainEpoch>(random.below(6000)) - 1000);
        }
        std::vector<chain::VestingSchedule> actors(proving_period_starts.size());
        AttoFil chain_released = 0;
        AttoFil rewards = 0;
        ChainEpoch next_reward = static_cast<ChainEpoch>(random.below(1000)) - 500;
        const ChainEpoch last_reward = next_reward + 40 * chain::kEpochsPerDay;
        const ChainEpoch end = last_reward + kVestEpochs + chain::kEpochsPerDay;
        for (ChainEpoch epoch = next_reward; epoch <= end; ++epoch) {
            while (epoch == next_reward && epoch <= last_reward) {
                const std::size_t winner = random.below(actors.size());
                const AttoFil reward = random_reward(random, std::min<std::uint64_t>(run_index, 3));
                const std::vector<Allocation> allocations =
                    random_allocations(random, beneficiaries, reward);
                ledger.receive_reward(epoch, proving_period_starts[winner], reward, allocations);
                const chain::RewardSplit split = chain::split_block_reward(reward);
                chain_released += split.available;
                chain_released += actors[winner].add_locked_funds(epoch, split.locked,
                                                                  proving_period_starts[winner]);
                rewards += reward;
                next_reward += static_cast<ChainEpoch>(random.below(400));
            }
            ledger.unlock_vested(epoch);
            for (auto& actor : actors) chain_released += actor.unlock_vested_funds(epoch);
            ASSERT_LE(vested_total_of(ledger, beneficiaries), chain_released) << "epoch " << epoch;
        }
        for (const Beneficiary& beneficiary : beneficiaries) {
            EXPECT_EQ(ledger.balance(beneficiary).unvested, 0);
        }
        EXPECT_EQ(vested_total_of(ledger, beneficiaries), chain_released);
        EXPECT_EQ(chain_released, rewards);
        EXPECT_EQ(ledger.rewards_received(), rewards);
        expect_invariant(ledger);
    }
}

// A year of rewards, eight a day at random epochs, each from one of 1,000 winners with distinct
// proving periods (a schedule per winner grid would need up to 1,000 per beneficiary), split
// between two members and the operator. No account ever holds more than kMaxVestingBuckets
// buckets, and the bound is nearly reached.
TEST(Ledger, BucketsPerAccountStayWithinTheBoundWhateverTheWinners) {
    util::Random random(2021);
    SettlementLedger ledger;
    const std::vector<Beneficiary> beneficiaries = {kAlice, kBob, Beneficiary::pool_operator()};
    std::size_t most_buckets = 0;
    for (ChainEpoch day = 0; day < 365; ++day) {
        std::vector<ChainEpoch> epochs;
        for (int i = 0; i < 8; ++i) {
            epochs.push_back(day * chain::kEpochsPerDay +
                             static_cast<ChainEpoch>(random.below(chain::kEpochsPerDay)));
        }
        std::sort(epochs.begin(), epochs.end());
        for (ChainEpoch epoch : epochs) {
            const auto winner = static_cast<ChainEpoch>(random.below(1000));
            const AttoFil reward = AttoFil{10} * chain::kAttoFilPerFil + winner;
            ledger.receive_reward(epoch, winner * 29 - 7000, reward,
                                  random_allocations(random, beneficiaries, reward));
            for (const Beneficiary& beneficiary : beneficiaries) {
                const std::size_t buckets = ledger.vesting_bucket_count(beneficiary);
                ASSERT_LE(buckets, kMaxVestingBuckets) << "epoch " << epoch;
                most_buckets = std::max(most_buckets, buckets);
            }
        }
    }
    EXPECT_GE(most_buckets, kMaxVestingBuckets - 12);
    expect_invariant(ledger);
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
    SettlementLedger kept;  // the same reward, Alice keeping hers
    for (SettlementLedger* books : {&ledger, &kept}) {
        books->receive_reward(100, 0, 1000, std::vector<Allocation>{{kAlice, 600}, {kBob, 400}});
    }
    EXPECT_EQ(ledger.forfeit_unvested(11), 450);
    EXPECT_EQ(ledger.forfeit_unvested(99), 0);  // no account
    EXPECT_EQ(ledger.balance(kAlice).unvested, 0);
    EXPECT_EQ(ledger.balance(kAlice).vested_unpaid, 150);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).unvested, 450);
    EXPECT_EQ(ledger.vesting_bucket_count(kAlice), 0u);
    EXPECT_EQ(ledger.vesting_bucket_count(Beneficiary::reserve()), 1u);
    expect_invariant(ledger);
    // Halfway through the vesting period the reserve has vested what Alice would have.
    const ChainEpoch halfway = 100 + kVestEpochs / 2 + 1;
    ledger.unlock_vested(halfway);
    kept.unlock_vested(halfway);
    const AttoFil reserve_vested = ledger.balance(Beneficiary::reserve()).vested_unpaid;
    EXPECT_EQ(reserve_vested, kept.balance(kAlice).vested_unpaid - 150);
    EXPECT_EQ(reserve_vested, 450 * 89 / 180);  // 89 steps by then (P_89 = 259198 < halfway)
    ledger.unlock_vested(100 + kVestEpochs + chain::kEpochsPerDay);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 450);
    expect_invariant(ledger);
}

// The reserve's own bucket and a forfeited one for the same slot merge into one (S and n add up);
// other slots stay apart. Locked parts: slot 0 Alice 450 and reserve 300 (R = 1000 at epoch 10),
// slot 1440 Alice 750 (epoch 2000), slot 2880 reserve 750 (epoch 4000). By epoch 11519 slot 0 has
// had 3 steps (Alice floor(450 * 3 / 180) = 7, reserve 5), slot 1440 two (Alice 8), slot 2880 two
// (reserve 8), so Alice forfeits 443 + 742 = 1185. At 14399: the merged slot-0 bucket (S = 750,
// n = 2, 12 released) reaches floor((750 * 4 - 179) / 180) = 15 (+3); slots 1440 and 2880 reach
// step 3, floor(750 * 3 / 180) = 12 each (+4 and +4).
TEST(Ledger, ForfeitedBucketsMergeWithTheReservesBySlot) {
    SettlementLedger ledger;
    ledger.receive_reward(10, 0, 1000, std::vector<Allocation>{{kAlice, 600},
                                                               {Beneficiary::reserve(), 400}});
    ledger.receive_reward(2000, 0, 1000, std::vector<Allocation>{{kAlice, 1000}});
    ledger.receive_reward(4000, 0, 1000, std::vector<Allocation>{{Beneficiary::reserve(), 1000}});
    ledger.unlock_vested(11519);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 100 + 250 + 5 + 8);
    EXPECT_EQ(ledger.forfeit_unvested(11), 1185);
    EXPECT_EQ(ledger.vesting_bucket_count(Beneficiary::reserve()), 3u);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).unvested, 1185 + 295 + 742);
    expect_invariant(ledger);
    ledger.unlock_vested(14399);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 363 + 3 + 4 + 4);
    ledger.unlock_vested(pool_vest_epoch(2880, 180) + 1);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).unvested, 0);
    EXPECT_EQ(ledger.vesting_bucket_count(Beneficiary::reserve()), 0u);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid +
                  ledger.balance(kAlice).vested_unpaid,
              3000);
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

TEST(Ledger, RejectsTimeGoingBackwardsAndOffsetsOffTheGrid) {
    SettlementLedger ledger;
    ledger.unlock_vested(100);
    EXPECT_DEATH(ledger.receive_reward(99, 0, 10, std::vector<Allocation>{{kAlice, 10}}),
                 "epoch >= latest_epoch_");
    EXPECT_DEATH(ledger.unlock_vested(99), "epoch >= latest_epoch_");
    EXPECT_DEATH(SettlementLedger(1, 1440), "pool_grid_offset_ < kVestingSlotEpochs");
    EXPECT_DEATH(SettlementLedger(1, -1), "pool_grid_offset_ >= 0");
}

// Slots start on the pool grid: with offset 1000, epoch 0 lies in [-440, 1000) and epoch 1000
// starts the next slot.
TEST(Ledger, SlotsFollowThePoolGridOffset) {
    EXPECT_EQ(vesting_slot_start(0, 1000), -440);
    EXPECT_EQ(vesting_slot_start(999, 1000), -440);
    EXPECT_EQ(vesting_slot_start(1000, 1000), 1000);
    EXPECT_EQ(vesting_slot_start(-441, 1000), -1880);
    EXPECT_EQ(vesting_slot_start(1439, 0), 0);
    EXPECT_EQ(vesting_slot_start(1440, 0), 1440);
    SettlementLedger ledger(kDefaultArrearsBatchLimit, 1000);
    ledger.receive_reward(0, 0, 1000, std::vector<Allocation>{{kAlice, 1000}});
    EXPECT_EQ(ledger.next_vest_epoch(), pool_vest_epoch(-440, 1));
}

TEST(Ledger, DepositsOutsideZeroToTheSupplyAreRefused) {
    SettlementLedger ledger;
    EXPECT_EQ(ledger.deposit_to_reserve(-1), DepositResult::invalid_amount);
    EXPECT_EQ(ledger.deposit_to_reserve(chain::kTotalFilSupply + 1), DepositResult::invalid_amount);
    EXPECT_EQ(ledger.deposit_to_reserve(0), DepositResult::deposited);
    EXPECT_EQ(ledger.deposit_to_reserve(chain::kTotalFilSupply), DepositResult::deposited);
    EXPECT_EQ(ledger.reserve_deposits(), chain::kTotalFilSupply);
    expect_invariant(ledger);
}

// The operator's withdrawal moves vested reserve to its own vested balance; refused while any
// member is owed arrears and beyond the vested reserve (unvested reserve cannot be withdrawn).
TEST(Ledger, TheOperatorWithdrawsFromTheVestedReserveOnlyWithoutArrears) {
    SettlementLedger ledger;
    ledger.receive_reward(10, 0, 1000, std::vector<Allocation>{{Beneficiary::reserve(), 1000}});
    EXPECT_EQ(ledger.withdraw_from_reserve(251), WithdrawalResult::insufficient_vested_reserve);
    ledger.credit_from_reserve(11, std::vector<MemberCredit>{{11, 300}});  // 250 repaid, 50 owed
    EXPECT_EQ(ledger.total_arrears(), 50);
    EXPECT_EQ(ledger.withdraw_from_reserve(0), WithdrawalResult::arrears_owed);
    ledger.deposit_to_reserve(100);
    EXPECT_EQ(ledger.withdraw_from_reserve(-1), WithdrawalResult::invalid_amount);
    EXPECT_EQ(ledger.withdraw_from_reserve(51), WithdrawalResult::insufficient_vested_reserve);
    EXPECT_EQ(ledger.withdraw_from_reserve(50), WithdrawalResult::withdrawn);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, 0);
    EXPECT_EQ(ledger.balance(Beneficiary::reserve()).unvested, 750);
    EXPECT_EQ(ledger.balance(Beneficiary::pool_operator()).vested_unpaid, 50);
    EXPECT_EQ(ledger.pay(Beneficiary::pool_operator(), 50), PayoutResult::paid);
    expect_invariant(ledger);
}

// The arrears as the ledger kept them before they were stored compactly: a queue of batches each
// listing every member's credit, merged at the newest end past the limit, repaid oldest first and
// pro rata within the front batch. The compact ledger must repay exactly like it.
class ReferenceArrears {
public:
    explicit ReferenceArrears(std::size_t limit) : limit_(limit) {}

    void credit(const std::vector<MemberCredit>& credits) {
        AttoFil total = 0;
        for (const MemberCredit& credit : credits) total += credit.amount;
        if (total == 0) return;
        if (batches_.empty() && reserve_ >= total) {
            for (const MemberCredit& credit : credits) vested_[credit.member] += credit.amount;
            reserve_ -= total;
            return;
        }
        std::map<MemberId, AttoFil> batch;
        for (const MemberCredit& credit : credits) {
            if (credit.amount > 0) batch[credit.member] += credit.amount;
        }
        batches_.push_back(batch);
        if (batches_.size() > limit_) {
            for (const auto& [member, amount] : batches_.back()) {
                batches_[batches_.size() - 2][member] += amount;
            }
            batches_.pop_back();
        }
        fund();
    }
    void deposit(AttoFil amount) {
        reserve_ += amount;
        fund();
    }
    AttoFil vested(MemberId member) const {
        auto it = vested_.find(member);
        return it == vested_.end() ? 0 : it->second;
    }
    AttoFil owed(MemberId member) const {
        AttoFil owed = 0;
        for (const auto& batch : batches_) {
            auto it = batch.find(member);
            if (it != batch.end()) owed += it->second;
        }
        return owed;
    }
    AttoFil reserve() const { return reserve_; }

private:
    void fund() {
        while (!batches_.empty() && reserve_ > 0) {
            auto& front = batches_.front();
            AttoFil total = 0;
            for (const auto& [member, amount] : front) total += amount;
            if (reserve_ >= total) {
                for (const auto& [member, amount] : front) vested_[member] += amount;
                reserve_ -= total;
                batches_.pop_front();
                continue;
            }
            std::vector<MemberWeight> weights;
            for (const auto& [member, amount] : front) {
                weights.push_back({member, static_cast<math::Uint128>(amount)});
            }
            const std::vector<AttoFil> parts = apportion_by_member(reserve_, weights);
            for (std::size_t i = 0; i < weights.size(); ++i) {
                vested_[weights[i].member] += parts[i];
                front[weights[i].member] -= parts[i];
            }
            reserve_ = 0;
        }
    }

    std::size_t limit_;
    std::deque<std::map<MemberId, AttoFil>> batches_;
    std::map<MemberId, AttoFil> vested_;
    AttoFil reserve_ = 0;
};

// Random credit rounds (smoothed-like rates and weights that change now and then, members coming
// and going, and explicit amounts), random deposits, batch limits 1 to 40: after every operation
// each member's vested balance and arrears, and the reserve, equal the reference's.
TEST(Ledger, CompactArrearsRepayExactlyLikePerMemberBatches) {
    util::Random random(777);
    int caught_up = 0;
    int queued = 0;
    for (int run = 0; run < 12; ++run) {
        const std::size_t limit = run % 3 == 0 ? 1 : 1 + random.below(40);
        SettlementLedger ledger(limit);
        ReferenceArrears reference(limit);
        std::map<MemberId, math::Uint128> weight;
        for (MemberId member = 1; member <= 12; ++member) {
            weight[member] = random.below(4) == 0 ? 0 : 1 + random.below(std::uint64_t{1} << 50);
        }
        for (int step = 0; step < 600; ++step) {
            const ChainEpoch epoch = step;
            if (random.below(5) == 0) {
                // Mostly less than a round's credits (partial funding), now and then enough
                // to repay many batches at once.
                const int bits = random.below(8) == 0 ? 52 : 45;
                const auto amount = static_cast<AttoFil>(random.below(std::uint64_t{1} << bits));
                ledger.deposit_to_reserve(amount);
                reference.deposit(amount);
            } else {
                for (auto& [member, w] : weight) {
                    if (random.below(30) == 0) {
                        w = random.below(3) == 0 ? 0 : 1 + random.below(std::uint64_t{1} << 50);
                    }
                }
                std::vector<MemberCredit> credits;
                std::vector<math::Uint128> weights;
                const bool explicit_amounts = random.below(6) == 0;
                const CreditRate rate{
                    .numerator = static_cast<AttoFil>(1 + random.below(std::uint64_t{1} << 40)),
                    .denominator = 1 + random.below(std::uint64_t{1} << 48)};
                for (const auto& [member, w] : weight) {
                    const AttoFil amount =
                        explicit_amounts
                            ? static_cast<AttoFil>(random.below(std::uint64_t{1} << 30))
                            : static_cast<AttoFil>(math::mul_div(
                                  static_cast<math::Uint128>(rate.numerator), w,
                                  rate.denominator));
                    if (amount == 0) continue;
                    credits.push_back({member, amount});
                    weights.push_back(w);
                }
                if (explicit_amounts) {
                    ledger.credit_from_reserve(epoch, credits);
                } else {
                    ledger.credit_from_reserve(epoch, credits, rate, weights);
                }
                reference.credit(credits);
            }
            for (const auto& [member, w] : weight) {
                const AccountBalance balance = ledger.balance(Beneficiary::of_member(member));
                ASSERT_EQ(balance.vested_unpaid, reference.vested(member))
                    << "run " << run << " step " << step << " member " << member;
                ASSERT_EQ(balance.arrears, reference.owed(member))
                    << "run " << run << " step " << step << " member " << member;
            }
            ASSERT_EQ(ledger.balance(Beneficiary::reserve()).vested_unpaid, reference.reserve());
            ASSERT_LE(ledger.arrears_batch_count(), limit);
            const LedgerInvariant invariant = ledger.check_invariant();
            ASSERT_TRUE(invariant.holds()) << "run " << run << " step " << step;
            if (ledger.total_arrears() == 0) ++caught_up;
            if (ledger.arrears_batch_count() >= 2) ++queued;
        }
    }
    EXPECT_GT(caught_up, 100);  // the queue was emptied often, not only appended to
    EXPECT_GT(queued, 1000);    // and often held several batches
}

// 2,000 members in arrears for a day of epochs whose ThisEpochReward changes every epoch: the
// ledger keeps 2,880 rounds (O(1) each) and one weight run per member, not 5.76 million credits;
// one deposit then repays every credit exactly.
TEST(Ledger, ADayOfArrearsOfThousandsOfMembersStaysCompact) {
    constexpr MemberId kMembers = 2000;
    SettlementLedger ledger;
    std::vector<math::Uint128> powers;
    for (MemberId member = 1; member <= kMembers; ++member) {
        powers.push_back((math::Uint128{10} + member % 90) << 40);
    }
    const math::Uint128 network_power = math::Uint128{54} << 60;
    std::vector<AttoFil> owed(kMembers, 0);
    AttoFil total = 0;
    for (ChainEpoch epoch = 0; epoch < chain::kEpochsPerDay; ++epoch) {
        const CreditRate rate{.numerator = 950'000 * (100 * chain::kAttoFilPerFil - epoch * 12345),
                              .denominator = math::Uint128{1'000'000} * network_power};
        std::vector<MemberCredit> credits;
        for (MemberId member = 1; member <= kMembers; ++member) {
            const auto amount = static_cast<AttoFil>(math::mul_div(
                static_cast<math::Uint128>(rate.numerator), powers[member - 1], rate.denominator));
            credits.push_back({member, amount});
            owed[member - 1] += amount;
            total += amount;
        }
        ledger.credit_from_reserve(epoch, credits, rate, powers);
    }
    EXPECT_EQ(ledger.arrears_batch_count(), static_cast<std::size_t>(chain::kEpochsPerDay));
    EXPECT_EQ(ledger.arrears_round_count(), static_cast<std::size_t>(chain::kEpochsPerDay));
    EXPECT_EQ(ledger.members_in_arrears(), static_cast<std::size_t>(kMembers));
    EXPECT_EQ(ledger.total_arrears(), total);
    ledger.deposit_to_reserve(total);
    EXPECT_EQ(ledger.total_arrears(), 0);
    EXPECT_EQ(ledger.arrears_round_count(), 0u);
    EXPECT_EQ(ledger.members_in_arrears(), 0u);
    for (MemberId member = 1; member <= kMembers; ++member) {
        ASSERT_EQ(ledger.balance(Beneficiary::of_member(member)).vested_unpaid, owed[member - 1]);
    }
    expect_invariant(ledger);
}

}  // namespace
}  // namespace minerx::pool
