#pragma once

// The scalar notations of scenario files, parsed from text: money ("100FIL", "0.5 FIL", or an
// integer of attoFIL) and durations ("6s", "30min", "2h", "3d", "1500ms", or a plain integer in
// the key's own unit). Power uses core/chain/power_units.h ("10TiB", "5.4EiB", bytes).
//
// Every conversion is exact integer arithmetic on the decimal text: "0.1FIL" is exactly
// 10^17 attoFIL, never a binary fraction. A value that cannot be represented exactly in the
// target unit ("45s" as epochs, "0.5ms") is refused rather than rounded, so a scenario means what
// it says. Errors are phrases that complete "expected ...", naming what would be accepted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/chain/token_amount.h"

namespace minerx::sim {

template <typename T>
struct ValueParse {
    std::optional<T> value;  // set on success
    std::string error;       // on failure: what was expected (without the offending text)
};

// "<decimal> FIL" (case-insensitive unit, optional space, at most 18 decimals) or plain decimal
// digits meaning attoFIL. Non-negative; at most the total FIL supply (2e9 FIL).
ValueParse<chain::AttoFil> parse_attofil(std::string_view text);

// The unit a plain integer stands for, and the unit of the result.
enum class DurationUnit : std::uint8_t {
    milliseconds,
    epochs,  // 30 s each; a duration with a unit must be a whole number of epochs
};

// "<decimal><unit>" with unit ms, s, min, h or d (optional space between), or plain decimal
// digits in `unit`. Non-negative; results above 2^62 are refused.
ValueParse<std::int64_t> parse_duration(std::string_view text, DurationUnit unit);

}  // namespace minerx::sim
