// The scheduler: priority order (finish sectors before starting new ones), FIFO within a kind,
// slot and memory limits, memory head-of-line blocking, and completion order.

#include "core/sealing/sealing_scheduler.h"

#include <vector>

#include <gtest/gtest.h>

namespace minerx::sealing {
namespace {

// One slot per pool and fixed durations, so that every start and finish is known in advance.
HardwareProfile fixed_profile() {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    profile.name = "fixed";
    profile.addpiece_slots = 1;
    profile.pc1_slots = 1;
    profile.c1_slots = 1;
    profile.gpus = 1;
    for (SealingTask task : kAllSealingTasks) {
        TaskProfile& spec = profile.task(task);
        spec.duration_min_ms = 1000 * (static_cast<TimeMs>(task_index(task)) + 1);
        spec.duration_max_ms = spec.duration_min_ms;
    }
    return profile;
}

std::vector<SealingTask> tasks_of(const std::vector<StartedTask>& started) {
    std::vector<SealingTask> tasks;
    for (const StartedTask& task : started) tasks.push_back(task.task);
    return tasks;
}

TEST(Scheduler, LaterPipelineStepsGoFirstOnASharedGpu) {
    SealingScheduler scheduler(fixed_profile());
    util::Random random(1);
    scheduler.enqueue(RunTask{1, SealingTask::kPreCommit2}, 0);
    scheduler.enqueue(RunTask{2, SealingTask::kCommit2}, 0);
    // One GPU: C2 (sector 2) goes first although PC2 was queued earlier.
    std::vector<StartedTask> started = scheduler.dispatch(0, random);
    ASSERT_EQ(started.size(), 1u);
    EXPECT_EQ(started[0], (StartedTask{2, SealingTask::kCommit2, 0, 5000, true}));
    EXPECT_EQ(scheduler.queued_count(SealingTask::kPreCommit2), 1);
    EXPECT_EQ(*scheduler.next_deadline(), 5000);
    EXPECT_TRUE(scheduler.collect_finished(4999).empty());
    std::vector<FinishedTask> finished = scheduler.collect_finished(5000);
    ASSERT_EQ(finished.size(), 1u);
    EXPECT_EQ(finished[0], (FinishedTask{2, SealingTask::kCommit2, 0, 5000, true}));
    started = scheduler.dispatch(5000, random);
    ASSERT_EQ(started.size(), 1u);
    EXPECT_EQ(started[0].sector, 1u);
    EXPECT_EQ(started[0].finish_ms, 5000 + 3000);
}

TEST(Scheduler, FifoWithinOneKindAndPoolsAreIndependent) {
    SealingScheduler scheduler(fixed_profile());
    util::Random random(1);
    for (SectorNumber s = 10; s < 13; ++s) {
        scheduler.enqueue(RunTask{s, SealingTask::kPreCommit1}, 0);
    }
    scheduler.enqueue(RunTask{20, SealingTask::kAddPiece}, 0);
    // PC1's slot is taken by sector 10; AddPiece is in another pool and starts too.
    std::vector<StartedTask> started = scheduler.dispatch(0, random);
    EXPECT_EQ(tasks_of(started),
              (std::vector<SealingTask>{SealingTask::kPreCommit1, SealingTask::kAddPiece}));
    EXPECT_EQ(started[0].sector, 10u);
    scheduler.collect_finished(2000);
    EXPECT_EQ(scheduler.dispatch(2000, random)[0].sector, 11u);
    scheduler.collect_finished(4000);
    EXPECT_EQ(scheduler.dispatch(4000, random)[0].sector, 12u);
}

TEST(Scheduler, ABlockedTaskKeepsLowerPrioritiesOffItsMemory) {
    HardwareProfile profile = fixed_profile();
    profile.memory_gib = 128;
    profile.pc1_slots = 2;
    profile.task(SealingTask::kPreCommit1).memory_gib = 64;
    profile.task(SealingTask::kCommit2).memory_gib = 100;
    profile.task(SealingTask::kAddPiece).memory_gib = 4;
    SealingScheduler scheduler(profile);
    util::Random random(1);
    scheduler.enqueue(RunTask{1, SealingTask::kPreCommit1}, 0);
    ASSERT_EQ(scheduler.dispatch(0, random).size(), 1u);  // 64 GiB in use

    scheduler.enqueue(RunTask{2, SealingTask::kCommit2}, 1);
    scheduler.enqueue(RunTask{3, SealingTask::kAddPiece}, 1);
    scheduler.enqueue(RunTask{4, SealingTask::kPreCommit1}, 1);
    // C2 needs 100 GiB and 64 are free: it waits, and neither PC1 (64) nor AddPiece (4) may take
    // the memory it waits for, although both would fit.
    EXPECT_TRUE(scheduler.dispatch(1, random).empty());
    EXPECT_EQ(scheduler.occupancy().memory_gib_in_use, 64);

    scheduler.collect_finished(2000);  // PC1 of sector 1 done: 128 GiB free
    std::vector<StartedTask> started = scheduler.dispatch(2000, random);
    // C2 starts (100 GiB); PC1 (64) no longer fits and blocks AddPiece behind it.
    EXPECT_EQ(tasks_of(started), (std::vector<SealingTask>{SealingTask::kCommit2}));
    EXPECT_EQ(scheduler.occupancy().memory_gib_in_use, 100);
}

TEST(Scheduler, ATaskBlockedOnSlotsDoesNotBlockOtherPools) {
    SealingScheduler scheduler(fixed_profile());
    util::Random random(1);
    scheduler.enqueue(RunTask{1, SealingTask::kCommit2}, 0);
    scheduler.enqueue(RunTask{2, SealingTask::kCommit2}, 0);
    scheduler.enqueue(RunTask{3, SealingTask::kCommit1}, 0);
    scheduler.enqueue(RunTask{4, SealingTask::kPreCommit1}, 0);
    const std::vector<StartedTask> started = scheduler.dispatch(0, random);
    EXPECT_EQ(tasks_of(started), (std::vector<SealingTask>{SealingTask::kCommit1,
                                                           SealingTask::kCommit2,
                                                           SealingTask::kPreCommit1}));
    EXPECT_EQ(scheduler.queued_count(), 1);
    const Occupancy& occupancy = scheduler.occupancy();
    EXPECT_EQ(occupancy.slots_in_use[pool_index(ResourcePool::kGpus)], 1);
    EXPECT_EQ(occupancy.slots_in_use[pool_index(ResourcePool::kCommit1Slots)], 1);
    EXPECT_EQ(occupancy.slots_in_use[pool_index(ResourcePool::kPreCommit1Slots)], 1);
}

TEST(Scheduler, FinishedTasksComeBackInFinishThenStartOrder) {
    HardwareProfile profile = fixed_profile();
    profile.pc1_slots = 3;
    profile.task(SealingTask::kPreCommit1).duration_min_ms = 1000;
    profile.task(SealingTask::kPreCommit1).duration_max_ms = 3000;
    SealingScheduler scheduler(profile);
    util::Random random(99);
    for (SectorNumber s = 0; s < 3; ++s) scheduler.enqueue(RunTask{s, SealingTask::kPreCommit1}, 0);
    const std::vector<StartedTask> started = scheduler.dispatch(0, random);
    ASSERT_EQ(started.size(), 3u);
    const std::vector<FinishedTask> finished = scheduler.collect_finished(3000);
    ASSERT_EQ(finished.size(), 3u);
    for (std::size_t i = 1; i < finished.size(); ++i) {
        EXPECT_LE(finished[i - 1].finish_ms, finished[i].finish_ms);
    }
    for (const StartedTask& task : started) {
        EXPECT_GE(task.finish_ms - task.start_ms, 1000);
        EXPECT_LE(task.finish_ms - task.start_ms, 3000);
    }
    EXPECT_EQ(scheduler.occupancy(), Occupancy{});
    EXPECT_FALSE(scheduler.next_deadline().has_value());
}

TEST(Scheduler, FailureProbabilityOneFailsEveryAttempt) {
    HardwareProfile profile = fixed_profile();
    profile.task(SealingTask::kAddPiece).failure_probability = 1.0;
    SealingScheduler scheduler(profile);
    util::Random random(5);
    scheduler.enqueue(RunTask{0, SealingTask::kAddPiece}, 0);
    EXPECT_FALSE(scheduler.dispatch(0, random)[0].succeeds);
    EXPECT_FALSE(scheduler.collect_finished(1000)[0].ok);
}

TEST(Scheduler, RefusesToGoBackInTimeOrSkipAFinish) {
    SealingScheduler scheduler(fixed_profile());
    util::Random random(1);
    scheduler.enqueue(RunTask{0, SealingTask::kAddPiece}, 100);
    EXPECT_DEATH(scheduler.enqueue(RunTask{1, SealingTask::kAddPiece}, 99), "now >= last_now_");
    scheduler.dispatch(100, random);  // finishes at 1100
    EXPECT_DEATH(scheduler.dispatch(1200, random), "finish_ms >= now");
}

}  // namespace
}  // namespace minerx::sealing
