#include "sim/scenario/scenario_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

#include <yaml-cpp/yaml.h>

#include "core/sealing/hardware_profile.h"
#include "core/util/limits.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/power_distribution.h"
#include "sim/scenario/yaml_reader.h"

namespace minerx::sim {
namespace {

using yaml::Field;
using yaml::MapReader;

constexpr chain::StoragePower kMaxPower = chain::StoragePower{1} << 100;  // about 1e30 bytes
constexpr std::int64_t kMaxDurationDays = util::kMaxConfiguredYears * 365;
constexpr std::int64_t kMaxMs = util::kMaxConfiguredMs;
constexpr std::int64_t kMaxEpochs = util::kMaxConfiguredEpochs;
constexpr std::int64_t kEpochMs = chain::kEpochDurationSeconds * 1000;

std::string read_text_file(const std::filesystem::path& file, bool& ok) {
    std::ifstream in(file, std::ios::binary);
    ok = static_cast<bool>(in);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Names of pools and sites become parts of host names ("<pool>.member-3"), so they are kept to
// letters, digits, '_' and '-'.
void check_identifier(const Field& field, const std::string& name) {
    const bool ok = std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
    if (!ok) {
        field.fail("expected a name of letters, digits, '_' and '-', got \"" + name + "\"");
    }
}

// --- network ---

std::vector<PowerBin> read_inline_bins(const Field& field) {
    std::vector<PowerBin> bins;
    const std::vector<Field> elements = yaml::read_list(field, true);
    for (const Field& element : elements) {
        const MapReader map(element);
        static constexpr std::array<std::string_view, 3> kKeys = {"min", "max", "miners"};
        map.allow_only(kKeys);
        PowerBin bin;
        bin.min_power = yaml::read_power(map.get("min"), 0, kMaxPower);
        if (const auto max = map.find("max")) bin.max_power = yaml::read_power(*max, 1, kMaxPower);
        bin.miners = yaml::read_int(map.get("miners"), 0, 100'000'000);
        bins.push_back(bin);
    }
    if (const auto problem = power_bins_error(bins)) elements[problem->bin].fail(problem->reason);
    return bins;
}

std::vector<PowerBin> read_bins_csv(const Field& field) {
    const std::string relative = yaml::read_string(field);
    const std::filesystem::path csv = (field.file->parent_path() / relative).lexically_normal();
    bool ok = false;
    const std::string text = read_text_file(csv, ok);
    if (!ok) field.fail("cannot read the power distribution file " + csv.string());
    return parse_power_distribution_csv(text, csv);
}

NetworkSpec read_network(const Field& field) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 7> kKeys = {
        "power_distribution",   "bins",
        "total_power",          "total_power_tolerance_ppm",
        "smallest_miner_power", "continent_weights",
        "daily_growth"};
    map.allow_only(kKeys);
    NetworkSpec network;
    const auto csv = map.find("power_distribution");
    const auto inline_bins = map.find("bins");
    if (csv && inline_bins) inline_bins->fail("give either power_distribution or bins, not both");
    if (!csv && !inline_bins) field.fail("required key \"power_distribution\" or \"bins\" missing");
    network.bins = csv ? read_bins_csv(*csv) : read_inline_bins(*inline_bins);
    const Field total = map.get("total_power");
    network.total_power = yaml::read_power(total, 1, kMaxPower);
    if (const auto tolerance = map.find("total_power_tolerance_ppm")) {
        network.total_power_tolerance_ppm = yaml::read_int(*tolerance, 0, pool::kOneMillion);
    }
    if (const auto smallest = map.find("smallest_miner_power")) {
        network.smallest_miner_power = yaml::read_power(*smallest, 1, kMaxPower);
    }
    if (const auto growth = map.find("daily_growth")) {
        network.daily_growth = yaml::read_power(*growth, 0, kMaxPower);
    }
    const Field weights = map.get("continent_weights");
    network.continent_weights = yaml::read_per_continent<double>(
        weights, {}, [](const Field& value) { return yaml::read_number(value, 0.0, 1e9); });
    const bool any_weight =
        std::any_of(network.continent_weights.begin(), network.continent_weights.end(),
                    [](double weight) { return weight > 0.0; });
    if (!any_weight) weights.fail("expected at least one continent with a weight above 0");
    if (const auto error = network_spec_error(network)) total.fail(*error);
    return network;
}

// --- propagation ---

PropagationSpec read_propagation(const Field& field) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 4> kKeys = {
        "gossip_degree", "block_size_bytes", "validation_ms", "propagation_delay_ms"};
    map.allow_only(kKeys);
    PropagationSpec propagation;
    if (const auto degree = map.find("gossip_degree")) {
        propagation.gossip_degree = yaml::read_int(*degree, 1, 1000);
    }
    if (const auto size = map.find("block_size_bytes")) {
        propagation.block_size_bytes = yaml::read_int(*size, 1, 1'000'000'000);
    }
    if (const auto validation = map.find("validation_ms")) {
        propagation.validation_ms =
            yaml::read_duration(*validation, DurationUnit::milliseconds, 0, kEpochMs);
    }
    if (const auto delay = map.find("propagation_delay_ms")) {
        propagation.propagation_delay_ms =
            yaml::read_duration(*delay, DurationUnit::milliseconds, 0, kEpochMs);
    }
    return propagation;
}

// --- pools ---

SiteSpec read_site(const Field& field) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 2> kKeys = {"name", "continent"};
    map.allow_only(kKeys);
    SiteSpec site;
    const Field name = map.get("name");
    site.name = yaml::read_string(name);
    check_identifier(name, site.name);
    site.continent = yaml::read_continent_name(map.get("continent"));
    return site;
}

MemberSpec read_members(const Field& field, std::int64_t run_epochs) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 9> kKeys = {
        "per_continent",    "initial_power_min",   "initial_power_max",
        "max_power",        "sealing_profile",     "join_from_epoch",
        "join_until_epoch", "winning_post_min_ms", "winning_post_max_ms"};
    map.allow_only(kKeys);
    MemberSpec members;
    const Field counts = map.get("per_continent");
    members.per_continent = yaml::read_per_continent<std::int64_t>(
        counts, {}, [](const Field& value) { return yaml::read_int(value, 0, 1'000'000); });
    std::int64_t total = 0;
    for (std::int64_t count : members.per_continent) total += count;
    if (total == 0) counts.fail("expected at least one member");

