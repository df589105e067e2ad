#include "core/sealing/sealing_scheduler.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::sealing {

SealingScheduler::SealingScheduler(HardwareProfile profile) : profile_(std::move(profile)) {
    MINERX_ASSERT(!profile_error(profile_));
}

void SealingScheduler::enqueue(RunTask task, TimeMs now) {
    observe_time(now);
    queues_[task_index(task.task)].push_back(task);
}

std::vector<StartedTask> SealingScheduler::dispatch(TimeMs now, util::Random& random) {
    observe_time(now);
    for (const Running& running : running_) MINERX_ASSERT(running.started.finish_ms >= now);
    std::vector<StartedTask> started;
    for (SealingTask kind : kTaskPriorityOrder) {
        std::deque<RunTask>& queue = queues_[task_index(kind)];
        while (!queue.empty()) {
            const Fit fit = fits(kind);
            if (fit == Fit::kNoMemory) return started;
            if (fit == Fit::kNoSlot) break;
            started.push_back(start(queue.front(), now, random));
            queue.pop_front();
        }
    }
    return started;
}

std::vector<FinishedTask> SealingScheduler::collect_finished(TimeMs now) {
    observe_time(now);
    std::vector<Running> done;
    auto is_done = [now](const Running& running) { return running.started.finish_ms <= now; };
    std::copy_if(running_.begin(), running_.end(), std::back_inserter(done), is_done);
    std::erase_if(running_, is_done);
    std::sort(done.begin(), done.end(), [](const Running& a, const Running& b) {
        if (a.started.finish_ms != b.started.finish_ms) {
            return a.started.finish_ms < b.started.finish_ms;
        }
        return a.sequence < b.sequence;
    });
    std::vector<FinishedTask> finished;
    finished.reserve(done.size());
    for (const Running& running : done) {
        const StartedTask& task = running.started;
        occupancy_.slots_in_use[pool_index(resource_pool_of(task.task))] -= 1;
        occupancy_.memory_gib_in_use -= profile_.task(task.task).memory_gib;
        MINERX_ASSERT(occupancy_.memory_gib_in_use >= 0);
        finished.push_back(FinishedTask{task.sector, task.task, task.start_ms, task.finish_ms,
                                        task.succeeds});
    }
    return finished;
}

std::optional<TimeMs> SealingScheduler::next_deadline() const {
    std::optional<TimeMs> earliest;
    for (const Running& running : running_) {
        if (!earliest || running.started.finish_ms < *earliest) {
            earliest = running.started.finish_ms;
        }
    }
    return earliest;
}

std::int64_t SealingScheduler::queued_count(SealingTask task) const {
    return static_cast<std::int64_t>(queues_[task_index(task)].size());
}

std::int64_t SealingScheduler::queued_count() const {
    std::int64_t total = 0;
    for (SealingTask task : kAllSealingTasks) total += queued_count(task);
    return total;
}

void SealingScheduler::observe_time(TimeMs now) {
    MINERX_ASSERT(now >= last_now_);
    last_now_ = now;
}

SealingScheduler::Fit SealingScheduler::fits(SealingTask task) const {
    const ResourcePool pool = resource_pool_of(task);
    if (occupancy_.slots_in_use[pool_index(pool)] >= profile_.slots(pool)) return Fit::kNoSlot;
    const std::int64_t memory_free = profile_.memory_gib - occupancy_.memory_gib_in_use;
    if (profile_.task(task).memory_gib > memory_free) return Fit::kNoMemory;
    return Fit::kFits;
}

StartedTask SealingScheduler::start(RunTask task, TimeMs now, util::Random& random) {
    const TaskProfile& spec = profile_.task(task.task);
    const TimeMs duration_ms =
        uniform_duration_ms(spec.duration_min_ms, spec.duration_max_ms, random);
    const bool succeeds = !random.bernoulli(spec.failure_probability);
    const ResourcePool pool = resource_pool_of(task.task);
    occupancy_.slots_in_use[pool_index(pool)] += 1;
    occupancy_.memory_gib_in_use += spec.memory_gib;
    MINERX_ASSERT(occupancy_.slots_in_use[pool_index(pool)] <= profile_.slots(pool));
    MINERX_ASSERT(occupancy_.memory_gib_in_use <= profile_.memory_gib);
    StartedTask started{task.sector, task.task, now, util::saturating_add(now, duration_ms),
                        succeeds};
    running_.push_back(Running{started, next_sequence_++});
    return started;
}

}  // namespace minerx::sealing
