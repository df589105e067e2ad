#pragma once

// A floating-point screen in front of the exact election. WinThresholds (win_thresholds.h) is
// exact but costs ~4 µs to build, and a miner's thresholds change whenever its power or the
// network's power does: a simulator that lets power move every epoch would rebuild thousands of
// them per epoch. Yet almost every decision is a no-win that needs only the first threshold's
// top 64 bits, and those are known from 1 - e^-λ in double precision to far better than the
// margin used here.
//
// Contract: proves_no_win(t) == true implies ComputeWinCount(t) == 0, exactly (never a false
// "no win"). When it returns false the caller decides exactly (WinThresholds or the full path);
// that happens for the winning tickets and for a band of relative width ~1e-12 above the first
// threshold. The screen declines (always false) outside 0 < λ <= 5, where Lotus' e^-x
// approximation is not documented to be accurate.
//
// Why the margin is safe: the first threshold is icdf_0 = 2^256 - expneg(λ), and Lotus documents
// its rational approximation's error as below 4.6e-15 on [0, 5) (chain/types/electionproof.go);
// λ itself and expm1 are accurate to a few ulps in double. The screen's bound is
// (1 - e^-λ + 1e-12) · 2^64, over 200x the worst documented error; tests/core/chain/
// win_screen_test.cpp checks the bound against the exact threshold on a dense sweep of λ.

#include <cstdint>

#include "core/chain/chain_types.h"
#include "core/math/uint256.h"

namespace minerx::chain {

class NoWinScreen {
public:
    // REQUIRES: network_power > 0. Costs a few floating-point operations.
    NoWinScreen(StoragePower miner_power, StoragePower network_power);

    // True only if the ticket (the VRF digest as a big-endian integer) certainly wins nothing.
    bool proves_no_win(const math::Uint256& ticket) const { return ticket.words[0] > bound_; }

    // An upper bound on floor(icdf_0 / 2^192); ~0 (all ones) when the screen declines.
    std::uint64_t top_word_bound() const { return bound_; }

private:
    std::uint64_t bound_ = ~std::uint64_t{0};
};

}  // namespace minerx::chain
