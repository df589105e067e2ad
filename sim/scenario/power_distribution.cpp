#include "sim/scenario/power_distribution.h"

#include <charconv>
#include <cstdint>

#include "core/chain/power_units.h"
#include "sim/scenario/scenario_error.h"

namespace minerx::sim {
namespace {

constexpr std::string_view kHeader = "min_pib,max_pib,miners";

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = line.find(',', start);
        fields.push_back(trim(line.substr(start, comma - start)));
        if (comma == std::string_view::npos) return fields;
        start = comma + 1;
    }
}

// Reads a decimal number of PiB, such as "0.1" or "100" (a unit is not allowed: the column says
// PiB).
std::optional<chain::StoragePower> parse_pib(std::string_view text) {
    if (text.empty()) return std::nullopt;
    for (char c : text) {
        if (!(c == '.' || (c >= '0' && c <= '9'))) return std::nullopt;
    }
    const chain::PowerParseResult parsed = chain::parse_storage_power(std::string(text) + "PiB");
    return parsed.power;
}

std::string quote_text(std::string_view text) { return "\"" + std::string(text) + "\""; }

}  // namespace

std::vector<PowerBin> parse_power_distribution_csv(std::string_view csv_text,
                                                   const std::filesystem::path& file_for_errors) {
    std::vector<PowerBin> bins;
    std::vector<std::size_t> bin_lines;
    bool header_seen = false;
    std::size_t line_number = 0;
    std::size_t start = 0;
    const auto fail = [&](std::size_t line, std::string key, std::string reason) {
        throw ScenarioError(file_for_errors, line, 0, std::move(key), std::move(reason));
    };
    while (start <= csv_text.size()) {
        const std::size_t end = std::min(csv_text.find('\n', start), csv_text.size());
        const std::string_view line = trim(csv_text.substr(start, end - start));
        ++line_number;
        start = end + 1;
        if (line.empty() || line.front() == '#') continue;
        if (!header_seen) {
            if (line != kHeader) {
                fail(line_number, "",
                     "expected the header \"" + std::string(kHeader) + "\", got " +
                         quote_text(line));
            }
            header_seen = true;
            continue;
        }
        const std::vector<std::string_view> fields = split_fields(line);
        if (fields.size() != 3) {
            fail(
                line_number, "",
                "expected 3 fields (min_pib,max_pib,miners), got " + std::to_string(fields.size()));
        }
        PowerBin bin;
        const std::optional<chain::StoragePower> min = parse_pib(fields[0]);
        if (!min)
            fail(line_number, "min_pib",
                 "expected a decimal number of PiB, got " + quote_text(fields[0]));
        bin.min_power = *min;
        if (!fields[1].empty()) {
            const std::optional<chain::StoragePower> max = parse_pib(fields[1]);
            if (!max) {
                fail(line_number, "max_pib",
                     "expected a decimal number of PiB or nothing (open bin), got " +
                         quote_text(fields[1]));
            }
            bin.max_power = *max;
        }
        std::int64_t miners = -1;
        const auto [end_ptr, error] =
            std::from_chars(fields[2].data(), fields[2].data() + fields[2].size(), miners);
        if (error != std::errc{} || end_ptr != fields[2].data() + fields[2].size() || miners < 0 ||
            miners > 100'000'000) {
            fail(line_number, "miners",
                 "expected an integer in [0, 100000000], got " + quote_text(fields[2]));
        }
        bin.miners = miners;
        bins.push_back(bin);
        bin_lines.push_back(line_number);
    }
    if (!header_seen) fail(0, "", "no header line \"" + std::string(kHeader) + "\" (empty table)");
    if (const std::optional<PowerBinsProblem> problem = power_bins_error(bins)) {
        const std::size_t line = bins.empty() ? line_number : bin_lines[problem->bin];
        fail(line, "", problem->reason);
    }
    return bins;
}

std::optional<PowerBinsProblem> power_bins_error(std::span<const PowerBin> bins) {
    if (bins.empty()) return PowerBinsProblem{0, "expected at least one bin"};
    std::int64_t miners = 0;
    for (std::size_t i = 0; i < bins.size(); ++i) {
        const PowerBin& bin = bins[i];
        if (bin.max_power && *bin.max_power <= bin.min_power) {
            return PowerBinsProblem{i, "bin " + std::to_string(i) + ": max must be above min"};
        }
        if (!bin.max_power && i + 1 != bins.size()) {
            return PowerBinsProblem{
                i, "bin " + std::to_string(i) + ": only the last bin may be open (have no max)"};
        }
        if (i > 0 && bin.min_power < *bins[i - 1].max_power) {
            return PowerBinsProblem{i, "bin " + std::to_string(i) +
                                           ": bins must ascend without overlapping (min below "
                                           "the previous bin's max)"};
        }
        miners += bin.miners;
    }
    if (miners == 0) return PowerBinsProblem{bins.size() - 1, "the bins hold no miner"};
    return std::nullopt;
}

}  // namespace minerx::sim
