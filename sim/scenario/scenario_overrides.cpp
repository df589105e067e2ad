#include "sim/scenario/scenario_overrides.h"

#include <algorithm>
#include <charconv>
#include <numeric>

#include "sim/scenario/scenario_values.h"

namespace minerx::sim {
namespace {

std::int64_t parse_integer(const ScenarioOverride& change, std::int64_t low, std::int64_t high) {
    std::int64_t value = 0;
    const std::string& text = change.value;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < low || value > high) {
        throw OverrideError(change.key + ": expected an integer in [" + std::to_string(low) + ", " +
                            std::to_string(high) + "], got \"" + text + "\"");
    }
    return value;
}

void set_fee(Scenario& scenario, const ScenarioOverride& change) {
    const std::int64_t fee = parse_integer(change, 0, pool::kOneMillion);
    for (PoolSpec& pool : scenario.pools) {
        for (PolicySpec& policy : pool.policies) {
            std::visit(
                [fee](auto& config) {
                    if constexpr (requires { config.fee_ppm; }) config.fee_ppm = fee;
                },
                policy.config);
        }
    }
}

// Spreads `size` members over the continents in proportion to the current counts.
void set_pool_size(Scenario& scenario, const ScenarioOverride& change) {
    const std::int64_t size = parse_integer(change, 1, 1'000'000);
    for (PoolSpec& pool : scenario.pools) {
        PerContinent<std::int64_t>& counts = pool.members.per_continent;
        const std::int64_t total = std::accumulate(counts.begin(), counts.end(), std::int64_t{0});
        if (total == 0) continue;
        PerContinent<std::int64_t> next{};
        PerContinent<std::int64_t> remainder{};
        std::int64_t assigned = 0;
        for (std::size_t i = 0; i < kContinentCount; ++i) {
            next[i] = counts[i] * size / total;
            remainder[i] = counts[i] * size % total;
            assigned += next[i];
        }
        std::array<std::size_t, kContinentCount> order{};
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
        for (std::size_t i = 0; assigned < size; ++i, ++assigned) next[order[i]] += 1;
        counts = next;
    }
}

void set_delay(Scenario& scenario, const ScenarioOverride& change) {
    const ValueParse<std::int64_t> parsed =
        parse_duration(change.value, DurationUnit::milliseconds);
    if (!parsed.value || *parsed.value < 1'000 || *parsed.value > 25'000) {
        throw OverrideError(change.key + ": expected a delay in [1s, 25s], got \"" + change.value +
                            "\"");
    }
    scenario.propagation.propagation_delay_ms = *parsed.value;
}

void set_site(Scenario& scenario, const ScenarioOverride& change) {
    const std::optional<Continent> continent = parse_continent(change.value);
    if (!continent) {
        throw OverrideError(change.key + ": expected a continent (asia, africa, oceania, europe, "
                                         "south_america, north_america), got \"" +
                            change.value + "\"");
    }
    for (PoolSpec& pool : scenario.pools) {
        pool.primary.continent = *continent;
        pool.chain_node.continent = *continent;
    }
}

}  // namespace

ScenarioOverride parse_override(std::string_view text) {
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos || equals == 0) {
        throw OverrideError("expected KEY=VALUE, got \"" + std::string(text) + "\"");
    }
    return {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))};
}

std::vector<std::string_view> override_keys() {
    return {"fee_ppm", "pool_size", "propagation_delay_ms", "pool_site", "block_size_bytes",
            "gossip_degree"};
}

void apply_override(Scenario& scenario, const ScenarioOverride& change) {
    if (change.key == "fee_ppm") return set_fee(scenario, change);
    if (change.key == "pool_size") return set_pool_size(scenario, change);
    if (change.key == "propagation_delay_ms") return set_delay(scenario, change);
    if (change.key == "pool_site") return set_site(scenario, change);
    if (change.key == "block_size_bytes") {
        scenario.propagation.block_size_bytes = parse_integer(change, 100, 100'000'000);
        return;
    }
    if (change.key == "gossip_degree") {
        scenario.propagation.gossip_degree = parse_integer(change, 1, 64);
        return;
    }
    std::string known;
    for (std::string_view key : override_keys()) known += (known.empty() ? "" : ", ") + std::string(key);
    throw OverrideError("unknown key \"" + change.key + "\" (known: " + known + ")");
}

}  // namespace minerx::sim
