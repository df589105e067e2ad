// The power table: lookback answers, totals as specs-actors addToClaim keeps them, the consensus
// minimum rule, and a randomized comparison against a from-scratch recomputation.

#include "core/chain/power_table.h"

#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace minerx::chain {
namespace {

constexpr StoragePower kTiB = StoragePower{1} << 40;
constexpr StoragePower kMin = kConsensusMinerMinPower;

PowerClaim claim(StoragePower raw, StoragePower qa) { return PowerClaim{raw, qa}; }
PowerClaim claim(StoragePower raw) { return PowerClaim{raw, raw}; }

TEST(PowerTable, LookbackEpochIsRoundMinus900ClampedAtGenesis) {
    EXPECT_EQ(lookback_epoch(1900), 1000);
    EXPECT_EQ(lookback_epoch(901), 1);
    EXPECT_EQ(lookback_epoch(900), 0);
    EXPECT_EQ(lookback_epoch(1), 0);
    EXPECT_EQ(lookback_epoch(0), 0);
}

TEST(PowerTable, LookbackReturnsOldPowerFor900EpochsAfterAChange) {
    PowerTable table;
    table.set_claim(1, 0, claim(20 * kTiB));
    table.set_claim(2, 0, claim(50 * kTiB));
    table.set_claim(1, 1000, claim(30 * kTiB));
    // Rounds 1000..1899 read states up to epoch 999: the old claim. Round 1900 reads epoch 1000.
    for (ChainEpoch round = 1000; round < 1900; ++round) {
        LookbackPower power = table.lookback_power(1, round);
        ASSERT_EQ(power.miner_power, 20 * kTiB) << round;
        ASSERT_EQ(power.network_power, 70 * kTiB) << round;
        ASSERT_TRUE(power.meets_consensus_minimum) << round;
    }
    EXPECT_EQ(table.lookback_power(1, 1900).miner_power, 30 * kTiB);
    EXPECT_EQ(table.lookback_power(1, 1900).network_power, 80 * kTiB);
    EXPECT_EQ(table.lookback_power(1, 5000).miner_power, 30 * kTiB);
    // The current state already has the change.
    EXPECT_EQ(table.claim_at(1, 1000).raw_byte_power, 30 * kTiB);
    EXPECT_EQ(table.claim_at(1, 999).raw_byte_power, 20 * kTiB);
}

TEST(PowerTable, MinerAbsentFromTheLookbackStateHasNoPower) {
    PowerTable table;
    table.set_claim(7, 500, claim(40 * kTiB));
    LookbackPower power = table.lookback_power(7, 1399);
    EXPECT_EQ(power.miner_power, 0u);
    EXPECT_EQ(power.network_power, 0u);
    EXPECT_FALSE(power.meets_consensus_minimum);
    EXPECT_EQ(table.lookback_power(7, 1400).miner_power, 40 * kTiB);
    EXPECT_FALSE(table.meets_consensus_minimum_at(99, 1400));  // never recorded
}

TEST(PowerTable, TotalsExcludeMinersBelowTheMinimum) {
    PowerTable table;
    for (ActorId miner = 1; miner <= 4; ++miner) {
        table.set_claim(miner, 10, claim(kMin, 10 * kMin));  // exactly the minimum counts
    }
    table.set_claim(5, 10, claim(kMin - 1, 10 * (kMin - 1)));  // one byte short
    PowerTotals totals = table.totals_at(10);
    EXPECT_EQ(totals.miner_above_min_power_count, 4);
    EXPECT_EQ(totals.raw_byte_power, 4 * kMin);
    EXPECT_EQ(totals.quality_adj_power, 40 * kMin);  // QA is gated on raw power too
    EXPECT_EQ(totals.bytes_committed, 5 * kMin - 1);
    EXPECT_EQ(totals.qa_bytes_committed, 50 * kMin - 10);
    EXPECT_EQ(table.network_power_at(10), 40 * kMin);
    EXPECT_FALSE(table.meets_consensus_minimum_at(5, 10));
    EXPECT_EQ(table.claim_at(5, 10), claim(kMin - 1, 10 * (kMin - 1)));
}

TEST(PowerTable, BelowMinimumMinersMeetItWhileFewerThanFourMinersDo) {
    PowerTable table;
    table.set_claim(1, 1, claim(20 * kTiB));
    table.set_claim(2, 1, claim(20 * kTiB));
    table.set_claim(3, 1, claim(20 * kTiB));
    table.set_claim(10, 1, claim(1 * kTiB));
    table.set_claim(11, 1, claim(0));
    EXPECT_EQ(table.totals_at(1).miner_above_min_power_count, 3);
    EXPECT_TRUE(table.meets_consensus_minimum_at(10, 1));   // three above: any power > 0 does
    EXPECT_FALSE(table.meets_consensus_minimum_at(11, 1));  // but zero power never does
    table.set_claim(4, 2, claim(kMin));
    EXPECT_EQ(table.totals_at(2).miner_above_min_power_count, 4);
    EXPECT_FALSE(table.meets_consensus_minimum_at(10, 2));  // four above: the minimum applies
    EXPECT_TRUE(table.meets_consensus_minimum_at(10, 1));   // history is unchanged
    table.set_claim(4, 3, claim(kMin - 1));
    EXPECT_TRUE(table.meets_consensus_minimum_at(10, 3));   // back to three
    EXPECT_TRUE(table.meets_consensus_minimum_at(4, 3));
}

TEST(PowerTable, ConsensusMinimumIsAParameter) {
    PowerTable devnet(ConsensusMinimum{2048, 4});
    for (ActorId miner = 1; miner <= 4; ++miner) devnet.set_claim(miner, 0, claim(2048));
    devnet.set_claim(5, 0, claim(2047));
    EXPECT_TRUE(devnet.meets_consensus_minimum_at(1, 0));
    EXPECT_FALSE(devnet.meets_consensus_minimum_at(5, 0));
    EXPECT_EQ(devnet.network_power_at(0), 4u * 2048u);

    PowerTable two_miner_rule(ConsensusMinimum{kMin, 2});
    two_miner_rule.set_claim(1, 0, claim(kMin));
    two_miner_rule.set_claim(2, 0, claim(kTiB));
    EXPECT_TRUE(two_miner_rule.meets_consensus_minimum_at(2, 0));
    two_miner_rule.set_claim(3, 0, claim(kMin));
    EXPECT_FALSE(two_miner_rule.meets_consensus_minimum_at(2, 0));
}

TEST(PowerTable, MinerCrossingTheMinimumUpAndDown) {
    PowerTable table;
    table.set_claim(1, 0, claim(100 * kTiB, 100 * kTiB));
    table.set_claim(2, 1, claim(5 * kTiB, 50 * kTiB));
    EXPECT_EQ(table.totals_at(1).quality_adj_power, 100 * kTiB);

    table.add_to_claim(2, 2, static_cast<math::Int128>(10 * kTiB),
                       static_cast<math::Int128>(100 * kTiB));  // 15 TiB raw: crosses up
    PowerTotals up = table.totals_at(2);
    EXPECT_EQ(up.miner_above_min_power_count, 2);
    EXPECT_EQ(up.raw_byte_power, 115 * kTiB);      // the whole new claim joins the totals
    EXPECT_EQ(up.quality_adj_power, 250 * kTiB);

    table.add_to_claim(2, 3, static_cast<math::Int128>(5 * kTiB), 0);  // 20 TiB: stays above
    EXPECT_EQ(table.totals_at(3).raw_byte_power, 120 * kTiB);
    EXPECT_EQ(table.totals_at(3).quality_adj_power, 250 * kTiB);

    table.add_to_claim(2, 4, -static_cast<math::Int128>(12 * kTiB),
                       -static_cast<math::Int128>(60 * kTiB));  // 8 TiB: crosses down
    PowerTotals down = table.totals_at(4);
    EXPECT_EQ(down.miner_above_min_power_count, 1);
    EXPECT_EQ(down.raw_byte_power, 100 * kTiB);    // the whole old claim leaves the totals
    EXPECT_EQ(down.quality_adj_power, 100 * kTiB);
    EXPECT_EQ(down.bytes_committed, 108 * kTiB);
    EXPECT_EQ(down.qa_bytes_committed, 190 * kTiB);
    EXPECT_EQ(table.claim_at(2, 4), claim(8 * kTiB, 90 * kTiB));

    // Each past state still answers as it was.
    EXPECT_EQ(table.totals_at(1).miner_above_min_power_count, 1);
    EXPECT_EQ(table.totals_at(2), up);
    EXPECT_EQ(table.claim_at(2, 3).raw_byte_power, 20 * kTiB);
}

TEST(PowerTable, ChangesInOneEpochMergeIntoOneState) {
    PowerTable table;
    table.set_claim(1, 5, claim(20 * kTiB));
    table.set_claim(1, 5, claim(5 * kTiB));
    table.add_to_claim(1, 5, static_cast<math::Int128>(7 * kTiB), 0);
    EXPECT_EQ(table.claim_at(1, 5), claim(12 * kTiB, 5 * kTiB));
    EXPECT_EQ(table.totals_at(5).raw_byte_power, 12 * kTiB);
    EXPECT_EQ(table.totals_at(5).miner_above_min_power_count, 1);
    EXPECT_EQ(table.totals_at(4), PowerTotals{});
}

TEST(PowerTableDeathTest, RejectsOutOfOrderAppendsAndNegativeClaims) {
    PowerTable table;
    table.set_claim(1, 100, claim(kTiB));
    EXPECT_DEATH(table.set_claim(2, 99, claim(kTiB)), "epoch >= latest_epoch_");
    EXPECT_DEATH(table.add_to_claim(1, 100, -static_cast<math::Int128>(2 * kTiB), 0),
                 "result >= 0");
}

// ---- Eligibility as the election sees it: read from the lookback state ----

// Four large miners, so that the 10 TiB minimum applies.
PowerTable network_with_four_large_miners() {
    PowerTable table;
    for (ActorId miner = 101; miner <= 104; ++miner) table.set_claim(miner, 0, claim(kTiB << 10));
    return table;
}

TEST(Eligibility, GrowingPastTheMinimumCountsOnly900EpochsLater) {
    PowerTable table = network_with_four_large_miners();
    table.set_claim(1, 0, claim(8 * kTiB));
    table.set_claim(1, 2000, claim(12 * kTiB));
    EXPECT_TRUE(table.meets_consensus_minimum_at(1, 2000));  // the current state already does
    for (ChainEpoch round = 2000; round < 2900; ++round) {
        ASSERT_FALSE(table.lookback_power(1, round).meets_consensus_minimum) << round;
    }
    LookbackPower at_2900 = table.lookback_power(1, 2900);
    EXPECT_TRUE(at_2900.meets_consensus_minimum);
    EXPECT_EQ(at_2900.miner_power, 12 * kTiB);
    EXPECT_EQ(at_2900.network_power, (kTiB << 12) + 12 * kTiB);
    EXPECT_EQ(table.lookback_power(1, 2899).network_power, kTiB << 12);  // 8 TiB never counted
}

TEST(Eligibility, DroppingBelowTheMinimumStillCountsFor900Epochs) {
    PowerTable table = network_with_four_large_miners();
    table.set_claim(1, 0, claim(12 * kTiB));
    table.set_claim(1, 2000, claim(8 * kTiB));
    EXPECT_FALSE(table.meets_consensus_minimum_at(1, 2000));
    for (ChainEpoch round = 2000; round < 2900; ++round) {
        ASSERT_TRUE(table.lookback_power(1, round).meets_consensus_minimum) << round;
    }
    EXPECT_FALSE(table.lookback_power(1, 2900).meets_consensus_minimum);
    EXPECT_EQ(table.lookback_power(1, 2900).miner_power, 8 * kTiB);  // power, but no eligibility
}

TEST(Eligibility, SmallNetworkLetsAnyPositivePowerMine) {
    PowerTable table;
    table.set_claim(1, 0, claim(kTiB));
    table.set_claim(2, 0, claim(32ull << 30));
    LookbackPower power = table.lookback_power(2, 1000);
    EXPECT_TRUE(power.meets_consensus_minimum);
    // Nobody is above the minimum, so TotalQualityAdjPower is zero: the election cannot run
    // (Lotus divides by it). A devnet sets a smaller minimum instead (ConsensusMinimum).
    EXPECT_EQ(power.network_power, 0u);
}

// ---- Randomized comparison against a recomputation from the full change log ----

struct LoggedChange {
    ActorId miner;
    ChainEpoch epoch;
    PowerClaim claim;
};

// Every state from scratch: replay the log, then sum the claims (no incremental bookkeeping).
class NaivePowerModel {
public:
    NaivePowerModel(const std::vector<LoggedChange>& log, ConsensusMinimum minimum)
        : log_(log), minimum_(minimum) {}

