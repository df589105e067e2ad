#include <algorithm>
#include <memory>
#include <vector>

#include <simgrid/Exception.hpp>
#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include "sim/engine/actors.h"
#include "sim/engine/sim_time.h"

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

TimeMs clock_ms() { return to_ms(s4u::Engine::get_clock()); }

// The round trip of a chain-node API call (ChainHead + MinerGetBaseInfo) from the site: the
// route's latency both ways, plus 1 ms of processing.
TimeMs api_round_trip_ms(SimContext& context, std::size_t site_node, std::size_t chain_node) {
    std::vector<s4u::Link*> links;
    double latency = 0.0;
    context.platform.host(site_node)->route_to(context.platform.host(chain_node), links, &latency);
    return to_ms(2.0 * latency) + 1;
}

std::size_t site_node(const PoolService& pool, int site) {
    return site == 0 ? pool.sites().primary : *pool.sites().standby;
}

// The standby's watch: it checks the primary's host every poll interval and takes over once the
// primary has been seen down for the detection time.
void watch_primary(SimContext& context, PoolService& pool, int site) {
    const TimeMs detection = pool.spec().failover_detection_ms;
    const TimeMs poll = std::max<TimeMs>(1'000, detection / 4);
    std::optional<TimeMs> down_since;
    while (pool.active_site() != site) {
        s4u::this_actor::sleep_for(to_seconds(poll));
        const bool primary_up = context.platform.host(site_node(pool, pool.active_site()))->is_on();
        if (primary_up) {
            down_since.reset();
            continue;
        }
        if (!down_since) down_since = clock_ms();
        if (clock_ms() - *down_since >= detection) {
            context.writer.event(EventRow{pool::epoch_at(clock_ms()), clock_ms(), "failover",
                                          pool.spec().name,
                                          site == 1 ? "standby takes over" : "primary takes over"});
            pool.take_over(site);
        }
    }
}

void send_challenges(SimContext& context, PoolService& pool, std::size_t pool_index, int site) {
    for (const pool::RequestWinningPoSt& request : pool.take_challenges()) {
        // SimGrid 3.32 aborts on a transfer towards a host that is off (docs/platform.md); a
        // request to a member whose host is down is simply never answered.
        const std::size_t member = pool.member_index(request.member);
        if (!context.platform.host(context.miner_nodes[member])->is_on()) continue;
        auto* challenge = new ProofChallenge{pool_index, site, request.member, request.round};
        context.prover_mailbox(member)
            ->put_init(challenge, kChallengeBytes)
            ->detach();
    }
}

void publish_due(SimContext& context, PoolService& pool, std::size_t pool_index, TimeMs now) {
    const bool chain_node_up = context.platform.host(pool.sites().chain_node)->is_on();
    for (pool::PublishBlock& block : pool.take_due_publishes(now)) {
        if (!chain_node_up) continue;  // the block is lost with its chain node
        auto* delivery = new BlockDelivery{pool_index, std::move(block.header)};
        context.chain_node_mailbox(pool_index)
            ->put_init(delivery,
                       static_cast<std::uint64_t>(context.scenario.propagation.block_size_bytes))
            ->detach();
    }
}

// The block producer's event loop on the active site, until the site's host goes down (SimGrid
// then kills this actor) or the last recorded round has been produced.
void run_active(SimContext& context, PoolService& pool, std::size_t pool_index, int site) {
    s4u::Mailbox* mailbox = context.site_mailbox(pool_index, site);
    mailbox->set_receiver(s4u::Actor::self());
    s4u::this_actor::on_exit([mailbox](bool) { mailbox->set_receiver(nullptr); });
    const TimeMs api_ms = api_round_trip_ms(context, site_node(pool, site), pool.sites().chain_node);
    NetworkChain& chain = context.chain;
    pool.activate(site, clock_ms());
    auto round_start = [&](chain::ChainEpoch round) { return chain.cutoff_ms(round) + api_ms; };
    chain::ChainEpoch next_round = std::max<chain::ChainEpoch>(1, chain.open_round());
    while (round_start(next_round) < clock_ms()) ++next_round;

    ProofReply* reply = nullptr;
    s4u::CommPtr receive = mailbox->get_async<ProofReply>(&reply);
    while (true) {
        TimeMs now = clock_ms();
        TimeMs wake = round_start(next_round);
        if (std::optional<TimeMs> pool_wake = pool.next_wake()) wake = std::min(wake, *pool_wake);
        if (wake > now) {
            ssize_t done = -1;
            try {
                done = s4u::Comm::wait_any_for({receive}, to_seconds(wake - now));
            } catch (const simgrid::NetworkFailureException&) {
                // A proof lost on a failed link: the producer times the member out.
                receive = mailbox->get_async<ProofReply>(&reply);
            }
            now = clock_ms();
            if (done == 0) {
                std::unique_ptr<ProofReply> proof(reply);
                pool.proof_received(proof->member, proof->round, now);
                receive = mailbox->get_async<ProofReply>(&reply);
            }
        }
        if (now >= round_start(next_round)) {
            if (next_round > context.last_epoch) break;
            pool.start_round(next_round, now);
            ++next_round;
        }
        pool.tick(now);
        send_challenges(context, pool, pool_index, site);
        publish_due(context, pool, pool_index, now);
    }
    mailbox->set_receiver(nullptr);
}

}  // namespace

void pool_site_actor(SimContext& context, std::size_t pool_index, int site) {
    PoolService& pool = *context.pools[pool_index];
    if (pool.active_site() != site) watch_primary(context, pool, site);
    run_active(context, pool, pool_index, site);
}

}  // namespace minerx::sim
