// Scenario files: every shipped scenario loads, the notations convert exactly, and each kind of
// bad input is refused with a message naming file:line:column: key path.

#include "sim/scenario/scenario_file.h"

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "core/chain/token_amount.h"
#include "core/util/random.h"
#include "sim/scenario/power_distribution.h"
#include "sim/scenario/scenario_values.h"

namespace minerx::sim {
namespace {

const std::filesystem::path kScenarios = std::filesystem::path(MINERX_SOURCE_DIR) / "scenarios";

constexpr chain::StoragePower kTiB = chain::StoragePower{1} << 40;
constexpr chain::StoragePower kPiB = chain::StoragePower{1} << 50;

// A minimal valid scenario; tests append or replace parts of it.
const std::string kNetwork = R"(network:
  bins:
    - {min: 0PiB, max: 1PiB, miners: 10}
    - {min: 1PiB, miners: 2}
  total_power: 10PiB
  continent_weights: {asia: 1}
)";

const std::string kPool = R"(pools:
  - name: p
    members:
      per_continent: {asia: 3, africa: 1}
      initial_power_min: 10TiB
      initial_power_max: 100TiB
    primary: {name: sg, continent: asia}
    policies:
      - {kind: solo}
      - {kind: power_proportional, fee_ppm: 50000}
)";

// The message of the ScenarioError parse_scenario throws for `text` ("" if none).
std::string error_of(const std::string& text, const std::filesystem::path& file = "s.yaml") {
    try {
        parse_scenario(text, file);
    } catch (const ScenarioError& error) {
        return error.what();
    }
    return "";
}

TEST(ScenarioFile, EveryShippedScenarioLoads) {
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kScenarios)) {
        if (entry.path().extension() != ".yaml") continue;
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW(load_scenario_file(entry.path()));
        ++count;
    }
    EXPECT_GE(count, 4);
}

TEST(ScenarioFile, Network2021MatchesTheSeedData) {
    const Scenario scenario = load_scenario_file(kScenarios / "network-2021.yaml");
    EXPECT_EQ(scenario.name, "network-2021");
    EXPECT_EQ(scenario.seed, 1u);
    EXPECT_EQ(scenario.duration_days, 180);
    ASSERT_EQ(scenario.network.bins.size(), 9u);
    std::int64_t miners = 0;
    for (const PowerBin& bin : scenario.network.bins) miners += bin.miners;
    EXPECT_EQ(miners, 2702);
    EXPECT_EQ(scenario.network.bins[0].miners, 995);
    EXPECT_EQ(scenario.network.bins[1].min_power, kPiB / 10);  // "0.1" PiB, rounded down
    EXPECT_FALSE(scenario.network.bins.back().max_power.has_value());
    EXPECT_EQ(scenario.network.total_power, (chain::StoragePower{54} << 60) / 10);
    EXPECT_EQ(scenario.network.daily_growth, 40 * kPiB);
    EXPECT_EQ(scenario.propagation.propagation_delay_ms, 6000);
    ASSERT_EQ(scenario.pools.size(), 1u);
    const PoolSpec& pool = scenario.pools[0];
    EXPECT_EQ(pool.members.per_continent, (PerContinent<std::int64_t>{50, 10, 10, 10, 10, 10}));
    EXPECT_EQ(pool.members.max_power, kPiB);
    EXPECT_EQ(pool.members.join_until_epoch, 92 * 2880);
    EXPECT_EQ(pool.primary.continent, Continent::asia);
    ASSERT_TRUE(pool.standby.has_value());
    EXPECT_EQ(pool.standby->continent, Continent::europe);
    ASSERT_EQ(pool.policies.size(), 5u);
    EXPECT_EQ(policy_kind_name(pool.policies[0].config), "solo");
    EXPECT_EQ(policy_kind_name(pool.policies[4].config), "smoothed");
    EXPECT_EQ(pool.policies[4].initial_reserve, 5000 * chain::kAttoFilPerFil);
    EXPECT_EQ(std::get<pool::PowerProportionalConfig>(pool.policies[2].config).fee_ppm, 50000);
}

