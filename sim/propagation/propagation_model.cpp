#include "sim/propagation/propagation_model.h"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <xbt/config.hpp>

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>

#include "core/util/assert.h"
#include "sim/propagation/upload_sharing.h"

namespace minerx::sim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// SimGrid's TCP window bound on a flow's rate: TCP-gamma / (2 * route latency) (CM02).
double tcp_window_bound(double latency_s) {
    const double gamma = simgrid::config::get_value<double>("network/TCP-gamma");
    if (gamma <= 0 || latency_s <= 0) return kInfinity;
    return gamma / (2.0 * latency_s);
}

// When node u is settled (its arrival time and the peer it got the block from are final), its
// out-edges get their weights: the copies it sends, sharing its up link, plus each receiver's
// validation. Those depend only on u and on the peer it got the block from, so the model computes
// them once per (node, sender) and the visitor copies them.
class ForwardingVisitor : public boost::default_dijkstra_visitor {
public:
    ForwardingVisitor(PropagationModel* model, const std::vector<std::size_t>* predecessor,
                      std::vector<double>* weight, std::size_t source)
        : model_(model), predecessor_(predecessor), weight_(weight), source_(source) {}
    template <typename Graph>
    void examine_vertex(std::size_t u, const Graph&) const {
        const std::optional<std::size_t> sender =
            u == source_ ? std::nullopt : std::optional<std::size_t>((*predecessor_)[u]);
        model_->weigh_forwarding(u, sender, *weight_);
    }

private:
    PropagationModel* model_;
    const std::vector<std::size_t>* predecessor_;
    std::vector<double>* weight_;
    std::size_t source_;
};

// The overlay's undirected edges as directed hops sorted by (from, to), their CSR offsets, and
// the CSR graph over them (edge index i is hops[i]).
PropagationModel::DirectedGraph make_graph(const GossipOverlay& overlay,
                                          std::vector<PropagationModel::Hop>& hops,
                                          std::vector<std::size_t>& first_out) {
    const auto& undirected = overlay.graph();
    const std::size_t n = overlay.node_count();
    std::vector<std::pair<std::size_t, std::size_t>> edges;
    for (auto [it, end] = boost::edges(undirected); it != end; ++it) {
        const std::size_t a = boost::source(*it, undirected);
        const std::size_t b = boost::target(*it, undirected);
        edges.emplace_back(a, b);
        edges.emplace_back(b, a);
    }
    std::sort(edges.begin(), edges.end());
    hops.clear();
    first_out.assign(n + 1, 0);
    for (const auto& [from, to] : edges) {
        hops.push_back(PropagationModel::Hop{.from = from, .to = to});
        ++first_out[from + 1];
    }
    for (std::size_t u = 0; u < n; ++u) first_out[u + 1] += first_out[u];
    return PropagationModel::DirectedGraph(boost::edges_are_sorted, edges.begin(), edges.end(), n);
}

}  // namespace

PropagationModel::PropagationModel(const WorldPlatform& platform, GossipOverlay overlay,
                                   std::int64_t block_size_bytes, std::int64_t validation_ms,
                                   std::size_t cache_bytes)
    : platform_(platform),
      overlay_(std::move(overlay)),
      block_size_bytes_(static_cast<double>(block_size_bytes)),
      validation_s_(static_cast<double>(validation_ms) / 1000.0),
      max_cached_rows_(std::max<std::size_t>(
          1, cache_bytes / (sizeof(float) * std::max<std::size_t>(1, platform.host_count())))),
      graph_(make_graph(overlay_, hops_, first_out_)) {
    MINERX_ASSERT(overlay_.node_count() == platform_.host_count());
    MINERX_ASSERT(block_size_bytes > 0 && validation_ms >= 0);
    forwarding_offset_.resize(platform_.host_count() + 1, 0);
    for (std::size_t u = 0; u < platform_.host_count(); ++u) {
        const std::size_t degree = first_out_[u + 1] - first_out_[u];
        forwarding_offset_[u + 1] = forwarding_offset_[u] + (degree + 1) * degree;
    }
}

void PropagationModel::read_platform() {
    upload_capacity_.assign(platform_.host_count(), 0);
    for (std::size_t host = 0; host < platform_.host_count(); ++host) {
        upload_capacity_[host] = platform_.access_links(host).up->get_bandwidth();
    }
    std::vector<simgrid::s4u::Link*> links;
    for (Hop& hop : hops_) {
        const simgrid::s4u::Host* from = platform_.host(hop.from);
        const simgrid::s4u::Host* to = platform_.host(hop.to);
        links.clear();
        double latency = 0;
        from->route_to(to, links, &latency);
        double bandwidth = kInfinity;
        bool links_on = true;
        for (const simgrid::s4u::Link* link : links) {
            bandwidth = std::min(bandwidth, link->get_bandwidth());
            links_on = links_on && link->is_on();
        }
        hop.latency_s = latency;
        hop.rate_cap_bytes_per_s = std::min(bandwidth, tcp_window_bound(latency));
        hop.usable = links_on && from->is_on() && to->is_on() && latency > 0 &&
                     hop.rate_cap_bytes_per_s > 0;
    }
    forwarding_.assign(forwarding_offset_.back(), kInfinity);
    forwarding_ready_.assign(platform_.host_count(), false);
    platform_read_ = true;
}

