#include "core/chain/randomness.h"

#include <array>

#include "core/chain/blake2b.h"

namespace minerx::chain {
namespace {

// Go's binary.Write(h, binary.BigEndian, int64): two's complement, most significant byte first.
std::array<std::uint8_t, 8> big_endian_int64(std::int64_t value) {
    auto bits = static_cast<std::uint64_t>(value);
    std::array<std::uint8_t, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[bytes.size() - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
    }
    return bytes;
}

}  // namespace

Digest draw_randomness(std::span<const std::uint8_t> beacon_data, DomainSeparationTag tag,
                       ChainEpoch round, std::span<const std::uint8_t> entropy) {
    return draw_randomness_from_digest(blake2b_256(beacon_data), tag, round, entropy);
}

Digest draw_randomness_from_digest(const Digest& beacon_digest, DomainSeparationTag tag,
                                   ChainEpoch round, std::span<const std::uint8_t> entropy) {
    Blake2b256 hash;
    hash.update(big_endian_int64(static_cast<std::int64_t>(tag)));
    hash.update(beacon_digest);
    hash.update(big_endian_int64(round));
    hash.update(entropy);
    return hash.finish();
}

}  // namespace minerx::chain
