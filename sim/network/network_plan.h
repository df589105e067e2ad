#pragma once

// The generated network: every miner the simulation starts with, a pure function of
// (scenario, seed). docs/scenarios.md ("The generated network") explains the draws; in short:
//
//   - Solo miners: exactly bins[i].miners in bin i. Within a bin, powers follow a truncated power
//     law p(x) ~ x^-(1+tilt) on [min, max) (tilt 0: log-uniform); the first bin starts at
//     smallest_miner_power when its min is 0. The open last bin is drawn the same way on
//     [min, 2 min) and then absorbs what is left to reach total_power. If log-uniform draws alone
//     already exceed total_power, the smallest tilt > 0 that brings the total down to it is used
//     (found by bisection): every miner stays in its bin, only the shape inside the bins changes.
//     Continents are drawn with network.continent_weights.
//   - Pool members: per_continent[c] members on continent c, power log-uniform in
//     [initial_power_min, initial_power_max], join epoch uniform in [join_from, join_until].
//   - Every power is a whole number of 32 GiB sectors (sealing::kSectorSizeBytes).
//
// Streams: the solo miners draw from one util::Random stream and each pool from its own, both
// derived from the seed (the pool's from its name), so adding, removing or reordering pools leaves
// the solo network and the other pools unchanged.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "sim/network/continent.h"
#include "sim/scenario/scenario.h"

namespace minerx::sim {

// Actor ids of generated miners are kFirstMinerActorId + index (f01000, f01001, ...).
inline constexpr chain::ActorId kFirstMinerActorId = 1000;

struct MinerPlan {
    std::uint32_t index = 0;      // 0..N-1: solo miners first (by bin), then pool members by pool
    chain::ActorId actor_id = 0;  // kFirstMinerActorId + index
    std::string host_name;        // "miner-<index>" for solo, "<pool>.member-<k>" for members
    Continent continent = Continent::asia;
    chain::StoragePower initial_power = 0;  // QA bytes, a multiple of the 32 GiB sector
    std::int32_t bin = -1;                  // index into network.bins; -1 for pool members
    std::optional<std::size_t> pool;        // index into scenario.pools for members
    chain::ChainEpoch join_epoch = 0;       // members: uniform in [join_from, join_until]; solo: 0
    chain::StoragePower max_power = 0;      // members: MemberSpec::max_power; solo: 0 (no cap)
    // Members: the sealing profile's proven sectors per day (sealing::estimate_throughput),
    // floored to whole sectors, x 32 GiB. Solo: 0 (they grow with network.daily_growth instead).
    chain::StoragePower daily_sealing = 0;

    bool is_member() const { return pool.has_value(); }
};

struct NetworkPlan {
    std::vector<MinerPlan> miners;
    std::size_t solo_count = 0;    // miners[0, solo_count) are solo
    std::size_t member_count = 0;  // miners[solo_count, size) are pool members
    chain::StoragePower solo_power = 0;
    chain::StoragePower member_power = 0;
    // The tilt used inside the bins (0: log-uniform draws; > 0: powers pushed towards each bin's
    // min to meet total_power).
    double bin_tilt = 0.0;
};

// The actor ids of plan.miners[from, to).
std::vector<chain::ActorId> actor_ids(const NetworkPlan& plan, std::size_t from, std::size_t to);

// REQUIRES: the scenario came from parse_scenario (validated). Throws std::runtime_error if the
// bins cannot hold total_power within the tolerance (network_spec_error says so beforehand).
NetworkPlan plan_network(const Scenario& scenario, std::uint64_t seed);

// Why no network can meet the spec (e.g. the bins' minimum powers already exceed total_power, or
// bounded bins cannot reach it), or nullopt. Checked by the scenario parser.
std::optional<std::string> network_spec_error(const NetworkSpec& network);

// One row per miner, with the header
// miner,actor_id,host,continent,power_bytes,power_tib,bin_min_pib,bin_max_pib,role,pool,join_epoch,daily_sealing_bytes
// (bin columns empty for members and bin_max_pib for the open bin; pool empty for solo miners).
void write_network_csv(std::ostream& out, const Scenario& scenario, const NetworkPlan& plan);

}  // namespace minerx::sim
