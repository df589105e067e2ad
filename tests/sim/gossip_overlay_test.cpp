// The gossip overlay: every node has its degree, the graph is connected, and a seed fixes it.

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "sim/propagation/gossip_overlay.h"

namespace minerx::sim {
namespace {

std::set<std::pair<std::size_t, std::size_t>> edge_set(const GossipOverlay& overlay) {
    std::set<std::pair<std::size_t, std::size_t>> edges;
    for (std::size_t node = 0; node < overlay.node_count(); ++node) {
        for (std::size_t peer : overlay.peers(node)) edges.emplace(std::min(node, peer), std::max(node, peer));
    }
    return edges;
}

TEST(GossipOverlay, EveryNodeHasAtLeastTheDegreeAndFewExtra) {
    const GossipOverlay overlay(2400, 8, 42);
    EXPECT_EQ(overlay.node_count(), 2400u);
    EXPECT_GE(overlay.min_degree(), 8u);
    // Preferring peers still short of 8 keeps the graph near-regular: the mean degree is 2E/N.
    const double mean_degree = 2.0 * static_cast<double>(overlay.edge_count()) / 2400.0;
    EXPECT_LT(mean_degree, 8.5);
    for (std::size_t node = 0; node < overlay.node_count(); ++node) {
        const auto peers = overlay.peers(node);
        EXPECT_EQ(std::set<std::size_t>(peers.begin(), peers.end()).size(), peers.size());
        for (std::size_t peer : peers) EXPECT_NE(peer, node);
    }
}

TEST(GossipOverlay, IsConnected) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        // Degree 1 leaves a near-perfect matching (~150 components): the repair must join them.
        EXPECT_TRUE(GossipOverlay(300, 1, seed).is_connected()) << "seed " << seed;
    }
    EXPECT_TRUE(GossipOverlay(2400, 8, 7).is_connected());
}

TEST(GossipOverlay, SameSeedSameGraphOtherSeedOtherGraph) {
    const GossipOverlay a(500, 8, 1);
    const GossipOverlay b(500, 8, 1);
    const GossipOverlay c(500, 8, 2);
    EXPECT_EQ(edge_set(a), edge_set(b));
    EXPECT_NE(edge_set(a), edge_set(c));
}

TEST(GossipOverlay, FewNodesMakeAFullMesh) {
    const GossipOverlay overlay(5, 8, 3);
    EXPECT_EQ(overlay.edge_count(), 10u);
    EXPECT_EQ(overlay.min_degree(), 4u);
}

TEST(GossipOverlay, ConnectivityCheckSeesTwoComponents) {
    const auto split = GossipOverlay::from_edges(4, {{0, 1}, {2, 3}, {1, 0}});
    EXPECT_EQ(split.edge_count(), 2u);
    EXPECT_FALSE(split.is_connected());
    EXPECT_TRUE(GossipOverlay::from_edges(4, {{0, 1}, {1, 2}, {2, 3}}).is_connected());
}

}  // namespace
}  // namespace minerx::sim