TEST(ScenarioFile, FaultScenariosParseTheirFaults) {
    const Scenario failover = load_scenario_file(kScenarios / "fault-primary-failover.yaml");
    ASSERT_EQ(failover.faults.size(), 1u);
    EXPECT_EQ(failover.faults[0].kind, FaultKind::pool_primary_down);
    EXPECT_EQ(failover.faults[0].start_epoch, 10 * 2880);
    EXPECT_EQ(failover.faults[0].duration_epochs, 6 * 120);
    const Scenario africa = load_scenario_file(kScenarios / "fault-africa-wan.yaml");
    ASSERT_EQ(africa.faults.size(), 5u);
    EXPECT_EQ(africa.faults[0].kind, FaultKind::wan_latency_spike);
    EXPECT_EQ(africa.faults[0].factor, 5.0);
    EXPECT_EQ(fault_kind_name(africa.faults[3].kind), "prover_offline");
}

TEST(ScenarioFile, DefaultsApplyWhenKeysAreLeftOut) {
    const Scenario scenario = parse_scenario(kNetwork + kPool, "dir/minimal.yaml");
    EXPECT_EQ(scenario.name, "minimal");
    EXPECT_EQ(scenario.duration_days, 1);
    EXPECT_EQ(scenario.network.smallest_miner_power, kTiB);
    EXPECT_EQ(scenario.pools[0].chain_node.name, "sg");  // defaults to the primary's site
    EXPECT_EQ(scenario.pools[0].members.sealing_profile, "commodity_10tib_per_day");
    EXPECT_EQ(scenario.pools[0].policies[0].name, "solo");  // the kind names the policy
    EXPECT_TRUE(scenario.faults.empty());
}

TEST(ScenarioValues, AmountsAreExactDecimals) {
    EXPECT_EQ(*parse_attofil("100FIL").value, 100 * chain::kAttoFilPerFil);
    EXPECT_EQ(*parse_attofil("0.5 FIL").value, chain::kAttoFilPerFil / 2);
    EXPECT_EQ(*parse_attofil("0.000000000000000001FIL").value, 1);
    EXPECT_EQ(*parse_attofil("12345").value, 12345);
    EXPECT_FALSE(parse_attofil("1.5").value.has_value());  // half an attoFIL
    EXPECT_FALSE(parse_attofil("-1FIL").value.has_value());
    EXPECT_FALSE(parse_attofil("3000000000FIL").value.has_value());  // above the supply
    EXPECT_FALSE(parse_attofil("5USD").value.has_value());
}

TEST(ScenarioValues, DurationsConvertExactlyOrAreRefused) {
    EXPECT_EQ(*parse_duration("6s", DurationUnit::milliseconds).value, 6000);
    EXPECT_EQ(*parse_duration("30min", DurationUnit::milliseconds).value, 1'800'000);
    EXPECT_EQ(*parse_duration("1.5h", DurationUnit::epochs).value, 180);
    EXPECT_EQ(*parse_duration("3d", DurationUnit::epochs).value, 3 * 2880);
    EXPECT_EQ(*parse_duration("42", DurationUnit::epochs).value, 42);
    EXPECT_EQ(*parse_duration("42", DurationUnit::milliseconds).value, 42);
    EXPECT_FALSE(parse_duration("45s", DurationUnit::epochs).value.has_value());
    EXPECT_FALSE(parse_duration("0.5ms", DurationUnit::milliseconds).value.has_value());
    EXPECT_FALSE(parse_duration("2 weeks", DurationUnit::epochs).value.has_value());
    EXPECT_FALSE(parse_duration("-1", DurationUnit::epochs).value.has_value());
}

