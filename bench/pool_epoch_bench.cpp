// One epoch of the pool daemon for 1,000 members, through the daemon's own code path minus the
// sockets: PoolDaemon (runners/pool) against an in-process devnet whose Lotus API is reached
// through the JSON-RPC dispatcher (every request and response is JSON text, as on the wire), with
// the SQLite store on disk (WAL, synchronous=FULL: every commit is an fsync) and the provers
// answering at once. What is timed per epoch, in the daemon's order:
//   round start   ChainHead, 1,000 MinerGetBaseInfo, 1,000 elections (VRF stand-in + WinCount),
//                 BlockProducer::start_round, 1,000 outcome rows committed, challenges out;
//   proofs        each winner's proof verified, accepted by the producer, committed;
//   publish       MinerCreateBlock + SyncSubmitBlock per block at T(N);
//   epoch close   fates from the canonical tipset, ThisEpochReward, the epoch report through
//                 three policies' PoolAccounting, events, outcomes and payments committed.
// The devnet's own round (background miners' elections) is not timed. The budget it is compared
// with is the propagation delay, 6 s (docs/block-production.md): the pool's share of the round
// before proofs can even be requested must be a small part of it. Numbers: docs/daemons.md.

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>

#include "runners/chainapi/lotus_json.h"
#include "runners/chainapi/proof_backends.h"
#include "runners/devnet/devnet_api.h"
#include "runners/net/rpc_client.h"
#include "runners/pool/pool_daemon.h"
#include "runners/rpc/dispatcher.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario_file.h"

namespace minerx {
namespace {

using rpc::Json;
using Clock = std::chrono::steady_clock;

// 20 background miners with 0.5 EiB; 1,000 members of 100 TiB to 1 PiB (about 45 % of the
// power, so about two members win each epoch).
constexpr const char* kScenario = R"(
name: bench
seed: 11
network:
  bins:
    - {min: 10PiB, max: 50PiB, miners: 19}
    - {min: 50PiB, miners: 1}
  total_power: 0.5EiB
  continent_weights: {asia: 1.0}
pools:
  - name: bench
    members:
      per_continent: {asia: 1000}
      initial_power_min: 100TiB
      initial_power_max: 1PiB
      max_power: 1PiB
    primary: {name: local, continent: asia}
    policies:
      - {kind: winner_takes_all, fee_ppm: 50000}
      - {kind: power_proportional, fee_ppm: 50000}
      - {kind: smoothed, fee_ppm: 50000, initial_reserve: 10000FIL}
)";

constexpr std::int64_t kGenesis = 1'000'000;
constexpr std::int64_t kEpochMs = 30'000;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void PoolEpoch(benchmark::State& state) {
    const sim::Scenario scenario = sim::parse_scenario(kScenario, "bench.yaml");
    const sim::NetworkPlan plan = sim::plan_network(scenario, scenario.seed);
    const chainapi::TestbedVrf vrf(scenario.seed);
    const chainapi::TestbedWinningPoSt post;
    devnet::DevnetChain chain(scenario, plan, devnet::DevnetTiming{kGenesis, kEpochMs, 6'000}, vrf, post);
    std::int64_t now = kGenesis;
    rpc::MethodRegistry registry;
    devnet::register_devnet_methods(registry, chain, [&now] { return now; });
    rpc::Dispatcher dispatcher(registry);
    pool_daemon::ChainClient client([&dispatcher](const std::string& method, Json params) {
        const Json request{{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
        const auto response = dispatcher.handle(rpc::to_text(request), rpc::Caller{rpc::Permission::admin, "pool", 0});
        return net::result_of(Json::parse(*response));
    });

    const std::string db = (std::filesystem::temp_directory_path() / ("minerx-pool-bench-" + std::to_string(::getpid()) + ".db")).string();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
    pool_daemon::PoolStore store(db);
    pool_daemon::PoolDaemonConfig config;
    config.epoch_ms = kEpochMs;
    config.genesis_unix_ms = kGenesis;
    config.policies = scenario.pools[0].policies;
    config.payout = state.range(0) == 1 ? pool::PayoutSchedule::every_epoch : pool::PayoutSchedule::on_request;
    for (const sim::MinerPlan& miner : plan.miners) {
        if (miner.is_member()) config.members.push_back(miner.actor_id);
    }
    std::deque<std::pair<chain::ActorId, Json>> challenges;
    pool_daemon::PoolDaemon daemon(config, client, store, vrf, post, [&](chain::ActorId miner, const Json& message) {
        challenges.emplace_back(miner, message);
        return true;
    });
    daemon.recover(now);

    chain::ChainEpoch round = 1;
    double start_ms = 0, proofs_ms = 0, publish_ms = 0, worst_start_ms = 0;
    std::int64_t proofs = 0, epochs = 0;
    for (auto _ : state) {
        state.PauseTiming();
        chain.run_round(round);
        now = daemon.round_start_unix_ms(round);
        state.ResumeTiming();

        // Round start (and the close of round - 2, whose fates the head now decides).
        auto t = Clock::now();
        daemon.on_time(now);
        const double start = ms_since(t);
        start_ms += start;
        worst_start_ms = std::max(worst_start_ms, start);

        t = Clock::now();
        while (!challenges.empty()) {
            const auto [miner, message] = challenges.front();
            challenges.pop_front();
            const Json& challenge = message["params"][0];
            const chain::Digest seed = *chainapi::digest_from_base64(challenge["Seed"].get<std::string>());
            daemon.proof_received(miner, round, post.prove(miner, round, seed), now + 1);
            ++proofs;
        }
        proofs_ms += ms_since(t);

        now = kGenesis + round * kEpochMs;  // T(round): blocks go out
        t = Clock::now();
        daemon.on_time(now);
        publish_ms += ms_since(t);
        ++epochs;
        ++round;
    }
    // The close of round - 2 runs inside the round start's on_time and is counted with it.
    state.counters["round_start_ms"] = start_ms / static_cast<double>(epochs);
    state.counters["round_start_worst_ms"] = worst_start_ms;
    state.counters["proofs_ms"] = proofs_ms / static_cast<double>(epochs);
    state.counters["publish_ms"] = publish_ms / static_cast<double>(epochs);
    state.counters["winners_per_epoch"] = static_cast<double>(proofs) / static_cast<double>(epochs);
    state.counters["epochs_closed"] = static_cast<double>(daemon.counters().epochs_closed);
    state.counters["members"] = static_cast<double>(config.members.size());
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((db + suffix).c_str());
}

// Arg 1: PayoutSchedule::every_epoch (every vested balance paid each epoch: ~3,000 payment rows
// per epoch with three policies); 0: on_request.
BENCHMARK(PoolEpoch)->Arg(1)->Arg(0)->Iterations(40)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace minerx

BENCHMARK_MAIN();
