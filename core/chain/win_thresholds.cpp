#include "core/chain/win_thresholds.h"

#include <cmath>

#include "core/chain/election.h"

namespace minerx::chain {

WinThresholds::WinThresholds(StoragePower miner_power, StoragePower network_power) {
    MINERX_ASSERT(network_power > 0);
    using math::BigInt;
    const BigInt two_to_256 = math::shift_left(BigInt(1), kElectionPrecisionBits);
    PoissonIcdf<BigInt> poisson(
        election_lambda(math::make_int<BigInt>(miner_power), math::make_int<BigInt>(network_power)));
    for (std::size_t k = 0; k < bound_.size(); ++k) {
        const BigInt& icdf = k == 0 ? poisson.icdf() : poisson.next();
        if (sgn(icdf) <= 0) {
            kind_[k] = Kind::never;  // bound_ stays 0
        } else if (icdf >= two_to_256) {
            kind_[k] = Kind::always;
            bound_[k].words.fill(~std::uint64_t{0});
        } else {
            kind_[k] = Kind::compare;
            bound_[k] = math::Uint256::from_big_endian(math::to_big_endian_256(icdf));
        }
    }
}

std::int64_t WinThresholds::win_count_after_first(const math::Uint256& ticket) const {
    for (std::size_t k = 1; k < bound_.size(); ++k) {
        if (!below(ticket, k)) return static_cast<std::int64_t>(k);
    }
    return kMaxWinCount;
}

double WinThresholds::win_probability() const {
    switch (kind_[0]) {
        case Kind::never: return 0.0;
        case Kind::always: return 1.0;
        case Kind::compare: break;
    }
    double probability = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        probability += std::ldexp(static_cast<double>(bound_[0].words[i]), -64 * static_cast<int>(i + 1));
    }
    return probability;
}

}  // namespace minerx::chain