TEST(ScenarioErrors, OutOfRangeFeeNamesFileLineColumnAndKeyPath) {
    const std::string pools = R"(pools:
  - name: p
    members:
      per_continent: {asia: 3}
      initial_power_min: 10TiB
    primary: {name: sg, continent: asia}
    policies:
      - {kind: solo}
      - {kind: winner_takes_all}
      - kind: power_proportional
        fee_ppm: 12%
)";
    EXPECT_EQ(error_of(kNetwork + pools, "scenarios/x.yaml"),
              "scenarios/x.yaml:17:18: pools[0].policies[2].fee_ppm: expected an integer in "
              "[0, 1000000], got \"12%\"");
    EXPECT_EQ(error_of(kNetwork + kPool + "", "s.yaml"), "");
    const std::string too_high = kNetwork + R"(pools:
  - name: p
    members: {per_continent: {asia: 3}, initial_power_min: 10TiB}
    primary: {name: sg, continent: asia}
    policies: [{kind: pplns, fee_ppm: 1000001}]
)";
    EXPECT_EQ(error_of(too_high),
              "s.yaml:11:39: pools[0].policies[0].fee_ppm: expected an integer in [0, 1000000], "
              "got \"1000001\"");
}

TEST(ScenarioErrors, UnknownKeyIsNamedWithASuggestion) {
    EXPECT_EQ(error_of("seed: 1\nduraton_days: 3\n" + kNetwork),
              "s.yaml:2:1: duraton_days: unknown key (did you mean \"duration_days\"?)");
    EXPECT_EQ(error_of(kNetwork + "  wibble: 3\n"),
              "s.yaml:7:3: network.wibble: unknown key (known keys: power_distribution, bins, "
              "total_power, total_power_tolerance_ppm, smallest_miner_power, continent_weights, "
              "daily_growth)");
}

TEST(ScenarioErrors, KeyThatDoesNotApplyToThePolicyKind) {
    const std::string text = kNetwork + R"(pools:
  - name: p
    members: {per_continent: {asia: 3}, initial_power_min: 10TiB}
    primary: {name: sg, continent: asia}
    policies: [{kind: solo, fee_ppm: 5}]
)";
    EXPECT_EQ(error_of(text),
              "s.yaml:11:29: pools[0].policies[0].fee_ppm: does not apply to policy kind \"solo\"");
}

TEST(ScenarioErrors, WrongTypes) {
    EXPECT_EQ(error_of("seed: [1, 2]\n" + kNetwork),
              "s.yaml:1:7: seed: expected an integer in [0, 18446744073709551615], got a list");
    EXPECT_EQ(error_of("network: 5\n"), "s.yaml:1:10: network: expected a map, got \"5\"");
    EXPECT_EQ(error_of("duration_days: three\n" + kNetwork),
              "s.yaml:1:16: duration_days: expected an integer in [1, 36500], got \"three\"");
    std::string bad_power = kNetwork;
    bad_power.replace(bad_power.find("10PiB"), 5, "10 parsecs");
    EXPECT_EQ(error_of(bad_power),
              "s.yaml:5:16: network.total_power: expected a power such as \"10TiB\", \"1.5PiB\" "
              "or a number of bytes, got \"10 parsecs\"");
    EXPECT_EQ(error_of("- 1\n- 2\n"), "s.yaml:1:1: expected a map, got a list");
}

TEST(ScenarioErrors, MissingRequiredKeysAndEmptyLists) {
    EXPECT_EQ(error_of("seed: 1\n"), "s.yaml:1:1: required key \"network\" missing");
    EXPECT_EQ(error_of("network:\n  bins: []\n  total_power: 1PiB\n"),
              "s.yaml:2:9: network.bins: expected at least one element");
    std::string no_policies = kNetwork + kPool;
    no_policies = no_policies.substr(0, no_policies.find("    policies:")) + "    policies: []\n";
    EXPECT_EQ(error_of(no_policies),
              "s.yaml:14:15: pools[0].policies: expected at least one element");
    std::string without = kNetwork + kPool;
    without = without.substr(0, without.find("    policies:"));
    EXPECT_EQ(error_of(without), "s.yaml:8:5: pools[0]: required key \"policies\" missing");
    EXPECT_EQ(error_of("pools: []\n" + kNetwork),
              "s.yaml:1:8: pools: expected at least one element");
}

