#include "core/sealing/fault_fee.h"

#include "core/math/big_int.h"
#include "core/util/assert.h"

namespace minerx::sealing {

chain::AttoFil continued_fault_fee_estimate(chain::AttoFil epoch_reward,
                                            chain::StoragePower network_qa_power,
                                            chain::StoragePower qa_power) {
    MINERX_ASSERT(epoch_reward >= 0);
    if (network_qa_power == 0) return epoch_reward;
    // The product reaches 2^27 * 2^14 * 2^60 for a petabyte at the supply cap: beyond 128 bits.
    const auto big = [](math::Uint128 value) { return math::make_int<math::BigInt>(value); };
    const math::BigInt product =
        big(static_cast<math::Uint128>(epoch_reward)) * big(qa_power) *
        big(static_cast<math::Uint128>(kContinuedFaultProjectionPeriod));
    const math::BigInt fee = math::floor_divide(product, big(network_qa_power));
    return math::to_int128(fee);
}

}  // namespace minerx::sealing
