#pragma once

// 128-bit integers for storage power (bytes) and money (attoFIL).
//
// Why 128 bits: total FIL supply is 2e27 attoFIL (> 2^64) and network power has passed 2^64 bytes
// (16 EiB); both stay far below 2^127. Lotus uses unbounded big.Int; every value it can hold on
// mainnet fits here, and the parsers reject the rest instead of wrapping.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace minerx::math {

__extension__ using Uint128 = unsigned __int128;
__extension__ using Int128 = __int128;

// Decimal digits only (no sign, no spaces, no leading '+'); nullopt if empty, malformed or > 2^128-1.
std::optional<Uint128> parse_uint128(std::string_view text);
// Optional leading '-', then decimal digits; nullopt if malformed or out of range.
std::optional<Int128> parse_int128(std::string_view text);

std::string to_string(Uint128 value);
std::string to_string(Int128 value);

// Number of significant bits (Go's big.Int.BitLen): 0 for 0.
int bit_length(Uint128 value);

}  // namespace minerx::math
