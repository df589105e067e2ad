// Property tests: random event streams (joins and leaves, some dated in the future, rejoins, wins
// with random WinCount and tips, orphans, duplicate wins, invalid requests, operator withdrawals,
// epochs with changing powers, members crossing the 10 TiB minimum or ineligible for other
// reasons, faults, reserve deposits, payouts, long quiet stretches in which rewards vest) through
// every policy, both below-minimum rules and both leave modes. After every event:
//   - the ledger invariant holds to the attoFIL and no account is negative (check_invariant);
//   - what the ledger has vested from rewards never exceeds what the winners' miner actors have
//     released (a shadow chain::VestingSchedule per winner, fed the same awards).

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/reward.h"
#include "core/chain/vesting.h"
#include "tests/core/pool/pool_test_support.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using chain::ChainEpoch;
using chain::StoragePower;

constexpr MemberId kFirstMember = 1000;
constexpr std::uint64_t kMemberCount = 10;
constexpr StoragePower kTiB = StoragePower{1} << 40;
constexpr AttoFil kFil = chain::kAttoFilPerFil;

// The miner actors of the members, as the chain sees them: every booked award locks 75% there.
class ShadowChain {
public:
    void award(MemberId winner, ChainEpoch epoch, ChainEpoch proving_period_start,
               AttoFil award) {
        const chain::RewardSplit split = chain::split_block_reward(award);
        released_ += split.available;
        released_ += actors_[winner].add_locked_funds(epoch, split.locked, proving_period_start);
    }
    void unlock(ChainEpoch epoch) {
        for (auto& [member, actor] : actors_) released_ += actor.unlock_vested_funds(epoch);
    }
    AttoFil released() const { return released_; }

private:
    std::map<MemberId, chain::VestingSchedule> actors_;
    AttoFil released_ = 0;
};

class RandomPoolRun {
public:
    RandomPoolRun(const PoolAccountingConfig& config, std::uint64_t seed)
        : pool_(config, 0), random_(seed) {
        for (std::uint64_t i = 0; i < kMemberCount; ++i) {
            power_[kFirstMember + i] = random_power();
        }
    }

    void run(int steps) {
        for (int step = 0; step < steps && !::testing::Test::HasFatalFailure(); ++step) {
            one_random_event();
            check("step " + std::to_string(step));
        }
    }

    const PoolAccounting& pool() const { return pool_; }
    std::int64_t blocks_booked() const { return blocks_booked_; }
    std::int64_t settlements() const { return settlements_; }

private:
    void one_random_event() {
        const std::uint64_t dice = random_.below(100);
        if (dice < 8) {
            join();
        } else if (dice < 13) {
            leave();
        } else if (dice < 35) {
            win();
        } else if (dice < 42) {
            pay();
        } else if (dice < 44) {
            pool_.reserve_deposited(static_cast<AttoFil>(random_.below(500)) * kFil);
        } else if (dice < 46) {
            quiet_stretch();
        } else if (dice < 48) {
            invalid_request();
        } else if (dice < 49) {
            withdraw();
        } else {
            close_epoch();
        }
    }

    MemberId random_member() { return kFirstMember + random_.below(kMemberCount + 2); }

    // What the chain says of a member with this power: under the minimum, or else ineligible for
    // another reason (fee debt, a consensus fault) for about one power in seven, chosen by the
    // power's low bits so that the random stream is unchanged; no power at all is no claim.
    static MiningEligibility eligibility_of(StoragePower power) {
        if (power == 0) return MiningEligibility::ineligible;
        if (power < chain::kConsensusMinerMinPower) return MiningEligibility::below_minimum;
        return (power >> 4) % 7 == 0 ? MiningEligibility::ineligible : MiningEligibility::eligible;
    }

    // Around the 10 TiB minimum on purpose, with faults (zero power) now and then.
    StoragePower random_power() {
        if (random_.below(10) == 0) return 0;
        return kTiB * (1 + random_.below(40)) + random_.below(1 << 20);
    }

    // Joins and leaves are dated at the open epoch or up to 20 epochs later.
    ChainEpoch request_epoch() {
        return pool_.open_epoch() +
               (random_.below(4) == 0 ? static_cast<ChainEpoch>(random_.below(20)) : 0);
    }

    void join() {
        const MemberId member = random_member();
        const auto proving_period_start = static_cast<ChainEpoch>(random_.below(6000)) - 1000;
        const JoinOutcome outcome =
            pool_.member_joined(member, request_epoch(), proving_period_start);
        if (outcome == JoinOutcome::joined) proving_period_start_[member] = proving_period_start;
    }