const double* PropagationModel::forwarding_table(std::size_t u) {
    double* table = forwarding_.data() + forwarding_offset_[u];
    if (forwarding_ready_[u]) return table;
    forwarding_ready_[u] = true;
    const std::size_t first = first_out_[u];
    const std::size_t degree = first_out_[u + 1] - first;
    std::vector<UploadFlow> flows;
    std::vector<std::size_t> sent;
    // Variant 0: u is the source (sends to every peer); variant j + 1: u got the block from the
    // peer of out-hop j and sends to the others.
    for (std::size_t variant = 0; variant <= degree; ++variant) {
        flows.clear();
        sent.clear();
        for (std::size_t k = 0; k < degree; ++k) {
            const Hop& hop = hops_[first + k];
            if (!hop.usable || (variant > 0 && k == variant - 1)) continue;
            flows.push_back(UploadFlow{.start_s = hop.latency_s,
                                       .penalty = hop.latency_s,
                                       .rate_cap_bytes_per_s = hop.rate_cap_bytes_per_s});
            sent.push_back(k);
        }
        if (flows.empty()) continue;
        const std::vector<double> finish =
            shared_upload_finish_times(flows, block_size_bytes_, upload_capacity_[u]);
        for (std::size_t i = 0; i < sent.size(); ++i) {
            table[variant * degree + sent[i]] = finish[i] + validation_s_;
        }
    }
    return table;
}

void PropagationModel::weigh_forwarding(std::size_t u, std::optional<std::size_t> sender,
                                        std::vector<double>& weight) {
    const std::size_t first = first_out_[u];
    const std::size_t degree = first_out_[u + 1] - first;
    if (degree == 0) return;
    const double* table = forwarding_table(u);
    std::size_t variant = 0;
    if (sender) {
        for (std::size_t k = 0; k < degree; ++k) {
            if (hops_[first + k].to == *sender) {
                variant = k + 1;
                break;
            }
        }
    }
    std::copy(table + variant * degree, table + (variant + 1) * degree, weight.begin() +
              static_cast<std::ptrdiff_t>(first));
}

std::vector<float> PropagationModel::compute_row(std::size_t source) {
    ++rows_computed_;
    const std::size_t n = platform_.host_count();
    std::vector<double> distance(n, kInfinity);
    std::vector<std::size_t> predecessor(n);
    // Not reset between rows: Dijkstra reads an edge's weight only after weigh_forwarding has
    // written it (when the edge's source is examined).
    std::vector<double>& weight = weight_scratch_;
    weight.resize(hops_.size(), kInfinity);
    if (platform_.host(source)->is_on()) {
        boost::dijkstra_shortest_paths(
            graph_, source,
            boost::predecessor_map(boost::make_iterator_property_map(
                                       predecessor.begin(), boost::get(boost::vertex_index, graph_)))
                .distance_map(boost::make_iterator_property_map(
                    distance.begin(), boost::get(boost::vertex_index, graph_)))
                .weight_map(boost::make_iterator_property_map(
                    weight.begin(), boost::get(boost::edge_index, graph_)))
                .distance_inf(kInfinity)
                .visitor(ForwardingVisitor(this, &predecessor, &weight, source)));
    }
    std::vector<float> row(n);
    for (std::size_t dest = 0; dest < n; ++dest) {
        row[dest] = static_cast<float>(distance[dest] * 1000.0);
    }
    row[source] = 0.0f;
    return row;
}

std::span<const float> PropagationModel::delays_from(std::size_t source) {
    MINERX_ASSERT(source < platform_.host_count());
    if (max_cached_rows_ >= platform_.host_count()) {
        // Every row fits: a table indexed by source, no eviction to keep track of.
        if (all_rows_.empty()) all_rows_.resize(platform_.host_count());
        std::vector<float>& row = all_rows_[source];
        if (row.empty()) {
            if (!platform_read_) read_platform();
            row = compute_row(source);
        }
        return row;
    }
    if (const auto it = cache_.find(source); it != cache_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second.lru_position);
        return it->second.delays_ms;
    }
    if (!platform_read_) read_platform();
    while (cache_.size() >= max_cached_rows_) {
        cache_.erase(lru_.back());
        lru_.pop_back();
    }
    lru_.push_front(source);
    auto [it, inserted] = cache_.emplace(source, CachedRow{compute_row(source), lru_.begin()});
    MINERX_ASSERT(inserted);
    return it->second.delays_ms;
}

double PropagationModel::delay_ms(std::size_t source, std::size_t dest) {
    MINERX_ASSERT(dest < platform_.host_count());
    if (source == dest) return 0;
    return static_cast<double>(delays_from(source)[dest]);
}

void PropagationModel::invalidate() {
    all_rows_.clear();
    cache_.clear();
    lru_.clear();
    platform_read_ = false;
}

}  // namespace minerx::sim
