#pragma once

// The throughput arithmetic of a hardware profile: how many sectors a day it can seal in steady
// state, and which resource limits it. This is the calculation behind the BRIEF's "10 TiB/day =
// 320 sectors/day ~ 40 concurrent PC1 slots", done from the profile instead of by hand.
//
// Model: each started sector needs, per resource pool, the expected slot time of its tasks in
// that pool, and memory-time (GiB x ms) for all of them:
//     work(pool) = sum over tasks t in pool of reach(t) * attempts(t) * mean_duration(t)
// where, with failure probability p and retry limit r, attempts(t) = 1 + p + ... + p^r is the
// expected number of attempts of t once reached, and reach(t) = prod over earlier tasks s of
// (1 - p_s^(r+1)) is the probability the sector gets to t. A pool of n slots then starts at most
// n * day / work(pool) sectors a day, and memory M at most M * day / memory_work. These are
// upper bounds; the smallest is the steady-state rate when that resource is kept saturated (the
// scheduler does keep it busy when enough sectors are queued) and the others have slack.
// WaitSeed (75 min) holds no resource, so it adds latency but no capacity limit.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/sealing/hardware_profile.h"

namespace minerx::sealing {

enum class ThroughputLimit : std::uint8_t {
    kAddPieceSlots,
    kPreCommit1Slots,
    kCommit1Slots,
    kGpus,
    kMemory,
};
inline constexpr std::size_t kThroughputLimitCount = 5;

std::string_view throughput_limit_name(ThroughputLimit limit);

// Expected resource use of one started sector.
struct SectorWork {
    std::array<double, kResourcePoolCount> slot_ms_by_pool{};  // indexed by pool_index
    double memory_gib_ms = 0.0;
    double success_probability = 1.0;  // the sector reaches ProveCommit
};

SectorWork expected_sector_work(const HardwareProfile& profile);

struct ThroughputEstimate {
    // Sectors started per day that each limit allows, indexed by ThroughputLimit.
    std::array<double, kThroughputLimitCount> started_per_day_by_limit{};
    ThroughputLimit bottleneck = ThroughputLimit::kPreCommit1Slots;
    double started_sectors_per_day = 0.0;  // the smallest limit
    double success_probability = 1.0;
    double proven_sectors_per_day = 0.0;  // started * success

    double proven_tib_per_day() const {
        return proven_sectors_per_day / static_cast<double>(kSectorsPerTiB);
    }
};

// REQUIRES: !profile_error(profile).
ThroughputEstimate estimate_throughput(const HardwareProfile& profile);

// Slots of `pool` needed to start `sectors_per_day` sectors a day at full utilisation:
// ceil(sectors_per_day * work(pool) / day). REQUIRES: sectors_per_day >= 0, a valid profile.
std::int64_t slots_needed(ResourcePool pool, double sectors_per_day,
                          const HardwareProfile& profile);

}  // namespace minerx::sealing
