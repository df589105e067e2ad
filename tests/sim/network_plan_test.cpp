// The generated network: bin counts exact, powers inside their bins and whole sectors, the total
// within tolerance, member quotas, determinism in the seed, and the CSV the CLI prints.

#include "sim/network/network_plan.h"

#include <filesystem>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/sealing/hardware_profile.h"
#include "core/sealing/sealing_types.h"
#include "core/sealing/throughput_estimate.h"
#include "sim/scenario/scenario_file.h"

namespace minerx::sim {
namespace {

using chain::StoragePower;

const std::filesystem::path kScenarios = std::filesystem::path(MINERX_SOURCE_DIR) / "scenarios";

StoragePower absolute_difference(StoragePower a, StoragePower b) { return a > b ? a - b : b - a; }

const Scenario& network_2021() {
    static const Scenario scenario = load_scenario_file(kScenarios / "network-2021.yaml");
    return scenario;
}

void expect_solo_network_meets_spec(const Scenario& scenario, const NetworkPlan& plan) {
    const NetworkSpec& network = scenario.network;
    std::vector<std::int64_t> counts(network.bins.size(), 0);
    StoragePower total = 0;
    for (std::size_t i = 0; i < plan.solo_count; ++i) {
        const MinerPlan& miner = plan.miners[i];
        ASSERT_GE(miner.bin, 0);
        const PowerBin& bin = network.bins[static_cast<std::size_t>(miner.bin)];
        ++counts[static_cast<std::size_t>(miner.bin)];
        EXPECT_GE(miner.initial_power, std::max(bin.min_power, network.smallest_miner_power))
            << miner.host_name;
        if (bin.max_power) {
            EXPECT_LT(miner.initial_power, *bin.max_power) << miner.host_name;
        }
        EXPECT_EQ(miner.initial_power % sealing::kSectorSizeBytes, 0u) << miner.host_name;
        EXPECT_GT(network.continent_weights[index_of(miner.continent)], 0.0);
        EXPECT_FALSE(miner.is_member());
        total += miner.initial_power;
    }
    for (std::size_t b = 0; b < network.bins.size(); ++b) {
        EXPECT_EQ(counts[b], network.bins[b].miners) << "bin " << b;
    }
    EXPECT_EQ(total, plan.solo_power);
    const StoragePower tolerance = network.total_power *
                                   static_cast<StoragePower>(network.total_power_tolerance_ppm) /
                                   1'000'000;
    EXPECT_LE(absolute_difference(total, network.total_power), tolerance);
}

TEST(NetworkPlan, Network2021HasTheTableBinsAndTotal) {
    const Scenario& scenario = network_2021();
    const NetworkPlan plan = plan_network(scenario, scenario.seed);
    EXPECT_EQ(plan.solo_count, 2702u);
    EXPECT_EQ(plan.member_count, 100u);
    EXPECT_EQ(plan.miners.size(), 2802u);
    expect_solo_network_meets_spec(scenario, plan);
    // Log-uniform draws alone would exceed 5.4 EiB with this table, so the bins are tilted.
    EXPECT_GT(plan.bin_tilt, 0.0);
}

TEST(NetworkPlan, BinsAndTotalHoldForManySeeds) {
    const Scenario& scenario = network_2021();
    for (std::uint64_t seed = 2; seed < 12; ++seed) {
        SCOPED_TRACE(seed);
        expect_solo_network_meets_spec(scenario, plan_network(scenario, seed));
    }
    const Scenario quick = load_scenario_file(kScenarios / "quick.yaml");
    expect_solo_network_meets_spec(quick, plan_network(quick, quick.seed));
}

TEST(NetworkPlan, OpenBinAbsorbsPowerWhenDrawsFallShort) {
    Scenario scenario = network_2021();
    scenario.network.total_power *= 2;  // far above what log-uniform draws give
    const NetworkPlan plan = plan_network(scenario, 7);
    EXPECT_EQ(plan.bin_tilt, 0.0);
    expect_solo_network_meets_spec(scenario, plan);
}

TEST(NetworkPlan, SameSeedSamePlanDifferentSeedDifferentPlan) {
    const Scenario& scenario = network_2021();
    const NetworkPlan a = plan_network(scenario, 1);
    const NetworkPlan b = plan_network(scenario, 1);
    const NetworkPlan c = plan_network(scenario, 2);
    std::ostringstream csv_a;
    std::ostringstream csv_b;
    std::ostringstream csv_c;
    write_network_csv(csv_a, scenario, a);
    write_network_csv(csv_b, scenario, b);
    write_network_csv(csv_c, scenario, c);
    EXPECT_EQ(csv_a.str(), csv_b.str());
    EXPECT_NE(csv_a.str(), csv_c.str());
    std::size_t differing_powers = 0;
    for (std::size_t i = 0; i < a.miners.size(); ++i) {
        if (a.miners[i].initial_power != c.miners[i].initial_power) ++differing_powers;
    }
    EXPECT_GT(differing_powers, a.miners.size() / 2);
}

TEST(NetworkPlan, AddingAPoolLeavesTheSoloNetworkAndOtherPoolsUnchanged) {
    Scenario scenario = network_2021();
    const NetworkPlan before = plan_network(scenario, 3);
    PoolSpec extra = scenario.pools[0];
    extra.name = "another";
    scenario.pools.insert(scenario.pools.begin(), extra);
    const NetworkPlan after = plan_network(scenario, 3);
    for (std::size_t i = 0; i < before.solo_count; ++i) {
        EXPECT_EQ(before.miners[i].initial_power, after.miners[i].initial_power);
        EXPECT_EQ(before.miners[i].continent, after.miners[i].continent);
    }
    // The incubator's members are now after the other pool's, with the same draws.
    const std::size_t shift = after.miners.size() - before.miners.size();
    for (std::size_t i = before.solo_count; i < before.miners.size(); ++i) {
        EXPECT_EQ(before.miners[i].initial_power, after.miners[i + shift].initial_power);
        EXPECT_EQ(before.miners[i].join_epoch, after.miners[i + shift].join_epoch);
        EXPECT_EQ(after.miners[i + shift].pool, std::optional<std::size_t>(1));
    }
}

TEST(NetworkPlan, MembersFollowTheQuotasAndRanges) {
    const Scenario& scenario = network_2021();
    const NetworkPlan plan = plan_network(scenario, scenario.seed);
    const MemberSpec& spec = scenario.pools[0].members;
    PerContinent<std::int64_t> counts{};
    const double sectors_per_day =
        sealing::estimate_throughput(*sealing::preset_profile(spec.sealing_profile))
            .proven_sectors_per_day;
    for (std::size_t i = plan.solo_count; i < plan.miners.size(); ++i) {
        const MinerPlan& member = plan.miners[i];
        ASSERT_TRUE(member.is_member());
        EXPECT_EQ(*member.pool, 0u);
        EXPECT_EQ(member.bin, -1);
        EXPECT_EQ(member.host_name, "incubator.member-" + std::to_string(i - plan.solo_count));
        ++counts[index_of(member.continent)];
        EXPECT_GE(member.initial_power, spec.initial_power_min);
        EXPECT_LE(member.initial_power, spec.initial_power_max);
        EXPECT_EQ(member.initial_power % sealing::kSectorSizeBytes, 0u);
        EXPECT_GE(member.join_epoch, spec.join_from_epoch);
        EXPECT_LE(member.join_epoch, spec.join_until_epoch);
        EXPECT_EQ(member.max_power, spec.max_power);
        EXPECT_EQ(member.daily_sealing,
                  static_cast<StoragePower>(sectors_per_day) * sealing::kSectorSizeBytes);
    }
    EXPECT_EQ(counts, spec.per_continent);
    // commodity_10tib_per_day proves about 320 sectors a day (BRIEF: 10 TiB/day).
    EXPECT_GE(plan.miners.back().daily_sealing, StoragePower{300} * sealing::kSectorSizeBytes);
}

TEST(NetworkPlan, IdsAndHostNames) {
    const Scenario& scenario = network_2021();
    const NetworkPlan plan = plan_network(scenario, scenario.seed);
    for (std::size_t i = 0; i < plan.miners.size(); ++i) {
        EXPECT_EQ(plan.miners[i].index, i);
        EXPECT_EQ(plan.miners[i].actor_id, kFirstMinerActorId + i);
    }
    EXPECT_EQ(plan.miners[17].host_name, "miner-17");
    EXPECT_EQ(plan.miners[0].bin, 0);
    EXPECT_EQ(plan.miners[plan.solo_count - 1].bin, 8);
}

TEST(NetworkPlan, CsvHasTheHeaderAndOneRowPerMiner) {
    const Scenario& scenario = network_2021();
    const NetworkPlan plan = plan_network(scenario, scenario.seed);
    std::ostringstream out;
    write_network_csv(out, scenario, plan);
    std::istringstream in(out.str());
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line,
              "miner,actor_id,host,continent,power_bytes,power_tib,bin_min_pib,bin_max_pib,role,"
              "pool,join_epoch,daily_sealing_bytes");
    std::vector<std::string> rows;
    while (std::getline(in, line)) rows.push_back(line);
    ASSERT_EQ(rows.size(), plan.miners.size());
    const auto fields = [](const std::string& row) {
        std::vector<std::string> split;
        std::stringstream stream(row);
        std::string field;
        while (std::getline(stream, field, ',')) split.push_back(field);
        if (!row.empty() && row.back() == ',') split.emplace_back();
        return split;
    };
    const MinerPlan& first = plan.miners[0];
    EXPECT_EQ(fields(rows[0]), (std::vector<std::string>{
                                   "0", "1000", "miner-0", std::string(to_string(first.continent)),
                                   math::to_string(first.initial_power), fields(rows[0])[5], "0",
                                   "0.1", "solo", "", "0", "0"}));
    EXPECT_NEAR(
        std::stod(fields(rows[0])[5]),
        static_cast<double>(first.initial_power) / static_cast<double>(StoragePower{1} << 40),
        0.001);
    const std::vector<std::string> last_solo = fields(rows[plan.solo_count - 1]);
    EXPECT_EQ(last_solo[6], "100");
    EXPECT_EQ(last_solo[7], "");  // the open bin
    const MinerPlan& last = plan.miners.back();
    EXPECT_EQ(
        fields(rows.back()),
        (std::vector<std::string>{
            "2801", "3801", "incubator.member-99", std::string(to_string(last.continent)),
            math::to_string(last.initial_power), fields(rows.back())[5], "", "", "member",
            "incubator", std::to_string(last.join_epoch), math::to_string(last.daily_sealing)}));
}

TEST(NetworkPlan, InfeasibleSpecThrows) {
    Scenario scenario = network_2021();
    scenario.network.total_power = StoragePower{1} << 50;  // 1 PiB for 2702 miners
    EXPECT_TRUE(network_spec_error(scenario.network).has_value());
    EXPECT_THROW(plan_network(scenario, 1), std::runtime_error);
}

}  // namespace
}  // namespace minerx::sim
