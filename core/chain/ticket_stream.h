#pragma once

// A seeded stand-in for the miners' VRF outputs, for simulations and testbeds.
//
// On chain, a miner's election ticket for round r is BLAKE2b-256 of its BLS VRF proof over
// randomness drawn for r (research/election.md §3): a uniform 256-bit string, unpredictable and
// independent across miners, rounds and purposes. A simulation cannot hold miners' BLS keys at
// scale, so this stream gives the same distribution from (seed, miner, round, purpose) with a
// counter-based mixer: any miner's ticket for any round is available in O(1), and no result
// depends on the order in which miners are visited. Real deployments replace it with the real VRF
// (the block producer only ever sees digests).
//
// The mixer is SplitMix64's finalizer (Steele, Lea, Flood, "Fast splittable pseudorandom number
// generators", OOPSLA 2014) applied twice per word; tests/core/chain/ticket_stream_test.cpp checks
// uniformity and independence to the precision a simulation needs.

#include <array>
#include <cstdint>

#include "core/chain/chain_types.h"
#include "core/math/uint256.h"

namespace minerx::chain {

enum class TicketPurpose : std::uint8_t {
    election,           // the election VRF (decides WinCount)
    ticket,             // the ticket VRF (orders blocks in a tipset)
    winning_post_seed,  // the WinningPoSt challenge seed
    block_id,           // a stand-in for the block's CID
};

class TicketStream {
public:
    explicit TicketStream(std::uint64_t seed) : seed_(seed) {}

    // The per-(miner, purpose) key; a hot loop precomputes it once per miner.
    std::uint64_t key(ActorId miner, TicketPurpose purpose) const {
        return mix(mix(seed_ ^ (miner * kGolden)) ^ (static_cast<std::uint64_t>(purpose) + 1));
    }

    // Word `index` (0 = most significant) of the 256-bit value for `round` under `key`:
    // word_with_salt(key, salt(round, index)). A loop over many miners in one round computes the
    // salt once.
    static std::uint64_t salt(ChainEpoch round, unsigned index) {
        return mix(static_cast<std::uint64_t>(round) * 4 + index + kGolden);
    }
    static std::uint64_t word_with_salt(std::uint64_t key, std::uint64_t salt) {
        return mix(key ^ salt);
    }
    static std::uint64_t word(std::uint64_t key, ChainEpoch round, unsigned index) {
        return word_with_salt(key, salt(round, index));
    }

    // The four salts of a round, for computing many miners' digests of that round.
    static std::array<std::uint64_t, 4> salts(ChainEpoch round) {
        return {salt(round, 0), salt(round, 1), salt(round, 2), salt(round, 3)};
    }
    static Digest digest(std::uint64_t key, const std::array<std::uint64_t, 4>& round_salts) {
        math::Uint256 out;
        for (unsigned i = 0; i < 4; ++i) out.words[i] = word_with_salt(key, round_salts[i]);
        return out.to_big_endian();
    }

    static math::Uint256 value(std::uint64_t key, ChainEpoch round) {
        math::Uint256 out;
        for (unsigned i = 0; i < 4; ++i) out.words[i] = word(key, round, i);
        return out;
    }
    math::Uint256 value(ActorId miner, ChainEpoch round, TicketPurpose purpose) const {
        return value(key(miner, purpose), round);
    }
    // The value as the big-endian digest Lotus' election reads.
    Digest digest(ActorId miner, ChainEpoch round, TicketPurpose purpose) const {
        return value(miner, round, purpose).to_big_endian();
    }

    std::uint64_t seed() const { return seed_; }

private:
    static constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

    static std::uint64_t mix(std::uint64_t z) {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::uint64_t seed_;
};

}  // namespace minerx::chain
