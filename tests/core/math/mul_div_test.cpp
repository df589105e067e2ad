// mul_div_rem against GMP: every limb-boundary edge case, and 100,000 random triples whose
// operands are built from random and extreme 64-bit limbs, so that every path (native 128-bit,
// one-limb divisor, two-limb divisor with and without normalisation shift, zero quotient digits,
// the D3 correction loop) runs many times.

#include "core/math/mul_div.h"

#include <cstdint>
#include <optional>
#include <vector>

#include <gtest/gtest.h>

#include "core/math/big_int.h"
#include "core/util/random.h"

namespace minerx::math {
namespace {

constexpr Uint128 kMax = ~Uint128{0};
constexpr Uint128 kTwo64 = Uint128{1} << 64;

BigInt big(Uint128 value) { return make_int<BigInt>(value); }

// The exact floor(a * b / c) and remainder, or nullopt when the quotient does not fit 128 bits.
std::optional<MulDivResult> reference(Uint128 a, Uint128 b, Uint128 c) {
    const BigInt product = big(a) * big(b);
    BigInt quotient;
    BigInt remainder;
    mpz_fdiv_qr(quotient.get_mpz_t(), remainder.get_mpz_t(), product.get_mpz_t(),
                big(c).get_mpz_t());
    if (cmp(quotient, big(kMax)) > 0) return std::nullopt;
    return MulDivResult{.quotient = to_uint128(quotient), .remainder = to_uint128(remainder)};
}

// Checks one triple; returns false (without calling mul_div_rem) if the quotient overflows.
bool check(Uint128 a, Uint128 b, Uint128 c) {
    const std::optional<MulDivResult> expected = reference(a, b, c);
    if (!expected) return false;
    const MulDivResult got = mul_div_rem(a, b, c);
    EXPECT_EQ(got.quotient, expected->quotient)
        << to_string(a) << " * " << to_string(b) << " / " << to_string(c);
    EXPECT_EQ(got.remainder, expected->remainder)
        << to_string(a) << " * " << to_string(b) << " % " << to_string(c);
    EXPECT_EQ(mul_div(a, b, c), expected->quotient);
    return true;
}

std::vector<Uint128> edge_values() {
    std::vector<Uint128> values = {0, 1, 2, 3, 180, 1'000'000};
    for (int bits : {32, 63, 64, 65, 90, 91, 100, 126, 127}) {
        const Uint128 power = Uint128{1} << bits;
        values.insert(values.end(), {power - 1, power, power + 1});
    }
    values.insert(values.end(), {kMax, kMax - 1, kMax / 3, kTwo64 * (kTwo64 - 1),
                                 (kTwo64 - 1) * kTwo64 + 1, kMax >> 1});
    return values;
}

TEST(MulDiv, HandComputedValues) {
    EXPECT_EQ(mul_div_rem(10, 10, 7), (MulDivResult{.quotient = 14, .remainder = 2}));
    EXPECT_EQ(mul_div(0, kMax, 5), 0u);
    // (2^128 - 1)^2 / (2^128 - 1) = 2^128 - 1 exactly: the largest product and quotient.
    EXPECT_EQ(mul_div_rem(kMax, kMax, kMax), (MulDivResult{.quotient = kMax, .remainder = 0}));
    // 2^127 * 2^64 / 2^64 = 2^127 (one-limb divisor, quotient with a zero low limb).
    EXPECT_EQ(mul_div(Uint128{1} << 127, kTwo64, kTwo64), Uint128{1} << 127);
    // (2^128 - 1) * (2^128 - 2) / (2^128 - 1) = 2^128 - 2, remainder 0.
    EXPECT_EQ(mul_div_rem(kMax, kMax - 1, kMax),
              (MulDivResult{.quotient = kMax - 1, .remainder = 0}));
    // (2^128 - 2)^2 = (2^128 - 1)(2^128 - 3) + 1.
    EXPECT_EQ(mul_div_rem(kMax - 1, kMax - 1, kMax),
              (MulDivResult{.quotient = kMax - 2, .remainder = 1}));
    // 2^128 = (2^64 + 1)(2^64 - 1) + 1: a one-limb-plus-one divisor.
    EXPECT_EQ(mul_div_rem(kTwo64, kTwo64, kTwo64 + 1),
              (MulDivResult{.quotient = kTwo64 - 1, .remainder = 1}));
}

TEST(MulDiv, EdgeValuesMatchGmp) {
    const std::vector<Uint128> values = edge_values();
    int checked = 0;
    for (Uint128 a : values) {
        for (Uint128 b : values) {
            for (Uint128 c : values) {
                if (c == 0) continue;
                if (check(a, b, c)) ++checked;
                if (::testing::Test::HasFailure()) return;
            }
        }
    }
    EXPECT_GT(checked, 10'000);
}

// A limb that is random, or one of the values where carries and estimates go wrong.
std::uint64_t random_limb(util::Random& random) {
    switch (random.below(8)) {
        case 0: return 0;
        case 1: return ~std::uint64_t{0};
        case 2: return std::uint64_t{1} << 63;
        case 3: return (std::uint64_t{1} << 63) - 1;
        case 4: return 1 + random.below(3);
        default: return random.next_u64();
    }
}

// A value of random bit length whose limbs are random_limb()s.
Uint128 random_operand(util::Random& random) {
    const Uint128 value = (static_cast<Uint128>(random_limb(random)) << 64) | random_limb(random);
    const auto bits = static_cast<int>(random.below(129));
    return bits == 128 ? value : value & ((Uint128{1} << bits) - 1);
}

TEST(MulDiv, RandomTriplesMatchGmp) {
    util::Random random(20261126);
    int checked = 0;
    int wide_products = 0;
    int two_limb_divisors = 0;
    while (checked < 100'000 && !::testing::Test::HasFailure()) {
        const Uint128 a = random_operand(random);
        const Uint128 b = random_operand(random);
        Uint128 c = random_operand(random);
        if (c == 0) c = 1;
        if (!check(a, b, c)) continue;
        ++checked;
        if (cmp(BigInt(big(a) * big(b)), big(kMax)) > 0) {
            ++wide_products;
            if (c >= kTwo64) ++two_limb_divisors;
        }
    }
    EXPECT_EQ(checked, 100'000);
    // The 256-bit paths are exercised, not just the native one.
    EXPECT_GT(wide_products, 10'000);
    EXPECT_GT(two_limb_divisors, 5'000);
}

TEST(MulDiv, RejectsZeroDivisorAndOverflowingQuotient) {
    EXPECT_DEATH(mul_div(1, 1, 0), "c > 0");
    EXPECT_DEATH(mul_div(kMax, kMax, kMax - 2), "< c");
    EXPECT_DEATH(mul_div(kTwo64, kTwo64, 1), "< c");
}

}  // namespace
}  // namespace minerx::math
