#pragma once

// The election's fast path. ComputeWinCount's icdf sequence depends only on λ, i.e. on (miner
// power, network power), never on the ticket; so for a fixed power pair the 15 thresholds can be
// computed once and a ticket decided by comparing against them. In the common no-win case that is
// one comparison of the ticket's top 64 bits.
//
// Contract: win_count(d) == compute_win_count_for_digest(d, miner, network) for every digest d,
// including tickets equal to a threshold (tests/core/chain/win_thresholds_test.cpp checks millions).
// The thresholds are kept exactly: an icdf that is negative can never be beaten (lhs >= 0) and one
// at or above 2^256 always is (lhs < 2^256); both are recorded as such rather than clamped into
// range, so even out-of-range inputs (miner power above network power) decide like Lotus.

#include <array>
#include <cstdint>

#include "core/chain/chain_types.h"
#include "core/math/uint256.h"

namespace minerx::chain {

class WinThresholds {
public:
    // REQUIRES: network_power > 0.
    WinThresholds(StoragePower miner_power, StoragePower network_power);

    // WinCount for a ticket: the VRF digest read as a big-endian integer.
    std::int64_t win_count(const math::Uint256& ticket) const {
        if (!below(ticket, 0)) [[likely]] return 0;
        return win_count_after_first(ticket);
    }
    std::int64_t win_count(const Digest& vrf_digest) const {
        return win_count(math::Uint256::from_big_endian(vrf_digest));
    }

    // The probability that a uniformly random ticket wins at least once: icdf_0 / 2^256.
    double win_probability() const;

    // Threshold k (0 <= k < 15) as Lotus computes it, clamped to [0, 2^256 - 1] for display.
    const math::Uint256& threshold(std::size_t k) const { return bound_[k]; }

private:
    enum class Kind : std::uint8_t { compare, never, always };

    bool below(const math::Uint256& ticket, std::size_t k) const {
        if (kind_[k] == Kind::compare) [[likely]] return ticket < bound_[k];
        return kind_[k] == Kind::always;
    }
    std::int64_t win_count_after_first(const math::Uint256& ticket) const;

    std::array<math::Uint256, kMaxWinCount> bound_{};
    std::array<Kind, kMaxWinCount> kind_{};
};

}  // namespace minerx::chain
