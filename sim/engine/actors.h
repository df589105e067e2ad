#pragma once

// The simulation's actors. Each drives core state machines (through NetworkChain and
// PoolService) at the simulated instants the protocol sets, and carries their actions out as
// SimGrid communications; none decides anything of its own.
//
//   chain_actor       at each round's cutoff: NetworkChain::run_round (the network's elections,
//                     blocks, fates, rewards); reports progress once per simulated day.
//   pool_site_actor   on a pool site (primary or standby): the block producer's event loop —
//                     rounds, proof requests out, proofs in, blocks published to the chain node;
//                     the standby watches the primary and takes over after detection.
//   chain_node_actor  on a pool's chain node: receives the pool's blocks and submits them.
//   prover_actor      on a member's host: answers WinningPoSt challenges after the proof time.
//   fault_actor       applies one scenario fault at its start and reverts it at its end.

#include <cstddef>

#include "sim/engine/sim_context.h"

namespace minerx::sim {

void chain_actor(SimContext& context);
void pool_site_actor(SimContext& context, std::size_t pool, int site);
void chain_node_actor(SimContext& context, std::size_t pool);
void prover_actor(SimContext& context, std::size_t miner);
void fault_actor(SimContext& context, const FaultSpec& fault);

}  // namespace minerx::sim
