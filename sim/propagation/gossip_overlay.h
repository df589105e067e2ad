#pragma once

// The gossip overlay blocks travel on: an undirected random graph over the hosts (node i is the
// platform's host i). Every node has at least min(degree, nodes - 1) peers and the graph is
// connected; the same (nodes, degree, seed) always gives the same graph.
//
// Peers are chosen uniformly at random, regardless of continent. libp2p gossipsub (which Lotus
// uses for blocks) builds its mesh from random peers of the topic, keeping the mesh degree D
// between D_lo and D_hi (8, 6, 12 by default): the overlay mirrors that mesh, a near-regular
// random graph of degree `degree`. A geography-aware choice would shorten paths; we do not
// assume it.

#include <boost/graph/adjacency_list.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace minerx::sim {

class GossipOverlay {
public:
    using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

    // A random overlay: nodes are taken in a random order and each links to random peers until
    // it has `target_degree` of them, preferring peers still short of it (so degrees stay
    // close to `target_degree`); then, if the graph is not connected, each other component is
    // joined to the largest one by one edge. With nodes <= target_degree + 1 the overlay is the full mesh.
    // REQUIRES: target_degree >= 1.
    GossipOverlay(std::size_t nodes, std::size_t target_degree, std::uint64_t seed);

    // An explicit overlay, e.g. for tests. Edges are (a, b) pairs, a != b, each node < nodes;
    // duplicates are merged. No degree or connectivity guarantee.
    static GossipOverlay from_edges(std::size_t nodes,
                                    const std::vector<std::pair<std::size_t, std::size_t>>& edges);

    std::size_t node_count() const { return boost::num_vertices(graph_); }
    std::size_t edge_count() const { return boost::num_edges(graph_); }
    std::size_t degree(std::size_t node) const;
    std::size_t min_degree() const;
    std::vector<std::size_t> peers(std::size_t node) const;
    bool is_connected() const;
    const Graph& graph() const { return graph_; }

private:
    GossipOverlay() = default;
    bool linked(std::size_t a, std::size_t b) const;
    void link(std::size_t a, std::size_t b);
    void join_components(std::uint64_t seed);

    Graph graph_;
};

}  // namespace minerx::sim
