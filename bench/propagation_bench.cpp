// The cost of PropagationModel (sim/propagation/propagation_model.h) on the simulator's platform:
//
//   Propagation/row            one source's delays to every host (Dijkstra over the overlay with
//                              the upload-sharing weights), not cached
//   Propagation/read_platform  invalidate() and the next row: every overlay edge's route re-read
//                              from SimGrid (what a fault costs), plus the row
//   Propagation/cached_delay   delay_ms(source, dest) from a cached row
//
//   propagation_bench [--hosts=2400] [--degree=8] [Google Benchmark flags]
//
// SimGrid allows one engine per process, so each platform size is its own run
// (docs/platform.md has 2,400 and 24,000 hosts).

#include <benchmark/benchmark.h>
#include <simgrid/s4u/Engine.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sim/platform/world_platform.h"
#include "sim/propagation/gossip_overlay.h"
#include "sim/propagation/propagation_model.h"

namespace {

using namespace minerx::sim;

constexpr std::int64_t kBlockBytes = 10'000;
constexpr std::int64_t kValidationMs = 100;

struct Setup {
    std::unique_ptr<WorldPlatform> platform;
    std::size_t degree = 8;
};
Setup& setup() {
    static Setup instance;
    return instance;
}

void row(benchmark::State& state) {
    const WorldPlatform& platform = *setup().platform;
    const std::size_t hosts = platform.host_count();
    // A one-row cache and a new source each time: every call computes a row.
    PropagationModel model(platform, GossipOverlay(hosts, setup().degree, 1), kBlockBytes,
                           kValidationMs, hosts * sizeof(float));
    model.delays_from(0);
    std::size_t source = 0;
    for (auto _ : state) {
        source = (source + 7919) % hosts;
        benchmark::DoNotOptimize(model.delays_from(source).data());
    }
    state.counters["hosts"] = static_cast<double>(hosts);
    state.counters["row_KiB"] = static_cast<double>(hosts * sizeof(float)) / 1024.0;
}

void read_platform(benchmark::State& state) {
    const WorldPlatform& platform = *setup().platform;
    const std::size_t hosts = platform.host_count();
    PropagationModel model(platform, GossipOverlay(hosts, setup().degree, 1), kBlockBytes,
                           kValidationMs);
    for (auto _ : state) {
        model.invalidate();
        benchmark::DoNotOptimize(model.delays_from(0).data());
    }
    state.counters["hosts"] = static_cast<double>(hosts);
}

void cached_delay(benchmark::State& state) {
    const WorldPlatform& platform = *setup().platform;
    const std::size_t hosts = platform.host_count();
    PropagationModel model(platform, GossipOverlay(hosts, setup().degree, 1), kBlockBytes,
                           kValidationMs);
    std::size_t dest = 0;
    for (auto _ : state) {
        dest = (dest + 13) % hosts;
        benchmark::DoNotOptimize(model.delay_ms(3, dest));
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::size_t hosts = 2400;
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        if (std::strncmp(argv[i], "--hosts=", 8) == 0) {
            hosts = std::strtoull(argv[i] + 8, nullptr, 10);
        } else if (std::strncmp(argv[i], "--degree=", 9) == 0) {
            setup().degree = std::strtoull(argv[i] + 9, nullptr, 10);
        } else {
            rest.push_back(argv[i]);
        }
    }
    if (hosts < 2 || setup().degree < 1) {
        std::fprintf(stderr, "usage: propagation_bench [--hosts=N>=2] [--degree=D>=1]\n");
        return 64;
    }
    std::string program = "propagation_bench";
    std::string quiet = "--log=root.thresh:warning";
    char* engine_argv[] = {program.data(), quiet.data(), nullptr};
    int engine_argc = 2;
    simgrid::s4u::Engine engine(&engine_argc, engine_argv);
    configure_engine(engine);
    std::vector<HostSpec> specs;
    for (std::size_t i = 0; i < hosts; ++i) {
        specs.push_back({.name = "miner-" + std::to_string(i),
                         .continent = kContinents[i % kContinentCount]});
    }
    setup().platform = std::make_unique<WorldPlatform>(engine, specs, RegionTable::measured_2019());

    benchmark::RegisterBenchmark("Propagation/row", row)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Propagation/read_platform", read_platform)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("Propagation/cached_delay", cached_delay);
    int rest_argc = static_cast<int>(rest.size());
    benchmark::Initialize(&rest_argc, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    setup().platform.reset();
    return 0;
}
