#pragma once

// The simulated Internet: one SimGrid host per miner (and per pool site) in its continent, each
// with its own access links, and one WAN link per pair of continents (research/sim.md §3.3):
//
//   world (full zone)
//   ├── one star zone per continent, gateway router "gw-<continent>"
//   │     host h: up link  "<h>-up"   (upload bandwidth,   latency intra/2): h -> anywhere
//   │             down link "<h>-down" (download bandwidth, latency intra/2): anywhere -> h
//   └── per continent pair a < b: WAN link "wan-<a>-<b>" (FATPIPE, 1 Tbit/s,
//       latency = lat(a,b) - (intra(a) + intra(b)) / 2), symmetrical route between the zones.
//
// So a route between two miners has the table's latency exactly (intra: up + down; inter:
// up + WAN + down), and its bandwidth is min(sender upload, receiver download), SimBlock's rule.
// The WAN links never limit bandwidth (FATPIPE: each flow may use all of it, flows do not share):
// the measured tables give access bandwidth only. They exist so that faults can cut or slow a
// continent pair (wan_link).
//
// Build it before Engine::run (SimGrid seals the platform when the simulation starts) and after
// configure_engine. One WorldPlatform per engine: it creates the engine's root zone.

// Host and Link are what callers use the platform for (faults, routes), so their headers come
// with it.
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/network/continent.h"
#include "sim/platform/region_table.h"

namespace simgrid::kernel::routing {
class NetPoint;
}  // namespace simgrid::kernel::routing
namespace simgrid::s4u {
class Engine;
class NetZone;
}  // namespace simgrid::s4u

namespace minerx::sim {

// Engine settings the platform and the propagation model rely on; call right after
// constructing the engine, before building the platform:
//   network/model:CM02      latency and bandwidth as given. The default LV08 multiplies
//                           latencies by 13.01 and bandwidths by 0.97 to mimic TCP slow start
//                           (a 124 ms path took 1.6 s, research/sim.md §3.2); our latencies
//                           are already measured end-to-end delays.
//   network/crosstraffic:0  a flow does not also load the reverse path with 5 % of its rate
//                           (TCP acks). Otherwise a block sent u -> v slows v's own uploads,
//                           which the propagation model does not describe; also ~25 % faster.
void configure_engine(simgrid::s4u::Engine& engine);

struct HostSpec {
    std::string name;  // unique
    Continent continent = Continent::europe;
    // Access bandwidth, bytes/s; the continent's (RegionTable) when unset. E.g. a pool's
    // data-centre site.
    std::optional<double> upload_bytes_per_s{};
    std::optional<double> download_bytes_per_s{};
};

struct AccessLinks {
    simgrid::s4u::Link* up = nullptr;    // the host's uploads
    simgrid::s4u::Link* down = nullptr;  // the host's downloads
};

class WorldPlatform {
public:
    // Builds the platform into the engine. Host i of `hosts` is host index i. Throws
    // std::invalid_argument if a name repeats, a name is empty, a bandwidth override is not
    // positive, or the table is invalid (RegionTable::validate).
    WorldPlatform(simgrid::s4u::Engine& engine, std::span<const HostSpec> hosts,
                  const RegionTable& table);

    WorldPlatform(const WorldPlatform&) = delete;
    WorldPlatform& operator=(const WorldPlatform&) = delete;

    std::size_t host_count() const { return hosts_.size(); }
    simgrid::s4u::Host* host(std::size_t index) const;
    std::optional<std::size_t> find_host(std::string_view name) const;
    Continent continent(std::size_t index) const;
    AccessLinks access_links(std::size_t index) const;
    // The WAN link between two continents (either order). REQUIRES: a != b.
    simgrid::s4u::Link* wan_link(Continent a, Continent b) const;
    const RegionTable& table() const { return table_; }

private:
    void build_continent(Continent continent, std::span<const HostSpec> hosts,
                         const std::vector<std::size_t>& members);
    void build_wan();

    RegionTable table_;
    simgrid::s4u::NetZone* world_ = nullptr;
    ContinentArray<simgrid::s4u::NetZone*> zones_{};
    ContinentArray<simgrid::kernel::routing::NetPoint*> gateways_{};
    std::vector<simgrid::s4u::Host*> hosts_;
    std::vector<Continent> continents_;
    std::vector<AccessLinks> access_;
    std::unordered_map<std::string, std::size_t> index_by_name_;
    ContinentArray<ContinentArray<simgrid::s4u::Link*>> wan_{};
};

}  // namespace minerx::sim
