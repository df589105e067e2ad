#pragma once

// What the simulation's actors share: the platform, the propagation model, the chain, the pools,
// the faults currently applied, and the mailboxes. Owned by run_simulation (simulation.cpp) and
// outliving every actor. SimGrid runs actors one at a time, so plain shared state is safe.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "sim/engine/network_chain.h"
#include "sim/engine/pool_service.h"
#include "sim/network/network_plan.h"
#include "sim/platform/world_platform.h"
#include "sim/propagation/propagation_model.h"
#include "sim/results/results_writer.h"
#include "sim/scenario/scenario.h"

namespace simgrid::s4u {
class Mailbox;
}

namespace minerx::sim {

// Bytes on the wire (assumptions, docs/simulator.md): a WinningPoSt challenge (round, seed,
// sector set request) and a proof (a 192-byte SNARK with framing).
inline constexpr std::uint64_t kChallengeBytes = 256;
inline constexpr std::uint64_t kProofBytes = 1024;

struct Progress {
    std::int64_t days_done = 0;
    std::int64_t days = 0;
    double wall_seconds = 0.0;
};

struct SimContext {
    const Scenario& scenario;
    const NetworkPlan& plan;
    WorldPlatform& platform;
    PropagationModel& propagation;
    NetworkChain& chain;
    ResultsWriter& writer;
    std::vector<std::unique_ptr<PoolService>>& pools;
    std::vector<std::size_t> miner_nodes;  // platform node of each plan miner
    chain::ChainEpoch last_epoch = 0;      // rounds [1, last_epoch] are recorded
    std::vector<bool> prover_offline;      // by plan index
    std::function<void(const Progress&)> progress;
    double wall_start_seconds = 0.0;

    simgrid::s4u::Mailbox* prover_mailbox(std::size_t miner) const;
    simgrid::s4u::Mailbox* site_mailbox(std::size_t pool, int site) const;
    simgrid::s4u::Mailbox* chain_node_mailbox(std::size_t pool) const;
};

// Messages between actors (payloads of SimGrid communications; the receiver owns them).
struct ProofChallenge {
    std::size_t pool = 0;
    int site = 0;  // where to reply
    chain::ActorId member = 0;
    chain::ChainEpoch round = 0;
};
struct ProofReply {
    chain::ActorId member = 0;
    chain::ChainEpoch round = 0;
};
struct BlockDelivery {
    std::size_t pool = 0;
    chain::BlockHeader header;
};

}  // namespace minerx::sim
