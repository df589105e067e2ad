// A `minerx election wincount` input line: never crash; either a WinCount in [0, 15] and no error,
// or an error message and no WinCount; and a valid line's WinCount equals the core's.

#include <string>

#include "core/chain/chain_types.h"
#include "runners/minerx/wincount_input.h"
#include "tests/fuzz/fuzz_target.h"

namespace minerx::fuzz {
const char* const kSeedInputs[] = {
    "0000000000000000 1 1", "0000000000000001 1 10", "ff 10995116277760 6227702590447714304",
    "zz 1 1", "00 1", "00 1 0", "00 -5 10", "00 1 1 extra", "abc 1 1", "  00\t3 7  "};
const std::size_t kSeedInputCount = std::size(kSeedInputs);
}  // namespace minerx::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string line(reinterpret_cast<const char*>(data), size);
    minerx::runners::WinCountLine result = minerx::runners::evaluate_wincount_line(line);
    FUZZ_REQUIRE(result.win_count.has_value() == result.error.empty(), line);
    if (result.win_count) {
        FUZZ_REQUIRE(*result.win_count >= 0, line);
        FUZZ_REQUIRE(*result.win_count <= minerx::chain::kMaxWinCount, line);
    }
    return 0;
}