    void leave() { pool_.leave_requested(random_member(), request_epoch()); }

    // What RPC clients may send wrongly: each is refused and changes nothing (the invariant and
    // the shadow chain are checked after every event).
    void invalid_request() {
        const ChainEpoch open = pool_.open_epoch();
        const MemberId member = random_member();
        const AttoFil deposits = pool_.ledger().reserve_deposits();
        switch (random_.below(6)) {
            case 0:
                if (open > 0) {
                    ASSERT_EQ(pool_.member_joined(member, open - 1, 0), JoinOutcome::epoch_in_past);
                }
                break;
            case 1:
                if (open > 0) {
                    ASSERT_EQ(pool_.leave_requested(member, open - 1),
                              LeaveOutcome::epoch_in_past);
                }
                break;
            case 2:
                ASSERT_EQ(pool_.reserve_deposited(-1 - static_cast<AttoFil>(random_.below(9))),
                          DepositResult::invalid_amount);
                break;
            case 3:
                ASSERT_EQ(pool_.block_rewarded(open + 1, member, kFil),
                          BlockRewardOutcome::wrong_epoch);
                break;
            case 4:
                ASSERT_EQ(pool_.block_rewarded(open, member, -kFil),
                          BlockRewardOutcome::invalid_amount);
                break;
            default:
                ASSERT_EQ(pool_.reserve_withdrawn(-1), WithdrawalResult::invalid_amount);
                break;
        }
        ASSERT_EQ(pool_.ledger().reserve_deposits(), deposits);
    }

    // The operator takes part of the vested reserve; refused while arrears are owed.
    void withdraw() {
        const AttoFil vested = pool_.reserve_balance().vested_unpaid;
        const AttoFil amount = vested / static_cast<AttoFil>(1 + random_.below(4));
        const WithdrawalResult result = pool_.reserve_withdrawn(amount);
        if (pool_.ledger().total_arrears() > 0) {
            ASSERT_EQ(result, WithdrawalResult::arrears_owed);
        } else {
            ASSERT_EQ(result, WithdrawalResult::withdrawn);
        }
    }

