#pragma once

// Typed, located reading of a YAML document for scenario files. A Field is a YAML node together
// with its key path ("pools[0].policies[2].fee_ppm") and the file it came from; every read_*
// either returns a value of the asked type and range or throws ScenarioError at the node's line
// and column with a message of the form `expected <what>, got "<text>"`.
//
// Used by scenario_file.cpp only; separate so the schema code reads as the schema.

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "sim/network/continent.h"
#include "sim/scenario/scenario_error.h"
#include "sim/scenario/scenario_values.h"

namespace minerx::sim::yaml {

struct Field {
    YAML::Node node;
    std::string path;                   // key path from the document root
    const std::filesystem::path* file;  // the document, for messages; never null

    // Throws ScenarioError at this node.
    [[noreturn]] void fail(const std::string& reason) const;
    std::string child_path(std::string_view key) const;
    std::string index_path(std::size_t index) const;
};

// Throws ScenarioError at `mark` (yaml-cpp's 0-based line and column).
[[noreturn]] void fail_at(const std::filesystem::path& file, const YAML::Mark& mark,
                          const std::string& path, const std::string& reason);

// How a node reads in a message: "\"12%\"" for a scalar, "a map", "a list", "nothing".
std::string describe(const YAML::Node& node);

// The closest of `candidates` to `word` if it is a plausible typo (edit distance <= 2, or a third
// of the word's length), for "did you mean" hints.
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// A mapping with unique scalar keys. Keys are checked against the allowed set by allow_only, so
// a misspelt key is an error rather than silently ignored.
class MapReader {
public:
    // Throws unless field is a map with unique scalar keys.
    explicit MapReader(const Field& field);

    // Throws at the first key not in `known`, suggesting the closest known key.
    void allow_only(std::span<const std::string_view> known) const;

    bool has(std::string_view key) const;
    std::optional<Field> find(std::string_view key) const;
    // Throws "required key missing" at the map when absent.
    Field get(std::string_view key) const;
    // The key node's position, for errors about the key itself.
    const YAML::Node& key_node(std::string_view key) const;

    const Field& field() const { return field_; }
    const std::vector<std::pair<YAML::Node, YAML::Node>>& entries() const { return entries_; }

private:
    Field field_;
    std::vector<std::pair<YAML::Node, YAML::Node>> entries_;  // key, value; in file order
};

// The elements of a list; throws unless field is a list, and if it is empty when non_empty.
std::vector<Field> read_list(const Field& field, bool non_empty);

std::string read_string(const Field& field);  // a non-empty scalar
std::int64_t read_int(const Field& field, std::int64_t low, std::int64_t high);
std::uint64_t read_u64(const Field& field);
double read_number(const Field& field, double low, double high);  // finite
// Powers: "10TiB", "5.4 EiB", plain bytes (core/chain/power_units.h).
chain::StoragePower read_power(const Field& field, chain::StoragePower low,
                               chain::StoragePower high);
chain::AttoFil read_attofil(const Field& field);  // scenario_values.h: parse_attofil
std::int64_t read_duration(const Field& field, DurationUnit unit, std::int64_t low,
                           std::int64_t high);
// The index of the scalar among `choices`; throws listing them.
std::size_t read_choice(const Field& field, std::span<const std::string_view> choices);
Continent read_continent_name(const Field& key_field);

// A map from continent names to values, e.g. {asia: 50, africa: 10}; absent continents keep
// their value in `defaults`.
template <typename T, typename ReadValue>
std::array<T, kContinentCount> read_per_continent(const Field& field,
                                                  std::array<T, kContinentCount> defaults,
                                                  ReadValue read_value) {
    const MapReader map(field);
    for (const auto& [key, value] : map.entries()) {
        const Field key_field{key, field.child_path(key.Scalar()), field.file};
        const Continent continent = read_continent_name(key_field);
        defaults[index_of(continent)] = read_value(Field{value, key_field.path, field.file});
    }
    return defaults;
}

}  // namespace minerx::sim::yaml
