#pragma once

// The member's side of block production: a prover that connects out to the pool over a WebSocket
// (the member needs no public address), says which miners it proves for (Pool.ProverHello),
// answers each WinningPoSt challenge the pool pushes (Pool.WinningPoStChallenge) with
// Pool.SubmitWinningPoSt, and reconnects with exponential backoff when the connection is lost.
// The proof comes from a WinningPoStBackend: the testbed's stand-in here, filecoin-proofs over
// the member's sealed sectors in a real deployment.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "runners/chainapi/proof_backends.h"

namespace minerx::prover {

struct ProverOptions {
    std::string pool_url;  // ws://host:port[/rpc/v0]
    std::string token;     // the member's token (write)
    std::vector<chain::ActorId> miners;
    std::chrono::milliseconds min_backoff{100};
    std::chrono::milliseconds max_backoff{5'000};
    std::chrono::milliseconds call_timeout{5'000};
    // Testbeds: wait this long before answering (a slow prover).
    std::chrono::milliseconds answer_delay{0};
};

struct ProverStats {
    std::uint64_t connections = 0;
    std::uint64_t challenges = 0;
    std::uint64_t proofs_accepted = 0;
    std::uint64_t proofs_refused = 0;
};

using ProverLog = std::function<void(const std::string& line)>;

class ProverClient {
public:
    ProverClient(ProverOptions options, const chainapi::WinningPoStBackend& backend, ProverLog log);

    // Runs until `stop` turns true (checked at least every 200 ms). Returns false if the pool
    // refused the token or a miner (no point retrying), true on stop.
    bool run(const std::atomic<bool>& stop);
    const ProverStats& stats() const { return stats_; }

private:
    ProverOptions options_;
    const chainapi::WinningPoStBackend& backend_;
    ProverLog log_;
    ProverStats stats_;
};

}  // namespace minerx::prover
