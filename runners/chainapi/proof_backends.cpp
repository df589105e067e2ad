#include "runners/chainapi/proof_backends.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "core/chain/blake2b.h"

namespace minerx::chainapi {
namespace {

void append_le64(std::vector<std::uint8_t>& out, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

}  // namespace

std::vector<std::uint8_t> TestbedVrf::prove(chain::ActorId miner, chain::ChainEpoch round,
                                            chain::TicketPurpose purpose) const {
    const chain::Digest value = tickets_.digest(miner, round, purpose);
    return {value.begin(), value.end()};
}

bool TestbedVrf::verify(chain::ActorId miner, chain::ChainEpoch round, chain::TicketPurpose purpose,
                        std::span<const std::uint8_t> proof) const {
    const std::vector<std::uint8_t> expected = prove(miner, round, purpose);
    return std::equal(proof.begin(), proof.end(), expected.begin(), expected.end());
}

chain::Digest TestbedVrf::digest(std::span<const std::uint8_t> proof) const {
    chain::Digest out{};
    std::memcpy(out.data(), proof.data(), std::min(proof.size(), out.size()));
    return out;
}

std::vector<std::uint8_t> TestbedWinningPoSt::prove(chain::ActorId miner, chain::ChainEpoch round,
                                                    const chain::Digest& challenge_seed) const {
    constexpr std::string_view kTag = "minerx-testbed-winningpost-v1";
    std::vector<std::uint8_t> input(kTag.begin(), kTag.end());
    append_le64(input, miner);
    append_le64(input, static_cast<std::uint64_t>(round));
    input.insert(input.end(), challenge_seed.begin(), challenge_seed.end());
    const chain::Digest proof = chain::blake2b_256(input);
    return {proof.begin(), proof.end()};
}

bool TestbedWinningPoSt::verify(chain::ActorId miner, chain::ChainEpoch round,
                                const chain::Digest& challenge_seed,
                                std::span<const std::uint8_t> proof) const {
    const std::vector<std::uint8_t> expected = prove(miner, round, challenge_seed);
    return std::equal(proof.begin(), proof.end(), expected.begin(), expected.end());
}

}  // namespace minerx::chainapi
