// Faults change what the simulation records the way the protocol says they should: a pool whose
// primary fails keeps producing from its standby after detection, an offline prover's wins become
// proof timeouts, and a miner whose host is down cannot publish. One simulation per TEST (SimGrid
// allows one engine per process).

#include <filesystem>
#include <string>
#include <unistd.h>

#include <gtest/gtest.h>

#include "sim/engine/simulation.h"
#include "sim/network/network_plan.h"
#include "sim/results/sqlite_db.h"
#include "sim/scenario/scenario_file.h"

namespace minerx::sim {
namespace {

const std::filesystem::path kScenarios = std::filesystem::path(MINERX_SOURCE_DIR) / "scenarios";
constexpr chain::ChainEpoch kDay = chain::kEpochsPerDay;

std::filesystem::path run_with(const FaultSpec& fault, std::int64_t days) {
    Scenario scenario = load_scenario_file(kScenarios / "quick.yaml");
    scenario.duration_days = days;
    scenario.faults = {fault};
    const std::filesystem::path db = std::filesystem::temp_directory_path() /
                                     ("minerx-faults-" + std::to_string(::getpid()) + ".db");
    RunOptions options;
    options.results_path = db;
    run_simulation(scenario, plan_network(scenario, scenario.seed), options);
    return db;
}

std::int64_t count(SqliteDb& db, const std::string& sql) {
    SqliteStatement statement = db.prepare(sql);
    EXPECT_TRUE(statement.step()) << sql;
    return statement.column_int(0);
}

TEST(SimulationFaults, TheStandbyTakesOverAfterThePrimaryFails) {
    const std::filesystem::path db_path =
        run_with(FaultSpec{FaultKind::pool_primary_down, "incubator", kDay, 240, 1.0}, 3);
    SqliteDb db(db_path);
    SqliteStatement failover =
        db.prepare("SELECT epoch, time_ms FROM events WHERE kind = 'failover'");
    ASSERT_TRUE(failover.step());
    const std::int64_t failover_ms = failover.column_int(1);
    // Detection takes failover_detection_ms (60 s) plus up to one poll (15 s).
    EXPECT_GE(failover_ms, kDay * 30'000 + 60'000);
    EXPECT_LE(failover_ms, kDay * 30'000 + 60'000 + 15'000 + 1);
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM events WHERE kind = 'producer_started' AND "
                        "detail = 'standby'"),
              1);
    // The standby's blocks: the pool keeps winning after the failover, while the primary is
    // still down, and after it comes back (it stays the standby's watcher).
    EXPECT_GT(count(db, "SELECT COUNT(*) FROM member_rounds WHERE outcome = 'included' AND "
                        "epoch > " + std::to_string(kDay + 3) + " AND epoch < " +
                        std::to_string(kDay + 240)),
              0);
    EXPECT_GT(count(db, "SELECT COUNT(*) FROM member_rounds WHERE outcome = 'included' AND "
                        "epoch > " + std::to_string(2 * kDay)),
              0);
}

TEST(SimulationFaults, OfflineProversWinsAreRecordedAsProofTimeouts) {
    const std::filesystem::path db_path = run_with(
        FaultSpec{FaultKind::prover_offline, "incubator.members@asia", kDay, kDay, 1.0}, 3);
    SqliteDb db(db_path);
    const std::int64_t timeouts = count(db, "SELECT COUNT(*) FROM member_rounds WHERE outcome = "
                                            "'proof_timed_out'");
    EXPECT_GT(timeouts, 0);
    // Only Asian members, only while their provers were offline.
    EXPECT_EQ(count(db, "SELECT COUNT(*) FROM member_rounds r JOIN miners m ON m.miner = "
                        "r.member WHERE r.outcome = 'proof_timed_out' AND m.continent = 'asia' "
                        "AND r.epoch > " + std::to_string(kDay) + " AND r.epoch <= " +
                        std::to_string(2 * kDay)),
              timeouts);
    // Others kept publishing meanwhile.
    EXPECT_GT(count(db, "SELECT COUNT(*) FROM member_rounds r JOIN miners m ON m.miner = "
                        "r.member WHERE r.outcome = 'included' AND m.continent != 'asia' AND "
                        "r.epoch > " + std::to_string(kDay) + " AND r.epoch <= " +
                        std::to_string(2 * kDay)),
              0);
}

TEST(SimulationFaults, AMinerWhoseHostIsDownPublishesNothing) {
    // miner-271 is the quick network's largest solo miner (the open bin comes last).
    const std::filesystem::path db_path =
        run_with(FaultSpec{FaultKind::host_down, "miner-271", kDay, kDay, 1.0}, 3);
    SqliteDb db(db_path);
    EXPECT_EQ(count(db, "SELECT blocks FROM miner_daily WHERE day = 1 AND miner = 1271"), 0);
    EXPECT_GT(count(db, "SELECT blocks FROM miner_daily WHERE day = 0 AND miner = 1271"), 100);
    EXPECT_GT(count(db, "SELECT blocks FROM miner_daily WHERE day = 2 AND miner = 1271"), 100);
    EXPECT_GT(count(db, "SELECT elected_offline FROM network_daily WHERE day = 1"), 100);
}

}  // namespace
}  // namespace minerx::sim
