#pragma once

// Simulated time. The core counts milliseconds since genesis (pool::TimeMs); SimGrid counts
// seconds as a double. Every conversion goes through here so that a time the core produced comes
// back to it unchanged (whole milliseconds are exact in a double for 285,000 years).

#include <cmath>
#include <cstdint>

#include "core/chain/chain_types.h"
#include "core/pool/pool_types.h"

namespace minerx::sim {

using pool::TimeMs;

inline double to_seconds(TimeMs ms) { return static_cast<double>(ms) / 1000.0; }
inline TimeMs to_ms(double seconds) { return static_cast<TimeMs>(std::llround(seconds * 1000.0)); }

// Rounds are numbered from 1 (genesis is height 0 at time 0); day d holds rounds
// d * 2880 + 1 ... (d + 1) * 2880.
inline std::int64_t day_of_round(chain::ChainEpoch round) {
    return (round - 1) / chain::kEpochsPerDay;
}
inline chain::ChainEpoch last_round_of_day(std::int64_t day) {
    return (day + 1) * chain::kEpochsPerDay;
}

// When a miner of `round` fixes its base: T(round - 1) + propagation delay (chain::
// base_cutoff_time_ms with genesis at 0).
inline TimeMs round_cutoff_ms(chain::ChainEpoch round, TimeMs propagation_delay_ms) {
    return pool::epoch_start_ms(round - 1) + propagation_delay_ms;
}

}  // namespace minerx::sim
