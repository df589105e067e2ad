#pragma once

// The network's power distribution table: bins of [min, max) power with a miner count each, read
// from a CSV file in the format of data/network-2021-power-distribution.csv:
//
//   # comment lines (provenance) anywhere, blank lines ignored
//   min_pib,max_pib,miners
//   0,0.1,995
//   100,,3            <- empty max_pib: the open last bin
//
// Powers are decimal PiB (exactly converted to bytes, rounded down), miners a non-negative
// integer. The same rules hold for bins written inline in a scenario file (power_bins_error).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/scenario/scenario.h"

namespace minerx::sim {

// Throws ScenarioError naming file_for_errors:line and the column name on malformed input (bad
// header, wrong field count, a value that is not a number, and power_bins_error's rules).
std::vector<PowerBin> parse_power_distribution_csv(std::string_view csv_text,
                                                   const std::filesystem::path& file_for_errors);

struct PowerBinsProblem {
    std::size_t bin = 0;  // index of the offending bin
    std::string reason;
};

// The first problem with a table of bins, or nullopt: at least one bin; every bounded bin has
// max > min; bins ascending and not overlapping (bin i+1 starts at or above bin i's max); only the
// last bin may be open; at least one miner in all.
std::optional<PowerBinsProblem> power_bins_error(std::span<const PowerBin> bins);

}  // namespace minerx::sim
