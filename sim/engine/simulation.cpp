#include "sim/engine/simulation.h"

#include <chrono>
#include <memory>
#include <vector>

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>

#include "sim/engine/actors.h"
#include "sim/engine/daily_recorder.h"
#include "sim/engine/network_chain.h"
#include "sim/engine/pool_service.h"
#include "sim/platform/region_table.h"
#include "sim/platform/world_platform.h"
#include "sim/propagation/gossip_overlay.h"
#include "sim/propagation/propagation_model.h"
#include "sim/results/results_writer.h"
#include "sim/scenario/scenario_file.h"

#ifndef MINERX_VERSION
#define MINERX_VERSION "unknown"
#endif

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

// A pool site is a data-centre host: 1 Gbit/s both ways (an assumption; docs/simulator.md).
constexpr double kSiteBytesPerSecond = 125e6;
// The host the chain and fault actors run on: in the platform so that actors have a place, and
// never a fault target (scenario targets cannot name it).
constexpr const char* kWorldHostName = "minerx.world";

double wall_now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

PolicyRow policy_row(const PoolSpec& pool, const PolicySpec& policy) {
    PolicyRow row;
    row.pool = pool.name;
    row.policy = policy.name;
    row.kind = std::string(policy_kind_name(policy.config));
    std::visit(
        [&](const auto& config) {
            if constexpr (requires { config.fee_ppm; }) row.fee_ppm = config.fee_ppm;
            if constexpr (requires { config.below_minimum; }) {
                row.below_minimum =
                    config.below_minimum == pool::BelowMinimumRule::include ? "include" : "exclude";
            }
        },
        policy.config);
    if (row.below_minimum.empty()) row.below_minimum = "exclude";
    row.initial_reserve = policy.initial_reserve;
    return row;
}

struct Hosts {
    std::vector<HostSpec> specs;
    std::vector<PoolSites> sites;  // by pool
    std::size_t world = 0;
};

Hosts plan_hosts(const Scenario& scenario, const NetworkPlan& plan) {
    Hosts hosts;
    for (const MinerPlan& miner : plan.miners) {
        hosts.specs.push_back(HostSpec{miner.host_name, miner.continent, {}, {}});
    }
    auto add_site = [&](const std::string& name, Continent continent) {
        hosts.specs.push_back(HostSpec{name, continent, kSiteBytesPerSecond, kSiteBytesPerSecond});
        return hosts.specs.size() - 1;
    };
    for (const PoolSpec& pool : scenario.pools) {
        PoolSites sites;
        sites.primary = add_site(pool.name + ".primary", pool.primary.continent);
        if (pool.standby) sites.standby = add_site(pool.name + ".standby", pool.standby->continent);
        sites.chain_node = add_site(pool.name + ".chain_node", pool.chain_node.continent);
        hosts.sites.push_back(sites);
    }
    hosts.world = add_site(kWorldHostName, Continent::europe);
    return hosts;
}

void record_run_info(ResultsWriter& writer, const Scenario& scenario, const RunOptions& options) {
    writer.run_info("scenario", scenario.name);
    writer.run_info("seed", std::to_string(scenario.seed));
    writer.run_info("days", std::to_string(scenario.duration_days));
    writer.run_info("minerx_version", minerx_version());
    writer.run_info("propagation_delay_ms",
                    std::to_string(scenario.propagation.propagation_delay_ms));
    writer.run_info("scenario_file", options.scenario_file, false);
    for (const PoolSpec& pool : scenario.pools) {
        for (const PolicySpec& policy : pool.policies) writer.policy(policy_row(pool, policy));
    }
}

void record_miners(ResultsWriter& writer, const Scenario& scenario, const NetworkPlan& plan,
                   const NetworkChain& chain) {
    for (std::size_t i = 0; i < plan.miners.size(); ++i) {
        const MinerPlan& miner = plan.miners[i];
        MinerRow row;
        row.miner = miner.actor_id;
        row.host = miner.host_name;
        row.continent = std::string(to_string(miner.continent));
        row.role = miner.is_member() ? "member" : "solo";
        row.pool = miner.is_member() ? scenario.pools[*miner.pool].name : std::string();
        row.bin = miner.bin;
        row.join_epoch = miner.join_epoch;
        row.initial_power = miner.initial_power;
        row.final_power = chain.current_power(i);
        writer.miner(row);
    }
}

