#pragma once

// One simulation run: builds the platform, the propagation model, the chain and the pools from a
// scenario and its generated network, runs SimGrid to the end of the scenario's duration, and
// writes the results database. A run is a function of (scenario, plan, minerx version): the
// digest it returns changes if and only if the results do (docs/simulator.md).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "sim/engine/sim_context.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario.h"

namespace minerx::sim {

struct RunOptions {
    std::filesystem::path results_path;
    std::string scenario_file;  // recorded in the run table (not in the digest)
    std::function<void(const Progress&)> progress;  // once per simulated day
};

struct RunSummary {
    std::string digest;  // hex BLAKE2b-256 of the results
    double wall_seconds = 0.0;
    std::int64_t rounds = 0;
    std::int64_t null_rounds = 0;
    std::int64_t blocks_produced = 0;
    std::int64_t blocks_included = 0;
    std::int64_t blocks_orphaned = 0;
    std::int64_t win_count_included = 0;
    std::size_t hosts = 0;
    std::uint64_t propagation_rows = 0;  // Dijkstra runs of the propagation model
};

// REQUIRES: plan == plan_network(scenario, scenario.seed). SimGrid allows one engine per
// process, so a process runs at most one simulation.
RunSummary run_simulation(const Scenario& scenario, const NetworkPlan& plan,
                          const RunOptions& options);

// The minerx version recorded in results (and part of the digest).
std::string_view minerx_version();

}  // namespace minerx::sim