TEST(ScenarioErrors, DuplicatePolicyAndPoolNames) {
    std::string text = kNetwork + kPool + "      - {name: solo, kind: winner_takes_all}\n";
    EXPECT_EQ(error_of(text),
              "s.yaml:17:16: pools[0].policies[2].name: duplicate policy name \"solo\" (give "
              "each policy a distinct name)");
    const std::string pool = kPool.substr(std::string("pools:\n").size());
    EXPECT_EQ(error_of(kNetwork + kPool + pool),
              "s.yaml:17:11: pools[1].name: duplicate pool name \"p\"");
    EXPECT_EQ(error_of(kNetwork + "seed: 1\nseed: 2\n"), "s.yaml:8:1: seed: duplicate key");
}

TEST(ScenarioErrors, UnknownContinentAndSealingProfile) {
    std::string text = kNetwork;
    text.replace(text.find("asia"), 4, "asai");
    EXPECT_EQ(error_of(text),
              "s.yaml:6:23: network.continent_weights.asai: expected one of asia, africa, "
              "oceania, europe, south_america, north_america, got \"asai\" (did you mean "
              "\"asia\"?)");
    std::string profile = kNetwork + kPool;
    profile.insert(profile.find("    primary:"), "      sealing_profile: gpu_farm\n");
    EXPECT_EQ(error_of(profile),
              "s.yaml:13:24: pools[0].members.sealing_profile: unknown sealing profile "
              "\"gpu_farm\" (presets: commodity_10tib_per_day, small_1tib_per_day)");
}

TEST(ScenarioErrors, CoreConfigChecksReportAtTheirKey) {
    std::string text = kNetwork + kPool;
    text += "    membership: {warm_up_epochs: 105120001}\n";
    EXPECT_EQ(error_of(text),
              "s.yaml:17:34: pools[0].membership.warm_up_epochs: expected a duration in [0, "
              "105120000] epochs, got \"105120001\" (105120001 epochs)");
    const std::string reserve = kNetwork + kPool + "      - {kind: smoothed, reserve_cap: -5FIL}\n";
    EXPECT_EQ(error_of(reserve),
              "s.yaml:17:39: pools[0].policies[2].reserve_cap: expected an amount such as "
              "\"100FIL\", \"0.5FIL\" or an integer of attoFIL, at most 2e9 FIL, got \"-5FIL\"");
}

TEST(ScenarioErrors, FaultTargetsAreCheckedForSyntaxAndExistence) {
    const std::string base = kNetwork + kPool + "faults:\n";
    EXPECT_EQ(error_of(base + "  - {kind: link_down, target: asia_africa, start_epoch: 0, "
                              "duration_epochs: 1h}\n"),
              "s.yaml:18:31: faults[0].target: expected a continent pair such as "
              "\"asia-africa\", got \"asia_africa\"");
    EXPECT_EQ(error_of(base + "  - {kind: host_down, target: miner-12, start_epoch: 0, "
                              "duration_epochs: 1h}\n"),
              "s.yaml:18:31: faults[0].target: expected a host: \"miner-<n>\" (n below 12), "
              "\"<pool>.member-<k>\", \"<pool>.primary\", \"<pool>.standby\" or "
              "\"<pool>.chain_node\", got \"miner-12\"");
    EXPECT_EQ(error_of(base + "  - {kind: prover_offline, target: q.member-1, start_epoch: 0, "
                              "duration_epochs: 1h}\n"),
              "s.yaml:18:36: faults[0].target: no pool named \"q\", got \"q.member-1\"");
    EXPECT_EQ(error_of(base + "  - {kind: pool_primary_down, target: p, start_epoch: 45s, "
                              "duration_epochs: 1h}\n"),
              "s.yaml:18:55: faults[0].start_epoch: expected a whole number of 30-second epochs, "
              "got \"45s\"");
    EXPECT_EQ(error_of(base + "  - {kind: link_down, target: asia-africa, start_epoch: 0, "
                              "duration_epochs: 1h, factor: 3}\n"),
              "s.yaml:18:81: faults[0].factor: applies to wan_latency_spike faults only");
    EXPECT_EQ(error_of(base + "  - {kind: host_down, target: p.member-3, start_epoch: 0, "
                              "duration_epochs: 1h}\n"),
              "");
    EXPECT_EQ(error_of(base + "  - {kind: host_down, target: p.standby, start_epoch: 0, "
                              "duration_epochs: 1h}\n"),
              "s.yaml:18:31: faults[0].target: pool \"p\" has no standby, got \"p.standby\"");
}

