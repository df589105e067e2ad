#include "core/math/int128.h"

#include <algorithm>

namespace minerx::math {

std::optional<Uint128> parse_uint128(std::string_view text) {
    if (text.empty()) return std::nullopt;
    constexpr Uint128 max = ~Uint128{0};
    Uint128 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        auto digit = static_cast<Uint128>(c - '0');
        if (value > (max - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

std::optional<Int128> parse_int128(std::string_view text) {
    bool negative = !text.empty() && text.front() == '-';
    if (negative) text.remove_prefix(1);
    auto magnitude = parse_uint128(text);
    if (!magnitude) return std::nullopt;
    constexpr Uint128 int128_max = ~Uint128{0} >> 1;
    if (negative) {
        if (*magnitude > int128_max + 1) return std::nullopt;
        // -(2^127) has no positive counterpart; negate in unsigned arithmetic.
        return static_cast<Int128>(~*magnitude + 1);
    }
    if (*magnitude > int128_max) return std::nullopt;
    return static_cast<Int128>(*magnitude);
}

std::string to_string(Uint128 value) {
    if (value == 0) return "0";
    std::string digits;
    while (value != 0) {
        digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
        value /= 10;
    }
    std::reverse(digits.begin(), digits.end());
    return digits;
}

std::string to_string(Int128 value) {
    if (value >= 0) return to_string(static_cast<Uint128>(value));
    std::string text = "-";  // built in two steps: g++ 12 -O3 warns falsely on "-" + string
    text += to_string(~static_cast<Uint128>(value) + 1);
    return text;
}

int bit_length(Uint128 value) {
    auto high = static_cast<std::uint64_t>(value >> 64);
    auto low = static_cast<std::uint64_t>(value);
    if (high != 0) return 128 - __builtin_clzll(high);
    if (low != 0) return 64 - __builtin_clzll(low);
    return 0;
}

}  // namespace minerx::math
