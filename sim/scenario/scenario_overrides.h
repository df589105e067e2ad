#pragma once

// Named changes to a loaded scenario, for `minerx-sim run --set KEY=VALUE` and the grids of
// `minerx-sim sweep` (docs/simulator.md, "Sweeps"). Each key is a question a pool designer asks:
//
//   fee_ppm=50000              every pool policy's fee (solo has none and is left alone)
//   pool_size=200              every pool's member count, spread over continents in the same
//                              proportions (largest remainder)
//   propagation_delay_ms=10000 the base cutoff after each epoch's start (6 s in 2021, 10 s now)
//   pool_site=europe           every pool's primary site and chain node continent
//   block_size_bytes=50000     the gossiped block size
//   gossip_degree=12           peers per miner in the overlay
//
// Values take the scenario files' notations ("6s" for a millisecond key). A bad key or value is
// an OverrideError naming it.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace minerx::sim {

class OverrideError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ScenarioOverride {
    std::string key;
    std::string value;
};

// "KEY=VALUE" -> the pair; throws OverrideError if there is no '='.
ScenarioOverride parse_override(std::string_view text);

// Applies the change in place. Throws OverrideError naming the key and what was expected.
void apply_override(Scenario& scenario, const ScenarioOverride& change);

// The keys apply_override knows, for --help and error messages.
std::vector<std::string_view> override_keys();

}  // namespace minerx::sim
