#include "sim/propagation/propagation_validation.h"

#include <simgrid/s4u/Actor.hpp>
#include <simgrid/s4u/Comm.hpp>
#include <simgrid/s4u/Engine.hpp>
#include <simgrid/s4u/Mailbox.hpp>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "core/util/assert.h"
#include "core/util/random.h"
#include "sim/platform/world_platform.h"
#include "sim/propagation/gossip_overlay.h"
#include "sim/propagation/propagation_model.h"

namespace minerx::sim {
namespace {

namespace s4u = simgrid::s4u;

constexpr std::size_t kNoSender = static_cast<std::size_t>(-1);

// One copy of a block on the wire.
struct Copy {
    std::size_t block = 0;
    std::size_t from = 0;
};

// What the gossip actors share (they all run in one thread, one at a time).
struct GossipState {
    std::vector<std::vector<std::size_t>> peers;
    // One mailbox per directed overlay edge, inbox[host][k] for the copies from peers[host][k]
    // and outbox[host][k] for the copies to it. A mailbox hands out its comms in the order they
    // were posted, so one shared mailbox per host would deliver a slow early copy before a fast
    // later one; per-edge mailboxes and wait_any deliver each copy when it has arrived.
    std::vector<std::vector<s4u::Mailbox*>> inbox;
    std::vector<std::vector<s4u::Mailbox*>> outbox;
    std::vector<double> publish_time_s;
    std::vector<std::vector<bool>> seen;             // [block][host]
    std::vector<std::vector<double>> arrival_s;      // [block][host], after validation
    std::uint64_t block_size_bytes = 0;
    double validation_s = 0;
};

void send_to_peers(GossipState& state, std::size_t host, std::size_t block, std::size_t except) {
    for (std::size_t k = 0; k < state.peers[host].size(); ++k) {
        if (state.peers[host][k] == except) continue;
        auto* copy = new Copy{block, host};
        state.outbox[host][k]
            ->put_init(copy, state.block_size_bytes)
            ->detach([](void* data) { delete static_cast<Copy*>(data); });
    }
}

void gossip_node(GossipState* state, std::size_t host) {
    const std::vector<s4u::Mailbox*>& inbox = state->inbox[host];
    std::vector<s4u::CommPtr> receiving(inbox.size());
    std::vector<Copy*> received(inbox.size(), nullptr);
    for (std::size_t k = 0; k < inbox.size(); ++k) {
        inbox[k]->set_receiver(s4u::Actor::self());
        receiving[k] = inbox[k]->get_async<Copy>(&received[k]);
    }
    while (true) {
        const auto k = static_cast<std::size_t>(s4u::Comm::wait_any(receiving));
        const std::unique_ptr<Copy> copy(received[k]);
        receiving[k] = inbox[k]->get_async<Copy>(&received[k]);
        if (state->seen[copy->block][host]) continue;
        state->seen[copy->block][host] = true;
        s4u::this_actor::sleep_for(state->validation_s);
        state->arrival_s[copy->block][host] =
            s4u::Engine::get_clock() - state->publish_time_s[copy->block];
        send_to_peers(*state, host, copy->block, copy->from);
    }
}

void publish(GossipState* state, std::size_t host, std::size_t block, double at_s) {
    s4u::this_actor::sleep_until(at_s);
    state->publish_time_s[block] = s4u::Engine::get_clock();
    state->seen[block][host] = true;
    state->arrival_s[block][host] = 0;
    send_to_peers(*state, host, block, kNoSender);
}

double percentile(std::vector<double> values, double fraction) {
    MINERX_ASSERT(!values.empty());
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(fraction * static_cast<double>(values.size())));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

// `signed_ms` is model - simulated per host.
PropagationErrorSummary summarise(const std::vector<double>& signed_ms,
                                  const std::vector<double>& rel) {
    PropagationErrorSummary summary;
    summary.samples = signed_ms.size();
    if (signed_ms.empty()) return summary;
    std::vector<double> abs_ms;
    for (double error : signed_ms) {
        abs_ms.push_back(std::abs(error));
        summary.max_model_late_ms = std::max(summary.max_model_late_ms, error);
        summary.max_model_early_ms = std::max(summary.max_model_early_ms, -error);
    }
    summary.median_abs_ms = percentile(abs_ms, 0.5);
    summary.p95_abs_ms = percentile(abs_ms, 0.95);
    summary.max_abs_ms = percentile(abs_ms, 1.0);
    summary.median_rel = percentile(rel, 0.5);
    summary.p95_rel = percentile(rel, 0.95);
    summary.max_rel = percentile(rel, 1.0);
    return summary;
}

}  // namespace

PropagationValidationReport run_propagation_validation(const PropagationValidationConfig& config) {
    MINERX_ASSERT(config.hosts >= 2 && config.degree >= 1 && config.blocks >= 1);
    MINERX_ASSERT(config.block_size_bytes > 0 && config.validation_ms >= 0);
    MINERX_ASSERT(config.block_spacing_s > 0);

    std::string program = "minerx-validate-propagation";
    std::string quiet = "--log=root.thresh:warning";
    char* argv[] = {program.data(), quiet.data(), nullptr};
    int argc = 2;
    s4u::Engine engine(&argc, argv);
    configure_engine(engine);

    std::vector<HostSpec> specs;
    for (std::size_t i = 0; i < config.hosts; ++i) {
        specs.push_back(HostSpec{.name = "v" + std::to_string(i),
                                 .continent = kContinents[i % kContinentCount]});
    }
    const WorldPlatform platform(engine, specs, RegionTable::measured_2019());
    util::Random random(config.seed);
    GossipOverlay overlay(config.hosts, config.degree, random.next_u64());

    GossipState state;
    const auto edge_mailbox = [](std::size_t from, std::size_t to) {
        return s4u::Mailbox::by_name("copies-" + std::to_string(from) + "-" + std::to_string(to));
    };
    for (std::size_t host = 0; host < config.hosts; ++host) {
        state.peers.push_back(overlay.peers(host));
        state.inbox.emplace_back();
        state.outbox.emplace_back();
        for (std::size_t peer : state.peers.back()) {
            state.inbox.back().push_back(edge_mailbox(peer, host));
            state.outbox.back().push_back(edge_mailbox(host, peer));
        }
    }
    state.publish_time_s.assign(config.blocks, 0);
    state.seen.assign(config.blocks, std::vector<bool>(config.hosts, false));
    state.arrival_s.assign(config.blocks, std::vector<double>(config.hosts, -1));
    state.block_size_bytes = static_cast<std::uint64_t>(config.block_size_bytes);
    state.validation_s = static_cast<double>(config.validation_ms) / 1000.0;

    for (std::size_t host = 0; host < config.hosts; ++host) {
        s4u::Actor::create("node-" + std::to_string(host), platform.host(host), gossip_node,
                           &state, host)
            ->daemonize();
    }
    std::vector<std::size_t> sources;
    for (std::size_t block = 0; block < config.blocks; ++block) {
        const std::size_t source = random.below(config.hosts);
        sources.push_back(source);
        const double at_s = static_cast<double>(block) * config.block_spacing_s;
        s4u::Actor::create("publish-" + std::to_string(block), platform.host(source), publish,
                           &state, source, block, at_s);
    }
    // Keeps the simulation alive until the last block has spread (the gossip actors are daemons).
    const double end_s = static_cast<double>(config.blocks) * config.block_spacing_s;
    s4u::Actor::create("keeper", platform.host(0), [end_s] { s4u::this_actor::sleep_until(end_s); });
    engine.run();

    PropagationModel model(platform, overlay, config.block_size_bytes, config.validation_ms);
    PropagationValidationReport report;
    report.config = config;
    report.overlay_edges = overlay.edge_count();
    std::vector<double> all_signed;
    std::vector<double> all_rel;
    for (std::size_t block = 0; block < config.blocks; ++block) {
        const std::size_t source = sources[block];
        const std::span<const float> modelled = model.delays_from(source);
        BlockPropagationComparison comparison;
        comparison.source = source;
        comparison.source_continent = platform.continent(source);
        std::vector<double> signed_ms;
        std::vector<double> rel;
        for (std::size_t host = 0; host < config.hosts; ++host) {
            if (host == source) continue;
            MINERX_ASSERT(state.seen[block][host]);
            const double simulated_ms = state.arrival_s[block][host] * 1000.0;
            const double model_ms = static_cast<double>(modelled[host]);
            comparison.simulated_last_arrival_ms =
                std::max(comparison.simulated_last_arrival_ms, simulated_ms);
            comparison.model_last_arrival_ms = std::max(comparison.model_last_arrival_ms, model_ms);
            signed_ms.push_back(model_ms - simulated_ms);
            rel.push_back(std::abs(signed_ms.back()) / simulated_ms);
        }
        comparison.error = summarise(signed_ms, rel);
        all_signed.insert(all_signed.end(), signed_ms.begin(), signed_ms.end());
        all_rel.insert(all_rel.end(), rel.begin(), rel.end());
        report.blocks.push_back(comparison);
    }
    report.overall = summarise(all_signed, all_rel);
    return report;
}

}  // namespace minerx::sim
