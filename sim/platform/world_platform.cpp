#include "sim/platform/world_platform.h"

#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/NetZone.hpp>

#include <stdexcept>
#include <utility>

#include "core/util/assert.h"

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

// Hosts only wait and send in the simulator; their speed is never used for real work.
constexpr double kHostFlops = 1e9;
// "Infinite" for the WAN links: they carry latency only (the header says why).
constexpr double kWanBandwidthBytesPerS = 1e12 / 8;

double seconds(double ms) { return ms / 1000.0; }

std::string continent_name(Continent continent) { return std::string(to_string(continent)); }

void check_hosts(std::span<const HostSpec> hosts) {
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        const HostSpec& spec = hosts[i];
        const std::string where = "host " + std::to_string(i) + " ('" + spec.name + "')";
        if (spec.name.empty()) throw std::invalid_argument(where + ": empty name");
        if (!seen.emplace(spec.name, i).second) {
            throw std::invalid_argument(where + ": name already used by host " +
                                        std::to_string(seen[spec.name]));
        }
        const auto bad = [](const std::optional<double>& value) {
            return value.has_value() && !(*value > 0 && *value < 1e300);
        };
        if (bad(spec.upload_bytes_per_s)) throw std::invalid_argument(where + ": upload <= 0");
        if (bad(spec.download_bytes_per_s)) throw std::invalid_argument(where + ": download <= 0");
    }
}

}  // namespace

void configure_engine(simgrid::s4u::Engine& engine) {
    (void)engine;  // settings are global to the process's (single) engine
    s4u::Engine::set_config("network/model:CM02");
    s4u::Engine::set_config("network/crosstraffic:0");
}

WorldPlatform::WorldPlatform(simgrid::s4u::Engine& engine, std::span<const HostSpec> hosts,
                             const RegionTable& table)
    : table_(table) {
    (void)engine;  // the s4u platform API builds into the process's engine
    if (auto error = table.validate()) throw std::invalid_argument("region table: " + *error);
    check_hosts(hosts);

    hosts_.resize(hosts.size(), nullptr);
    access_.resize(hosts.size());
    continents_.reserve(hosts.size());
    ContinentArray<std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        continents_.push_back(hosts[i].continent);
        members[index_of(hosts[i].continent)].push_back(i);
        index_by_name_.emplace(hosts[i].name, i);
    }

    world_ = s4u::create_full_zone("world");
    for (Continent continent : kContinents) {
        build_continent(continent, hosts, members[index_of(continent)]);
    }
    build_wan();
    world_->seal();
}

void WorldPlatform::build_continent(Continent continent, std::span<const HostSpec> hosts,
                                    const std::vector<std::size_t>& members) {
    s4u::NetZone* zone = s4u::create_star_zone(continent_name(continent));
    zone->set_parent(world_);
    // Each access link carries half the intra-continent latency, so host -> host inside the
    // continent (up + down) is the full intra latency and the WAN link carries the rest.
    const double half_intra_s = seconds(table_.latency(continent, continent)) / 2.0;
    for (std::size_t index : members) {
        const HostSpec& spec = hosts[index];
        s4u::Host* host = zone->create_host(spec.name, kHostFlops);
        host->seal();
        s4u::Link* up =
            zone->create_link(spec.name + "-up", spec.upload_bytes_per_s.value_or(table_.upload(continent)));
        up->set_latency(half_intra_s)->seal();
        s4u::Link* down = zone->create_link(
            spec.name + "-down", spec.download_bytes_per_s.value_or(table_.download(continent)));
        down->set_latency(half_intra_s)->seal();
        // Star zone: the host reaches "anywhere" (nullptr) over its up link and is reached from
        // anywhere over its down link.
        zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                        {s4u::LinkInRoute(up)}, false);
        zone->add_route(nullptr, host->get_netpoint(), nullptr, nullptr,
                        {s4u::LinkInRoute(down)}, false);
        hosts_[index] = host;
        access_[index] = AccessLinks{up, down};
    }
    // The zone's gateway: WAN routes go zone -> zone through these routers.
    gateways_[index_of(continent)] = zone->create_router("gw-" + continent_name(continent));
    zone->seal();
    zones_[index_of(continent)] = zone;
}

void WorldPlatform::build_wan() {
    for (std::size_t i = 0; i < kContinentCount; ++i) {
        for (std::size_t j = i + 1; j < kContinentCount; ++j) {
            const Continent a = kContinents[i];
            const Continent b = kContinents[j];
            s4u::Link* link = world_->create_link(
                "wan-" + continent_name(a) + "-" + continent_name(b), kWanBandwidthBytesPerS);
            link->set_latency(seconds(table_.wan_latency_ms(a, b)))
                ->set_sharing_policy(s4u::Link::SharingPolicy::FATPIPE)
                ->seal();
            world_->add_route(zones_[i]->get_netpoint(), zones_[j]->get_netpoint(), gateways_[i],
                              gateways_[j], {s4u::LinkInRoute(link)}, true);
            wan_[i][j] = link;
            wan_[j][i] = link;
        }
    }
}

simgrid::s4u::Host* WorldPlatform::host(std::size_t index) const {
    MINERX_ASSERT(index < hosts_.size());
    return hosts_[index];
}

std::optional<std::size_t> WorldPlatform::find_host(std::string_view name) const {
    const auto it = index_by_name_.find(std::string(name));
    if (it == index_by_name_.end()) return std::nullopt;
    return it->second;
}

Continent WorldPlatform::continent(std::size_t index) const {
    MINERX_ASSERT(index < continents_.size());
    return continents_[index];
}

AccessLinks WorldPlatform::access_links(std::size_t index) const {
    MINERX_ASSERT(index < access_.size());
    return access_[index];
}

simgrid::s4u::Link* WorldPlatform::wan_link(Continent a, Continent b) const {
    MINERX_ASSERT(a != b);
    return wan_[index_of(a)][index_of(b)];
}

}  // namespace minerx::sim
