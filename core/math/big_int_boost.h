#pragma once

// Boost.Multiprecision backends for the templated consensus arithmetic: IntOps specialisations
// with Go's rounding written out explicitly (Boost's own >> on negative values has changed across
// releases, so it is not relied on).
//
// Production code uses GMP (big_int.h). These types exist so the tests can check the algorithms
// on an independent big-integer library and bench/big_int_bench.cpp can compare speeds.

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <boost/multiprecision/cpp_int.hpp>

#include "core/math/big_int.h"

namespace minerx::math {

// Heap-allocating, unbounded.
using BoostBigInt = boost::multiprecision::cpp_int;
// Fixed 1024-bit magnitude, no allocation. The widest intermediate of ComputeWinCount and of the
// reward functions is under 2^600 (research/election.md §1.3), so it never overflows there.
using BoostInt1024 = boost::multiprecision::number<boost::multiprecision::cpp_int_backend<
    1024, 1024, boost::multiprecision::signed_magnitude, boost::multiprecision::unchecked, void>>;

template <class Int>
struct BoostIntOps {
    static Int floor_shift_right(const Int& x, unsigned bits) {
        if (x >= 0) return x >> bits;
        // floor(-m / 2^n) = -ceil(m / 2^n) = -((m - 1) >> n) - 1 for m > 0.
        Int magnitude = -x;
        return -((magnitude - 1) >> bits) - 1;
    }
    static Int shift_left(const Int& x, unsigned bits) { return x << bits; }
    static Int floor_divide(const Int& dividend, const Int& divisor) {
        MINERX_ASSERT(divisor > 0);
        Int quotient = dividend / divisor;  // truncates toward zero
        if (dividend < 0 && quotient * divisor != dividend) quotient -= 1;
        return quotient;
    }
    static Int from_decimal(std::string_view text) { return Int(std::string(text)); }
    static std::string to_decimal(const Int& value) { return value.str(); }
    static Int from_uint128(Uint128 value) {
        Int result = static_cast<std::uint64_t>(value >> 64);
        result <<= 64;
        result += static_cast<std::uint64_t>(value);
        return result;
    }
    static Int from_big_endian(std::span<const std::uint8_t> bytes) {
        Int result = 0;
        for (std::uint8_t byte : bytes) {
            result <<= 8;
            result += byte;
        }
        return result;
    }
    static std::array<std::uint8_t, 32> to_big_endian_256(const Int& value) {
        MINERX_ASSERT(value >= 0);
        MINERX_ASSERT(value == 0 || boost::multiprecision::msb(value) < 256);
        std::array<std::uint8_t, 32> out{};
        Int rest = value;
        for (std::size_t i = 32; i-- > 0;) {
            out[i] = static_cast<std::uint8_t>(static_cast<unsigned>(rest & 0xff));
            rest >>= 8;
        }
        return out;
    }
    static bool is_negative(const Int& value) { return value < 0; }
};

template <>
struct IntOps<BoostBigInt> : BoostIntOps<BoostBigInt> {};
template <>
struct IntOps<BoostInt1024> : BoostIntOps<BoostInt1024> {};

}  // namespace minerx::math
