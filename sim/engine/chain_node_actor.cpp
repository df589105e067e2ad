#include <memory>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "sim/engine/actors.h"
#include "sim/engine/sim_time.h"

namespace minerx::sim {

void chain_node_actor(SimContext& context, std::size_t pool) {
    namespace s4u = simgrid::s4u;
    s4u::Mailbox* mailbox = context.chain_node_mailbox(pool);
    mailbox->set_receiver(s4u::Actor::self());
    s4u::this_actor::on_exit([mailbox](bool) { mailbox->set_receiver(nullptr); });
    const std::size_t node = context.pools[pool]->sites().chain_node;
    while (true) {
        std::unique_ptr<BlockDelivery> delivery;
        try {
            delivery.reset(mailbox->get<BlockDelivery>());
        } catch (const simgrid::NetworkFailureException&) {
            continue;  // the block was lost on a failed link
        }
        context.chain.submit_block(delivery->header, to_ms(s4u::Engine::get_clock()), node, pool);
    }
}

}  // namespace minerx::sim
