// The computed propagation delays: the upload-sharing rule, single hops against the route, and
// the model's reaction to faults (latency spike, host off) after invalidate().
// SimGrid allows one engine per process: each TEST builds at most one.

#include <gtest/gtest.h>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/platform/world_platform.h"
#include "sim/propagation/gossip_overlay.h"
#include "sim/propagation/propagation_model.h"
#include "sim/propagation/upload_sharing.h"

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

constexpr std::int64_t kBlockBytes = 10'000;
constexpr std::int64_t kValidationMs = 100;

std::unique_ptr<s4u::Engine> make_engine() {
    static std::string program = "propagation_model_test";
    static std::string quiet = "--log=root.thresh:warning";
    static char* argv[] = {program.data(), quiet.data(), nullptr};
    int argc = 2;
    auto engine = std::make_unique<s4u::Engine>(&argc, argv);
    configure_engine(*engine);
    return engine;
}

// `count` hosts, host i in continent i mod 6.
std::vector<HostSpec> round_robin_hosts(std::size_t count) {
    std::vector<HostSpec> hosts;
    for (std::size_t i = 0; i < count; ++i) {
        hosts.push_back({.name = "h" + std::to_string(i), .continent = kContinents[i % kContinentCount]});
    }
    return hosts;
}

double route_latency_ms(const WorldPlatform& platform, std::size_t from, std::size_t to) {
    std::vector<s4u::Link*> links;
    double latency = 0;
    platform.host(from)->route_to(platform.host(to), links, &latency);
    return latency * 1000;
}

TEST(UploadSharing, OneFlowGetsItsCap) {
    const std::vector<UploadFlow> flows = {{.start_s = 0.1, .penalty = 0.1, .rate_cap_bytes_per_s = 1000}};
    const auto finish = shared_upload_finish_times(flows, 500, 4000);
    EXPECT_DOUBLE_EQ(finish[0], 0.1 + 0.5);
}

TEST(UploadSharing, EqualFlowsSplitTheLink) {
    const std::vector<UploadFlow> flows(4, {.start_s = 0, .penalty = 0.2, .rate_cap_bytes_per_s = 1e9});
    for (double finish : shared_upload_finish_times(flows, 1000, 4000)) {
        EXPECT_NEAR(finish, 1.0, 1e-12);  // 4 x 1000 bytes at 4000 bytes/s
    }
}

TEST(UploadSharing, SharesAreInverseToThePenaltyAndFreedBandwidthIsReused) {
    // Penalties 1 and 3: rates 3000 and 1000 until the first is done at 1/3 s (1000 bytes);
    // the second then has 1000 - 333.3 bytes left at 4000 bytes/s.
    const std::vector<UploadFlow> flows = {{.start_s = 0, .penalty = 1, .rate_cap_bytes_per_s = 1e9},
                                           {.start_s = 0, .penalty = 3, .rate_cap_bytes_per_s = 1e9}};
    const auto finish = shared_upload_finish_times(flows, 1000, 4000);
    EXPECT_NEAR(finish[0], 1.0 / 3, 1e-12);
    EXPECT_NEAR(finish[1], 1.0 / 3 + (1000 - 1000.0 / 3) / 4000, 1e-12);
}

TEST(UploadSharing, ACappedFlowLeavesTheRestToOthersAndLateFlowsJoinLater) {
    const std::vector<UploadFlow> flows = {{.start_s = 0, .penalty = 1, .rate_cap_bytes_per_s = 1000},
                                           {.start_s = 0, .penalty = 1, .rate_cap_bytes_per_s = 1e9},
                                           {.start_s = 10, .penalty = 1, .rate_cap_bytes_per_s = 1e9}};
    const auto finish = shared_upload_finish_times(flows, 1000, 4000);
    EXPECT_NEAR(finish[0], 1.0, 1e-12);   // its cap
    EXPECT_NEAR(finish[1], 1000.0 / 3000, 1e-12);  // the other 3000 bytes/s
    EXPECT_NEAR(finish[2], 10.25, 1e-12);  // alone, after the others are done
}

TEST(PropagationModel, SingleHopIsLatencyPlusSizeOverBandwidthPlusValidation) {
    auto engine = make_engine();
    const auto hosts = round_robin_hosts(6);  // one per continent
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    const std::size_t south = index_of(Continent::south_america);
    const std::size_t europe = index_of(Continent::europe);
    PropagationModel model(platform, GossipOverlay::from_edges(6, {{south, europe}}), kBlockBytes,
                           kValidationMs);
    const RegionTable& table = platform.table();
    const double bandwidth = std::min(table.upload(Continent::south_america),
                                      table.download(Continent::europe));
    EXPECT_NEAR(model.delay_ms(south, europe),
                table.latency(Continent::south_america, Continent::europe) +
                    1000.0 * kBlockBytes / bandwidth + kValidationMs,
                1e-3);
    EXPECT_EQ(model.delay_ms(south, south), 0);
    EXPECT_TRUE(std::isinf(model.delay_ms(south, index_of(Continent::asia))));  // not in overlay
}

