// The simulator's throughput, measured on whole runs (docs/benchmarks.md, "Simulator").
//
//   sim_bench [--scenario FILE] [--days D] [--scale K] [--no-pools]
//
// Runs one simulation (SimGrid allows one engine per process) of the scenario with its network
// scaled K times (every bin's miner count, the total power and the daily growth multiplied by K)
// and prints one line of results: miners, simulated days, wall seconds, peak memory, propagation
// rows computed, and the wall time per miner-round. bench/run_sim_bench.sh runs the series that
// docs/benchmarks.md reports, next to bench/simgrid_floor (the bare engine's floor).

#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "sim/engine/simulation.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario_file.h"

int main(int argc, char** argv) {
    using namespace minerx::sim;
    std::string scenario_file = "scenarios/network-2021.yaml";
    std::int64_t days = 365;
    std::int64_t scale = 1;
    bool no_pools = false;
    CLI::App app{"sim_bench: wall time and memory of one simulator run"};
    app.add_option("--scenario", scenario_file, "Scenario file");
    app.add_option("--days", days, "Simulated days")->check(CLI::Range(1, 3650));
    app.add_option("--scale", scale, "Multiply the network's miners and power")
        ->check(CLI::Range(1, 100));
    app.add_flag("--no-pools", no_pools, "Drop the scenario's pools (the network alone)");
    CLI11_PARSE(app, argc, argv);

    Scenario scenario = load_scenario_file(scenario_file);
    scenario.duration_days = days;
    for (PowerBin& bin : scenario.network.bins) bin.miners *= scale;
    scenario.network.total_power *= static_cast<minerx::chain::StoragePower>(scale);
    scenario.network.daily_growth *= static_cast<minerx::chain::StoragePower>(scale);
    if (no_pools) {
        scenario.pools.clear();
        scenario.faults.clear();
    }
    const NetworkPlan plan = plan_network(scenario, scenario.seed);
    const std::filesystem::path out = std::filesystem::temp_directory_path() / "sim_bench.db";
    RunOptions options;
    options.results_path = out;
    const RunSummary summary = run_simulation(scenario, plan, options);
    std::filesystem::remove(out);

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const double miner_rounds =
        static_cast<double>(plan.miners.size()) * static_cast<double>(summary.rounds);
    std::printf("scenario=%s scale=%lld miners=%zu members=%zu days=%lld rounds=%lld "
                "wall_s=%.2f peak_rss_mib=%.0f propagation_rows=%llu ns_per_miner_round=%.1f "
                "sim_days_per_s=%.2f\n",
                scenario.name.c_str(), static_cast<long long>(scale), plan.miners.size(),
                plan.member_count, static_cast<long long>(days),
                static_cast<long long>(summary.rounds), summary.wall_seconds,
                static_cast<double>(usage.ru_maxrss) / 1024.0,
                static_cast<unsigned long long>(summary.propagation_rows),
                summary.wall_seconds * 1e9 / miner_rounds,
                static_cast<double>(days) / summary.wall_seconds);
    return 0;
}
