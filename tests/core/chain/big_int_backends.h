#pragma once

// The big-integer backends every consensus golden test runs on: GMP (production) and Boost's
// dynamic and fixed-width cpp_int as independent implementations (core/math/big_int*.h).

#include <string>

#include <gtest/gtest.h>

#include "core/math/big_int.h"
#include "core/math/big_int_boost.h"

namespace minerx::testing {

using BigIntBackends =
    ::testing::Types<math::BigInt, math::BoostBigInt, math::BoostInt1024>;

template <class Int>
Int from_decimal(const std::string& text) {
    return math::make_int_from_decimal<Int>(text);
}

}  // namespace minerx::testing
