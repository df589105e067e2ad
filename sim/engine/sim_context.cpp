#include "sim/engine/sim_context.h"

#include <simgrid/s4u/Mailbox.hpp>

namespace minerx::sim {

simgrid::s4u::Mailbox* SimContext::prover_mailbox(std::size_t miner) const {
    return simgrid::s4u::Mailbox::by_name("prover:" + plan.miners[miner].host_name);
}

simgrid::s4u::Mailbox* SimContext::site_mailbox(std::size_t pool, int site) const {
    return simgrid::s4u::Mailbox::by_name("site:" + scenario.pools[pool].name + ":" +
                                          std::to_string(site));
}

simgrid::s4u::Mailbox* SimContext::chain_node_mailbox(std::size_t pool) const {
    return simgrid::s4u::Mailbox::by_name("chain-node:" + scenario.pools[pool].name);
}

}  // namespace minerx::sim
