#include "sim/propagation/propagation_model.h"

#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <simgrid/s4u/Host.hpp>
#include <simgrid/s4u/Link.hpp>
#include <xbt/config.hpp>

#include <algorithm>
#include <limits>
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

// What the Dijkstra visitor needs to weigh a node's out-edges when it is settled.
struct ForwardingContext {
    const std::vector<PropagationModel::Hop>* hops;
    const std::vector<std::vector<std::size_t>>* out_hops;
    const std::vector<double>* upload_capacity;
    const std::vector<std::size_t>* predecessor;
    std::vector<double>* weight;  // per hop, seconds
    std::size_t source;
    double block_size_bytes;
    double validation_s;
};

// When node u is settled (its arrival time and the peer it got the block from are final), weigh
// its out-edges: the copies it sends, sharing its up link, plus each receiver's validation.
void weigh_forwarding(std::size_t u, const ForwardingContext& context) {
    const auto& hops = *context.hops;
    const std::vector<std::size_t>& out = (*context.out_hops)[u];
    const bool has_sender = u != context.source;
    const std::size_t sender = (*context.predecessor)[u];
    std::vector<UploadFlow> flows;
    std::vector<std::size_t> sent;
    flows.reserve(out.size());
    sent.reserve(out.size());
    for (std::size_t h : out) {
        const PropagationModel::Hop& hop = hops[h];
        (*context.weight)[h] = kInfinity;
        if (!hop.usable || (has_sender && hop.to == sender)) continue;
        flows.push_back(UploadFlow{.start_s = hop.latency_s,
                                   .penalty = hop.latency_s,
                                   .rate_cap_bytes_per_s = hop.rate_cap_bytes_per_s});
        sent.push_back(h);
    }
    if (flows.empty()) return;
    const std::vector<double> finish = shared_upload_finish_times(
        flows, context.block_size_bytes, (*context.upload_capacity)[u]);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        (*context.weight)[sent[i]] = finish[i] + context.validation_s;
    }
}

class ForwardingVisitor : public boost::default_dijkstra_visitor {
public:
    explicit ForwardingVisitor(const ForwardingContext* context) : context_(context) {}
    template <typename Graph>
    void examine_vertex(std::size_t u, const Graph&) const {
        weigh_forwarding(u, *context_);
    }

private:
    const ForwardingContext* context_;
};

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
      graph_(platform.host_count()) {
    MINERX_ASSERT(overlay_.node_count() == platform_.host_count());
    MINERX_ASSERT(block_size_bytes > 0 && validation_ms >= 0);
    out_hops_.resize(platform_.host_count());
    const auto& undirected = overlay_.graph();
    for (auto [it, end] = boost::edges(undirected); it != end; ++it) {
        const std::size_t a = boost::source(*it, undirected);
        const std::size_t b = boost::target(*it, undirected);
        for (auto [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
            const std::size_t index = hops_.size();
            hops_.push_back(Hop{.from = from, .to = to});
            out_hops_[from].push_back(index);
            boost::add_edge(from, to, index, graph_);
        }
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
    platform_read_ = true;
}

std::vector<float> PropagationModel::compute_row(std::size_t source) {
    const std::size_t n = platform_.host_count();
    std::vector<double> distance(n, kInfinity);
    std::vector<std::size_t> predecessor(n);
    // Not reset between rows: Dijkstra reads an edge's weight only after weigh_forwarding has
    // written it (when the edge's source is examined).
    std::vector<double>& weight = weight_scratch_;
    weight.resize(hops_.size(), kInfinity);
    const ForwardingContext context{.hops = &hops_,
                                    .out_hops = &out_hops_,
                                    .upload_capacity = &upload_capacity_,
                                    .predecessor = &predecessor,
                                    .weight = &weight,
                                    .source = source,
                                    .block_size_bytes = block_size_bytes_,
                                    .validation_s = validation_s_};
    if (platform_.host(source)->is_on()) {
        boost::dijkstra_shortest_paths(
            graph_, source,
            boost::predecessor_map(predecessor.data())
                .distance_map(distance.data())
                .weight_map(boost::make_iterator_property_map(
                    weight.begin(), boost::get(boost::edge_index, graph_)))
                .distance_inf(kInfinity)
                .visitor(ForwardingVisitor(&context)));
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
    cache_.clear();
    lru_.clear();
    platform_read_ = false;
}

}  // namespace minerx::sim
