#pragma once

// Money. Every amount in minerx is an integer number of attoFIL (1 FIL = 10^18 attoFIL), as in
// Lotus' abi.TokenAmount; never a floating-point number. 128 bits hold the whole 2e9 FIL supply
// (2e27 attoFIL) with room for any sum a ledger forms.

#include "core/math/int128.h"

namespace minerx::chain {

using AttoFil = math::Int128;

inline constexpr AttoFil kAttoFilPerFil = 1'000'000'000'000'000'000;
// Total FIL supply cap (specs: token allocation), an upper bound for sanity checks.
inline constexpr AttoFil kTotalFilSupply = AttoFil{2'000'000'000} * kAttoFilPerFil;

}  // namespace minerx::chain
