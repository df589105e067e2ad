#pragma once

// Arbitrary-precision signed integers for the consensus arithmetic, with Go's math/big rounding.
//
// BigInt is GMP's mpz_class: bench/big_int_bench.cpp measured it against Boost.Multiprecision
// (dynamic and fixed-width cpp_int) on the full ComputeWinCount path and it was the fastest
// (docs/benchmarks.md). The templated algorithms in core/chain accept any integer type with an
// IntOps specialisation; big_int_boost.h provides them for Boost, which the tests and benchmarks
// use as an independent second implementation.
//
// Rounding contract (Lotus and the actors use Go's big.Int):
//   floor_shift_right(x, n) == floor(x / 2^n), also for negative x (Go's Rsh; not truncation);
//   floor_divide(a, b)      == floor(a / b), REQUIRES b > 0 (Go's Div equals floor there).

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <gmpxx.h>

#include "core/math/int128.h"
#include "core/util/assert.h"

namespace minerx::math {

using BigInt = mpz_class;

// What a big-integer type must provide to run the consensus templates. Specialised for GMP below
// and for Boost in big_int_boost.h; the free functions after it are the names templates call.
template <class Int>
struct IntOps;

template <>
struct IntOps<BigInt> {
    static BigInt floor_shift_right(const BigInt& x, unsigned bits) {
        BigInt result;
        mpz_fdiv_q_2exp(result.get_mpz_t(), x.get_mpz_t(), bits);
        return result;
    }
    static BigInt shift_left(const BigInt& x, unsigned bits) {
        BigInt result;
        mpz_mul_2exp(result.get_mpz_t(), x.get_mpz_t(), bits);
        return result;
    }
    // REQUIRES: divisor > 0.
    static BigInt floor_divide(const BigInt& dividend, const BigInt& divisor);
    // REQUIRES: text is an optional '-' followed by decimal digits (constants and test data).
    static BigInt from_decimal(std::string_view text);
    static std::string to_decimal(const BigInt& value);
    static BigInt from_uint128(Uint128 value);
    // The bytes as an unsigned big-endian number (Lotus' BigFromBytes); 0 for no bytes.
    static BigInt from_big_endian(std::span<const std::uint8_t> bytes);
    // REQUIRES: 0 <= value < 2^256. Big-endian, zero-padded to 32 bytes.
    static std::array<std::uint8_t, 32> to_big_endian_256(const BigInt& value);
    static bool is_negative(const BigInt& value) { return sgn(value) < 0; }
};

template <class Int>
Int floor_shift_right(const Int& x, unsigned bits) {
    return IntOps<Int>::floor_shift_right(x, bits);
}
template <class Int>
Int shift_left(const Int& x, unsigned bits) {
    return IntOps<Int>::shift_left(x, bits);
}
template <class Int>
Int floor_divide(const Int& dividend, const Int& divisor) {
    return IntOps<Int>::floor_divide(dividend, divisor);
}
template <class Int>
std::string to_decimal(const Int& value) {
    return IntOps<Int>::to_decimal(value);
}
template <class Int>
bool is_negative(const Int& value) {
    return IntOps<Int>::is_negative(value);
}
template <class Int>
std::array<std::uint8_t, 32> to_big_endian_256(const Int& value) {
    return IntOps<Int>::to_big_endian_256(value);
}
template <class Int>
Int make_int_from_decimal(std::string_view text) {
    return IntOps<Int>::from_decimal(text);
}
template <class Int>
Int make_int(Uint128 value) {
    return IntOps<Int>::from_uint128(value);
}
template <class Int>
Int make_int_from_big_endian(std::span<const std::uint8_t> bytes) {
    return IntOps<Int>::from_big_endian(bytes);
}

// GMP values that leave the consensus arithmetic as machine integers.
// REQUIRES: 0 <= value < 2^128 (to_uint128); -2^127 <= value < 2^127 (to_int128).
Uint128 to_uint128(const BigInt& value);
Int128 to_int128(const BigInt& value);

}  // namespace minerx::math
