// minerx-sim: the simulator's command line (docs/simulator.md).
//
//   minerx-sim run SCENARIO [--seed N] [--days D] [--set KEY=VALUE]... --out RESULTS.db
//   minerx-sim sweep SCENARIO --seeds N [--grid KEY=V1,V2,...]... --out SWEEP.db
//   minerx-sim network SCENARIO [--seed N]
//   minerx-sim validate-propagation [--hosts N] [--blocks K] [--seed S]
//
// Exit status (sysexits.h): 0 ok, 64 usage, 65 bad scenario, 66 scenario unreadable,
// 73 results file cannot be created, 70 internal error.

#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "sim/cli/progress_line.h"
#include "sim/cli/sweep_command.h"
#include "sim/engine/simulation.h"
#include "sim/network/network_plan.h"
#include "sim/propagation/propagation_validation.h"
#include "sim/results/sqlite_db.h"
#include "sim/scenario/scenario_file.h"
#include "sim/scenario/scenario_overrides.h"

namespace minerx::sim {
namespace {

constexpr int kExitUsage = 64;
constexpr int kExitDataError = 65;
constexpr int kExitNoInput = 66;
constexpr int kExitSoftware = 70;
constexpr int kExitCantCreate = 73;

struct ScenarioArgs {
    std::string file;
    std::optional<std::uint64_t> seed;
    std::optional<std::int64_t> days;
    std::vector<std::string> overrides;  // KEY=VALUE
};

// Loads the scenario and applies the command-line overrides. Throws ScenarioError.
Scenario load(const ScenarioArgs& args) {
    Scenario scenario = load_scenario_file(args.file);
    if (args.seed) scenario.seed = *args.seed;
    if (args.days) scenario.duration_days = *args.days;
    for (const std::string& text : args.overrides) apply_override(scenario, parse_override(text));
    return scenario;
}

int scenario_error_status(const ScenarioError& error) {
    // An unreadable file names no line; everything else is a problem in the scenario's content.
    return error.line() == 0 && error.key_path().empty() &&
                   !std::filesystem::is_regular_file(error.file())
               ? kExitNoInput
               : kExitDataError;
}

int run_command(const ScenarioArgs& args, const std::string& out) {
    Scenario scenario = load(args);
    const NetworkPlan plan = plan_network(scenario, scenario.seed);
    std::fprintf(stderr, "minerx-sim: %s, seed %llu, %lld days, %zu miners (%zu solo, %zu in pools)\n",
                 scenario.name.c_str(), static_cast<unsigned long long>(scenario.seed),
                 static_cast<long long>(scenario.duration_days), plan.miners.size(),
                 plan.solo_count, plan.member_count);
    ProgressLine progress(stderr);
    RunOptions options;
    options.results_path = out;
    options.scenario_file = args.file;
    options.progress = [&progress](const Progress& p) { progress.update(p); };
    const RunSummary summary = run_simulation(scenario, plan, options);
    progress.finish();
    const double rounds = static_cast<double>(summary.rounds);
    std::printf("rounds: %lld, null rounds: %lld (%.3f%%)\n",
                static_cast<long long>(summary.rounds), static_cast<long long>(summary.null_rounds),
                100.0 * static_cast<double>(summary.null_rounds) / rounds);
    std::printf("blocks: %lld produced, %lld included, %lld orphaned; %.3f WinCount per round\n",
                static_cast<long long>(summary.blocks_produced),
                static_cast<long long>(summary.blocks_included),
                static_cast<long long>(summary.blocks_orphaned),
                static_cast<double>(summary.win_count_included) / rounds);
    std::printf("wall time: %.1f s (%.1f simulated days per second)\n", summary.wall_seconds,
                static_cast<double>(scenario.duration_days) / summary.wall_seconds);
    std::printf("results: %s\n", out.c_str());
    std::printf("digest: %s\n", summary.digest.c_str());
    return 0;
}

int network_command(const ScenarioArgs& args) {
    const Scenario scenario = load(args);
    write_network_csv(std::cout, scenario, plan_network(scenario, scenario.seed));
    std::cout.flush();
    return std::cout ? 0 : 74;
}

int validate_command(const PropagationValidationConfig& config) {
    const PropagationValidationReport report = run_propagation_validation(config);
    const PropagationErrorSummary& e = report.overall;
    std::printf("propagation model vs SimGrid communications: %zu hosts, %zu overlay edges, "
                "%zu blocks, %zu arrivals\n",
                config.hosts, report.overlay_edges, report.blocks.size(), e.samples);
    std::printf("absolute error (ms): median %.2f, p95 %.2f, max %.2f\n", e.median_abs_ms,
                e.p95_abs_ms, e.max_abs_ms);
    std::printf("relative error: median %.4f, p95 %.4f, max %.4f\n", e.median_rel, e.p95_rel,
                e.max_rel);
    return 0;
}

void add_scenario_args(CLI::App& command, ScenarioArgs& args) {
    command.add_option("SCENARIO", args.file, "Scenario file (YAML; docs/scenarios.md)")
        ->required();
    command.add_option("--seed", args.seed, "Override the scenario's seed");
}

}  // namespace
}  // namespace minerx::sim

