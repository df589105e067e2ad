// The floor under the simulator's speed: a bare SimGrid program on the simulator's platform
// (sim/platform/world_platform.h, RegionTable::measured_2019, 2,400 hosts spread round-robin over
// the six continents) in which one actor wakes once per 30 s epoch, draws the epoch's block count
// (Poisson, mean 5, seeded) and sends one small message per block to a receiver actor on another
// continent. Nothing else happens, so no simulation of this platform and epoch clock can be
// faster: the simulator's wall time per simulated day divided by this one is its overhead.
//
//   simgrid_floor [days=30] [hosts=2400] [seed=1] [SimGrid --cfg=... options]
//
// Prints wall seconds per simulated day, the extrapolated wall time per simulated year, and the
// process's peak RSS. docs/platform.md has the numbers.

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/util/random.h"
#include "sim/platform/world_platform.h"

namespace {

namespace s4u = simgrid::s4u;
using namespace minerx::sim;

constexpr double kEpochSeconds = 30;
constexpr std::int64_t kEpochsPerDay = 2880;
constexpr double kBlocksPerEpoch = 5;
constexpr std::uint64_t kMessageBytes = 200;  // a block announcement, not the block

// Poisson by multiplying uniforms (Knuth); fine for a mean of 5.
int poisson(minerx::util::Random& random, double mean) {
    const double limit = std::exp(-mean);
    int count = 0;
    for (double product = random.uniform(); product > limit; product *= random.uniform()) ++count;
    return count;
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

std::uint64_t positional(std::vector<std::string>& args, std::size_t index, std::uint64_t fallback) {
    return index < args.size() ? std::strtoull(args[index].c_str(), nullptr, 10) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
    s4u::Engine engine(&argc, argv);  // consumes --cfg=... and --log=... arguments
    configure_engine(engine);
    std::vector<std::string> args(argv + 1, argv + argc);
    const std::uint64_t days = positional(args, 0, 30);
    const std::uint64_t host_count = positional(args, 1, 2400);
    const std::uint64_t seed = positional(args, 2, 1);
    if (days == 0 || host_count < 2) {
        std::fprintf(stderr, "usage: simgrid_floor [days>=1] [hosts>=2] [seed]\n");
        return 64;
    }

    std::vector<HostSpec> hosts;
    for (std::uint64_t i = 0; i < host_count; ++i) {
        hosts.push_back({.name = "miner-" + std::to_string(i),
                         .continent = kContinents[i % kContinentCount]});
    }
    const WorldPlatform platform(engine, hosts, RegionTable::measured_2019());

    const std::int64_t epochs = static_cast<std::int64_t>(days) * kEpochsPerDay;
    std::int64_t messages = 0;
    s4u::Mailbox* inbox = s4u::Mailbox::by_name("receiver");
    s4u::Actor::create("receiver", platform.host(1), [inbox] {
        inbox->set_receiver(s4u::Actor::self());
        while (true) inbox->get<int>();
    })->daemonize();
    s4u::Actor::create("epochs", platform.host(0), [&] {
        minerx::util::Random random(seed);
        static int payload = 0;
        for (std::int64_t epoch = 0; epoch < epochs; ++epoch) {
            s4u::this_actor::sleep_until(static_cast<double>(epoch) * kEpochSeconds);
            const int blocks = poisson(random, kBlocksPerEpoch);
            for (int block = 0; block < blocks; ++block) {
                inbox->put_init(&payload, kMessageBytes)->detach();
                ++messages;
            }
        }
    });

    const auto start = std::chrono::steady_clock::now();
    engine.run();
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double per_day = wall / static_cast<double>(days);
    std::printf("simgrid_floor: %llu hosts, %llu simulated days (%lld epochs, %lld messages)\n",
                static_cast<unsigned long long>(host_count), static_cast<unsigned long long>(days),
                static_cast<long long>(epochs), static_cast<long long>(messages));
    std::printf("wall %.3f s: %.4f s per simulated day, %.1f s per simulated year (x365)\n", wall,
                per_day, per_day * 365);
    std::printf("peak RSS %.1f MiB\n", static_cast<double>(peak_rss_kib()) / 1024.0);
    return 0;
}
