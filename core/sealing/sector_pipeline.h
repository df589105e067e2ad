#pragma once

// The sealing pipeline of a member's sectors as a state machine: which step each sector is at,
// and what must happen next. It owns no hardware and no clock: events come in with `now`, and each
// returns the one action the caller must carry out.
//
//   AddPiece -> PC1 -> PC2 -> WaitSeed -> C1 -> C2 -> ProveCommit -> Proving
//        \______\______\_______________\_____\-> (retry after a delay) ... -> Failed
//
// Events                                 Action returned
//   start_sector(s, now)                   RunTask{s, AddPiece}
//   task_finished(s, task, now, ok=true)   RunTask{s, next task} | WaitForSeed | SubmitProveCommit
//   task_finished(s, task, now, ok=false)  RetryTaskAt{s, task, now + retry delay} | SectorFailed
//   seed_ready(s, now)                     RunTask{s, C1}
//   retry_due(s, now)                      RunTask{s, the failed task}
//   prove_commit_landed(s, epoch)          (none; the sector is proving)
//
// Model choices (docs/sealing.md): the PreCommit message is taken to land when PC2 finishes, so
// the seed is ready exactly PreCommitChallengeDelay (150 epochs = 75 min) later; a failed task is
// retried as the same task (damocles' temp errors: max_retries, recover_interval); a sector fails
// once one task has failed retry_limit + 1 times in a row.
//
// Invariants: a sector is in exactly one stage; retries of a task are counted from its first
// failure and reset when the sector moves on. Sectors leave the table when they reach Proving or
// Failed (the table holds in-flight sectors only, so its size stays bounded by the sealer's cap);
// counters keep the totals. Every event asserts that it is legal in the sector's stage: an
// illegal event is a driver bug.

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <variant>

#include "core/chain/chain_types.h"
#include "core/sealing/sealing_types.h"

namespace minerx::sealing {

// The stages of a sector in flight. Proving and Failed are outcomes, not stages: a sector that
// reaches one leaves the table (prove_commit_landed, SectorFailed) and is counted.
enum class SectorStage : std::uint8_t {
    kAddPiece,
    kPreCommit1,
    kPreCommit2,
    kWaitSeed,
    kCommit1,
    kCommit2,
    kProveCommit,  // waiting for the ProveCommit message to land
};

std::string_view stage_name(SectorStage stage);

// The next compute task for the scheduler.
struct RunTask {
    SectorNumber sector = 0;
    SealingTask task = SealingTask::kAddPiece;
    friend bool operator==(const RunTask&, const RunTask&) = default;
};
// Deliver seed_ready(sector, seed_ready_ms) when that time comes.
struct WaitForSeed {
    SectorNumber sector = 0;
    TimeMs seed_ready_ms = 0;
    friend bool operator==(const WaitForSeed&, const WaitForSeed&) = default;
};
// Deliver retry_due(sector, retry_at_ms) when that time comes.
struct RetryTaskAt {
    SectorNumber sector = 0;
    SealingTask task = SealingTask::kAddPiece;
    TimeMs retry_at_ms = 0;
    friend bool operator==(const RetryTaskAt&, const RetryTaskAt&) = default;
};
// Send the sector's ProveCommit message; deliver prove_commit_landed when it lands.
struct SubmitProveCommit {
    SectorNumber sector = 0;
    friend bool operator==(const SubmitProveCommit&, const SubmitProveCommit&) = default;
};
// The sector is abandoned: `task` failed after all its retries.
struct SectorFailed {
    SectorNumber sector = 0;
    SealingTask task = SealingTask::kAddPiece;
    friend bool operator==(const SectorFailed&, const SectorFailed&) = default;
};

using PipelineAction = std::variant<RunTask, WaitForSeed, RetryTaskAt, SubmitProveCommit,
                                    SectorFailed>;

struct PipelineConfig {
    std::int64_t retry_limit = 0;  // retries after a task's first failure; >= 0
    TimeMs retry_delay_ms = 0;     // >= 0
};

struct SectorStatus {
    SectorStage stage = SectorStage::kAddPiece;
    std::int64_t failed_attempts = 0;  // failures of the current stage's task so far
    bool retry_pending = false;        // Retrying: a RetryTaskAt is outstanding
    TimeMs started_ms = 0;
};

class SectorPipeline {
public:
    explicit SectorPipeline(PipelineConfig config);

    // REQUIRES: sector > every sector started before (miners allocate sector numbers in
    // increasing order and never reuse one).
    RunTask start_sector(SectorNumber sector, TimeMs now);
    // REQUIRES: the sector is in the stage of `task`, with no retry pending.
    PipelineAction task_finished(SectorNumber sector, SealingTask task, TimeMs now, bool ok);
    // REQUIRES: the sector is in WaitSeed.
    RunTask seed_ready(SectorNumber sector, TimeMs now);
    // REQUIRES: a retry is pending for the sector.
    RunTask retry_due(SectorNumber sector, TimeMs now);
    // REQUIRES: the sector is in ProveCommit. The sector leaves the table.
    void prove_commit_landed(SectorNumber sector, chain::ChainEpoch epoch);

    // The status of an in-flight sector; nullopt once it is proving or failed (or never started).
    std::optional<SectorStatus> status(SectorNumber sector) const;

    std::int64_t in_flight_count() const { return static_cast<std::int64_t>(sectors_.size()); }
    std::int64_t started_count() const { return started_count_; }
    std::int64_t proving_count() const { return proving_count_; }
    std::int64_t failed_count() const { return failed_count_; }
    const PipelineConfig& config() const { return config_; }

private:
    SectorStatus& in_flight(SectorNumber sector);
    PipelineAction advance_after_success(SectorNumber sector, SectorStatus& status,
                                         SealingTask task, TimeMs now);
    PipelineAction handle_failure(SectorNumber sector, SectorStatus& status, SealingTask task,
                                  TimeMs now);

    PipelineConfig config_;
    std::map<SectorNumber, SectorStatus> sectors_;
    std::optional<SectorNumber> highest_started_;
    std::int64_t started_count_ = 0;
    std::int64_t proving_count_ = 0;
    std::int64_t failed_count_ = 0;
};

// The stage in which `task` runs.
SectorStage stage_of(SealingTask task);

}  // namespace minerx::sealing
