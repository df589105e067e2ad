// parse_uint128 / parse_int128: accept exactly the in-range decimal numerals, and to_string gives
// the same numeral back without leading zeros.

#include <string>

#include "core/math/int128.h"
#include "tests/fuzz/fuzz_target.h"

namespace minerx::fuzz {
const char* const kSeedInputs[] = {"0", "1", "-1", "007", "340282366920938463463374607431768211455",
                                   "340282366920938463463374607431768211456",
                                   "-170141183460469231731687303715884105728", "", "-", "12a"};
const std::size_t kSeedInputCount = std::size(kSeedInputs);
}  // namespace minerx::fuzz

namespace {
std::string without_leading_zeros(std::string digits) {
    const std::size_t first = digits.find_first_not_of('0');
    return first == std::string::npos ? "0" : digits.substr(first);
}
bool all_digits(const std::string& text) {
    if (text.empty()) return false;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace minerx::math;
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto unsigned_value = parse_uint128(text);
    if (unsigned_value) {
        FUZZ_REQUIRE(all_digits(text), text);
        FUZZ_REQUIRE(to_string(*unsigned_value) == without_leading_zeros(text), text);
    } else if (all_digits(text)) {
        // Rejected digits must be out of range: more than 39 significant digits or above 2^128-1.
        const std::string digits = without_leading_zeros(text);
        FUZZ_REQUIRE(digits.size() > 39 ||
                      (digits.size() == 39 && digits > "340282366920938463463374607431768211455"), text);
    }
    auto signed_value = parse_int128(text);
    if (signed_value) {
        const bool negative = text[0] == '-';
        const std::string magnitude = without_leading_zeros(negative ? text.substr(1) : text);
        const std::string expected = (negative && magnitude != "0" ? "-" : "") + magnitude;
        FUZZ_REQUIRE(to_string(*signed_value) == expected, text);
    }
    return 0;
}
