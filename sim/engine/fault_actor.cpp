#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include "sim/engine/actors.h"
#include "sim/engine/sim_time.h"
#include "sim/scenario/scenario_file.h"

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

// "asia-africa" -> the WAN link between the two continents. The scenario parser validated it.
s4u::Link* wan_link_of(const SimContext& context, const std::string& target) {
    for (Continent a : kContinents) {
        for (Continent b : kContinents) {
            if (a != b && target == std::string(to_string(a)) + "-" + std::string(to_string(b))) {
                return context.platform.wan_link(a, b);
            }
        }
    }
    throw std::logic_error("fault target is not a continent pair: " + target);
}

s4u::Host* host_of(const SimContext& context, const std::string& name) {
    std::optional<std::size_t> node = context.platform.find_host(name);
    if (!node) throw std::logic_error("fault target is not a host: " + name);
    return context.platform.host(*node);
}

std::size_t pool_named(const SimContext& context, const std::string& name) {
    for (std::size_t i = 0; i < context.scenario.pools.size(); ++i) {
        if (context.scenario.pools[i].name == name) return i;
    }
    throw std::logic_error("fault target is not a pool: " + name);
}

// Plan indices of the members a prover_offline target names.
std::vector<std::size_t> provers_of(const SimContext& context, const std::string& target) {
    std::vector<std::size_t> miners;
    const std::size_t at = target.find(".members@");
    if (at == std::string::npos) {
        for (std::size_t i = 0; i < context.plan.miners.size(); ++i) {
            if (context.plan.miners[i].host_name == target) miners.push_back(i);
        }
    } else {
        const std::size_t pool = pool_named(context, target.substr(0, at));
        const std::optional<Continent> continent =
            parse_continent(target.substr(at + std::string(".members@").size()));
        for (std::size_t i = 0; i < context.plan.miners.size(); ++i) {
            const MinerPlan& miner = context.plan.miners[i];
            if (miner.pool == pool && miner.continent == continent) miners.push_back(i);
        }
    }
    return miners;
}

void record(SimContext& context, const FaultSpec& fault, std::string_view phase) {
    const TimeMs now = to_ms(s4u::Engine::get_clock());
    context.writer.event(EventRow{pool::epoch_at(now), now, std::string(fault_kind_name(fault.kind)),
                                  fault.target, std::string(phase)});
}

}  // namespace

void fault_actor(SimContext& context, const FaultSpec& fault) {
    std::function<void()> revert;
    s4u::this_actor::sleep_until(to_seconds(pool::epoch_start_ms(fault.start_epoch)));
    switch (fault.kind) {
        case FaultKind::host_down:
        case FaultKind::pool_primary_down: {
            const std::string host_name = fault.kind == FaultKind::host_down
                                              ? fault.target
                                              : fault.target + ".primary";
            s4u::Host* host = host_of(context, host_name);
            host->turn_off();
            revert = [host] { host->turn_on(); };
            break;
        }
        case FaultKind::link_down: {
            s4u::Link* link = wan_link_of(context, fault.target);
            link->turn_off();
            revert = [link] { link->turn_on(); };
            break;
        }
        case FaultKind::wan_latency_spike: {
            s4u::Link* link = wan_link_of(context, fault.target);
            const double latency = link->get_latency();
            link->set_latency(latency * fault.factor);
            revert = [link, latency] { link->set_latency(latency); };
            break;
        }
        case FaultKind::prover_offline: {
            std::vector<std::size_t> miners = provers_of(context, fault.target);
            for (std::size_t miner : miners) context.prover_offline[miner] = true;
            revert = [&context, miners] {
                for (std::size_t miner : miners) context.prover_offline[miner] = false;
            };
            break;
        }
    }
    context.propagation.invalidate();
    record(context, fault, "start");
    s4u::this_actor::sleep_until(
        to_seconds(pool::epoch_start_ms(fault.start_epoch + fault.duration_epochs)));
    revert();
    context.propagation.invalidate();
    record(context, fault, "end");
}

}  // namespace minerx::sim
