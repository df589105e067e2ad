// The six-continent platform: route latencies and bandwidths as the region table says under CM02,
// host lookup, WAN links, and which faults SimGrid 3.32 applies at run time (from an actor).
// SimGrid allows one engine per process: each TEST builds one (ctest runs each TEST alone).

#include <gtest/gtest.h>
#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/platform/region_table.h"
#include "sim/platform/world_platform.h"

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

std::unique_ptr<s4u::Engine> make_engine() {
    static std::string program = "world_platform_test";
    static std::string quiet = "--log=root.thresh:warning";
    static char* argv[] = {program.data(), quiet.data(), nullptr};
    int argc = 2;
    auto engine = std::make_unique<s4u::Engine>(&argc, argv);
    configure_engine(*engine);
    return engine;
}

// Two hosts per continent: "<continent>-0", "<continent>-1"; host 2c and 2c+1 are continent c.
std::vector<HostSpec> two_per_continent() {
    std::vector<HostSpec> hosts;
    for (Continent continent : kContinents) {
        for (int i = 0; i < 2; ++i) {
            hosts.push_back({.name = std::string(to_string(continent)) + "-" + std::to_string(i),
                             .continent = continent});
        }
    }
    return hosts;
}

std::size_t first_host(Continent continent) { return 2 * index_of(continent); }

TEST(RegionTable, Measured2019IsSimBlockMappedAndValid) {
    const RegionTable table = RegionTable::measured_2019();
    EXPECT_FALSE(table.validate().has_value());
    // SimBlock LATENCY_2019 entries (NA-EU, AP-AU, SA intra) and bandwidths (bit/s / 8).
    EXPECT_DOUBLE_EQ(table.latency(Continent::north_america, Continent::europe), 124);
    EXPECT_DOUBLE_EQ(table.latency(Continent::asia, Continent::oceania), 198);
    EXPECT_DOUBLE_EQ(table.latency(Continent::south_america, Continent::south_america), 88);
    EXPECT_DOUBLE_EQ(table.upload(Continent::europe), 20'700'000 / 8.0);
    EXPECT_DOUBLE_EQ(table.download(Continent::oceania), 29'900'000 / 8.0);
    // Africa: libp2p's south_africa row times the SimBlock/libp2p ratio 2298/1345 over the ten
    // pairs both cover (europe 95 ms, north america the mean of 160 and 130 ms).
    EXPECT_NEAR(table.latency(Continent::africa, Continent::europe), 95 * 2298.0 / 1345, 1e-9);
    EXPECT_NEAR(table.latency(Continent::north_america, Continent::africa), 145 * 2298.0 / 1345,
                1e-9);
    // Intra-Africa: 7 ms times (11 + 88 + 85 + 16) / (2 + 7 + 4 + 2).
    EXPECT_NEAR(table.latency(Continent::africa, Continent::africa), 7 * 200.0 / 15, 1e-9);
    EXPECT_DOUBLE_EQ(table.upload(Continent::africa), table.upload(Continent::south_america));
}

TEST(RegionTable, ValidateNamesTheBadEntry) {
    RegionTable table = RegionTable::measured_2019();
    // 40 ms < (85 + 16) / 2: no room for a WAN link between asia and oceania.
    table.latency_ms[index_of(Continent::asia)][index_of(Continent::oceania)] = 40;
    table.latency_ms[index_of(Continent::oceania)][index_of(Continent::asia)] = 40;
    const auto error = table.validate();
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("asia-oceania"), std::string::npos) << *error;
    table = RegionTable::measured_2019();
    table.upload_bytes_per_s[index_of(Continent::africa)] = 0;
    ASSERT_TRUE(table.validate().has_value());
    EXPECT_NE(table.validate()->find("africa"), std::string::npos);
}

TEST(WorldPlatform, OneByteCommTakesTheTableLatencyUnderCm02) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const RegionTable table = RegionTable::measured_2019();
    const WorldPlatform platform(*engine, hosts, table);
    std::vector<double> measured(kContinentCount * kContinentCount, -1);
    s4u::Actor::create("prober", platform.host(0), [&] {
        for (Continent from : kContinents) {
            for (Continent to : kContinents) {
                // The second host of the destination continent, so intra pairs are distinct.
                const double start = s4u::Engine::get_clock();
                s4u::Comm::sendto(platform.host(first_host(from)),
                                  platform.host(first_host(to) + 1), 1);
                measured[index_of(from) * kContinentCount + index_of(to)] =
                    s4u::Engine::get_clock() - start;
            }
        }
    });
    engine->run();
    for (Continent from : kContinents) {
        for (Continent to : kContinents) {
            const double expected = table.latency(from, to) / 1000.0 +
                                    1.0 / std::min(table.upload(from), table.download(to));
            EXPECT_NEAR(measured[index_of(from) * kContinentCount + index_of(to)], expected, 1e-6)
                << to_string(from) << " -> " << to_string(to);
        }
    }
}