void create_actors(SimContext& context, const Hosts& hosts) {
    s4u::Host* world = context.platform.host(hosts.world);
    s4u::Actor::create("chain", world, [&context] { chain_actor(context); });
    for (const FaultSpec& fault : context.scenario.faults) {
        s4u::Actor::create("fault", world, [&context, &fault] { fault_actor(context, fault); })
            ->daemonize();
    }
    for (std::size_t p = 0; p < context.pools.size(); ++p) {
        const PoolSites& sites = hosts.sites[p];
        auto site_actor = [&context, p](int site) { return [&context, p, site] { pool_site_actor(context, p, site); }; };
        s4u::Actor::create("pool-primary", context.platform.host(sites.primary), site_actor(0))
            ->daemonize()
            ->set_auto_restart(true);
        if (sites.standby) {
            s4u::Actor::create("pool-standby", context.platform.host(*sites.standby), site_actor(1))
                ->daemonize()
                ->set_auto_restart(true);
        }
        s4u::Actor::create("chain-node", context.platform.host(sites.chain_node),
                           [&context, p] { chain_node_actor(context, p); })
            ->daemonize()
            ->set_auto_restart(true);
        for (std::size_t member : context.pools[p]->members()) {
            s4u::Actor::create("prover", context.platform.host(context.miner_nodes[member]),
                               [&context, member] { prover_actor(context, member); })
                ->daemonize()
                ->set_auto_restart(true);
        }
    }
}

}  // namespace

std::string_view minerx_version() { return MINERX_VERSION; }

RunSummary run_simulation(const Scenario& scenario, const NetworkPlan& plan,
                          const RunOptions& options) {
    const double wall_start = wall_now_seconds();
    ResultsWriter writer(options.results_path);
    record_run_info(writer, scenario, options);

    int argc = 2;
    char program[] = "minerx-sim";
    char quiet[] = "--log=root.thresh:warning";
    char* argv[] = {program, quiet, nullptr};
    s4u::Engine engine(&argc, argv);
    configure_engine(engine);

    const Hosts hosts = plan_hosts(scenario, plan);
    WorldPlatform platform(engine, hosts.specs, RegionTable::measured_2019());
    PropagationModel propagation(
        platform,
        GossipOverlay(hosts.specs.size(),
                      static_cast<std::size_t>(scenario.propagation.gossip_degree), scenario.seed),
        scenario.propagation.block_size_bytes, scenario.propagation.validation_ms);

    const chain::ChainEpoch last_epoch = scenario.duration_days * chain::kEpochsPerDay;
    DailyRecorder recorder(writer, plan, scenario.duration_days);
    std::vector<std::size_t> miner_nodes(plan.miners.size());
    for (std::size_t i = 0; i < miner_nodes.size(); ++i) miner_nodes[i] = i;
    NetworkChain chain(scenario, plan, platform, propagation, recorder, writer, miner_nodes);

    std::vector<std::unique_ptr<PoolService>> pools;
    for (std::size_t p = 0; p < scenario.pools.size(); ++p) {
        std::vector<std::size_t> members;
        for (std::size_t i = 0; i < plan.miners.size(); ++i) {
            if (plan.miners[i].pool == p) members.push_back(i);
        }
        pools.push_back(std::make_unique<PoolService>(p, scenario.pools[p], plan, chain, writer,
                                                      std::move(members), hosts.sites[p],
                                                      last_epoch));
        chain.add_pool(p, *pools.back());
    }

    SimContext context{scenario, plan,  platform, propagation, chain, writer, pools,
                       miner_nodes, last_epoch, std::vector<bool>(plan.miners.size(), false),
                       options.progress, wall_start};
    create_actors(context, hosts);
    engine.run();

    for (const auto& pool : pools) pool->write_summaries();
    record_miners(writer, scenario, plan, chain);

    RunSummary summary;
    const NetworkChain::Totals& totals = chain.totals();
    summary.rounds = totals.rounds;
    summary.null_rounds = totals.null_rounds;
    summary.blocks_produced = totals.blocks_produced;
    summary.blocks_included = totals.blocks_included;
    summary.blocks_orphaned = totals.blocks_orphaned;
    summary.win_count_included = totals.win_count_included;
    summary.hosts = hosts.specs.size();
    summary.propagation_rows = propagation.rows_computed();
    summary.wall_seconds = wall_now_seconds() - wall_start;
    writer.run_info("wall_seconds", std::to_string(summary.wall_seconds), false);
    summary.digest = writer.finish();
    return summary;
}

}  // namespace minerx::sim