TEST(ScenarioErrors, InfeasibleNetworkIsRefused) {
    std::string text = kNetwork;
    text.replace(text.find("10PiB"), 5, "1PiB");  // the open bin alone needs 2 PiB
    EXPECT_EQ(error_of(text),
              "s.yaml:5:16: network.total_power: the bins' minimum powers add up to 2.01 PiB, more "
              "than total_power (1 PiB) allows");
}

TEST(ScenarioErrors, InvalidYamlNamesThePosition) {
    EXPECT_EQ(error_of("seed: [1, 2\n"),
              "s.yaml:2:1: invalid YAML: end of sequence flow not found");
}

class CsvFile : public ::testing::Test {
protected:
    void SetUp() override {
        directory_ = std::filesystem::temp_directory_path() /
                     ("minerx-scenario-test-" +
                      std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
        std::filesystem::create_directories(directory_ / "data");
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }

    std::string load_error(const std::string& csv) {
        std::ofstream(directory_ / "data" / "bins.csv") << csv;
        const std::string yaml =
            "network:\n  power_distribution: data/bins.csv\n"
            "  total_power: 10PiB\n  continent_weights: {asia: 1}\n";
        std::ofstream(directory_ / "s.yaml") << yaml;
        try {
            load_scenario_file(directory_ / "s.yaml");
        } catch (const ScenarioError& error) {
            return error.what();
        }
        return "";
    }

    std::string csv_path() const { return (directory_ / "data" / "bins.csv").string(); }

    std::filesystem::path directory_;
};

TEST_F(CsvFile, ErrorsNameTheCsvLineAndColumn) {
    EXPECT_EQ(load_error("# provenance\nmin_pib,max_pib,miners\n0,1,10\n1,,2\n"), "");
    EXPECT_EQ(load_error("# provenance\nmin_pib,max_pib,miners\n0,1,10\n1,,x\n"),
              csv_path() + ":4: miners: expected an integer in [0, 100000000], got \"x\"");
    EXPECT_EQ(load_error("min_pib,max_pib,miners\n0,1PiB,10\n"),
              csv_path() +
                  ":2: max_pib: expected a decimal number of PiB or nothing (open bin), "
                  "got \"1PiB\"");
    EXPECT_EQ(load_error("min,max,n\n0,1,10\n"),
              csv_path() + ":1: expected the header \"min_pib,max_pib,miners\", got \"min,max,n\"");
    EXPECT_EQ(load_error("min_pib,max_pib,miners\n0,1,10\n1,2\n"),
              csv_path() + ":3: expected 3 fields (min_pib,max_pib,miners), got 2");
    EXPECT_EQ(load_error("min_pib,max_pib,miners\n0,,10\n1,2,2\n"),
              csv_path() + ":2: bin 0: only the last bin may be open (have no max)");
    EXPECT_EQ(load_error("min_pib,max_pib,miners\n0,1,10\n0.5,,2\n"),
              csv_path() +
                  ":3: bin 1: bins must ascend without overlapping (min below the "
                  "previous bin's max)");
}

TEST_F(CsvFile, MissingFileIsReportedAtTheKey) {
    const std::string yaml =
        "network:\n  power_distribution: data/none.csv\n"
        "  total_power: 10PiB\n  continent_weights: {asia: 1}\n";
    EXPECT_EQ(error_of(yaml, directory_ / "s.yaml"),
              (directory_ / "s.yaml").string() +
                  ":2:23: network.power_distribution: cannot read "
                  "the power distribution file " +
                  (directory_ / "data" / "none.csv").string());
}

TEST(PowerDistribution, SharedCsvCopyParsesToTheTable) {
    std::ifstream in(kScenarios / "data" / "network-2021-power-distribution.csv");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("# Filecoin mainnet miners"), std::string::npos);  // provenance kept
    const std::vector<PowerBin> bins = parse_power_distribution_csv(text, "x.csv");
    ASSERT_EQ(bins.size(), 9u);
    EXPECT_EQ(bins[6].min_power, 10 * kPiB);
    EXPECT_EQ(*bins[6].max_power, 50 * kPiB);
    EXPECT_EQ(bins[6].miners, 100);
}

}  // namespace
}  // namespace minerx::sim