    const Field power_min = map.get("initial_power_min");
    members.initial_power_min = yaml::read_power(power_min, sealing::kSectorSizeBytes, kMaxPower);
    members.initial_power_max = members.initial_power_min;
    if (const auto power_max = map.find("initial_power_max")) {
        members.initial_power_max =
            yaml::read_power(*power_max, members.initial_power_min, kMaxPower);
    }
    if (members.initial_power_max / sealing::kSectorSizeBytes * sealing::kSectorSizeBytes <
        members.initial_power_min) {
        power_min.fail(
            "the range [initial_power_min, initial_power_max] holds no whole 32 GiB sector");
    }
    if (const auto cap = map.find("max_power")) {
        members.max_power = yaml::read_power(*cap, members.initial_power_max, kMaxPower);
    }
    if (const auto profile = map.find("sealing_profile")) {
        members.sealing_profile = yaml::read_string(*profile);
    }
    if (!sealing::preset_profile(members.sealing_profile)) {
        const std::vector<std::string_view> names = sealing::preset_profile_names();
        const Field at = map.find("sealing_profile").value_or(field);
        std::string known;
        for (std::string_view name : names)
            known += (known.empty() ? "" : ", ") + std::string(name);
        at.fail("unknown sealing profile \"" + members.sealing_profile + "\" (presets: " + known +
                ")");
    }
    if (const auto from = map.find("join_from_epoch")) {
        members.join_from_epoch =
            yaml::read_duration(*from, DurationUnit::epochs, 0, run_epochs - 1);
    }
    members.join_until_epoch = members.join_from_epoch;
    if (const auto until = map.find("join_until_epoch")) {
        members.join_until_epoch = yaml::read_duration(*until, DurationUnit::epochs,
                                                       members.join_from_epoch, run_epochs - 1);
    }
    if (const auto post_min = map.find("winning_post_min_ms")) {
        members.winning_post_min_ms =
            yaml::read_duration(*post_min, DurationUnit::milliseconds, 0, kMaxMs);
    }
    if (const auto post_max = map.find("winning_post_max_ms")) {
        members.winning_post_max_ms = yaml::read_duration(*post_max, DurationUnit::milliseconds,
                                                          members.winning_post_min_ms, kMaxMs);
    } else if (members.winning_post_max_ms < members.winning_post_min_ms) {
        map.get("winning_post_min_ms").fail("must not exceed winning_post_max_ms (default 10s)");
    }
    return members;
}

