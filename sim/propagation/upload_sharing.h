#pragma once

// How a node's concurrent uploads of one block share its up link, as SimGrid's CM02 model shares
// a link between flows (research/sim.md §3.2; simgrid/simgrid src/surf/network_cm02.cpp,
// NetworkCm02Model::communicate):
//   - a flow first pays its route's latency without using any bandwidth;
//   - then it gets a weighted max-min share of each link on its route: rate_i = min(cap_i,
//     lambda / penalty_i), with penalty_i = the route's latency (CM02 sets network/weight-S to
//     0, so the TCP RTT-unfairness weight is the latency alone) and cap_i = the smallest
//     bandwidth on the route, also bounded by network/TCP-gamma / (2 * latency);
//   - lambda is the largest value for which the flows on the link fit in its capacity.
// Only the sender's up link is modelled as shared: the WAN links are FATPIPE (never shared) and
// contention on a receiver's down link (several peers sending it copies at once) is ignored;
// docs/platform.md measures what that costs.

#include <span>
#include <vector>

namespace minerx::sim {

struct UploadFlow {
    double start_s = 0;            // when the flow starts using bandwidth (its route latency)
    double penalty = 1;            // CM02 sharing penalty (> 0): the route's latency
    double rate_cap_bytes_per_s = 0;  // > 0
};

// When each flow of `size_bytes` bytes completes (same time origin as start_s), the flows
// sharing one link of `capacity_bytes_per_s`. REQUIRES: size_bytes > 0, capacity > 0, every
// penalty and cap > 0.
std::vector<double> shared_upload_finish_times(std::span<const UploadFlow> flows,
                                               double size_bytes, double capacity_bytes_per_s);

}  // namespace minerx::sim
