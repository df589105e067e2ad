#pragma once

// Assigns a member's queued sealing tasks to its hardware: slots per resource pool (AddPiece, PC1,
// C1, GPUs shared by PC2 and C2) and one memory budget, as a state machine driven with `now`.
//
// Order: tasks are considered by priority, later pipeline steps first (C1, C2, PC2, PC1,
// AddPiece: Lotus' order in storage/sealer/sealtasks/task.go), so that sectors in progress finish
// before new ones take resources; FIFO (enqueue order) within one task kind. A task starts when its pool has a free slot and its memory fits.
// If a task does not fit in memory, no lower-priority task starts in that dispatch (it would take
// the memory the blocked task waits for, and could starve it); a task blocked by its pool's
// slots only blocks later tasks of the same kind (tasks of other pools go on).
//
// Each started attempt draws its duration (uniform in the task's range) and then its outcome
// (fails with the task's probability) from the Random passed to dispatch, in start order: the
// schedule is a function of the calls and the seed.
//
// Invariants (asserted): slots in use <= slots per pool; memory in use <= memory_gib; time never
// goes backwards; dispatch is never called with a running task overdue (collect it first).
// Memory: queues hold in-flight work only; running tasks are bounded by the slots.

#include <array>
#include <cstdint>
#include <deque>
#include <limits>
#include <optional>
#include <vector>

#include "core/sealing/hardware_profile.h"
#include "core/sealing/sector_pipeline.h"
#include "core/util/random.h"

namespace minerx::sealing {

struct StartedTask {
    SectorNumber sector = 0;
    SealingTask task = SealingTask::kAddPiece;
    TimeMs start_ms = 0;
    TimeMs finish_ms = 0;
    bool succeeds = true;
    friend bool operator==(const StartedTask&, const StartedTask&) = default;
};

struct FinishedTask {
    SectorNumber sector = 0;
    SealingTask task = SealingTask::kAddPiece;
    TimeMs start_ms = 0;
    TimeMs finish_ms = 0;
    bool ok = true;
    friend bool operator==(const FinishedTask&, const FinishedTask&) = default;
};

struct Occupancy {
    std::array<std::int64_t, kResourcePoolCount> slots_in_use{};  // indexed by pool_index
    std::int64_t memory_gib_in_use = 0;
    friend bool operator==(const Occupancy&, const Occupancy&) = default;
};

// Highest priority first.
inline constexpr std::array<SealingTask, kSealingTaskCount> kTaskPriorityOrder = {
    SealingTask::kCommit1, SealingTask::kCommit2, SealingTask::kPreCommit2,
    SealingTask::kPreCommit1, SealingTask::kAddPiece,
};

class SealingScheduler {
public:
    // REQUIRES: !profile_error(profile).
    explicit SealingScheduler(HardwareProfile profile);

    // Queues a task behind the queued tasks of its kind. REQUIRES: now >= the last time seen.
    void enqueue(RunTask task, TimeMs now);
    // Starts every queued task the resources allow (see the order above) and returns them in
    // start order. REQUIRES: now >= the last time seen; no running task finishes before now.
    std::vector<StartedTask> dispatch(TimeMs now, util::Random& random);
    // Removes and returns the running tasks with finish_ms <= now, ordered by finish time, then
    // start order; their resources are free again. REQUIRES: now >= the last time seen.
    std::vector<FinishedTask> collect_finished(TimeMs now);

    // The earliest finish time of a running task; nullopt if none runs.
    std::optional<TimeMs> next_deadline() const;

    const Occupancy& occupancy() const { return occupancy_; }
    std::int64_t queued_count(SealingTask task) const;
    std::int64_t queued_count() const;
    std::int64_t running_count() const { return static_cast<std::int64_t>(running_.size()); }
    const HardwareProfile& profile() const { return profile_; }

private:
    struct Running {
        StartedTask started;
        std::uint64_t sequence = 0;
    };
    enum class Fit : std::uint8_t { kFits, kNoSlot, kNoMemory };

    void observe_time(TimeMs now);
    Fit fits(SealingTask task) const;
    StartedTask start(RunTask task, TimeMs now, util::Random& random);

    HardwareProfile profile_;
    std::array<std::deque<RunTask>, kSealingTaskCount> queues_;
    std::vector<Running> running_;
    Occupancy occupancy_;
    std::uint64_t next_sequence_ = 0;
    TimeMs last_now_ = std::numeric_limits<TimeMs>::min();
};

}  // namespace minerx::sealing
