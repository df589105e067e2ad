#include <memory>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "sim/engine/actors.h"
#include "sim/engine/sim_time.h"

namespace minerx::sim {

// The member's WinningPoSt time for a round: uniform in the pool's [min, max] ms, drawn from the
// run's ticket stream so that it does not depend on the order events happen in.
static TimeMs proof_time_ms(const SimContext& context, std::size_t miner, chain::ChainEpoch round) {
    const MemberSpec& spec = context.scenario.pools[*context.plan.miners[miner].pool].members;
    const chain::TicketStream& tickets = context.chain.tickets();
    const std::uint64_t key =
        tickets.key(context.plan.miners[miner].actor_id, chain::TicketPurpose::winning_post_seed);
    const auto span = static_cast<std::uint64_t>(spec.winning_post_max_ms - spec.winning_post_min_ms);
    const std::uint64_t draw = chain::TicketStream::word(key, round, 1) % (span + 1);
    return spec.winning_post_min_ms + static_cast<TimeMs>(draw);
}

void prover_actor(SimContext& context, std::size_t miner) {
    namespace s4u = simgrid::s4u;
    s4u::Mailbox* mailbox = context.prover_mailbox(miner);
    mailbox->set_receiver(s4u::Actor::self());
    // A host going down kills this actor; a restarted one sets itself again.
    s4u::this_actor::on_exit([mailbox](bool) { mailbox->set_receiver(nullptr); });
    while (true) {
        std::unique_ptr<ProofChallenge> challenge;
        try {
            challenge.reset(mailbox->get<ProofChallenge>());
        } catch (const simgrid::NetworkFailureException&) {
            continue;  // the request was lost on a failed link; the producer times it out
        }
        // An offline prover drops the request; the producer times the member out.
        if (context.prover_offline[miner]) continue;
        s4u::this_actor::sleep_for(to_seconds(proof_time_ms(context, miner, challenge->round)));
        const PoolSites& sites = context.pools[challenge->pool]->sites();
        const std::size_t site = challenge->site == 0 ? sites.primary : *sites.standby;
        if (!context.platform.host(site)->is_on()) continue;  // the asking site is gone
        context.site_mailbox(challenge->pool, challenge->site)
            ->put_init(new ProofReply{challenge->member, challenge->round}, kProofBytes)
            ->detach();
    }
}

}  // namespace minerx::sim