pool::MembershipConfig read_membership(const Field& field) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 3> kKeys = {"warm_up_epochs", "cool_down_epochs",
                                                              "unvested_on_leave"};
    map.allow_only(kKeys);
    pool::MembershipConfig config;
    if (const auto warm_up = map.find("warm_up_epochs")) {
        config.warm_up_epochs = yaml::read_duration(*warm_up, DurationUnit::epochs, 0, kMaxEpochs);
    }
    if (const auto cool_down = map.find("cool_down_epochs")) {
        config.cool_down_epochs =
            yaml::read_duration(*cool_down, DurationUnit::epochs, 0, kMaxEpochs);
    }
    if (const auto unvested = map.find("unvested_on_leave")) {
        static constexpr std::array<std::string_view, 2> kChoices = {"keep_vesting", "forfeit"};
        config.unvested_on_leave = yaml::read_choice(*unvested, kChoices) == 0
                                       ? pool::UnvestedOnLeave::keep_vesting
                                       : pool::UnvestedOnLeave::forfeit;
    }
    if (const auto error = pool::membership_config_error(config)) field.fail(*error);
    return config;
}

// Policy kinds in RewardPolicyConfig's variant order, and the keys each accepts besides the
// common ones.
constexpr std::array<std::string_view, 5> kPolicyKinds = {
    "solo", "winner_takes_all", "power_proportional", "pplns", "smoothed"};
constexpr std::array<std::string_view, 7> kPolicyKeys = {
    "name",       "kind", "initial_reserve", "fee_ppm", "below_minimum", "window_tib_epochs",
    "reserve_cap"};

bool policy_accepts(std::size_t kind, std::string_view key) {
    if (key == "name" || key == "kind" || key == "initial_reserve") return true;
    if (key == "fee_ppm") return kind != 0;
    if (key == "below_minimum") return kind >= 2;
    if (key == "window_tib_epochs") return kind == 3;
    if (key == "reserve_cap") return kind == 4;
    return false;
}

pool::BelowMinimumRule read_below_minimum(const MapReader& map) {
    static constexpr std::array<std::string_view, 2> kChoices = {"exclude", "include"};
    const auto field = map.find("below_minimum");
    if (!field) return pool::BelowMinimumRule::exclude;
    return yaml::read_choice(*field, kChoices) == 0 ? pool::BelowMinimumRule::exclude
                                                    : pool::BelowMinimumRule::include;
}

pool::PartsPerMillion read_fee(const MapReader& map) {
    const auto field = map.find("fee_ppm");
    return field ? yaml::read_int(*field, 0, pool::kOneMillion) : 0;
}

pool::RewardPolicyConfig read_policy_config(std::size_t kind, const MapReader& map) {
    switch (kind) {
        case 0: return pool::SoloConfig{};
        case 1: return pool::WinnerTakesAllConfig{.fee_ppm = read_fee(map)};
        case 2:
            return pool::PowerProportionalConfig{.fee_ppm = read_fee(map),
                                                 .below_minimum = read_below_minimum(map)};
        case 3: {
            pool::PplnsConfig config{.fee_ppm = read_fee(map),
                                     .below_minimum = read_below_minimum(map),
                                     .window_tib_epochs = pool::kDefaultPplnsWindowTibEpochs};
            if (const auto window = map.find("window_tib_epochs")) {
                config.window_tib_epochs =
                    yaml::read_int(*window, 1, pool::kMaxPplnsWindowTibEpochs);
            }
            return config;
        }
        default: {
            pool::SmoothedConfig config{.fee_ppm = read_fee(map),
                                        .below_minimum = read_below_minimum(map),
                                        .reserve_cap = std::nullopt};
            if (const auto cap = map.find("reserve_cap"))
                config.reserve_cap = yaml::read_attofil(*cap);
            return config;
        }
    }
}

