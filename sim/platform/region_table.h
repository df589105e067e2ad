#pragma once

// The measured network numbers the platform is built from: per continent the access bandwidth of
// a miner (upload, download) and the latency inside the continent; per continent pair the
// one-way latency. docs/platform.md prints the tables and explains the mapping.
//
// Sources (research/sim.md §6):
//   - SimBlock, dsg-titech/simblock @5fc7f9f (Apache-2.0),
//     simulator/src/main/java/simblock/settings/NetworkConfiguration.java: LATENCY_2019 (ms),
//     UPLOAD_BANDWIDTH_2019 and DOWNLOAD_BANDWIDTH_2019 (bit/s) for NORTH_AMERICA, EUROPE,
//     SOUTH_AMERICA, ASIA_PACIFIC, JAPAN, AUSTRALIA. SimBlock uses the latency as the one-way
//     delay of a message and min(sender upload, receiver download) as a transfer's bandwidth.
//   - libp2p/test-plans @00f6cbd, gossipsub-interop/network_graph.py: one-way latencies (ms) of
//     eight locations including south_africa, the only table we found with Africa.
//
// Mapping to our continents: asia = ASIA_PACIFIC, oceania = AUSTRALIA, europe = EUROPE,
// south_america = SOUTH_AMERICA, north_america = NORTH_AMERICA (SimBlock's JAPAN row is unused).
// Africa is derived from libp2p's south_africa row scaled onto SimBlock's scale (see
// measured_2019 in region_table.cpp); Africa's bandwidths, absent from both sources, are
// SOUTH_AMERICA's, the slowest measured region (an assumption, flagged in docs/platform.md).

#include <array>
#include <optional>
#include <string>

#include "sim/network/continent.h"

namespace minerx::sim {

template <typename T>
using ContinentArray = std::array<T, kContinentCount>;

struct RegionTable {
    // A miner's access links, bytes per second, indexed by index_of(Continent).
    ContinentArray<double> upload_bytes_per_s{};
    ContinentArray<double> download_bytes_per_s{};
    // One-way latency in milliseconds from continent i to continent j; the diagonal is the
    // latency between two miners of the same continent. Symmetric.
    ContinentArray<ContinentArray<double>> latency_ms{};

    double latency(Continent from, Continent to) const {
        return latency_ms[index_of(from)][index_of(to)];
    }
    double upload(Continent continent) const { return upload_bytes_per_s[index_of(continent)]; }
    double download(Continent continent) const {
        return download_bytes_per_s[index_of(continent)];
    }

    // The latency the platform puts on the WAN link between two continents: the pair's latency
    // less half of each side's intra-continent latency, which the hosts' access links carry
    // (docs/platform.md). REQUIRES: a != b.
    double wan_latency_ms(Continent a, Continent b) const;

    // Why the table cannot be built into a platform (naming the entry), or nullopt: every
    // bandwidth and latency must be finite and positive, the matrix symmetric, and every WAN
    // latency (above) positive.
    std::optional<std::string> validate() const;

    // SimBlock's 2019 tables mapped to our continents, Africa derived from libp2p's table.
    static RegionTable measured_2019();
};

}  // namespace minerx::sim
