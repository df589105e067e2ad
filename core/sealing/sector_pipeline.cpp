#include "core/sealing/sector_pipeline.h"

#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::sealing {

std::string_view stage_name(SectorStage stage) {
    switch (stage) {
        case SectorStage::kAddPiece: return "AddPiece";
        case SectorStage::kPreCommit1: return "PC1";
        case SectorStage::kPreCommit2: return "PC2";
        case SectorStage::kWaitSeed: return "WaitSeed";
        case SectorStage::kCommit1: return "C1";
        case SectorStage::kCommit2: return "C2";
        case SectorStage::kProveCommit: return "ProveCommit";
    }
    util::assertion_failed("unknown SectorStage", __FILE__, __LINE__);
}

SectorStage stage_of(SealingTask task) {
    switch (task) {
        case SealingTask::kAddPiece: return SectorStage::kAddPiece;
        case SealingTask::kPreCommit1: return SectorStage::kPreCommit1;
        case SealingTask::kPreCommit2: return SectorStage::kPreCommit2;
        case SealingTask::kCommit1: return SectorStage::kCommit1;
        case SealingTask::kCommit2: return SectorStage::kCommit2;
    }
    util::assertion_failed("unknown SealingTask", __FILE__, __LINE__);
}

SectorPipeline::SectorPipeline(PipelineConfig config) : config_(config) {
    MINERX_ASSERT(config_.retry_limit >= 0);
    MINERX_ASSERT(config_.retry_delay_ms >= 0);
    MINERX_ASSERT(config_.retry_delay_ms <= util::kMaxConfiguredMs);
}

RunTask SectorPipeline::start_sector(SectorNumber sector, TimeMs now) {
    MINERX_ASSERT(!highest_started_ || sector > *highest_started_);
    highest_started_ = sector;
    sectors_.emplace(sector, SectorStatus{.stage = SectorStage::kAddPiece,
                                          .failed_attempts = 0,
                                          .retry_pending = false,
                                          .started_ms = now});
    ++started_count_;
    return RunTask{sector, SealingTask::kAddPiece};
}

PipelineAction SectorPipeline::task_finished(SectorNumber sector, SealingTask task, TimeMs now,
                                             bool ok) {
    SectorStatus& status = in_flight(sector);
    MINERX_ASSERT(status.stage == stage_of(task));
    MINERX_ASSERT(!status.retry_pending);
    if (ok) return advance_after_success(sector, status, task, now);
    return handle_failure(sector, status, task, now);
}

RunTask SectorPipeline::seed_ready(SectorNumber sector, TimeMs /*now*/) {
    SectorStatus& status = in_flight(sector);
    MINERX_ASSERT(status.stage == SectorStage::kWaitSeed);
    status.stage = SectorStage::kCommit1;
    return RunTask{sector, SealingTask::kCommit1};
}

RunTask SectorPipeline::retry_due(SectorNumber sector, TimeMs /*now*/) {
    SectorStatus& status = in_flight(sector);
    MINERX_ASSERT(status.retry_pending);
    status.retry_pending = false;
    for (SealingTask task : kAllSealingTasks) {
        if (stage_of(task) == status.stage) return RunTask{sector, task};
    }
    util::assertion_failed("retry pending in a stage without a task", __FILE__, __LINE__);
}

void SectorPipeline::prove_commit_landed(SectorNumber sector, chain::ChainEpoch /*epoch*/) {
    SectorStatus& status = in_flight(sector);
    MINERX_ASSERT(status.stage == SectorStage::kProveCommit);
    sectors_.erase(sector);
    ++proving_count_;
}

std::optional<SectorStatus> SectorPipeline::status(SectorNumber sector) const {
    auto it = sectors_.find(sector);
    if (it == sectors_.end()) return std::nullopt;
    return it->second;
}

SectorStatus& SectorPipeline::in_flight(SectorNumber sector) {
    auto it = sectors_.find(sector);
    MINERX_ASSERT(it != sectors_.end());
    return it->second;
}

PipelineAction SectorPipeline::advance_after_success(SectorNumber sector, SectorStatus& status,
                                                     SealingTask task, TimeMs now) {
    status.failed_attempts = 0;
    switch (task) {
        case SealingTask::kAddPiece:
            status.stage = SectorStage::kPreCommit1;
            return RunTask{sector, SealingTask::kPreCommit1};
        case SealingTask::kPreCommit1:
            status.stage = SectorStage::kPreCommit2;
            return RunTask{sector, SealingTask::kPreCommit2};
        case SealingTask::kPreCommit2:
            status.stage = SectorStage::kWaitSeed;
            return WaitForSeed{sector, util::saturating_add(now, kSeedWaitMs)};
        case SealingTask::kCommit1:
            status.stage = SectorStage::kCommit2;
            return RunTask{sector, SealingTask::kCommit2};
        case SealingTask::kCommit2:
            status.stage = SectorStage::kProveCommit;
            return SubmitProveCommit{sector};
    }
    util::assertion_failed("unknown SealingTask", __FILE__, __LINE__);
}

PipelineAction SectorPipeline::handle_failure(SectorNumber sector, SectorStatus& status,
                                              SealingTask task, TimeMs now) {
    ++status.failed_attempts;
    if (status.failed_attempts > config_.retry_limit) {
        sectors_.erase(sector);
        ++failed_count_;
        return SectorFailed{sector, task};
    }
    status.retry_pending = true;
    return RetryTaskAt{sector, task, util::saturating_add(now, config_.retry_delay_ms)};
}

}  // namespace minerx::sealing