PolicySpec read_policy(const Field& field) {
    const MapReader map(field);
    map.allow_only(kPolicyKeys);
    const std::size_t kind = yaml::read_choice(map.get("kind"), kPolicyKinds);
    for (const auto& [key, value] : map.entries()) {
        if (!policy_accepts(kind, key.Scalar())) {
            yaml::fail_at(
                *field.file, key.Mark(), field.child_path(key.Scalar()),
                "does not apply to policy kind \"" + std::string(kPolicyKinds[kind]) + "\"");
        }
    }
    PolicySpec policy;
    policy.name = std::string(kPolicyKinds[kind]);
    if (const auto name = map.find("name")) {
        policy.name = yaml::read_string(*name);
        check_identifier(*name, policy.name);
    }
    policy.config = read_policy_config(kind, map);
    if (const auto reserve = map.find("initial_reserve")) {
        policy.initial_reserve = yaml::read_attofil(*reserve);
    }
    if (const auto error = pool::reward_policy_config_error(policy.config)) field.fail(*error);
    return policy;
}

std::vector<PolicySpec> read_policies(const Field& field) {
    std::vector<PolicySpec> policies;
    for (const Field& element : yaml::read_list(field, true)) {
        PolicySpec policy = read_policy(element);
        const bool duplicate =
            std::any_of(policies.begin(), policies.end(),
                        [&](const PolicySpec& p) { return p.name == policy.name; });
        if (duplicate) {
            const MapReader map(element);
            map.find("name").value_or(element).fail("duplicate policy name \"" + policy.name +
                                                    "\" (give each policy a distinct name)");
        }
        policies.push_back(std::move(policy));
    }
    return policies;
}

PoolSpec read_pool(const Field& field, std::int64_t run_epochs) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 9> kKeys = {"name",
                                                              "members",
                                                              "primary",
                                                              "standby",
                                                              "chain_node",
                                                              "membership",
                                                              "failover_detection_ms",
                                                              "publish_margin_ms",
                                                              "policies"};
    map.allow_only(kKeys);
    PoolSpec pool;
    const Field name = map.get("name");
    pool.name = yaml::read_string(name);
    check_identifier(name, pool.name);
    pool.members = read_members(map.get("members"), run_epochs);
    pool.primary = read_site(map.get("primary"));
    if (const auto standby = map.find("standby")) pool.standby = read_site(*standby);
    pool.chain_node = pool.primary;
    if (const auto chain_node = map.find("chain_node")) pool.chain_node = read_site(*chain_node);
    if (const auto membership = map.find("membership"))
        pool.membership = read_membership(*membership);
    if (const auto detection = map.find("failover_detection_ms")) {
        pool.failover_detection_ms =
            yaml::read_duration(*detection, DurationUnit::milliseconds, 0, kMaxMs);
    }
    if (const auto margin = map.find("publish_margin_ms")) {
        pool.publish_margin_ms =
            yaml::read_duration(*margin, DurationUnit::milliseconds, 0, kEpochMs);
    }
    pool.policies = read_policies(map.get("policies"));
    return pool;
}

std::vector<PoolSpec> read_pools(const Field& field, std::int64_t run_epochs) {
    std::vector<PoolSpec> pools;
    for (const Field& element : yaml::read_list(field, true)) {
        PoolSpec pool = read_pool(element, run_epochs);
        const bool duplicate = std::any_of(pools.begin(), pools.end(),
                                           [&](const PoolSpec& p) { return p.name == pool.name; });
        if (duplicate)
            MapReader(element).get("name").fail("duplicate pool name \"" + pool.name + "\"");
        pools.push_back(std::move(pool));
    }
    return pools;
}

// --- faults ---

constexpr std::array<std::string_view, 5> kFaultKinds = {
    "host_down", "link_down", "pool_primary_down", "prover_offline", "wan_latency_spike"};

std::int64_t solo_miner_count(const NetworkSpec& network) {
    std::int64_t count = 0;
    for (const PowerBin& bin : network.bins) count += bin.miners;
    return count;
}

