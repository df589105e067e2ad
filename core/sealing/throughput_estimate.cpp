#include "core/sealing/throughput_estimate.h"

#include <cmath>
#include <limits>

#include "core/util/assert.h"

namespace minerx::sealing {
namespace {

// 1 + p + ... + p^retry_limit.
double expected_attempts(double failure_probability, std::int64_t retry_limit) {
    double attempts = 0.0;
    double power = 1.0;
    for (std::int64_t k = 0; k <= retry_limit; ++k) {
        attempts += power;
        power *= failure_probability;
    }
    return attempts;
}

double started_per_day(double capacity, double work_per_sector) {
    if (work_per_sector <= 0.0) return std::numeric_limits<double>::infinity();
    return capacity * static_cast<double>(kMsPerDay) / work_per_sector;
}

}  // namespace

std::string_view throughput_limit_name(ThroughputLimit limit) {
    switch (limit) {
        case ThroughputLimit::kAddPieceSlots: return "addpiece_slots";
        case ThroughputLimit::kPreCommit1Slots: return "pc1_slots";
        case ThroughputLimit::kCommit1Slots: return "c1_slots";
        case ThroughputLimit::kGpus: return "gpus";
        case ThroughputLimit::kMemory: return "memory";
    }
    util::assertion_failed("unknown ThroughputLimit", __FILE__, __LINE__);
}

SectorWork expected_sector_work(const HardwareProfile& profile) {
    MINERX_ASSERT(!profile_error(profile));
    SectorWork work;
    double reach = 1.0;
    for (SealingTask task : kAllSealingTasks) {
        const TaskProfile& spec = profile.task(task);
        const double attempts = expected_attempts(spec.failure_probability, profile.retry_limit);
        const double busy_ms = reach * attempts * spec.mean_duration_ms();
        work.slot_ms_by_pool[pool_index(resource_pool_of(task))] += busy_ms;
        work.memory_gib_ms += busy_ms * static_cast<double>(spec.memory_gib);
        const double exhausted =
            std::pow(spec.failure_probability, static_cast<double>(profile.retry_limit + 1));
        reach *= 1.0 - exhausted;
    }
    work.success_probability = reach;
    return work;
}

ThroughputEstimate estimate_throughput(const HardwareProfile& profile) {
    const SectorWork work = expected_sector_work(profile);
    ThroughputEstimate estimate;
    constexpr std::array<ResourcePool, kResourcePoolCount> kPools = {
        ResourcePool::kAddPieceSlots, ResourcePool::kPreCommit1Slots,
        ResourcePool::kCommit1Slots, ResourcePool::kGpus};
    // The first four limits are the pools, in the same order.
    for (std::size_t i = 0; i < kPools.size(); ++i) {
        const auto capacity = static_cast<double>(profile.slots(kPools[i]));
        estimate.started_per_day_by_limit[i] =
            started_per_day(capacity, work.slot_ms_by_pool[pool_index(kPools[i])]);
    }
    estimate.started_per_day_by_limit[static_cast<std::size_t>(ThroughputLimit::kMemory)] =
        started_per_day(static_cast<double>(profile.memory_gib), work.memory_gib_ms);

    std::size_t smallest = 0;
    for (std::size_t i = 1; i < kThroughputLimitCount; ++i) {
        if (estimate.started_per_day_by_limit[i] < estimate.started_per_day_by_limit[smallest]) {
            smallest = i;
        }
    }
    estimate.bottleneck = static_cast<ThroughputLimit>(smallest);
    estimate.started_sectors_per_day = estimate.started_per_day_by_limit[smallest];
    estimate.success_probability = work.success_probability;
    estimate.proven_sectors_per_day = estimate.started_sectors_per_day * work.success_probability;
    return estimate;
}

std::int64_t slots_needed(ResourcePool pool, double sectors_per_day,
                          const HardwareProfile& profile) {
    MINERX_ASSERT(sectors_per_day >= 0.0);
    const SectorWork work = expected_sector_work(profile);
    const double busy_ms_per_day = sectors_per_day * work.slot_ms_by_pool[pool_index(pool)];
    return static_cast<std::int64_t>(std::ceil(busy_ms_per_day / static_cast<double>(kMsPerDay)));
}

}  // namespace minerx::sealing