TEST(WorldPlatform, BigMessagePaysSizeOverTheSmallerAccessBandwidth) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const RegionTable table = RegionTable::measured_2019();
    const WorldPlatform platform(*engine, hosts, table);
    constexpr double kBytes = 1'000'000;
    double south_to_north = 0;
    double north_to_south = 0;
    const std::size_t south = first_host(Continent::south_america);
    const std::size_t north = first_host(Continent::north_america);
    s4u::Actor::create("prober", platform.host(0), [&] {
        double start = s4u::Engine::get_clock();
        s4u::Comm::sendto(platform.host(south), platform.host(north), kBytes);
        south_to_north = s4u::Engine::get_clock() - start;
        start = s4u::Engine::get_clock();
        s4u::Comm::sendto(platform.host(north), platform.host(south), kBytes);
        north_to_south = s4u::Engine::get_clock() - start;
    });
    engine->run();
    const double latency = table.latency(Continent::south_america, Continent::north_america) / 1000;
    // SA upload (5.8 Mbit/s) limits one way, SA download (18 Mbit/s) the other.
    EXPECT_NEAR(south_to_north, latency + kBytes / table.upload(Continent::south_america), 1e-5);
    EXPECT_NEAR(north_to_south, latency + kBytes / table.download(Continent::south_america), 1e-5);
}

TEST(WorldPlatform, FindsHostsByNameAndIndex) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    EXPECT_EQ(platform.host_count(), hosts.size());
    for (std::size_t i = 0; i < hosts.size(); ++i) {
        EXPECT_EQ(platform.find_host(hosts[i].name), i);
        EXPECT_EQ(platform.host(i)->get_name(), hosts[i].name);
        EXPECT_EQ(platform.continent(i), hosts[i].continent);
        EXPECT_EQ(platform.access_links(i).up->get_name(), hosts[i].name + "-up");
        EXPECT_EQ(platform.access_links(i).down->get_name(), hosts[i].name + "-down");
    }
    EXPECT_FALSE(platform.find_host("nowhere").has_value());
}

TEST(WorldPlatform, HostBandwidthOverrideReplacesTheContinents) {
    auto engine = make_engine();
    auto hosts = two_per_continent();
    hosts[0].upload_bytes_per_s = 125e6;
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    EXPECT_DOUBLE_EQ(platform.access_links(0).up->get_bandwidth(), 125e6);
    EXPECT_DOUBLE_EQ(platform.access_links(0).down->get_bandwidth(),
                     RegionTable::measured_2019().download(hosts[0].continent));
}

TEST(WorldPlatform, RejectsDuplicateNames) {
    auto engine = make_engine();
    auto hosts = two_per_continent();
    hosts[3].name = hosts[1].name;
    EXPECT_THROW(WorldPlatform(*engine, hosts, RegionTable::measured_2019()),
                 std::invalid_argument);
}

TEST(WorldPlatform, EveryContinentPairHasItsWanLinkOnTheRoute) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const RegionTable table = RegionTable::measured_2019();
    const WorldPlatform platform(*engine, hosts, table);
    for (Continent a : kContinents) {
        for (Continent b : kContinents) {
            if (a == b) continue;
            s4u::Link* wan = platform.wan_link(a, b);
            ASSERT_NE(wan, nullptr);
            EXPECT_EQ(wan, platform.wan_link(b, a));
            EXPECT_NEAR(wan->get_latency(), table.wan_latency_ms(a, b) / 1000, 1e-12);
            std::vector<s4u::Link*> route;
            double latency = 0;
            platform.host(first_host(a))->route_to(platform.host(first_host(b)), route, &latency);
            ASSERT_EQ(route.size(), 3u);  // up, WAN, down
            EXPECT_EQ(route[0], platform.access_links(first_host(a)).up);
            EXPECT_EQ(route[1], wan);
            EXPECT_EQ(route[2], platform.access_links(first_host(b)).down);
            EXPECT_NEAR(latency, table.latency(a, b) / 1000, 1e-12);
        }
    }
}