int main(int argc, char** argv) {
    using namespace minerx::sim;
    CLI::App app{"minerx-sim: the Filecoin mining-pool simulator (SimGrid 3.32). "
                 "See docs/simulator.md."};
    app.require_subcommand(1);

    ScenarioArgs run_args;
    std::string out;
    CLI::App* run = app.add_subcommand(
        "run", "Simulate a scenario and write the results database; prints a digest of the "
               "results last");
    add_scenario_args(*run, run_args);
    run->add_option("--days", run_args.days, "Override the scenario's duration (days)")
        ->check(CLI::Range(1, 36500));
    run->add_option("--out", out, "Results database to write (SQLite; docs/results-schema.md)")
        ->required();
    run->add_option("--set", run_args.overrides,
                    "Change the scenario: KEY=VALUE with KEY one of fee_ppm, pool_size, "
                    "propagation_delay_ms, pool_site, block_size_bytes, gossip_degree");

    SweepOptions sweep_options;
    sweep_options.self = "/proc/self/exe";
    CLI::App* sweep = app.add_subcommand(
        "sweep", "Run a scenario over seeds and a parameter grid on all cores, into one database");
    sweep->add_option("SCENARIO", sweep_options.scenario_file, "Scenario file")->required();
    sweep->add_option("--seeds", sweep_options.seeds, "Seeds per grid point")
        ->check(CLI::Range(1, 10000))
        ->required();
    sweep->add_option("--first-seed", sweep_options.first_seed,
                      "First seed (default: the scenario's)");
    sweep->add_option("--grid", sweep_options.grid,
                      "KEY=V1,V2,... (repeatable; keys as for run --set)");
    sweep->add_option("--days", sweep_options.days, "Override the duration (days)")
        ->check(CLI::Range(1, 36500));
    sweep->add_option("--jobs", sweep_options.jobs, "Runs at a time (default: one per core)")
        ->check(CLI::Range(1, 1024));
    sweep->add_option("--out", sweep_options.out, "Sweep database to write")->required();

    ScenarioArgs network_args;
    CLI::App* network = app.add_subcommand(
        "network", "Print the scenario's generated miners as CSV (miner,actor_id,host,...)");
    add_scenario_args(*network, network_args);

    PropagationValidationConfig validation;
    CLI::App* validate = app.add_subcommand(
        "validate-propagation",
        "Compare the computed block propagation delays with full SimGrid communications on a "
        "reduced network");
    validate->add_option("--hosts", validation.hosts, "Hosts in the reduced network")
        ->check(CLI::Range(2, 2000));
    validate->add_option("--blocks", validation.blocks, "Blocks to propagate")
        ->check(CLI::Range(1, 1000));
    validate->add_option("--degree", validation.degree, "Gossip peers per host")
        ->check(CLI::Range(1, 64));
    validate->add_option("--seed", validation.seed, "Seed of the overlay and sources");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        const int status = app.exit(error);
        return status == 0 ? 0 : kExitUsage;
    }

    try {
        if (*run) return run_command(run_args, out);
        if (*network) return network_command(network_args);
        if (*validate) return validate_command(validation);
        if (*sweep) {
            sweep_options.self = std::filesystem::read_symlink("/proc/self/exe").string();
            return run_sweep(sweep_options);
        }
    } catch (const OverrideError& error) {
        std::fprintf(stderr, "minerx-sim: --set/--grid: %s\n", error.what());
        return kExitUsage;
    } catch (const ScenarioError& error) {
        std::fprintf(stderr, "minerx-sim: %s\n", error.what());
        return scenario_error_status(error);
    } catch (const SqliteError& error) {
        std::fprintf(stderr, "minerx-sim: cannot write results: %s\n", error.what());
        return kExitCantCreate;
    } catch (const std::filesystem::filesystem_error& error) {
        std::fprintf(stderr, "minerx-sim: cannot write results: %s\n", error.what());
        return kExitCantCreate;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "minerx-sim: error: %s\n", error.what());
        return kExitSoftware;
    }
    return kExitUsage;
}