std::int64_t member_count(const PoolSpec& pool) {
    std::int64_t count = 0;
    for (std::int64_t n : pool.members.per_continent) count += n;
    return count;
}

const PoolSpec* find_pool(const Scenario& scenario, std::string_view name) {
    for (const PoolSpec& pool : scenario.pools) {
        if (pool.name == name) return &pool;
    }
    return nullptr;
}

// "<prefix><n>" with n a decimal index below `count`.
bool is_indexed_name(std::string_view text, std::string_view prefix, std::int64_t count) {
    if (text.substr(0, prefix.size()) != prefix || text.size() == prefix.size()) return false;
    std::int64_t index = 0;
    for (char c : text.substr(prefix.size())) {
        if (c < '0' || c > '9') return false;
        index = index * 10 + (c - '0');
        if (index >= count) return false;
    }
    return !(text.size() > prefix.size() + 1 && text[prefix.size()] == '0');
}

std::optional<std::string> member_target_error(const Scenario& scenario, std::string_view pool_name,
                                               std::string_view rest) {
    const PoolSpec* pool = find_pool(scenario, pool_name);
    if (!pool) return "no pool named \"" + std::string(pool_name) + "\"";
    if (rest.starts_with("members@")) {
        const auto continent = parse_continent(rest.substr(8));
        if (!continent) return "unknown continent \"" + std::string(rest.substr(8)) + "\"";
        if (pool->members.per_continent[index_of(*continent)] == 0) {
            return "pool \"" + pool->name + "\" has no members in " + std::string(rest.substr(8));
        }
        return std::nullopt;
    }
    if (is_indexed_name(rest, "member-", member_count(*pool))) return std::nullopt;
    return "expected \"" + pool->name + ".member-<k>\" with k below " +
           std::to_string(member_count(*pool)) + ", or \"" + pool->name + ".members@<continent>\"";
}

std::optional<std::string> host_target_error(const Scenario& scenario, std::string_view target) {
    const std::size_t dot = target.find('.');
    if (dot == std::string_view::npos) {
        if (is_indexed_name(target, "miner-", solo_miner_count(scenario.network)))
            return std::nullopt;
        return "expected a host: \"miner-<n>\" (n below " +
               std::to_string(solo_miner_count(scenario.network)) +
               "), \"<pool>.member-<k>\", \"<pool>.primary\", \"<pool>.standby\" or "
               "\"<pool>.chain_node\"";
    }
    const std::string_view pool_name = target.substr(0, dot);
    const std::string_view role = target.substr(dot + 1);
    const PoolSpec* pool = find_pool(scenario, pool_name);
    if (!pool) return "no pool named \"" + std::string(pool_name) + "\"";
    if (role == "primary" || role == "chain_node") return std::nullopt;
    if (role == "standby") {
        if (pool->standby) return std::nullopt;
        return "pool \"" + pool->name + "\" has no standby";
    }
    if (is_indexed_name(role, "member-", member_count(*pool))) return std::nullopt;
    return "expected a host: \"" + pool->name + ".member-<k>\" (k below " +
           std::to_string(member_count(*pool)) + "), \"" + pool->name + ".primary\", \"" +
           pool->name + ".standby\" or \"" + pool->name + ".chain_node\"";
}

std::optional<std::string> continent_pair_error(std::string_view target) {
    const std::size_t dash = target.find('-');
    const std::string expected = "expected a continent pair such as \"asia-africa\"";
    if (dash == std::string_view::npos) return expected;
    const auto first = parse_continent(target.substr(0, dash));
    const auto second = parse_continent(target.substr(dash + 1));
    if (!first || !second)
        return expected +
               " (continents: asia, africa, oceania, europe, "
               "south_america, north_america)";
    if (*first == *second) return expected + " of two different continents";
    return std::nullopt;
}