TEST(PropagationModel, DelaysAreSaneOnARandomOverlay) {
    auto engine = make_engine();
    const auto hosts = round_robin_hosts(120);
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    PropagationModel model(platform, GossipOverlay(120, 8, 5), kBlockBytes, kValidationMs);
    for (std::size_t source = 0; source < 120; source += 7) {
        const auto row = model.delays_from(source);
        ASSERT_EQ(row.size(), 120u);
        EXPECT_EQ(row[source], 0.0f);
        for (std::size_t dest = 0; dest < 120; ++dest) {
            if (dest == source) continue;
            EXPECT_TRUE(std::isfinite(row[dest]));
            // At least the direct route's latency and one validation; well under Lotus' 6 s.
            EXPECT_GE(static_cast<double>(row[dest]),
                      route_latency_ms(platform, source, dest) + kValidationMs - 1e-3);
            EXPECT_LT(row[dest], 6000.0f);
        }
    }
    // Symmetric-ish: uploads and downloads differ, hop counts do not.
    for (std::size_t a = 0; a < 120; a += 11) {
        for (std::size_t b = a + 1; b < 120; b += 13) {
            const double ab = model.delay_ms(a, b);
            const double ba = model.delay_ms(b, a);
            EXPECT_LT(std::max(ab, ba) / std::min(ab, ba), 1.5) << a << " <-> " << b;
        }
    }
}

TEST(PropagationModel, CacheHoldsTheConfiguredNumberOfRows) {
    auto engine = make_engine();
    const auto hosts = round_robin_hosts(60);
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    // Room for 3 rows of 60 floats.
    PropagationModel model(platform, GossipOverlay(60, 8, 1), kBlockBytes, kValidationMs,
                           3 * 60 * sizeof(float));
    const std::vector<float> first(model.delays_from(0).begin(), model.delays_from(0).end());
    for (std::size_t source = 1; source < 10; ++source) model.delays_from(source);
    EXPECT_EQ(model.cached_rows(), 3u);
    const auto again = model.delays_from(0);  // recomputed after eviction: same values
    EXPECT_EQ(std::vector<float>(again.begin(), again.end()), first);
}

TEST(PropagationModel, WanLatencySpikeRaisesDelaysAcrossItAfterInvalidate) {
    auto engine = make_engine();
    const auto hosts = round_robin_hosts(120);
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    PropagationModel model(platform, GossipOverlay(120, 8, 9), kBlockBytes, kValidationMs);
    const std::size_t source = index_of(Continent::asia);  // host 0
    const std::vector<float> before(model.delays_from(source).begin(), model.delays_from(source).end());

    s4u::Link* wan = platform.wan_link(Continent::asia, Continent::europe);
    wan->set_latency(wan->get_latency() + 5.0);
    EXPECT_EQ(model.delays_from(source)[index_of(Continent::europe)],
              before[index_of(Continent::europe)]);  // cached until invalidate
    model.invalidate();
    const auto after = model.delays_from(source);
    int raised = 0;
    for (std::size_t dest = 0; dest < 120; ++dest) {
        EXPECT_GE(after[dest], before[dest]) << dest;
        if (after[dest] > before[dest] + 1.0f) ++raised;
    }
    EXPECT_GT(raised, 0);
    // Nothing crosses a 5 s link when detours of < 1 s exist: every European host is still
    // reached well under 5 s, so the overlay routed around the spike.
    for (std::size_t dest = index_of(Continent::europe); dest < 120; dest += kContinentCount) {
        EXPECT_LT(after[dest], 5000.0f) << dest;
    }
}

TEST(PropagationModel, HostTurnedOffIsUnreachableAndOthersStillMeet) {
    auto engine = make_engine();
    const auto hosts = round_robin_hosts(120);
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    PropagationModel model(platform, GossipOverlay(120, 8, 3), kBlockBytes, kValidationMs);
    constexpr std::size_t kVictim = 17;
    platform.host(kVictim)->turn_off();
    model.invalidate();
    for (std::size_t source = 0; source < 120; source += 5) {
        if (source == kVictim) continue;
        const auto row = model.delays_from(source);
        for (std::size_t dest = 0; dest < 120; ++dest) {
            if (dest == kVictim) {
                EXPECT_TRUE(std::isinf(row[dest]));
            } else {
                EXPECT_TRUE(std::isfinite(row[dest])) << source << " -> " << dest;
            }
        }
    }
    EXPECT_TRUE(std::isinf(model.delay_ms(kVictim, 0)));
    platform.host(kVictim)->turn_on();
    model.invalidate();
    EXPECT_TRUE(std::isfinite(model.delay_ms(0, kVictim)));
}

}  // namespace
}  // namespace minerx::sim