// Faults at run time, from an actor inside the running simulation (what the engine's fault
// actor does): Link::set_latency takes effect for the next communication.
TEST(WorldPlatform, LinkSetLatencyFromAnActorAppliesToLaterComms) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    const std::size_t asia = first_host(Continent::asia);
    const std::size_t europe = first_host(Continent::europe);
    double before = 0;
    double after = 0;
    s4u::Actor::create("fault", platform.host(0), [&] {
        double start = s4u::Engine::get_clock();
        s4u::Comm::sendto(platform.host(asia), platform.host(europe), 1);
        before = s4u::Engine::get_clock() - start;
        s4u::Link* wan = platform.wan_link(Continent::asia, Continent::europe);
        wan->set_latency(wan->get_latency() + 2.0);
        start = s4u::Engine::get_clock();
        s4u::Comm::sendto(platform.host(asia), platform.host(europe), 1);
        after = s4u::Engine::get_clock() - start;
    });
    engine->run();
    EXPECT_NEAR(after - before, 2.0, 1e-6);
}

// Host::turn_off from an actor: the host's actors are killed (their on_exit runs), is_on() turns
// false, and transfers in flight to it fail for the sender with simgrid::NetworkFailureException
// (mailbox puts to its actors and mailbox-less Comm::sendto alike); turn_on brings the host back
// (without its actors). But STARTING a Comm::sendto towards a host that is already off is not
// reported as an error by SimGrid 3.32: it aborts the process (CommImpl.cpp:144, "to_->is_on()"). So the engine must check Host::is_on() before
// sending (PropagationModel gives +infinity for hosts that are off).
TEST(WorldPlatform, HostTurnOffFromAnActorKillsItsActorsAndFailsTransfersToIt) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    const std::size_t from = first_host(Continent::asia);
    const std::size_t victim = first_host(Continent::africa);
    bool victim_killed = false;
    bool off_seen = false;
    bool mailbox_put_failed = false;
    bool sendto_in_flight_failed = false;
    bool delivered_after_on = false;
    s4u::Actor::create("resident", platform.host(victim), [&] {
        s4u::this_actor::on_exit([&](bool /*failed*/) { victim_killed = true; });
        s4u::Mailbox::by_name("resident")->get<int>();
    });
    s4u::Actor::create("mailbox-sender", platform.host(from), [&] {
        static int payload = 1;
        try {
            // 5 MB at Africa's 18 Mbit/s download: still in flight at t = 1 s.
            s4u::Mailbox::by_name("resident")->put(&payload, 5'000'000);
        } catch (const simgrid::Exception&) {
            mailbox_put_failed = true;
        }
    });
    s4u::Actor::create("host-sender", platform.host(from), [&] {
        try {
            s4u::Comm::sendto(platform.host(from), platform.host(victim), 5e6);
        } catch (const simgrid::NetworkFailureException&) {
            sendto_in_flight_failed = true;
        }
    });
    s4u::Actor::create("fault", platform.host(0), [&] {
        s4u::this_actor::sleep_for(1.0);
        platform.host(victim)->turn_off();
        off_seen = !platform.host(victim)->is_on();
        s4u::this_actor::sleep_for(1.0);
        platform.host(victim)->turn_on();
        s4u::Comm::sendto(platform.host(from), platform.host(victim), 1000);
        delivered_after_on = true;
    });
    engine->run();
    EXPECT_TRUE(victim_killed);
    EXPECT_TRUE(off_seen);
    EXPECT_TRUE(mailbox_put_failed);
    EXPECT_TRUE(sendto_in_flight_failed);
    EXPECT_TRUE(delivered_after_on);
}

// Link::turn_off from an actor: a communication over the link fails.
TEST(WorldPlatform, LinkTurnOffFromAnActorFailsCommsOverIt) {
    auto engine = make_engine();
    const auto hosts = two_per_continent();
    const WorldPlatform platform(*engine, hosts, RegionTable::measured_2019());
    const std::size_t asia = first_host(Continent::asia);
    const std::size_t europe = first_host(Continent::europe);
    bool failed = false;
    bool other_pair_ok = false;
    s4u::Actor::create("fault", platform.host(0), [&] {
        platform.wan_link(Continent::asia, Continent::europe)->turn_off();
        try {
            s4u::Comm::sendto(platform.host(asia), platform.host(europe), 1000);
        } catch (const simgrid::Exception&) {
            failed = true;
        }
        s4u::Comm::sendto(platform.host(asia), platform.host(first_host(Continent::oceania)), 1000);
        other_pair_ok = true;
    });
    engine->run();
    EXPECT_TRUE(failed);
    EXPECT_TRUE(other_pair_ok);
}

}  // namespace
}  // namespace minerx::sim
