// A `minerx election wincount` input line: never crash; either a WinCount in [0, 15] and no error,
// or an error message and no WinCount; lines are accepted exactly when an independent reading
// accepts them, and the WinCount equals the one the Boost backend computes.

#include <sstream>
#include <string>
#include <vector>

#include "core/chain/blake2b.h"
#include "core/chain/election.h"
#include "core/math/big_int_boost.h"

#include "core/chain/chain_types.h"
#include "runners/minerx/wincount_input.h"
#include "tests/fuzz/fuzz_target.h"

namespace minerx::fuzz {
const char* const kSeedInputs[] = {
    "0000000000000000 1 1", "0000000000000001 1 10", "ff 10995116277760 6227702590447714304",
    "zz 1 1", "00 1", "00 1 0", "00 -5 10", "00 1 1 extra", "abc 1 1", "  00\t3 7  "};
const std::size_t kSeedInputCount = std::size(kSeedInputs);
}  // namespace minerx::fuzz

namespace {

// An independent reading of the line: whitespace-separated fields, hex by hand, decimals through
// Boost.Multiprecision, and the WinCount from the Boost backend of the election templates.
std::optional<std::int64_t> reference_win_count(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> fields;
    for (std::string field; in >> field;) fields.push_back(field);
    if (fields.size() != 3 || fields[0].empty() || fields[0].size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> proof;
    for (std::size_t i = 0; i < fields[0].size(); i += 2) {
        const std::string pair = fields[0].substr(i, 2);
        if (pair.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
        proof.push_back(static_cast<std::uint8_t>(std::stoul(pair, nullptr, 16)));
    }
    using Int = minerx::math::BoostBigInt;
    Int powers[2];
    for (int k = 0; k < 2; ++k) {
        const std::string& text = fields[static_cast<std::size_t>(k) + 1];
        if (text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        powers[k] = 0;  // digit by digit: Boost reads a leading 0 as octal
        for (char c : text) powers[k] = powers[k] * 10 + (c - '0');
        if (powers[k] >= (Int(1) << 128)) return std::nullopt;
    }
    if (powers[1] == 0) return std::nullopt;
    const Int lhs = minerx::math::make_int_from_big_endian<Int>(minerx::chain::blake2b_256(proof));
    return minerx::chain::win_count_for_lambda(lhs, minerx::chain::election_lambda(powers[0], powers[1]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string line(reinterpret_cast<const char*>(data), size);
    minerx::runners::WinCountLine result = minerx::runners::evaluate_wincount_line(line);
    FUZZ_REQUIRE(result.win_count.has_value() == result.error.empty(), line);
    FUZZ_REQUIRE(result.win_count == reference_win_count(line), line);
    if (result.win_count) {
        FUZZ_REQUIRE(*result.win_count >= 0, line);
        FUZZ_REQUIRE(*result.win_count <= minerx::chain::kMaxWinCount, line);
    }
    return 0;
}
