#include "sim/scenario/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/chain/power_units.h"
#include "core/math/int128.h"

namespace minerx::sim::yaml {
namespace {

std::size_t one_based(int zero_based) {
    return zero_based >= 0 ? static_cast<std::size_t>(zero_based) + 1 : 0;
}

std::string quote_text(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string join(std::span<const std::string_view> words) {
    std::string out;
    for (std::string_view word : words) {
        if (!out.empty()) out += ", ";
        out += word;
    }
    return out;
}

// The scalar's text, or a failure naming what was expected instead of a map or list.
std::string scalar_text(const Field& field, std::string_view expected) {
    if (!field.node.IsScalar()) {
        field.fail("expected " + std::string(expected) + ", got " + describe(field.node));
    }
    return field.node.Scalar();
}

std::string format_number(double value) {
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%g", value);
    return buffer.data();
}

}  // namespace

void fail_at(const std::filesystem::path& file, const YAML::Mark& mark, const std::string& path,
             const std::string& reason) {
    throw ScenarioError(file, one_based(mark.line), one_based(mark.column), path, reason);
}

void Field::fail(const std::string& reason) const { fail_at(*file, node.Mark(), path, reason); }

std::string Field::child_path(std::string_view key) const {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string Field::index_path(std::size_t index) const {
    return path + "[" + std::to_string(index) + "]";
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Scalar: return quote_text(node.Scalar());
        case YAML::NodeType::Map: return "a map";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return "nothing";
    }
    return "nothing";
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
    std::optional<std::string_view> best;
    std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (std::string_view candidate : candidates) {
        const std::size_t distance = edit_distance(word, candidate);
        if (distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

MapReader::MapReader(const Field& field) : field_(field) {
    if (!field.node.IsMap()) field.fail("expected a map, got " + describe(field.node));
    for (auto it = field.node.begin(); it != field.node.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) {
            fail_at(*field.file, key.Mark(), field.path,
                    "expected a key name, got " + describe(key));
        }
        if (has(key.Scalar())) {
            fail_at(*field.file, key.Mark(), field.child_path(key.Scalar()), "duplicate key");
        }
        entries_.emplace_back(key, it->second);
    }
}

void MapReader::allow_only(std::span<const std::string_view> known) const {
    for (const auto& [key, value] : entries_) {
        const std::string& name = key.Scalar();
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        std::string reason = "unknown key";
        if (const auto suggestion = closest_match(name, known)) {
            reason += " (did you mean \"" + std::string(*suggestion) + "\"?)";
        } else {
            reason += " (known keys: " + join(known) + ")";
        }
        fail_at(*field_.file, key.Mark(), field_.child_path(name), reason);
    }
}

bool MapReader::has(std::string_view key) const {
    return std::any_of(entries_.begin(), entries_.end(),
                       [&](const auto& entry) { return entry.first.Scalar() == key; });
}

std::optional<Field> MapReader::find(std::string_view key) const {
    for (const auto& [key_node, value] : entries_) {
        if (key_node.Scalar() == key) return Field{value, field_.child_path(key), field_.file};
    }
    return std::nullopt;
}

Field MapReader::get(std::string_view key) const {
    std::optional<Field> found = find(key);
    if (!found) field_.fail("required key \"" + std::string(key) + "\" missing");
    return *found;
}

const YAML::Node& MapReader::key_node(std::string_view key) const {
    for (const auto& entry : entries_) {
        if (entry.first.Scalar() == key) return entry.first;
    }
    field_.fail("required key \"" + std::string(key) + "\" missing");
}

std::vector<Field> read_list(const Field& field, bool non_empty) {
    if (!field.node.IsSequence()) field.fail("expected a list, got " + describe(field.node));
    if (non_empty && field.node.size() == 0) field.fail("expected at least one element");
    std::vector<Field> elements;
    for (std::size_t i = 0; i < field.node.size(); ++i) {
        elements.push_back(Field{field.node[i], field.index_path(i), field.file});
    }
    return elements;
}

std::string read_string(const Field& field) {
    std::string text = scalar_text(field, "a string");
    if (text.empty()) field.fail("expected a non-empty string");
    return text;
}

std::int64_t read_int(const Field& field, std::int64_t low, std::int64_t high) {
    const std::string expected =
        "an integer in [" + std::to_string(low) + ", " + std::to_string(high) + "]";
    const std::string text = scalar_text(field, expected);
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || value < low || value > high) {
        field.fail("expected " + expected + ", got " + quote_text(text));
    }
    return value;
}

std::uint64_t read_u64(const Field& field) {
    const std::string expected = "an integer in [0, 18446744073709551615]";
    const std::string text = scalar_text(field, expected);
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        field.fail("expected " + expected + ", got " + quote_text(text));
    }
    return value;
}

double read_number(const Field& field, double low, double high) {
    const std::string expected =
        "a number in [" + format_number(low) + ", " + format_number(high) + "]";
    const std::string text = scalar_text(field, expected);
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) ||
        value < low || value > high) {
        field.fail("expected " + expected + ", got " + quote_text(text));
    }
    return value;
}

chain::StoragePower read_power(const Field& field, chain::StoragePower low,
                               chain::StoragePower high) {
    const std::string expected = "a power such as \"10TiB\", \"1.5PiB\" or a number of bytes";
    const std::string text = scalar_text(field, expected);
    const chain::PowerParseResult parsed = chain::parse_storage_power(text);
    if (!parsed.power) field.fail("expected " + expected + ", got " + quote_text(text));
    if (*parsed.power < low || *parsed.power > high) {
        field.fail("expected a power in [" + chain::format_storage_power(low) + ", " +
                   chain::format_storage_power(high) + "], got " + quote_text(text));
    }
    return *parsed.power;
}

chain::AttoFil read_attofil(const Field& field) {
    const std::string text = scalar_text(field, "an amount of FIL");
    const ValueParse<chain::AttoFil> parsed = parse_attofil(text);
    if (!parsed.value) field.fail("expected " + parsed.error + ", got " + quote_text(text));
    return *parsed.value;
}

std::int64_t read_duration(const Field& field, DurationUnit unit, std::int64_t low,
                           std::int64_t high) {
    const std::string text = scalar_text(field, "a duration");
    const ValueParse<std::int64_t> parsed = parse_duration(text, unit);
    if (!parsed.value) field.fail("expected " + parsed.error + ", got " + quote_text(text));
    if (*parsed.value < low || *parsed.value > high) {
        const std::string unit_name = unit == DurationUnit::epochs ? "epochs" : "ms";
        field.fail("expected a duration in [" + std::to_string(low) + ", " + std::to_string(high) +
                   "] " + unit_name + ", got " + quote_text(text) + " (" +
                   std::to_string(*parsed.value) + " " + unit_name + ")");
    }
    return *parsed.value;
}

std::size_t read_choice(const Field& field, std::span<const std::string_view> choices) {
    const std::string expected = "one of " + join(choices);
    const std::string text = scalar_text(field, expected);
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (choices[i] == text) return i;
    }
    std::string reason = "expected " + expected + ", got " + quote_text(text);
    if (const auto suggestion = closest_match(text, choices)) {
        reason += " (did you mean \"" + std::string(*suggestion) + "\"?)";
    }
    field.fail(reason);
}

Continent read_continent_name(const Field& key_field) {
    std::array<std::string_view, kContinentCount> names{};
    for (std::size_t i = 0; i < kContinentCount; ++i) names[i] = to_string(kContinents[i]);
    return kContinents[read_choice(key_field, names)];
}

}  // namespace minerx::sim::yaml
