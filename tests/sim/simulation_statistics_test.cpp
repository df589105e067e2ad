// Statistics of whole simulation runs checked against theory, not against numbers copied from a
// run: a solo miner's wins are Poisson with the expected mean, the network makes about 5 WinCount
// per round less null rounds and orphans, every policy's ledger balances to the attoFIL on the
// same blocks, and every win of a pool member is accounted for.
//
// SimGrid allows one engine per process: each TEST runs one simulation (ctest runs each TEST in
// its own process).

#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/math/int128.h"
#include "sim/engine/simulation.h"
#include "sim/network/network_plan.h"
#include "sim/results/sqlite_db.h"
#include "sim/scenario/scenario_file.h"

namespace minerx::sim {
namespace {

const std::filesystem::path kScenarios = std::filesystem::path(MINERX_SOURCE_DIR) / "scenarios";

struct QuickRun {
    Scenario scenario;
    RunSummary summary;
    std::filesystem::path db;
};

QuickRun run_quick(std::int64_t days, std::uint64_t seed = 1) {
    QuickRun run;
    run.scenario = load_scenario_file(kScenarios / "quick.yaml");
    run.scenario.duration_days = days;
    run.scenario.seed = seed;
    run.db = std::filesystem::temp_directory_path() /
             ("minerx-stats-" + std::to_string(::getpid()) + ".db");
    RunOptions options;
    options.results_path = run.db;
    run.summary = run_simulation(run.scenario, plan_network(run.scenario, seed), options);
    return run;
}

double query_double(SqliteDb& db, const std::string& sql) {
    SqliteStatement statement = db.prepare(sql);
    EXPECT_TRUE(statement.step()) << sql;
    return statement.column_double(0);
}

chain::AttoFil attofil(const std::string& text) {
    std::optional<chain::AttoFil> value = math::parse_int128(text);
    EXPECT_TRUE(value.has_value()) << text;
    return value.value_or(0);
}

TEST(SimulationStatistics, SoloWinsArePoissonWithTheExpectedMean) {
    const QuickRun run = run_quick(12);
    SqliteDb db(run.db);
    // Over every solo miner and day: total wins against the expectation Σ 5 p / P.
    const double wins = query_double(db,
        "SELECT SUM(d.win_count) FROM miner_daily d JOIN miners m USING (miner) WHERE m.role='solo'");
    const double expected = query_double(db,
        "SELECT SUM(d.expected_win_count) FROM miner_daily d JOIN miners m USING (miner) "
        "WHERE m.role='solo'");
    EXPECT_NEAR(wins, expected, 5.0 * std::sqrt(expected));

    // Poisson dispersion: Pearson's statistic over (miner, day) cells with expectation >= 5 has
    // mean = degrees of freedom and variance about 2 x dof (plus the fourth-moment term 1/λ).
    SqliteStatement cells = db.prepare(
        "SELECT d.win_count, d.expected_win_count FROM miner_daily d JOIN miners m USING (miner) "
        "WHERE m.role='solo' AND d.expected_win_count >= 5");
    double pearson = 0.0;
    double variance = 0.0;
    int count = 0;
    while (cells.step()) {
        const double observed = static_cast<double>(cells.column_int(0));
        const double lambda = cells.column_double(1);
        pearson += (observed - lambda) * (observed - lambda) / lambda;
        variance += 2.0 + 1.0 / lambda;
        ++count;
    }
    ASSERT_GT(count, 200);
    EXPECT_NEAR(pearson, count, 5.0 * std::sqrt(variance));

    // The largest miners one by one.
    SqliteStatement largest = db.prepare(
        "SELECT SUM(d.win_count), SUM(d.expected_win_count) FROM miner_daily d JOIN miners m "
        "USING (miner) WHERE m.role='solo' GROUP BY miner ORDER BY SUM(d.expected_win_count) DESC "
        "LIMIT 5");
    while (largest.step()) {
        const double lambda = largest.column_double(1);
        EXPECT_NEAR(static_cast<double>(largest.column_int(0)), lambda, 5.0 * std::sqrt(lambda));
    }
}

TEST(SimulationStatistics, NetworkMakesFiveWinsPerRoundLessNullRoundsAndOrphans) {
    const QuickRun run = run_quick(12);
    SqliteDb db(run.db);
    const double epochs = query_double(db, "SELECT SUM(epochs) FROM network_daily");
    ASSERT_EQ(epochs, 12.0 * 2880);
    const double win_count = query_double(db, "SELECT SUM(win_count) FROM network_daily");
    const double orphaned = query_double(db, "SELECT SUM(orphaned) FROM network_daily");
    // Every miner at or above the consensus minimum is elected with λ = 5 p / P over the same P,
    // so the network's WinCount per round is Poisson(5) less what orphans lose.
    EXPECT_NEAR((win_count + orphaned) / epochs, 5.0, 5.0 * std::sqrt(5.0 / epochs));
    EXPECT_LE(orphaned, 0.01 * win_count);
    // A null round: nobody wins, probability e^-5.
    const double nulls = query_double(db, "SELECT SUM(null_rounds) FROM network_daily");
    const double p = std::exp(-5.0);
    EXPECT_NEAR(nulls, p * epochs, 5.0 * std::sqrt(epochs * p * (1 - p)));
    // The chain ran past the last day only to decide its last blocks.
    EXPECT_GE(run.summary.rounds, static_cast<std::int64_t>(epochs));
    EXPECT_LE(run.summary.rounds, static_cast<std::int64_t>(epochs) + 200);
}

TEST(SimulationStatistics, EveryPolicyLedgerBalancesOnTheSameBlocks) {
    const QuickRun run = run_quick(10);
    SqliteDb db(run.db);
    std::map<std::string, chain::AttoFil> reserves;
    SqliteStatement policies = db.prepare("SELECT policy, initial_reserve_attofil FROM policies");
    while (policies.step()) reserves[policies.column_text(0)] = attofil(policies.column_text(1));
    ASSERT_EQ(reserves.size(), run.scenario.pools.at(0).policies.size());

    // The pool's included blocks, summed exactly from their decimal amounts.
    chain::AttoFil block_rewards = 0;
    SqliteStatement blocks = db.prepare(
        "SELECT reward_attofil FROM blocks WHERE pool != '' AND included = 1 AND epoch <= ?");
    blocks.bind(1, std::int64_t{10 * 2880});
    int block_count = 0;
    while (blocks.step()) {
        block_rewards += attofil(blocks.column_text(0));
        ++block_count;
    }
    ASSERT_GT(block_count, 20);

    SqliteStatement summary = db.prepare(
        "SELECT policy, balanced, rewards_received_attofil, members_earned_attofil, "
        "members_arrears_attofil, operator_earned_attofil, reserve_attofil FROM policy_summary");
    int rows = 0;
    while (summary.step()) {
        ++rows;
        const std::string policy = summary.column_text(0);
        EXPECT_EQ(summary.column_int(1), 1) << policy;
        const chain::AttoFil received = attofil(summary.column_text(2));
        EXPECT_EQ(received, block_rewards) << policy << ": every policy books the same blocks";
        // Arrears are promises the reserve has not funded yet: not money.
        const chain::AttoFil members = attofil(summary.column_text(3)) - attofil(summary.column_text(4));
        const chain::AttoFil fees = attofil(summary.column_text(5));
        const chain::AttoFil reserve = attofil(summary.column_text(6));
        EXPECT_EQ(members + fees + reserve, received + reserves[policy])
            << policy << ": not a single attoFIL created or lost";
    }
    EXPECT_EQ(rows, static_cast<int>(reserves.size()));
}

TEST(SimulationStatistics, EveryWinOfAPoolMemberIsAccountedFor) {
    const QuickRun run = run_quick(8);
    SqliteDb db(run.db);
    // Each member's included blocks on chain are exactly its rounds recorded as included by the
    // pool's block producer; no other outcome occurs without faults.
    SqliteStatement members = db.prepare(
        "SELECT m.miner, (SELECT COALESCE(SUM(blocks), 0) FROM miner_daily d WHERE d.miner = "
        "m.miner AND d.day < 8), (SELECT COUNT(*) FROM member_rounds r WHERE r.member = m.miner "
        "AND r.outcome = 'included' AND r.epoch <= 8 * 2880) FROM miners m WHERE m.role = "
        "'member'");
    int total = 0;
    while (members.step()) {
        EXPECT_EQ(members.column_int(1), members.column_int(2)) << "member f0" << members.column_int(0);
        total += static_cast<int>(members.column_int(1));
    }
    EXPECT_GT(total, 20);
    EXPECT_EQ(query_double(db, "SELECT COUNT(*) FROM member_rounds WHERE outcome != 'included'"),
              0.0);
}

}  // namespace
}  // namespace minerx::sim