namespace minerx::sim {
namespace {

// docs/scenarios.md's examples stay true: every ```yaml block that starts with
// "# complete scenario" parses as a scenario, and every block that starts with "faults:" parses
// when appended to network-2021.yaml (which has the incubator pool and no faults).
TEST(ScenarioDocs, ExamplesParse) {
    const std::filesystem::path doc =
        std::filesystem::path(MINERX_SOURCE_DIR) / "docs" / "scenarios.md";
    std::ifstream in(doc);
    ASSERT_TRUE(in) << doc;
    std::ifstream base_in(kScenarios / "network-2021.yaml");
    const std::string base((std::istreambuf_iterator<char>(base_in)),
                           std::istreambuf_iterator<char>());
    std::vector<std::string> blocks;
    std::string line;
    std::string block;
    bool inside = false;
    while (std::getline(in, line)) {
        if (!inside && line == "```yaml") {
            inside = true;
            block.clear();
        } else if (inside && line == "```") {
            inside = false;
            blocks.push_back(block);
        } else if (inside) {
            block += line + "\n";
        }
    }
    int complete = 0;
    int fragments = 0;
    for (const std::string& text : blocks) {
        SCOPED_TRACE(text);
        if (text.starts_with("# complete scenario")) {
            EXPECT_NO_THROW(parse_scenario(text, doc));
            ++complete;
        } else if (text.starts_with("faults:")) {
            EXPECT_NO_THROW(parse_scenario(base + text, kScenarios / "network-2021.yaml"));
            ++fragments;
        }
    }
    EXPECT_GE(complete, 2);
    EXPECT_GE(fragments, 1);
}

}  // namespace
}  // namespace minerx::sim

namespace minerx::sim {
namespace {

// Bad input gets a ScenarioError, never a crash or another exception: mutate the shipped
// scenarios (drop, duplicate or change a character, drop or duplicate a line) and parse them.
TEST(ScenarioErrors, MutatedScenariosFailOnlyWithScenarioError) {
    util::Random random(20210601);
    int refused = 0;
    for (const char* name : {"network-2021.yaml", "quick.yaml", "fault-africa-wan.yaml"}) {
        std::ifstream in(kScenarios / name);
        const std::string original((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
        ASSERT_FALSE(original.empty());
        for (int round = 0; round < 400; ++round) {
            std::string text = original;
            const auto at = static_cast<std::size_t>(random.below(text.size()));
            const std::size_t line_start =
                text.rfind('\n', at) == std::string::npos ? 0 : text.rfind('\n', at) + 1;
            const std::size_t line_end = std::min(text.find('\n', at), text.size());
            const std::string line = text.substr(line_start, line_end - line_start);
            switch (random.below(5)) {
                case 0: text.erase(at, 1); break;
                case 1: text.insert(at, 1, text[at]); break;
                case 2: text[at] = "x:-[]{}0.,#&*!|>'\"%@ "[random.below(22)]; break;
                case 3: text.erase(line_start, line_end - line_start); break;
                default: text.insert(line_start, line + "\n"); break;
            }
            try {
                parse_scenario(text, kScenarios / name);
            } catch (const ScenarioError& error) {
                EXPECT_NE(std::string(error.what()).find(name), std::string::npos) << error.what();
                ++refused;
            }
        }
    }
    EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace minerx::sim