    // A won block: booked if it made it into the chain, orphaned (never reported) otherwise.
    void win() {
        const MemberId winner = random_member();
        if (random_.below(10) == 0) return;  // orphaned
        const auto win_count = static_cast<std::int64_t>(1 + random_.below(chain::kMaxWinCount));
        const AttoFil tips = static_cast<AttoFil>(random_.below(1'000'000'000)) * 1'000'000;
        const AttoFil award = chain::block_reward(this_epoch_reward_, win_count) + tips;
        // One block per miner per height: a second win of the same member is refused.
        const bool already_won =
            std::any_of(pending_.begin(), pending_.end(),
                        [&](const PendingBlock& block) { return block.winner == winner; });
        const BlockRewardOutcome outcome =
            pool_.block_rewarded(pool_.open_epoch(), winner, award);
        if (already_won) {
            ASSERT_EQ(outcome, BlockRewardOutcome::duplicate_block);
        }
        if (outcome == BlockRewardOutcome::booked) pending_.push_back({winner, award});
    }

    void pay() {
        const Beneficiary who = random_.below(5) == 0 ? Beneficiary::pool_operator()
                                                      : Beneficiary::of_member(random_member());
        const AttoFil vested = pool_.ledger().balance(who).vested_unpaid;
        const AttoFil amount = static_cast<AttoFil>(random_.below(1000)) * (vested / 900 + 1);
        const AccountBalance before = pool_.ledger().balance(who);
        const PayoutResult result = pool_.payout(who, amount);
        const AccountBalance after = pool_.ledger().balance(who);
        if (result == PayoutResult::paid) {
            ASSERT_LE(amount, before.vested_unpaid);
            ASSERT_EQ(after.paid, before.paid + amount);
        } else {
            ASSERT_EQ(after.paid, before.paid);
            ASSERT_EQ(after.vested_unpaid, before.vested_unpaid);
        }
    }

    void quiet_stretch() {
        const std::uint64_t epochs = 500 + random_.below(3000);
        for (std::uint64_t i = 0; i < epochs && !::testing::Test::HasFatalFailure(); ++i) {
            close_epoch();
            if (i % 64 == 0) check("quiet stretch");
        }
    }

    void close_epoch() {
        const ChainEpoch epoch = pool_.open_epoch();
        for (auto& [member, power] : power_) {
            if (random_.below(20) == 0) power = random_power();
        }
        std::vector<MemberPowerReport> reports;
        StoragePower pool_power = 0;
        for (const auto& [member, power] : power_) {
            reports.push_back({.member = member,
                               .power = power,
                               .eligibility = eligibility_of(power)});
            pool_power += power;
        }
        // A pool of 25-100% of the network: smoothed credits then outrun the reserve's vested
        // income now and then, so arrears build up and are repaid.
        const StoragePower network_power = pool_power * (1 + random_.below(4)) + kTiB;
        this_epoch_reward_ = 90 * kFil + static_cast<AttoFil>(random_.below(1'000'000)) * 1'000'000;
        const EpochActions actions = pool_.epoch_closed({.epoch = epoch,
                                                         .powers = reports,
                                                         .network_power = network_power,
                                                         .this_epoch_reward = this_epoch_reward_});
        settlements_ += static_cast<std::int64_t>(actions.settled_members.size());
        for (const PendingBlock& block : pending_) {
            chain_.award(block.winner, epoch, proving_period_start_.at(block.winner), block.award);
            ++blocks_booked_;
        }
        pending_.clear();
        chain_.unlock(epoch);
        for (const Payment& payment : actions.payments) ASSERT_GT(payment.amount, 0);
    }

    void check(const std::string& where) {
        testing::expect_sound(pool_, where);
        const SettlementLedger& ledger = pool_.ledger();
        AttoFil unvested = ledger.balance(Beneficiary::pool_operator()).unvested +
                           ledger.balance(Beneficiary::reserve()).unvested;
        for (MemberId member : ledger.members()) {
            const AccountBalance balance = ledger.balance(Beneficiary::of_member(member));
            ASSERT_GE(balance.vested_unpaid, 0) << where;
            ASSERT_GE(balance.arrears, 0) << where;
            unvested += balance.unvested;
        }
        // Rewards booked at the open epoch are not in the ledger yet.
        ASSERT_LE(ledger.rewards_received() - unvested, chain_.released()) << where;
    }

    struct PendingBlock {
        MemberId winner;
        AttoFil award;
    };

    PoolAccounting pool_;
    util::Random random_;
    ShadowChain chain_;
    std::map<MemberId, StoragePower> power_;
    std::map<MemberId, ChainEpoch> proving_period_start_;
    std::vector<PendingBlock> pending_;
    AttoFil this_epoch_reward_ = 100 * kFil;
    std::int64_t blocks_booked_ = 0;
    std::int64_t settlements_ = 0;
};

TEST(PoolAccountingProperty, EveryPolicyKeepsTheLedgerExactUnderRandomEvents) {
    util::Random seeds(424242);
    int configurations = 0;
    for (BelowMinimumRule rule : {BelowMinimumRule::exclude, BelowMinimumRule::include}) {
        for (UnvestedOnLeave on_leave : {UnvestedOnLeave::keep_vesting, UnvestedOnLeave::forfeit}) {
            // PPLNS: 1 to 60 epochs of a pool of about 200 TiB.
            const auto window = static_cast<std::int64_t>(1 + seeds.below(60)) * 200;
            for (testing::NamedPolicy& policy : testing::every_policy(50'000, window, rule)) {
                if (auto* smoothed = std::get_if<SmoothedConfig>(&policy.config)) {
                    if (seeds.below(2) == 0) smoothed->reserve_cap = 2000 * kFil;
                }
                const PoolAccountingConfig config{
                    .membership = {.warm_up_epochs = static_cast<ChainEpoch>(seeds.below(30)),
                                   .cool_down_epochs = static_cast<ChainEpoch>(seeds.below(30)),
                                   .unvested_on_leave = on_leave},
                    .policy = policy.config,
                    .payout_schedule = seeds.below(2) == 0 ? PayoutSchedule::on_request
                                                           : PayoutSchedule::every_epoch,
                    .arrears_batch_limit = 1 + seeds.below(4)};
                SCOPED_TRACE(policy.name);
                RandomPoolRun run(config, seeds.next_u64());
                run.run(1500);
                ASSERT_FALSE(::testing::Test::HasFatalFailure());
                // The stream exercised what it is meant to.
                EXPECT_GT(run.blocks_booked(), 100);
                EXPECT_GT(run.settlements(), 10);
                EXPECT_GT(run.pool().ledger().rewards_received(), 0);
                ++configurations;
            }
        }
    }
    EXPECT_EQ(configurations, 20);
}

}  // namespace
}  // namespace minerx::pool
