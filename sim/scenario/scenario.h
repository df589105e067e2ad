#pragma once

// A scenario: everything a simulation run depends on besides the seed and the minerx version.
// Scenario files (YAML) are parsed into this by scenario_file.h; docs/scenarios.md documents the
// schema key by key. Every field has a default so a scenario names only what it changes.
//
// Units: power in bytes (QA power; scenario files accept "10TiB", "1.5PiB"), time in epochs or
// milliseconds as the name says, money in attoFIL, fees in parts per million.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/pool/membership.h"
#include "core/pool/reward_policy.h"
#include "sim/network/continent.h"

namespace minerx::sim {

// Per-continent numbers (counts, weights) indexed by index_of(Continent).
template <typename T>
using PerContinent = std::array<T, kContinentCount>;

// One bin of the network's power distribution table (data/network-2021-power-distribution.csv):
// `miners` miners whose power lies in [min_power, max_power); no max for the last bin.
struct PowerBin {
    chain::StoragePower min_power = 0;
    std::optional<chain::StoragePower> max_power;
    std::int64_t miners = 0;
};

// The solo miners outside the pools.
struct NetworkSpec {
    // The distribution the miners are drawn from; bins in ascending order.
    std::vector<PowerBin> bins;
    // Total QA power of the generated network at the start (5.4 EiB in mid-2021), within
    // total_power_tolerance_ppm.
    chain::StoragePower total_power = 0;
    std::int64_t total_power_tolerance_ppm = 10'000;  // 1 %
    // Lower end of the first bin when it starts at 0 (a miner with no sector has no power).
    chain::StoragePower smallest_miner_power = chain::StoragePower{1} << 40;  // 1 TiB
    // Where the solo miners are: each miner's continent is drawn with these weights.
    PerContinent<double> continent_weights{};
    // New QA power added to the network per day (about 40 PiB in mid-2021), spread over the solo
    // miners in proportion to their power.
    chain::StoragePower daily_growth = 0;
};

// How blocks travel: the gossip overlay and per-hop costs (sim/propagation/).
struct PropagationSpec {
    std::int64_t gossip_degree = 8;            // peers per miner in the overlay
    std::int64_t block_size_bytes = 10'000;    // header + message CIDs as gossiped
    std::int64_t validation_ms = 100;          // per hop, before forwarding
    // Lotus PropagationDelaySecs: the base cutoff after each epoch's start (6 s in 2021).
    std::int64_t propagation_delay_ms = chain::kPropagationDelaySeconds2021 * 1000;
};

// A policy to compare: a name for the results and the core's configuration.
struct PolicySpec {
    std::string name;  // unique within the pool; scenario files default it to the kind's name
    pool::RewardPolicyConfig config;
    // Initial reserve the operator deposits at the start (the smoothed policy needs one).
    chain::AttoFil initial_reserve = 0;
};

// Where a pool's shared services run: a host on the given continent, added to the platform.
struct SiteSpec {
    std::string name;  // e.g. "singapore"; the host is named "<pool>.<role>"
    Continent continent = Continent::asia;
};

// How a pool's members are generated.
struct MemberSpec {
    PerContinent<std::int64_t> per_continent{};  // member counts
    // Power at the start, drawn log-uniformly in [initial_power_min, initial_power_max].
    chain::StoragePower initial_power_min = 0;
    chain::StoragePower initial_power_max = 0;
    chain::StoragePower max_power = 0;  // members stop growing here (1 PiB in phase 1); 0: no cap
    // Sealing: a core/sealing preset hardware profile (preset_profile_names()); the core's
    // throughput estimate turns it into proven sectors per day, added to the member's power.
    std::string sealing_profile = "commodity_10tib_per_day";
    // Members join at epochs drawn uniformly in [join_from_epoch, join_until_epoch].
    chain::ChainEpoch join_from_epoch = 0;
    chain::ChainEpoch join_until_epoch = 0;
    // The member's WinningPoSt compute time, drawn uniformly per proof (1-10 s, BRIEF).
    std::int64_t winning_post_min_ms = 1'000;
    std::int64_t winning_post_max_ms = 10'000;
};

struct PoolSpec {
    std::string name;
    MemberSpec members;
    SiteSpec primary;
    std::optional<SiteSpec> standby;
    SiteSpec chain_node;  // scenario files default it to the primary's site
    // Time the standby needs to notice the primary is down and take over.
    std::int64_t failover_detection_ms = 60'000;
    std::int64_t publish_margin_ms = 2'000;
    pool::MembershipConfig membership{};
    std::vector<PolicySpec> policies;  // all fed the same wins: a paired comparison
};

// Faults, each active during [start_epoch, start_epoch + duration_epochs).
enum class FaultKind : std::uint8_t {
    host_down,         // target: a host name ("incubator.primary", "miner-17",
                       // "incubator.member-3")
    link_down,         // target: a continent pair "asia-africa" (the WAN link between them)
    pool_primary_down, // target: a pool name; the standby takes over after detection
    prover_offline,    // target: a member host name, or "<pool>.members@<continent>"
    wan_latency_spike, // target: a continent pair; latency multiplied by `factor`
};

struct FaultSpec {
    FaultKind kind = FaultKind::host_down;
    std::string target;
    chain::ChainEpoch start_epoch = 0;
    chain::ChainEpoch duration_epochs = 0;
    double factor = 1.0;  // wan_latency_spike only
};

struct Scenario {
    std::string name;
    std::string description;
    std::uint64_t seed = 1;
    std::int64_t duration_days = 1;
    NetworkSpec network;
    PropagationSpec propagation;
    std::vector<PoolSpec> pools;
    std::vector<FaultSpec> faults;
};

}  // namespace minerx::sim
