#pragma once

// `minerx-sim sweep SCENARIO --seeds N [--grid KEY=V1,V2,...]... --out SWEEP.db`: every
// combination of the grid's values, each with N seeds (the scenario's seed, seed + 1, ...), run as
// child processes of this program (`minerx-sim run --set ...`; SimGrid allows one engine per
// process) on all cores, then merged into one database: every table of the single-run schema
// with a leading run_id column, plus sweep_runs (run_id, seed, parameters JSON, digest).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minerx::sim {

struct SweepOptions {
    std::string scenario_file;
    std::int64_t seeds = 1;
    std::vector<std::string> grid;  // "KEY=V1,V2,..."
    std::optional<std::int64_t> days;
    std::optional<std::uint64_t> first_seed;
    std::int64_t jobs = 0;  // 0: one per core
    std::string out;
    std::string self;  // path of this executable
};

// Returns the exit status.
int run_sweep(const SweepOptions& options);

}  // namespace minerx::sim
