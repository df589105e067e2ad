#include "sim/propagation/gossip_overlay.h"

#include <boost/graph/connected_components.hpp>

#include <algorithm>
#include <numeric>

#include "core/util/assert.h"
#include "core/util/random.h"

namespace minerx::sim {
namespace {

// How many random draws a node makes looking for a peer that still needs peers before it
// settles for any peer it is not linked to yet.
constexpr int kUnderfullAttempts = 32;

std::vector<std::size_t> shuffled(std::size_t count, util::Random& random) {
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = count; i > 1; --i) {
        std::swap(order[i - 1], order[random.below(i)]);
    }
    return order;
}

}  // namespace

GossipOverlay::GossipOverlay(std::size_t nodes, std::size_t target_degree, std::uint64_t seed)
    : graph_(nodes) {
    MINERX_ASSERT(target_degree >= 1);
    util::Random random(seed);
    if (nodes <= target_degree + 1) {
        for (std::size_t a = 0; a < nodes; ++a) {
            for (std::size_t b = a + 1; b < nodes; ++b) link(a, b);
        }
        return;
    }
    for (std::size_t node : shuffled(nodes, random)) {
        while (degree(node) < target_degree) {
            std::size_t peer = nodes;
            for (int attempt = 0; attempt < kUnderfullAttempts && peer == nodes; ++attempt) {
                const std::size_t candidate = random.below(nodes);
                if (candidate != node && !linked(node, candidate) &&
                    degree(candidate) < target_degree) {
                    peer = candidate;
                }
            }
            while (peer == nodes) {
                const std::size_t candidate = random.below(nodes);
                if (candidate != node && !linked(node, candidate)) peer = candidate;
            }
            link(node, peer);
        }
    }
    join_components(random.next_u64());
}

GossipOverlay GossipOverlay::from_edges(
    std::size_t nodes, const std::vector<std::pair<std::size_t, std::size_t>>& edges) {
    GossipOverlay overlay;
    overlay.graph_ = Graph(nodes);
    for (const auto& [a, b] : edges) {
        MINERX_ASSERT(a < nodes && b < nodes && a != b);
        if (!overlay.linked(a, b)) overlay.link(a, b);
    }
    return overlay;
}

std::size_t GossipOverlay::degree(std::size_t node) const {
    MINERX_ASSERT(node < node_count());
    return boost::out_degree(node, graph_);
}

std::size_t GossipOverlay::min_degree() const {
    std::size_t smallest = node_count() == 0 ? 0 : degree(0);
    for (std::size_t node = 1; node < node_count(); ++node) {
        smallest = std::min(smallest, degree(node));
    }
    return smallest;
}

std::vector<std::size_t> GossipOverlay::peers(std::size_t node) const {
    MINERX_ASSERT(node < node_count());
    std::vector<std::size_t> result;
    for (auto [it, end] = boost::adjacent_vertices(node, graph_); it != end; ++it) {
        result.push_back(*it);
    }
    return result;
}

bool GossipOverlay::is_connected() const {
    if (node_count() == 0) return true;
    std::vector<std::size_t> component(node_count());
    return boost::connected_components(graph_, component.data()) == 1;
}

bool GossipOverlay::linked(std::size_t a, std::size_t b) const {
    return boost::edge(a, b, graph_).second;
}

void GossipOverlay::link(std::size_t a, std::size_t b) { boost::add_edge(a, b, graph_); }

void GossipOverlay::join_components(std::uint64_t seed) {
    std::vector<std::size_t> component(node_count());
    const std::size_t components = boost::connected_components(graph_, component.data());
    if (components <= 1) return;
    // Members of each component, in node order; join every component to the largest.
    std::vector<std::vector<std::size_t>> members(components);
    for (std::size_t node = 0; node < node_count(); ++node) members[component[node]].push_back(node);
    const auto largest = static_cast<std::size_t>(
        std::max_element(members.begin(), members.end(),
                         [](const auto& x, const auto& y) { return x.size() < y.size(); }) -
        members.begin());
    util::Random random(seed);
    for (std::size_t c = 0; c < components; ++c) {
        if (c == largest) continue;
        const std::size_t from = members[c][random.below(members[c].size())];
        const std::size_t to = members[largest][random.below(members[largest].size())];
        link(from, to);
    }
}

}  // namespace minerx::sim
