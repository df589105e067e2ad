#pragma once

// Exact floor(a * b / c) for unsigned 128-bit operands, without a big-integer library.
//
// The product a * b can need 256 bits (the pool splits attoFIL amounts up to 2^91 by weights up
// to 2^128: power in bytes, or power x epochs). It is formed exactly as four 64-bit limbs and
// divided by c with Knuth's Algorithm D (TAOCP vol. 2, 4.3.1) in base 2^64, so the cost is a
// handful of 64-bit multiplications and at most four 128-by-64-bit divisions, with no
// allocation. When the product fits 128 bits the native division is used.
//
// tests/core/math/mul_div_test.cpp checks both results against GMP on 100,000 random triples
// and on the edge cases (products of all ones, divisors at the 64-bit boundary, quotients and
// remainders at their maxima).

#include "core/math/int128.h"

namespace minerx::math {

struct MulDivResult {
    Uint128 quotient = 0;   // floor(a * b / c)
    Uint128 remainder = 0;  // a * b - quotient * c, < c

    bool operator==(const MulDivResult&) const = default;
};

// REQUIRES: c > 0; the quotient fits 128 bits (true whenever a <= c or b <= c).
MulDivResult mul_div_rem(Uint128 a, Uint128 b, Uint128 c);

// floor(a * b / c). REQUIRES: as mul_div_rem.
inline Uint128 mul_div(Uint128 a, Uint128 b, Uint128 c) { return mul_div_rem(a, b, c).quotient; }

}  // namespace minerx::math
