#pragma once

// One input line of `minerx election wincount`: "<vrf-proof-hex> <miner-power> <network-power>".
// Parsing and evaluation are kept apart from the command's I/O so they can be tested and fuzzed
// (tests/fuzz/wincount_line_fuzz.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace minerx::runners {

// Lowercase or uppercase hex digits, an even number of them; nullopt otherwise.
std::optional<std::vector<std::uint8_t>> parse_hex(const std::string& text);

// The line's WinCount, or why the line is not valid (a message naming the offending field).
struct WinCountLine {
    std::optional<std::int64_t> win_count;
    std::string error;
};

// REQUIRES: the line is not blank or a comment (the caller skips those).
WinCountLine evaluate_wincount_line(const std::string& line);

}  // namespace minerx::runners
