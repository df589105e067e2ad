// The per-sector state machine: the order of the pipeline, retries of a failing task up to the
// limit, and the bookkeeping of sectors in flight, proving and failed.

#include "core/sealing/sector_pipeline.h"

#include <variant>

#include <gtest/gtest.h>

namespace minerx::sealing {
namespace {

constexpr TimeMs kRetryDelayMs = 30 * kMsPerSecond;

SectorPipeline make_pipeline(std::int64_t retry_limit) {
    return SectorPipeline(PipelineConfig{retry_limit, kRetryDelayMs});
}

TEST(SectorPipeline, WalksThroughEveryStageInOrder) {
    SectorPipeline pipeline = make_pipeline(3);
    const SectorNumber s = 7;
    TimeMs now = 1000;
    EXPECT_EQ(pipeline.start_sector(s, now), (RunTask{s, SealingTask::kAddPiece}));
    EXPECT_EQ(pipeline.status(s)->stage, SectorStage::kAddPiece);

    now += 3 * kMsPerMinute;
    EXPECT_EQ(std::get<RunTask>(pipeline.task_finished(s, SealingTask::kAddPiece, now, true)),
              (RunTask{s, SealingTask::kPreCommit1}));
    now += 177 * kMsPerMinute;
    EXPECT_EQ(std::get<RunTask>(pipeline.task_finished(s, SealingTask::kPreCommit1, now, true)),
              (RunTask{s, SealingTask::kPreCommit2}));
    now += 12 * kMsPerMinute;
    // PC2 done: the PreCommit lands and the seed comes 150 epochs (75 minutes) later.
    const auto seed = std::get<WaitForSeed>(
        pipeline.task_finished(s, SealingTask::kPreCommit2, now, true));
    EXPECT_EQ(seed, (WaitForSeed{s, now + 75 * kMsPerMinute}));
    EXPECT_EQ(pipeline.status(s)->stage, SectorStage::kWaitSeed);

    now = seed.seed_ready_ms;
    EXPECT_EQ(pipeline.seed_ready(s, now), (RunTask{s, SealingTask::kCommit1}));
    now += kMsPerSecond;
    EXPECT_EQ(std::get<RunTask>(pipeline.task_finished(s, SealingTask::kCommit1, now, true)),
              (RunTask{s, SealingTask::kCommit2}));
    now += 15 * kMsPerMinute;
    EXPECT_EQ(std::get<SubmitProveCommit>(
                  pipeline.task_finished(s, SealingTask::kCommit2, now, true)),
              (SubmitProveCommit{s}));
    EXPECT_EQ(pipeline.status(s)->stage, SectorStage::kProveCommit);
    EXPECT_EQ(pipeline.in_flight_count(), 1);

    pipeline.prove_commit_landed(s, 1234);
    EXPECT_FALSE(pipeline.status(s).has_value());
    EXPECT_EQ(pipeline.in_flight_count(), 0);
    EXPECT_EQ(pipeline.proving_count(), 1);
    EXPECT_EQ(pipeline.failed_count(), 0);
    EXPECT_EQ(pipeline.started_count(), 1);
}

TEST(SectorPipeline, FailingPc1RetriesUpToTheLimitThenFails) {
    const std::int64_t retry_limit = 2;
    SectorPipeline pipeline = make_pipeline(retry_limit);
    const SectorNumber s = 0;
    TimeMs now = 0;
    pipeline.start_sector(s, now);
    pipeline.task_finished(s, SealingTask::kAddPiece, now, true);
    for (std::int64_t failure = 1; failure <= retry_limit; ++failure) {
        now += 100 * kMsPerMinute;
        const auto retry =
            std::get<RetryTaskAt>(pipeline.task_finished(s, SealingTask::kPreCommit1, now, false));
        EXPECT_EQ(retry, (RetryTaskAt{s, SealingTask::kPreCommit1, now + kRetryDelayMs}));
        EXPECT_EQ(pipeline.status(s)->failed_attempts, failure);
        EXPECT_TRUE(pipeline.status(s)->retry_pending);
        now = retry.retry_at_ms;
        EXPECT_EQ(pipeline.retry_due(s, now), (RunTask{s, SealingTask::kPreCommit1}));
        EXPECT_FALSE(pipeline.status(s)->retry_pending);
    }
    // The (retry_limit + 1)-th failure in a row abandons the sector.
    now += 100 * kMsPerMinute;
    EXPECT_EQ(std::get<SectorFailed>(pipeline.task_finished(s, SealingTask::kPreCommit1, now,
                                                            false)),
              (SectorFailed{s, SealingTask::kPreCommit1}));
    EXPECT_FALSE(pipeline.status(s).has_value());
    EXPECT_EQ(pipeline.failed_count(), 1);
    EXPECT_EQ(pipeline.in_flight_count(), 0);
}

TEST(SectorPipeline, RetryCountResetsWhenATaskSucceeds) {
    SectorPipeline pipeline = make_pipeline(1);
    const SectorNumber s = 3;
    pipeline.start_sector(s, 0);
    // AddPiece fails once (the one allowed retry), then succeeds...
    pipeline.task_finished(s, SealingTask::kAddPiece, 10, false);
    pipeline.retry_due(s, 10 + kRetryDelayMs);
    pipeline.task_finished(s, SealingTask::kAddPiece, 100'000, true);
    // ...so PC1 has its own retry again.
    EXPECT_EQ(pipeline.status(s)->failed_attempts, 0);
    EXPECT_TRUE(std::holds_alternative<RetryTaskAt>(
        pipeline.task_finished(s, SealingTask::kPreCommit1, 200'000, false)));
    pipeline.retry_due(s, 200'000 + kRetryDelayMs);
    EXPECT_TRUE(std::holds_alternative<SectorFailed>(
        pipeline.task_finished(s, SealingTask::kPreCommit1, 300'000, false)));
}

TEST(SectorPipeline, ZeroRetryLimitFailsOnTheFirstFailure) {
    SectorPipeline pipeline = make_pipeline(0);
    pipeline.start_sector(1, 0);
    pipeline.task_finished(1, SealingTask::kAddPiece, 1, true);
    pipeline.task_finished(1, SealingTask::kPreCommit1, 2, true);
    pipeline.task_finished(1, SealingTask::kPreCommit2, 3, true);
    pipeline.seed_ready(1, 3 + kSeedWaitMs);
    pipeline.task_finished(1, SealingTask::kCommit1, 4 + kSeedWaitMs, true);
    EXPECT_EQ(std::get<SectorFailed>(
                  pipeline.task_finished(1, SealingTask::kCommit2, 5 + kSeedWaitMs, false)),
              (SectorFailed{1, SealingTask::kCommit2}));
}

TEST(SectorPipeline, TracksManySectorsIndependently) {
    SectorPipeline pipeline = make_pipeline(1);
    for (SectorNumber s = 0; s < 5; ++s) pipeline.start_sector(s, 0);
    pipeline.task_finished(2, SealingTask::kAddPiece, 5, true);
    pipeline.task_finished(4, SealingTask::kAddPiece, 6, false);
    EXPECT_EQ(pipeline.status(0)->stage, SectorStage::kAddPiece);
    EXPECT_EQ(pipeline.status(2)->stage, SectorStage::kPreCommit1);
    EXPECT_TRUE(pipeline.status(4)->retry_pending);
    EXPECT_EQ(pipeline.in_flight_count(), 5);
    EXPECT_EQ(pipeline.started_count(), 5);
}

TEST(SectorPipeline, IllegalEventsAreDriverBugs) {
    SectorPipeline pipeline = make_pipeline(1);
    pipeline.start_sector(5, 0);
    EXPECT_DEATH(pipeline.start_sector(5, 1), "sector > \\*highest_started_");
    EXPECT_DEATH(pipeline.task_finished(5, SealingTask::kPreCommit1, 1, true), "stage_of");
    EXPECT_DEATH(pipeline.seed_ready(5, 1), "kWaitSeed");
    EXPECT_DEATH(pipeline.prove_commit_landed(9, 1), "sectors_.end");
}

}  // namespace
}  // namespace minerx::sealing
