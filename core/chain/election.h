#pragma once

// Expected Consensus leader election: Lotus' ComputeWinCount, bit for bit
// (chain/types/electionproof.go; research/election.md §1).
//
//   lhs = BLAKE2b-256(VRFProof) as an unsigned big-endian integer (a Q.256 fraction in [0, 1))
//   λ   = floor(((minerPower * 5) << 256) / networkPower)                      (Q.256)
//   WinCount = the number of Poisson steps j < 15 taken while lhs < icdf_j, where icdf_0 = 1 - e^-λ
//              and each step subtracts the next Poisson pmf, computed as floor(pmf / k) then
//              (pmf * λ) >> 256 in that order.
//
// The templates take any integer type satisfying core/math/big_int.h; the non-template functions
// use the production backend (GMP). For the simulator's hot path, see win_thresholds.h.

#include <cstdint>
#include <span>

#include "core/chain/chain_types.h"
#include "core/math/big_int.h"
#include "core/math/expneg.h"

namespace minerx::chain {

inline constexpr unsigned kElectionPrecisionBits = 256;

// The Q.256 e^(-x) of the election, built once per integer type (immutable after construction).
template <class Int>
const math::ExpNeg<Int>& election_expneg() {
    static const math::ExpNeg<Int> expneg(kElectionPrecisionBits);
    return expneg;
}

// λ = 5·p/P in Q.256. REQUIRES: network_power > 0 (Lotus panics on a zero divisor).
template <class Int>
Int election_lambda(const Int& miner_power, const Int& network_power) {
    MINERX_ASSERT(!math::is_negative(miner_power));
    return math::floor_divide(
        math::shift_left(Int(miner_power * kExpectedLeadersPerEpoch), kElectionPrecisionBits),
        network_power);
}

// Lotus' poiss iterator: the inverse CDF of Poisson(λ) after k steps, in Q.256.
template <class Int>
class PoissonIcdf {
public:
    explicit PoissonIcdf(const Int& lambda)
        : lambda_(lambda), pmf_(election_expneg<Int>()(lambda)),
          icdf_(math::shift_left(make_one(), kElectionPrecisionBits) - pmf_) {}

    const Int& icdf() const { return icdf_; }
    std::int64_t steps() const { return k_; }

    // One Poisson step: divide by k first, then multiply by λ and shift (the order is part of
    // the rounding and of bit-exactness).
    const Int& next() {
        ++k_;
        pmf_ = math::floor_divide(pmf_, math::make_int<Int>(static_cast<math::Uint128>(k_)));
        pmf_ = math::floor_shift_right(Int(pmf_ * lambda_), kElectionPrecisionBits);
        icdf_ -= pmf_;
        return icdf_;
    }

private:
    static Int make_one() { return math::make_int<Int>(1); }

    Int lambda_;
    Int pmf_;
    Int icdf_;
    std::int64_t k_ = 0;
};

// WinCount for a ticket value lhs (the VRF digest read as an integer) at a given λ.
template <class Int>
std::int64_t win_count_for_lambda(const Int& lhs, const Int& lambda) {
    PoissonIcdf<Int> poisson(lambda);
    std::int64_t wins = 0;
    const Int* icdf = &poisson.icdf();
    while (lhs < *icdf && wins < kMaxWinCount) {
        icdf = &poisson.next();
        ++wins;
    }
    return wins;
}

template <class Int>
std::int64_t win_count_for_digest(const Digest& digest, StoragePower miner_power,
                                  StoragePower network_power) {
    MINERX_ASSERT(network_power > 0);
    Int lhs = math::make_int_from_big_endian<Int>(digest);
    Int lambda = election_lambda(math::make_int<Int>(miner_power), math::make_int<Int>(network_power));
    return win_count_for_lambda(lhs, lambda);
}

// ComputeWinCount(vrfProof, minerPower, networkPower) with the production backend.
// REQUIRES: network_power > 0.
std::int64_t compute_win_count(std::span<const std::uint8_t> vrf_proof, StoragePower miner_power,
                               StoragePower network_power);

// The same, for an already hashed proof (the simulator draws digests directly).
std::int64_t compute_win_count_for_digest(const Digest& vrf_digest, StoragePower miner_power,
                                          StoragePower network_power);

}  // namespace minerx::chain
