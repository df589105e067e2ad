// parse_storage_power and format_storage_power: never crash; a parsed value is at most 2^127 and
// survives format -> parse within the formatting's rounding (half a thousandth of its unit).

#include <string>

#include "core/chain/power_units.h"
#include "tests/fuzz/fuzz_target.h"

namespace minerx::fuzz {
const char* const kSeedInputs[] = {"10TiB", "5.4 EiB", "10995116277760", "0.5KiB", "1PiB", "7B",
                                   "", "-1", "1e9", "10XiB", "1.0000000000000000001TiB"};
const std::size_t kSeedInputCount = std::size(kSeedInputs);
}  // namespace minerx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace minerx::chain;
    const std::string text(reinterpret_cast<const char*>(data), size);
    PowerParseResult parsed = parse_storage_power(text);
    FUZZ_REQUIRE(parsed.power.has_value() != !parsed.error.empty(), text);
    if (!parsed.power) return 0;
    const StoragePower power = *parsed.power;
    FUZZ_REQUIRE(power <= (StoragePower{1} << 127), text);
    PowerParseResult again = parse_storage_power(format_storage_power(power));
    FUZZ_REQUIRE(again.power.has_value(), text);
    const StoragePower back = *again.power;
    const StoragePower difference = back > power ? back - power : power - back;
    FUZZ_REQUIRE(difference <= (power >> 10) + 1, text);  // rounding to 3 decimals of a unit >= 1
    return 0;
}
