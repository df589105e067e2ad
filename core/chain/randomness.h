#pragma once

// Beacon-based randomness (Lotus chain/rand/rand.go, DrawRandomnessFromBase and
// DrawRandomnessFromDigest; Venus pkg/chain/randomness.go is identical):
//
//   randomness = BLAKE2b-256( BE64(tag) ‖ BLAKE2b-256(beacon_data) ‖ BE64(round) ‖ entropy )
//
// tag and round are written as 8-byte big-endian two's-complement integers (round -1 is ff…ff).
// For the election, beacon_data is the drand signature of the block's last beacon entry and
// entropy is CBOR(miner ID address) (core/chain/address.h; research/election.md §3.1–3.2).

#include <cstdint>
#include <span>

#include "core/chain/chain_types.h"

namespace minerx::chain {

// go-state-types crypto/randomness.go: an int64 enumeration numbered from 1.
enum class DomainSeparationTag : std::int64_t {
    kTicketProduction = 1,
    kElectionProofProduction = 2,
    kWinningPoStChallengeSeed = 3,
    kWindowedPoStChallengeSeed = 4,
    kSealRandomness = 5,
    kInteractiveSealChallengeSeed = 6,
    kWindowedPoStDeadlineAssignment = 7,
    kMarketDealCronSeed = 8,
    kPoStChainCommit = 9,
};

Digest draw_randomness(std::span<const std::uint8_t> beacon_data, DomainSeparationTag tag,
                       ChainEpoch round, std::span<const std::uint8_t> entropy);

// The same, for a beacon already hashed with BLAKE2b-256 (a driver can hash each drand entry once
// per epoch and draw for every miner from the digest).
Digest draw_randomness_from_digest(const Digest& beacon_digest, DomainSeparationTag tag,
                                   ChainEpoch round, std::span<const std::uint8_t> entropy);

}  // namespace minerx::chain
