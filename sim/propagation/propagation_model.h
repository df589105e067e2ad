#pragma once

// When a block published by one host reaches every other host: computed from the platform's
// links instead of simulated message by message (SimGrid flows are too costly for 2400-host
// gossip, research/sim.md §3.5-3.6).
//
// The protocol modelled (the same as propagation_validation runs with real SimGrid comms):
// the source sends the block to all its overlay peers at once; a node that receives its first
// copy validates it for `validation_ms`, then sends it at once to every peer except the one the
// copy came from. Copies that arrive later are dropped.
//
// A node's copies are concurrent, not serialised (SimBlock serialises uploads; a libp2p node
// writes to all its mesh peers' streams at once, and SimGrid's detached puts do the same). They
// share the sender's up link as CM02 shares it (upload_sharing.h), so a hop u -> v takes
//     route latency + time for v's copy to get through u's shared up link + validation_ms,
// which for a single copy is SimBlock's rule: latency + size / min(upload, download) (the route's
// smallest bandwidth) + processing. A node's first copy comes over its shortest path, so arrival
// times are shortest-path distances (Dijkstra over the overlay, Boost.Graph), where the weights
// of u's out-edges depend on which peer u got the block from (that peer gets no copy). The model
// ignores contention on receivers' down links (docs/platform.md measures the error).
//
// Link latencies, bandwidths and on/off states and hosts' on/off states are read from SimGrid
// (Host::route_to) on first use and after invalidate(), so faults applied to the platform show
// up: a copy whose route crosses a link that is off, or whose end host is off, is not sent.

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>

#include "sim/platform/world_platform.h"
#include "sim/propagation/gossip_overlay.h"

namespace minerx::sim {

class PropagationModel {
public:
    // Rows kept by default: up to 3 GiB of float ms, enough for every row up to ~28,000 hosts
    // (22 MiB at 2,400 hosts, 2.1 GiB at 24,000). Rows are only computed for sources that publish,
    // and a row evicted from a smaller cache must be recomputed at its source's next block: at
    // 24,000 hosts a 256 MiB cache thrashes on the many small miners that win now and then.
    static constexpr std::size_t kDefaultCacheBytes = std::size_t{3} << 30;

    // REQUIRES: overlay.node_count() == platform.host_count(); block_size_bytes > 0;
    // validation_ms >= 0. The platform must outlive the model.
    PropagationModel(const WorldPlatform& platform, GossipOverlay overlay,
                     std::int64_t block_size_bytes, std::int64_t validation_ms,
                     std::size_t cache_bytes = kDefaultCacheBytes);

    // Milliseconds from the source's publish until `dest` has received and validated the block
    // (0 for dest == source); +infinity if no path of working hosts and links leads there.
    double delay_ms(std::size_t source, std::size_t dest);

    // Every host's delay from `source`, as delay_ms (float). Computed once per source and kept
    // in an LRU cache of rows bounded by cache_bytes. The span stays valid until the next call
    // to delays_from, delay_ms or invalidate.
    std::span<const float> delays_from(std::size_t source);

    // Forget the cached rows and re-read the platform at the next query. Call after changing a
    // link's latency or bandwidth or turning a host or link on or off.
    void invalidate();

    const GossipOverlay& overlay() const { return overlay_; }
    std::size_t host_count() const { return platform_.host_count(); }
    std::size_t cached_rows() const {
        std::size_t rows = cache_.size();
        for (const std::vector<float>& row : all_rows_) rows += row.empty() ? std::size_t{0} : std::size_t{1};
        return rows;
    }
    // Rows computed so far (each one Dijkstra over the overlay), for benchmarks.
    std::uint64_t rows_computed() const { return rows_computed_; }

    // The directed overlay edges with their hop data, exposed for the implementation's
    // Dijkstra visitor.
    struct Hop {
        std::size_t from = 0;
        std::size_t to = 0;
        double latency_s = 0;           // sum of the route's link latencies
        double rate_cap_bytes_per_s = 0;  // smallest bandwidth on the route, TCP-gamma bound
        bool usable = false;            // both hosts and every link of the route are on
    };

    // The overlay's edges in both directions, in compressed sparse row form (one contiguous
    // array: cache-friendly at 24,000 hosts); edge_index is the index into hops_, which are
    // sorted by (from, to) so that a host's out-hops are hops_[first_out_[u], first_out_[u + 1]).
    using DirectedGraph = boost::compressed_sparse_row_graph<boost::directedS>;

    // The weights of u's out-hops (seconds: shared-upload finish time + validation) when u got
    // the block from `sender` (nullopt: u is the source), written into `weight` by hop index.
    // Used by the Dijkstra visitor.
    void weigh_forwarding(std::size_t u, std::optional<std::size_t> sender,
                          std::vector<double>& weight);

private:
    struct CachedRow {
        std::vector<float> delays_ms;
        std::list<std::size_t>::iterator lru_position;
    };

    void read_platform();
    std::vector<float> compute_row(std::size_t source);
    // u's weights for every possible sender, computed on first use after read_platform:
    // (degree + 1) x degree values at forwarding_[forwarding_offset_[u]].
    const double* forwarding_table(std::size_t u);

    const WorldPlatform& platform_;
    GossipOverlay overlay_;
    double block_size_bytes_;
    double validation_s_;
    std::size_t max_cached_rows_;

    bool platform_read_ = false;
    std::vector<Hop> hops_;                              // directed edges, sorted by (from, to)
    std::vector<std::size_t> first_out_;                 // per host + 1: its first out-hop
    DirectedGraph graph_;                                // built from hops_ (declared after it)
    std::vector<double> upload_capacity_;                // per host, bytes/s of its up link
    std::vector<double> weight_scratch_;                 // per hop, seconds (compute_row)
    // Per host, (degree + 1) x degree weights: row 0 for "u is the source", row j + 1 for "u got
    // the block from the peer of out-hop j". One flat array; a host's block is filled on first
    // need after each platform read (forwarding_ready_).
    std::vector<double> forwarding_;
    std::vector<std::size_t> forwarding_offset_;
    std::vector<bool> forwarding_ready_;
    std::uint64_t rows_computed_ = 0;

    // When the cache can hold every row: rows by source (empty until computed), no LRU.
    std::vector<std::vector<float>> all_rows_;
    std::unordered_map<std::size_t, CachedRow> cache_;
    std::list<std::size_t> lru_;  // most recently used first
};

}  // namespace minerx::sim