    std::map<ActorId, PowerClaim> claims_at(ChainEpoch epoch) const {
        std::map<ActorId, PowerClaim> claims;
        for (const auto& change : log_) {
            if (change.epoch <= epoch) claims[change.miner] = change.claim;
        }
        return claims;
    }

    PowerTotals totals_at(ChainEpoch epoch) const {
        PowerTotals totals;
        for (const auto& [miner, c] : claims_at(epoch)) {
            totals.bytes_committed += c.raw_byte_power;
            totals.qa_bytes_committed += c.quality_adj_power;
            if (c.raw_byte_power < minimum_.min_raw_byte_power) continue;
            totals.raw_byte_power += c.raw_byte_power;
            totals.quality_adj_power += c.quality_adj_power;
            ++totals.miner_above_min_power_count;
        }
        return totals;
    }

    bool meets_minimum(const PowerClaim& c, const PowerTotals& totals) const {
        if (c.raw_byte_power >= minimum_.min_raw_byte_power) return true;
        if (totals.miner_above_min_power_count >= minimum_.min_miner_count) return false;
        return c.raw_byte_power > 0;
    }

private:
    const std::vector<LoggedChange>& log_;
    ConsensusMinimum minimum_;
};

// Claims around the minimum, so that miners cross it often; QA power up to 10x raw.
PowerClaim random_claim(std::mt19937_64& rng) {
    std::uniform_int_distribution<std::uint64_t> raw_tib(0, 25);
    std::uniform_int_distribution<std::uint64_t> bytes(0, 4095);
    std::uniform_int_distribution<std::uint64_t> qa_factor(1, 10);
    StoragePower raw = raw_tib(rng) * kTiB + (raw_tib(rng) == 0 ? bytes(rng) : 0);
    return claim(raw, raw * qa_factor(rng));
}

void apply_random_change(PowerTable& table, std::mt19937_64& rng, ChainEpoch epoch,
                         std::vector<LoggedChange>& log) {
    std::uniform_int_distribution<ActorId> miner_dist(1, 9);
    ActorId miner = miner_dist(rng);
    PowerClaim target = random_claim(rng);
    if (rng() % 2 == 0) {
        table.set_claim(miner, epoch, target);
    } else {
        PowerClaim current = table.claim_at(miner, epoch);
        table.add_to_claim(
            miner, epoch,
            static_cast<math::Int128>(target.raw_byte_power) -
                static_cast<math::Int128>(current.raw_byte_power),
            static_cast<math::Int128>(target.quality_adj_power) -
                static_cast<math::Int128>(current.quality_adj_power));
    }
    log.push_back({miner, epoch, target});
}

// How often the runs hit each branch of the minimum rule for a miner below the minimum.
struct RuleCoverage {
    int below_minimum_meets = 0;  // fewer than four miners at or above the minimum
    int below_minimum_fails = 0;
};

RuleCoverage expect_matches_naive(const PowerTable& table, const NaivePowerModel& naive,
                                  ChainEpoch first_epoch, ChainEpoch last_epoch) {
    RuleCoverage coverage;
    for (ChainEpoch epoch = first_epoch; epoch <= last_epoch; ++epoch) {
        PowerTotals totals = naive.totals_at(epoch);
        EXPECT_EQ(table.totals_at(epoch), totals) << "epoch " << epoch;
        auto claims = naive.claims_at(epoch);
        for (ActorId miner = 1; miner <= 9; ++miner) {
            PowerClaim expected = claims.count(miner) ? claims[miner] : PowerClaim{};
            EXPECT_EQ(table.claim_at(miner, epoch), expected) << "miner " << miner << " " << epoch;
            bool meets = claims.count(miner) != 0 && naive.meets_minimum(expected, totals);
            EXPECT_EQ(table.meets_consensus_minimum_at(miner, epoch), meets)
                << "miner " << miner << " epoch " << epoch;
            if (expected.raw_byte_power > 0 && expected.raw_byte_power < kMin) {
                ++(meets ? coverage.below_minimum_meets : coverage.below_minimum_fails);
            }
        }
    }
    return coverage;
}

TEST(PowerTable, RandomUpdatesMatchNaiveRecomputation) {
    for (std::uint64_t seed : {1u, 2u, 3u}) {
        std::mt19937_64 rng(seed);
        PowerTable table;
        std::vector<LoggedChange> log;
        ChainEpoch epoch = 0;
        for (int step = 0; step < 600; ++step) {
            epoch += static_cast<ChainEpoch>(rng() % 3);  // several changes may share an epoch
            apply_random_change(table, rng, epoch, log);
        }
        NaivePowerModel naive(log, table.consensus_minimum());
        RuleCoverage coverage = expect_matches_naive(table, naive, -1, epoch + 1);
        EXPECT_GT(coverage.below_minimum_meets, 0) << "seed " << seed;
        EXPECT_GT(coverage.below_minimum_fails, 0) << "seed " << seed;

        ChainEpoch cut = epoch / 2;
        PowerTable pruned = table;
        pruned.forget_history_before(cut);
        expect_matches_naive(pruned, naive, cut, epoch + 1);
    }
}

}  // namespace
}  // namespace minerx::chain
