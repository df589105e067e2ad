#include "sim/propagation/upload_sharing.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <numeric>

#include "core/util/assert.h"

namespace minerx::sim {
namespace {

// A flow is done when less than this fraction of the block is left (SimGrid's own precision,
// surf/precision, is 1e-5 s; this only absorbs rounding).
constexpr double kDoneFraction = 1e-12;

// Weighted max-min rates of the active flows on one link (water-filling): flows whose cap is
// below their fair share get their cap, the rest share what is left in proportion to
// 1 / penalty.
void assign_rates(std::span<const UploadFlow> flows, const std::vector<std::size_t>& active,
                  double capacity, std::vector<double>& rate) {
    std::vector<std::size_t> order = active;
    // The lambda at which a flow reaches its cap, ascending.
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return flows[a].rate_cap_bytes_per_s * flows[a].penalty <
               flows[b].rate_cap_bytes_per_s * flows[b].penalty;
    });
    double remaining_capacity = capacity;
    double weight = 0;
    for (std::size_t i : order) weight += 1.0 / flows[i].penalty;
    std::size_t next = 0;
    for (; next < order.size(); ++next) {
        const UploadFlow& flow = flows[order[next]];
        const double lambda = remaining_capacity / weight;
        if (flow.rate_cap_bytes_per_s * flow.penalty > lambda) break;
        rate[order[next]] = flow.rate_cap_bytes_per_s;
        remaining_capacity -= flow.rate_cap_bytes_per_s;
        weight -= 1.0 / flow.penalty;
    }
    if (next == order.size()) return;
    const double lambda = std::max(0.0, remaining_capacity) / weight;
    for (; next < order.size(); ++next) rate[order[next]] = lambda / flows[order[next]].penalty;
}

}  // namespace

std::vector<double> shared_upload_finish_times(std::span<const UploadFlow> flows,
                                               double size_bytes, double capacity_bytes_per_s) {
    MINERX_ASSERT(size_bytes > 0 && capacity_bytes_per_s > 0);
    const std::size_t count = flows.size();
    std::vector<double> finish(count, std::numeric_limits<double>::infinity());
    std::vector<double> remaining(count, size_bytes);
    std::vector<double> rate(count, 0);
    std::vector<std::size_t> by_start(count);
    std::iota(by_start.begin(), by_start.end(), std::size_t{0});
    std::stable_sort(by_start.begin(), by_start.end(), [&](std::size_t a, std::size_t b) {
        return flows[a].start_s < flows[b].start_s;
    });
    for (const UploadFlow& flow : flows) {
        MINERX_ASSERT(flow.penalty > 0 && flow.rate_cap_bytes_per_s > 0);
    }

    std::vector<std::size_t> active;
    std::size_t started = 0;
    double now = 0;
    std::size_t done = 0;
    while (done < count) {
        if (active.empty()) now = std::max(now, flows[by_start[started]].start_s);
        while (started < count && flows[by_start[started]].start_s <= now) {
            active.push_back(by_start[started++]);
        }
        assign_rates(flows, active, capacity_bytes_per_s, rate);
        double step = std::numeric_limits<double>::infinity();
        for (std::size_t i : active) step = std::min(step, remaining[i] / rate[i]);
        if (started < count) step = std::min(step, flows[by_start[started]].start_s - now);
        now += step;
        std::erase_if(active, [&](std::size_t i) {
            remaining[i] -= rate[i] * step;
            if (remaining[i] > kDoneFraction * size_bytes) return false;
            finish[i] = now;
            ++done;
            return true;
        });
    }
    return finish;
}

}  // namespace minerx::sim
