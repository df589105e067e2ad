#include "core/chain/power_units.h"

#include <array>
#include <cctype>

namespace minerx::chain {
namespace {

struct Unit {
    std::string_view name;
    unsigned shift;
};
constexpr std::array<Unit, 7> kUnits = {{{"b", 0},
                                         {"kib", 10},
                                         {"mib", 20},
                                         {"gib", 30},
                                         {"tib", 40},
                                         {"pib", 50},
                                         {"eib", 60}}};
// Inclusive. 2^127 is a whole number of every unit, so formatting (which may round up to the next
// thousandth of a unit) never produces a value above it that would not parse back.
constexpr StoragePower kPowerLimit = StoragePower{1} << 127;
constexpr std::size_t kFractionDigitsMax = 18;

std::string lowercase(std::string_view text) {
    std::string out;
    for (char c : text) out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

PowerParseResult failure(std::string_view text, std::string_view why) {
    return {std::nullopt, "invalid power \"" + std::string(text) + "\": " + std::string(why)};
}

}  // namespace

PowerParseResult parse_storage_power(std::string_view text) {
    std::size_t i = 0;
    StoragePower whole = 0;
    StoragePower fraction = 0;
    StoragePower fraction_scale = 1;
    std::size_t digits = 0;
    for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i, ++digits) {
        const auto digit = static_cast<StoragePower>(text[i] - '0');
        // Checked before the multiplication, which could otherwise wrap around 2^128.
        if (whole > (kPowerLimit - digit) / 10) return failure(text, "too large");
        whole = whole * 10 + digit;
    }
    if (i < text.size() && text[i] == '.') {
        ++i;
        std::size_t fraction_digits = 0;
        for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            if (++fraction_digits > kFractionDigitsMax) return failure(text, "too many decimals");
            fraction = fraction * 10 + static_cast<StoragePower>(text[i] - '0');
            fraction_scale *= 10;
        }
        digits += fraction_digits;
    }
    if (digits == 0) return failure(text, "expected a number of bytes, e.g. 10995116277760 or 10TiB");
    while (i < text.size() && text[i] == ' ') ++i;
    std::string unit_name = lowercase(text.substr(i));
    unsigned shift = 0;
    if (!unit_name.empty()) {
        bool known = false;
        for (const Unit& unit : kUnits) {
            if (unit.name == unit_name) {
                shift = unit.shift;
                known = true;
            }
        }
        if (!known) return failure(text, "unknown unit (use B, KiB, MiB, GiB, TiB, PiB or EiB)");
    }
    if (whole > (kPowerLimit >> shift)) return failure(text, "too large");
    StoragePower bytes = whole << shift;
    // fraction / scale * 2^shift, rounded down; fraction < scale <= 10^18 < 2^60, so no overflow.
    bytes += (fraction << shift) / fraction_scale;
    if (bytes > kPowerLimit) return failure(text, "too large");
    return {bytes, ""};
}

std::string format_storage_power(StoragePower power) {
    const Unit* best = &kUnits[0];
    for (const Unit& unit : kUnits) {
        if ((power >> unit.shift) != 0) best = &unit;
    }
    std::string name = best->shift == 0 ? "B" : std::string(best->name);
    if (best->shift != 0) {
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        name[2] = 'B';
    }
    if (best->shift == 0) return math::to_string(power) + " B";
    // Three decimals, rounded to nearest, in integer arithmetic (so "5.4 EiB" reads back as such).
    StoragePower whole = power >> best->shift;
    StoragePower rest = power - (whole << best->shift);
    StoragePower half_unit = StoragePower{1} << (best->shift - 1);
    StoragePower thousandths = (rest * 1000 + half_unit) >> best->shift;
    if (thousandths == 1000) {
        whole += 1;
        thousandths = 0;
    }
    std::string out = math::to_string(whole);
    if (thousandths != 0) {
        std::string decimals = math::to_string(thousandths);
        decimals.insert(0, 3 - decimals.size(), '0');
        while (decimals.back() == '0') decimals.pop_back();
        out += "." + decimals;
    }
    return out + " " + name;
}

}  // namespace minerx::chain
