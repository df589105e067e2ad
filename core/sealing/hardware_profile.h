#pragma once

// A member's sealing and proving hardware, as the numbers the sealing model needs: how many tasks
// of each kind can run at once, how much memory they share, how long each task takes and how
// often it fails, and how long the WinningPoSt and WindowPoSt provers take.
//
// Sources for the defaults (docs/sealing.md has the full table):
//   - durations of a 32 GiB sector's tasks on an AMD EPYC 7642 + RTX 3080: damocles
//     docs/en/12.damocles-worker-config-guide.md (research/venus.md §6);
//   - memory per task: Lotus storage/sealer/storiface/resources.go, MaxMemory for 32 GiB (the
//     peak a task holds, RAM plus swap);
//   - retry defaults: damocles docs/en/03.damocles-worker-config.md ([sealing] max_retries = 5,
//     recover_interval = 30 s);
//   - the single-box preset: venus-docs docs/operation/example-single-box.md (5 PC1 at 220 min).
//
// A profile is plain data; profile_error() validates one built from a scenario file before any
// state machine accepts it (they assert validity).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sealing/sealing_types.h"

namespace minerx::sealing {

// The pools of interchangeable execution slots a task occupies while it runs. PC2 and C2 share
// one GPU pool (damocles ext_locks; a Venus single box has one GPU for both); C1 runs on the CPU
// in about a second and gets its own small pool so that it is bounded like everything else.
enum class ResourcePool : std::uint8_t {
    kAddPieceSlots,
    kPreCommit1Slots,
    kCommit1Slots,
    kGpus,
};
inline constexpr std::size_t kResourcePoolCount = 4;

inline constexpr std::size_t pool_index(ResourcePool pool) {
    return static_cast<std::size_t>(pool);
}

ResourcePool resource_pool_of(SealingTask task);
std::string_view resource_pool_name(ResourcePool pool);

struct TaskProfile {
    // Each attempt's duration is uniform over the whole milliseconds in [min, max].
    TimeMs duration_min_ms = 0;
    TimeMs duration_max_ms = 0;
    // Held from the start to the end of an attempt.
    std::int64_t memory_gib = 0;
    // Probability that an attempt fails; the failure is known when the attempt ends (a failed
    // attempt costs its full duration, the conservative reading of a late crash).
    double failure_probability = 0.0;

    double mean_duration_ms() const {
        return 0.5 * (static_cast<double>(duration_min_ms) + static_cast<double>(duration_max_ms));
    }
};

struct HardwareProfile {
    std::string name;

    // Slots per pool (see ResourcePool) and the memory all running tasks share.
    std::int64_t addpiece_slots = 0;
    std::int64_t pc1_slots = 0;
    std::int64_t c1_slots = 0;
    std::int64_t gpus = 0;
    std::int64_t memory_gib = 0;

    // Indexed by task_index(SealingTask).
    std::array<TaskProfile, kSealingTaskCount> tasks{};

    // A failed task is retried after retry_delay_ms, at most retry_limit times; the failure after
    // the last retry fails the sector (it leaves the pipeline and frees its place).
    std::int64_t retry_limit = 0;
    TimeMs retry_delay_ms = 0;

    // WinningPoSt: time from the block producer's challenge to the proof, uniform in [min, max];
    // the attempt fails (no proof) with the given probability.
    TimeMs winning_post_min_ms = 0;
    TimeMs winning_post_max_ms = 0;
    double winning_post_failure_probability = 0.0;

    // WindowPoSt: time to prove one partition (2349 sectors), uniform in [min, max]; partitions
    // of a deadline are proven one after another; each partition's proof fails with the given
    // probability.
    TimeMs window_post_min_ms_per_partition = 0;
    TimeMs window_post_max_ms_per_partition = 0;
    double window_post_failure_probability = 0.0;

    const TaskProfile& task(SealingTask which) const { return tasks[task_index(which)]; }
    TaskProfile& task(SealingTask which) { return tasks[task_index(which)]; }
    std::int64_t slots(ResourcePool pool) const;
};

// Why the profile cannot be used (naming the field), or nullopt if it can. Checks: a non-empty
// name; at least one slot in every pool and memory for the largest task (otherwise some task
// could never start); 0 <= min <= max <= 100 years (util::kMaxConfiguredMs) for every duration,
// with max > 0 for PC1 and C2; memory >= 0 per task; probabilities in [0, 1];
// 0 <= retry_limit <= 100; 0 <= retry_delay_ms <= 100 years.
std::optional<std::string> profile_error(const HardwareProfile& profile);

// The commodity sealing farm of the BRIEF: 40 PC1 slots, 8 GPUs shared by PC2 and C2, 4 TiB RAM,
// damocles' measured durations (PC1 165-189 min around the measured 177). About 325 sectors
// (10.2 TiB) a day, PC1-bound.
HardwareProfile commodity_10tib_per_day_profile();
// The Venus single-box reference: 5 PC1 slots at 210-230 min (220 measured), one GPU, 512 GiB.
// About 32.7 sectors (1.02 TiB) a day, PC1-bound.
HardwareProfile small_1tib_per_day_profile();

// The preset of that name ("commodity_10tib_per_day", "small_1tib_per_day"), or nullopt.
std::optional<HardwareProfile> preset_profile(std::string_view name);
std::vector<std::string_view> preset_profile_names();

}  // namespace minerx::sealing
