#pragma once

// The six continents of the simulated network (BRIEF: the incubator's quotas; research/sim.md §6
// for the latency and bandwidth tables). Names are the scenario files' spelling.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace minerx::sim {

enum class Continent : std::uint8_t {
    asia,
    africa,
    oceania,
    europe,
    south_america,
    north_america,
};

inline constexpr std::size_t kContinentCount = 6;

inline constexpr std::array<Continent, kContinentCount> kContinents = {
    Continent::asia,   Continent::africa,        Continent::oceania,
    Continent::europe, Continent::south_america, Continent::north_america,
};

inline constexpr std::string_view to_string(Continent continent) {
    constexpr std::array<std::string_view, kContinentCount> kNames = {
        "asia", "africa", "oceania", "europe", "south_america", "north_america"};
    return kNames[static_cast<std::size_t>(continent)];
}

inline constexpr std::size_t index_of(Continent continent) {
    return static_cast<std::size_t>(continent);
}

// nullopt unless `name` is one of the six names above.
inline std::optional<Continent> parse_continent(std::string_view name) {
    for (Continent continent : kContinents) {
        if (to_string(continent) == name) return continent;
    }
    return std::nullopt;
}

}  // namespace minerx::sim
