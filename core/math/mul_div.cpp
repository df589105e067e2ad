#include "core/math/mul_div.h"

#include <bit>
#include <cstdint>

#include "core/util/assert.h"

namespace minerx::math {

namespace {

using Limb = std::uint64_t;
constexpr int kLimbBits = 64;
constexpr Uint128 kBase = Uint128{1} << kLimbBits;

Limb low(Uint128 x) { return static_cast<Limb>(x); }
Limb high(Uint128 x) { return static_cast<Limb>(x >> kLimbBits); }
Uint128 join(Limb hi, Limb lo) { return (static_cast<Uint128>(hi) << kLimbBits) | lo; }
int bit_width(Uint128 x) {
    return high(x) != 0 ? 2 * kLimbBits - std::countl_zero(high(x))
                        : kLimbBits - std::countl_zero(low(x));
}

MulDivResult divide_narrow(Uint128 product, Uint128 c) {
    const Uint128 quotient = product / c;
    return {.quotient = quotient, .remainder = product - quotient * c};
}

// a * b == high * 2^128 + low. Kept as two 128-bit values rather than an array of limbs: g++
// spilled an array to the stack and reloaded it with wider loads, which stalled store
// forwarding and doubled the cost of a division.
struct Product {
    Uint128 high = 0;
    Uint128 low = 0;
};

Product multiply(Uint128 a, Uint128 b) {
    const Uint128 p00 = static_cast<Uint128>(low(a)) * low(b);
    const Uint128 p01 = static_cast<Uint128>(low(a)) * high(b);
    const Uint128 p10 = static_cast<Uint128>(high(a)) * low(b);
    const Uint128 p11 = static_cast<Uint128>(high(a)) * high(b);
    // middle < 3 * 2^64; upper <= (2^64 - 1)^2 + 2 (2^64 - 2) + 2 == 2^128 - 1: neither wraps.
    const Uint128 middle = static_cast<Uint128>(high(p00)) + low(p01) + low(p10);
    const Uint128 upper = p11 + high(p01) + high(p10) + high(middle);
    return {.high = upper, .low = join(low(middle), low(p00))};
}

// Schoolbook division by one limb d, one 128-by-64-bit division per quotient limb.
// REQUIRES: u.high < d (the quotient fits two limbs).
MulDivResult divide_by_limb(const Product& u, Limb d) {
    Uint128 current = join(low(u.high), high(u.low));
    const Uint128 digit1 = current / d;  // < 2^64 because u.high < d
    current = join(static_cast<Limb>(current - digit1 * d), low(u.low));
    const Uint128 digit0 = current / d;
    const Uint128 remainder = current - digit0 * d;
    return {.quotient = (digit1 << kLimbBits) | digit0, .remainder = remainder};
}

// One digit of the quotient and the remainder of a three-limb by two-limb division.
struct DigitStep {
    Limb digit = 0;
    Uint128 remainder = 0;  // < v
};

// Algorithm D, steps D3-D5, in base 2^64: (u2, u1, u0) / v for a normalised v (top bit of its
// high limb set). REQUIRES: (u2, u1) < v, so the digit fits one limb.
[[gnu::always_inline]] inline DigitStep divide_three_by_two(Limb u2, Limb u1, Limb u0, Uint128 v) {
    const Uint128 dividend_low = join(u1, u0);
    if (u2 == 0 && dividend_low < v) return {.digit = 0, .remainder = dividend_low};
    const Limb v1 = high(v);
    const Limb v0 = low(v);
    // D3: estimate from the top two limbs, then lower it while estimate * v exceeds the
    // dividend. With a two-limb divisor that test (estimate * v0 > rest * 2^64 + u0, where rest
    // is the remainder of the estimate) compares estimate * v with the whole three-limb dividend,
    // so the digit comes out exact and Knuth's add-back step (D6) never occurs.
    const Uint128 top = join(u2, u1);
    Uint128 estimate = top / v1;
    Uint128 rest = top - estimate * v1;
    while (estimate >= kBase || estimate * v0 > join(low(rest), u0)) {
        --estimate;
        rest += v1;
        if (rest >= kBase) break;  // estimate * v is now below the dividend
    }
    MINERX_ASSERT(estimate < kBase);
    const Limb digit = static_cast<Limb>(estimate);
    // D4: subtract digit * v, a three-limb number (subtrahend_top, subtrahend_low). The
    // remainder is below v, so the top limbs cancel.
    const Uint128 product_low = static_cast<Uint128>(digit) * v0;
    const Uint128 product_high = static_cast<Uint128>(digit) * v1 + high(product_low);
    const Uint128 subtrahend_low = join(low(product_high), low(product_low));
    const Limb subtrahend_top = high(product_high);
    const Limb borrow = dividend_low < subtrahend_low ? 1 : 0;
    MINERX_ASSERT(static_cast<Uint128>(subtrahend_top) + borrow == u2);
    const Uint128 remainder = dividend_low - subtrahend_low;
    MINERX_ASSERT(remainder < v);
    return {.digit = digit, .remainder = remainder};
}

// Division by a two-limb divisor c (high(c) != 0). REQUIRES: u.high < c.
MulDivResult divide_by_two_limbs(const Product& u, Uint128 c) {
    // D1: normalise so that the divisor's top bit is set; the digit estimates are then at most
    // 2 too large. u.high < c keeps the shifted dividend's top 128 bits below v.
    const int shift = std::countl_zero(high(c));
    const Uint128 v = c << shift;
    Uint128 top = u.high;
    Uint128 bottom = u.low;
    if (shift != 0) {
        top = (top << shift) | (bottom >> (2 * kLimbBits - shift));
        bottom <<= shift;
    }
    // D2-D7: two quotient digits, (top, high(bottom)) / v and then (remainder, low(bottom)) / v.
    const DigitStep upper = divide_three_by_two(high(top), low(top), high(bottom), v);
    const DigitStep lower =
        divide_three_by_two(high(upper.remainder), low(upper.remainder), low(bottom), v);
    // D8: unnormalise the remainder.
    return {.quotient = join(upper.digit, lower.digit), .remainder = lower.remainder >> shift};
}

}  // namespace

MulDivResult mul_div_rem(Uint128 a, Uint128 b, Uint128 c) {
    MINERX_ASSERT(c > 0);
    // Operands of at most 128 bits together: one multiplication, one native division.
    if (bit_width(a) + bit_width(b) <= 2 * kLimbBits) return divide_narrow(a * b, c);
    const Product product = multiply(a, b);
    if (product.high == 0) return divide_narrow(product.low, c);
    // floor(a * b / c) < 2^128 exactly when the product's upper half is below c.
    MINERX_ASSERT(product.high < c);
    if (high(c) == 0) return divide_by_limb(product, low(c));
    return divide_by_two_limbs(product, c);
}

}  // namespace minerx::math
