#pragma once

// Checks PropagationModel against real SimGrid communications on a reduced network
// (`minerx-sim validate-propagation`). Hosts are spread round-robin over the six continents of
// RegionTable::measured_2019; each host runs an actor that gossips blocks over the same overlay
// the model uses, with the same protocol (propagation_model.h): on its first copy of a block it
// waits validation_ms, then sends the block to every peer except the one it came from, as
// detached puts. Each directed overlay edge has its own mailbox whose receiver is set
// (Mailbox::set_receiver: transfers start at once, like TCP, instead of waiting for the
// receiver's get, research/sim.md §3.1), and a node waits on all its in-edges with
// Comm::wait_any: a shared per-node mailbox would hand out copies in the order they were posted,
// not the order they arrived (docs/platform.md §3). Blocks are
// published from random hosts (seeded), `block_spacing_s` apart so they never overlap, and each
// host's arrival time (copy received and validated) is compared with the model's.
//
// It builds its own SimGrid engine, and SimGrid allows one engine per process: call it at most
// once per process, and never in a process that has another engine.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/network/continent.h"

namespace minerx::sim {

struct PropagationValidationConfig {
    std::size_t hosts = 120;
    std::size_t degree = 8;
    std::size_t blocks = 8;
    std::int64_t block_size_bytes = 10'000;
    std::int64_t validation_ms = 100;
    double block_spacing_s = 60;  // longer than any block's propagation
    std::uint64_t seed = 1;
};

// Absolute error |model - simulated| in ms, relative error = absolute / simulated, over hosts
// other than the block's source.
struct PropagationErrorSummary {
    std::size_t samples = 0;
    double median_abs_ms = 0;
    double p95_abs_ms = 0;
    double max_abs_ms = 0;
    double median_rel = 0;
    double p95_rel = 0;
    double max_rel = 0;
    // The largest error in each direction, ms (>= 0): the model later / earlier than SimGrid.
    double max_model_late_ms = 0;
    double max_model_early_ms = 0;
};

struct BlockPropagationComparison {
    std::size_t source = 0;
    Continent source_continent = Continent::asia;
    double simulated_last_arrival_ms = 0;  // the slowest host
    double model_last_arrival_ms = 0;
    PropagationErrorSummary error;
};

struct PropagationValidationReport {
    PropagationValidationConfig config;
    std::size_t overlay_edges = 0;
    std::vector<BlockPropagationComparison> blocks;
    PropagationErrorSummary overall;
};

// REQUIRES: hosts >= 2, degree >= 1, blocks >= 1, block_size_bytes > 0, validation_ms >= 0,
// block_spacing_s > 0. Aborts (assertion) if a host never gets a block, which means the
// spacing was too short.
PropagationValidationReport run_propagation_validation(const PropagationValidationConfig& config);

}  // namespace minerx::sim