std::optional<std::string> fault_target_error(const Scenario& scenario, FaultKind kind,
                                              std::string_view target) {
    switch (kind) {
        case FaultKind::host_down: return host_target_error(scenario, target);
        case FaultKind::link_down:
        case FaultKind::wan_latency_spike: return continent_pair_error(target);
        case FaultKind::pool_primary_down:
            if (find_pool(scenario, target)) return std::nullopt;
            return "expected a pool name, got \"" + std::string(target) + "\"";
        case FaultKind::prover_offline: {
            const std::size_t dot = target.find('.');
            if (dot == std::string_view::npos) {
                return "expected \"<pool>.member-<k>\" or \"<pool>.members@<continent>\"";
            }
            return member_target_error(scenario, target.substr(0, dot), target.substr(dot + 1));
        }
    }
    return std::nullopt;
}

FaultSpec read_fault(const Field& field, const Scenario& scenario, std::int64_t run_epochs) {
    const MapReader map(field);
    static constexpr std::array<std::string_view, 5> kKeys = {"kind", "target", "start_epoch",
                                                              "duration_epochs", "factor"};
    map.allow_only(kKeys);
    FaultSpec fault;
    fault.kind = static_cast<FaultKind>(yaml::read_choice(map.get("kind"), kFaultKinds));
    const Field target = map.get("target");
    fault.target = yaml::read_string(target);
    if (const auto error = fault_target_error(scenario, fault.kind, fault.target)) {
        target.fail(*error + ", got \"" + fault.target + "\"");
    }
    fault.start_epoch =
        yaml::read_duration(map.get("start_epoch"), DurationUnit::epochs, 0, run_epochs - 1);
    fault.duration_epochs =
        yaml::read_duration(map.get("duration_epochs"), DurationUnit::epochs, 1, kMaxEpochs);
    if (fault.kind == FaultKind::wan_latency_spike) {
        fault.factor = yaml::read_number(map.get("factor"), 1.0, 1e6);
    } else if (map.has("factor")) {
        yaml::fail_at(*field.file, map.key_node("factor").Mark(), field.child_path("factor"),
                      "applies to wan_latency_spike faults only");
    }
    return fault;
}

// --- the document ---

Scenario read_scenario(const Field& root) {
    const MapReader map(root);
    static constexpr std::array<std::string_view, 8> kKeys = {
        "name",    "description", "seed",  "duration_days",
        "network", "propagation", "pools", "faults"};
    map.allow_only(kKeys);
    Scenario scenario;
    scenario.name = root.file->stem().string();
    if (const auto name = map.find("name")) scenario.name = yaml::read_string(*name);
    if (const auto description = map.find("description")) {
        scenario.description = yaml::read_string(*description);
    }
    if (const auto seed = map.find("seed")) scenario.seed = yaml::read_u64(*seed);
    if (const auto days = map.find("duration_days")) {
        scenario.duration_days = yaml::read_int(*days, 1, kMaxDurationDays);
    }
    const std::int64_t run_epochs = scenario.duration_days * chain::kEpochsPerDay;
    scenario.network = read_network(map.get("network"));
    if (const auto propagation = map.find("propagation")) {
        scenario.propagation = read_propagation(*propagation);
    }
    if (const auto pools = map.find("pools")) scenario.pools = read_pools(*pools, run_epochs);
    if (const auto faults = map.find("faults")) {
        for (const Field& element : yaml::read_list(*faults, false)) {
            scenario.faults.push_back(read_fault(element, scenario, run_epochs));
        }
    }
    return scenario;
}

}  // namespace

Scenario parse_scenario(std::string_view yaml_text, const std::filesystem::path& file_for_errors) {
    YAML::Node document;
    try {
        document = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& error) {
        yaml::fail_at(file_for_errors, error.mark, "", "invalid YAML: " + error.msg);
    }
    return read_scenario(Field{document, "", &file_for_errors});
}

Scenario load_scenario_file(const std::filesystem::path& file) {
    bool ok = false;
    const std::string text = read_text_file(file, ok);
    if (!ok) throw ScenarioError(file, 0, 0, "", "cannot read the scenario file");
    return parse_scenario(text, file);
}

std::string_view policy_kind_name(const pool::RewardPolicyConfig& config) {
    return kPolicyKinds[config.index()];
}

std::string_view fault_kind_name(FaultKind kind) {
    return kFaultKinds[static_cast<std::size_t>(kind)];
}

}  // namespace minerx::sim
