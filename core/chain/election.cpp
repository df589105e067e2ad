#include "core/chain/election.h"

#include "core/chain/blake2b.h"

namespace minerx::chain {

std::int64_t compute_win_count(std::span<const std::uint8_t> vrf_proof, StoragePower miner_power,
                               StoragePower network_power) {
    return compute_win_count_for_digest(blake2b_256(vrf_proof), miner_power, network_power);
}

std::int64_t compute_win_count_for_digest(const Digest& vrf_digest, StoragePower miner_power,
                                          StoragePower network_power) {
    return win_count_for_digest<math::BigInt>(vrf_digest, miner_power, network_power);
}

}  // namespace minerx::chain
