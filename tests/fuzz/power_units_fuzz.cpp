// parse_storage_power and format_storage_power: never crash; the parser accepts exactly what an
// independent reference (GMP arithmetic over the same grammar) accepts, with the same value; a
// parsed value is at most 2^127 and survives format -> parse within the formatting's rounding.

#include <cctype>
#include <optional>
#include <string>

#include "core/math/big_int.h"

#include "core/chain/power_units.h"
#include "tests/fuzz/fuzz_target.h"

namespace minerx::fuzz {
const char* const kSeedInputs[] = {"10TiB", "5.4 EiB", "10995116277760", "0.5KiB", "1PiB", "7B",
                                   "", "-1", "1e9", "10XiB", "1.0000000000000000001TiB"};
const std::size_t kSeedInputCount = std::size(kSeedInputs);
}  // namespace minerx::fuzz

namespace {

using minerx::chain::StoragePower;
using minerx::math::BigInt;

struct Reference {
    bool valid_syntax = false;  // digits[.digits] spaces* unit?, at least one digit, known unit
    std::size_t fraction_digits = 0;
    BigInt bytes;  // floor(number * 2^shift), exact
};

// The grammar of power_units.h, evaluated with unbounded integers.
Reference reference_parse(const std::string& text) {
    Reference result;
    std::size_t i = 0;
    std::string digits;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) digits += text[i++];
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
            digits += text[i++];
            ++result.fraction_digits;
        }
    }
    if (digits.empty()) return result;
    while (i < text.size() && text[i] == ' ') ++i;
    std::string unit;
    for (; i < text.size(); ++i) unit += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    const char* names[] = {"", "b", "kib", "mib", "gib", "tib", "pib", "eib"};
    const unsigned shifts[] = {0, 0, 10, 20, 30, 40, 50, 60};
    for (std::size_t u = 0; u < std::size(names); ++u) {
        if (unit != names[u]) continue;
        BigInt scale = 1;
        for (std::size_t k = 0; k < result.fraction_digits; ++k) scale *= 10;
        result.bytes = minerx::math::floor_divide(
            minerx::math::shift_left(minerx::math::make_int_from_decimal<BigInt>(digits), shifts[u]),
            scale);
        result.valid_syntax = true;
    }
    return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace minerx::chain;
    const std::string text(reinterpret_cast<const char*>(data), size);
    PowerParseResult parsed = parse_storage_power(text);
    FUZZ_REQUIRE(parsed.power.has_value() != !parsed.error.empty(), text);
    const Reference reference = reference_parse(text);
    const bool in_range = reference.valid_syntax && reference.fraction_digits <= 18 &&
                          reference.bytes <= minerx::math::make_int<BigInt>(StoragePower{1} << 127);
    FUZZ_REQUIRE(parsed.power.has_value() == in_range, text);
    if (!parsed.power) return 0;
    FUZZ_REQUIRE(minerx::math::make_int<BigInt>(*parsed.power) == reference.bytes, text);
    const StoragePower power = *parsed.power;
    FUZZ_REQUIRE(power <= (StoragePower{1} << 127), text);
    PowerParseResult again = parse_storage_power(format_storage_power(power));
    FUZZ_REQUIRE(again.power.has_value(), text);
    const StoragePower back = *again.power;
    const StoragePower difference = back > power ? back - power : power - back;
    FUZZ_REQUIRE(difference <= (power >> 10) + 1, text);  // rounding to 3 decimals of a unit >= 1
    return 0;
}
