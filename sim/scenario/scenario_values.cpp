#include "sim/scenario/scenario_values.h"

#include <array>
#include <cctype>

#include "core/math/int128.h"

namespace minerx::sim {
namespace {

using math::Uint128;

// A decimal number as an exact fraction: digits / 10^fraction_digits.
struct Decimal {
    Uint128 digits = 0;
    unsigned fraction_digits = 0;
};

// Bounds that keep every product below exact: 10^30 * (10^18 or 86,400,000) < 2^127.
constexpr Uint128 kDigitsLimit = static_cast<Uint128>(1'000'000'000'000'000) *
                                 static_cast<Uint128>(1'000'000'000'000'000);  // 10^30
constexpr unsigned kMaxFractionDigits = 18;

Uint128 power_of_ten(unsigned exponent) {
    Uint128 result = 1;
    for (unsigned i = 0; i < exponent; ++i) result *= 10;
    return result;
}

std::string lowercase(std::string_view text) {
    std::string out;
    for (char c : text)
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

// Reads "digits[.digits]" from the front of `text`, leaving the rest (spaces trimmed) in `unit`.
std::optional<Decimal> read_decimal(std::string_view text, std::string& unit) {
    Decimal decimal;
    std::size_t i = 0;
    std::size_t digit_count = 0;
    bool in_fraction = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.' && !in_fraction) {
            in_fraction = true;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        if (in_fraction && ++decimal.fraction_digits > kMaxFractionDigits) return std::nullopt;
        decimal.digits = decimal.digits * 10 + static_cast<Uint128>(c - '0');
        if (decimal.digits > kDigitsLimit) return std::nullopt;
        ++digit_count;
    }
    if (digit_count == 0) return std::nullopt;
    while (i < text.size() && text[i] == ' ') ++i;
    unit = lowercase(text.substr(i));
    return decimal;
}

struct DurationUnitName {
    std::string_view name;
    std::int64_t milliseconds;
};
constexpr std::array<DurationUnitName, 5> kDurationUnits = {{
    {"ms", 1},
    {"s", 1'000},
    {"min", 60'000},
    {"h", 3'600'000},
    {"d", 86'400'000},
}};
constexpr std::int64_t kEpochMs = 30'000;
constexpr Uint128 kDurationLimit = Uint128{1} << 62;

}  // namespace

ValueParse<chain::AttoFil> parse_attofil(std::string_view text) {
    const std::string_view expected =
        "an amount such as \"100FIL\", \"0.5FIL\" or an integer of attoFIL, at most 2e9 FIL";
    std::string unit;
    const std::optional<Decimal> decimal = read_decimal(text, unit);
    if (!decimal) return {std::nullopt, std::string(expected)};
    Uint128 atto = 0;
    if (unit == "fil") {
        // digits / 10^k FIL = digits * 10^(18-k) attoFIL, exact since k <= 18.
        atto = decimal->digits * power_of_ten(kMaxFractionDigits - decimal->fraction_digits);
    } else if (unit.empty() || unit == "attofil") {
        if (decimal->fraction_digits != 0) {
            return {std::nullopt, "a whole number of attoFIL (or a unit: \"0.5FIL\")"};
        }
        atto = decimal->digits;
    } else {
        return {std::nullopt, std::string(expected)};
    }
    if (atto > static_cast<Uint128>(chain::kTotalFilSupply)) {
        return {std::nullopt, std::string(expected)};
    }
    return {static_cast<chain::AttoFil>(atto), ""};
}

ValueParse<std::int64_t> parse_duration(std::string_view text, DurationUnit unit) {
    const std::string plain = unit == DurationUnit::epochs ? "epochs" : "milliseconds";
    const std::string expected =
        "a duration such as \"6s\", \"30min\", \"2h\", \"3d\" or an integer of " + plain;
    std::string unit_name;
    const std::optional<Decimal> decimal = read_decimal(text, unit_name);
    if (!decimal) return {std::nullopt, expected};
    const Uint128 scale = power_of_ten(decimal->fraction_digits);
    if (unit_name.empty()) {
        if (decimal->fraction_digits != 0) return {std::nullopt, "a whole number of " + plain};
        if (decimal->digits > kDurationLimit) return {std::nullopt, expected};
        return {static_cast<std::int64_t>(decimal->digits), ""};
    }
    for (const DurationUnitName& candidate : kDurationUnits) {
        if (candidate.name != unit_name) continue;
        const Uint128 numerator = decimal->digits * static_cast<Uint128>(candidate.milliseconds);
        const Uint128 target_ms = unit == DurationUnit::epochs ? kEpochMs : 1;
        const Uint128 denominator = scale * target_ms;
        if (numerator % denominator != 0) {
            return {std::nullopt, unit == DurationUnit::epochs
                                      ? "a whole number of 30-second epochs"
                                      : "a whole number of milliseconds"};
        }
        const Uint128 result = numerator / denominator;
        if (result > kDurationLimit) return {std::nullopt, expected};
        return {static_cast<std::int64_t>(result), ""};
    }
    return {std::nullopt, expected};
}

}  // namespace minerx::sim
