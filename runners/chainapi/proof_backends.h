#pragma once

// The two cryptographic schemes a block needs, behind interfaces so that a real BLS VRF (a
// member's worker key in its wallet) and real WinningPoSt (filecoin-proofs) can replace the
// testbed's stand-ins without touching the devnet or the pool:
//   - VrfBackend: a miner's VRF proof for a round and purpose (election, ticket) and the
//     BLAKE2b-256 digest the election reads;
//   - WinningPoStBackend: a member's proof over the round's challenge seed.
//
// THE TESTBED SCHEMES ARE NOT CRYPTOGRAPHY. TestbedVrf's "proof" is chain::TicketStream's seeded
// value (anyone who knows the seed can forge it); TestbedWinningPoSt's proof is a keyed digest of
// the challenge anyone can compute. They give the daemons real messages of the right shape and
// catch wiring errors (a proof for the wrong miner, round or seed is refused), nothing more.

#include <cstdint>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/ticket_stream.h"

namespace minerx::chainapi {

class VrfBackend {
public:
    virtual ~VrfBackend() = default;
    // purpose: TicketPurpose::election or TicketPurpose::ticket.
    virtual std::vector<std::uint8_t> prove(chain::ActorId miner, chain::ChainEpoch round,
                                            chain::TicketPurpose purpose) const = 0;
    virtual bool verify(chain::ActorId miner, chain::ChainEpoch round, chain::TicketPurpose purpose,
                        std::span<const std::uint8_t> proof) const = 0;
    // What the election (or the tipset order) reads from a proof: BLAKE2b-256 on chain.
    virtual chain::Digest digest(std::span<const std::uint8_t> proof) const = 0;
};

// The seeded stand-in: the proof is TicketStream's 32-byte value and its digest is the value
// itself, so the pool's elections equal chain::ElectionRoster's for the same seed (the devnet
// records every member win with the roster).
class TestbedVrf final : public VrfBackend {
public:
    explicit TestbedVrf(std::uint64_t seed) : tickets_(seed) {}
    std::vector<std::uint8_t> prove(chain::ActorId miner, chain::ChainEpoch round,
                                    chain::TicketPurpose purpose) const override;
    bool verify(chain::ActorId miner, chain::ChainEpoch round, chain::TicketPurpose purpose,
                std::span<const std::uint8_t> proof) const override;
    chain::Digest digest(std::span<const std::uint8_t> proof) const override;

private:
    chain::TicketStream tickets_;
};

class WinningPoStBackend {
public:
    virtual ~WinningPoStBackend() = default;
    virtual std::vector<std::uint8_t> prove(chain::ActorId miner, chain::ChainEpoch round,
                                            const chain::Digest& challenge_seed) const = 0;
    virtual bool verify(chain::ActorId miner, chain::ChainEpoch round, const chain::Digest& challenge_seed,
                        std::span<const std::uint8_t> proof) const = 0;
    // Lotus' RegisteredPoStProof number the proof is sent under (WinPoStProof[].PoStProof).
    virtual std::int64_t proof_type() const = 0;
};

// proof = BLAKE2b-256("minerx-testbed-winningpost-v1" || miner (8 bytes LE) || round (8 bytes LE)
// || seed). Sent as StackedDrgWinning32GiBV1 (3), the type of a 32 GiB sector's WinningPoSt.
class TestbedWinningPoSt final : public WinningPoStBackend {
public:
    std::vector<std::uint8_t> prove(chain::ActorId miner, chain::ChainEpoch round,
                                    const chain::Digest& challenge_seed) const override;
    bool verify(chain::ActorId miner, chain::ChainEpoch round, const chain::Digest& challenge_seed,
                std::span<const std::uint8_t> proof) const override;
    std::int64_t proof_type() const override { return 3; }
};

}  // namespace minerx::chainapi
