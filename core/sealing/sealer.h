#pragma once

// A member's sealing service as one state machine: it starts new sectors at a target rate (up to
// a cap on sectors in flight), moves each through the SectorPipeline, runs their tasks on the
// member's hardware through the SealingScheduler, and keeps the timers for the seed wait and
// retries. The driver (sim/ actor or the member daemon) calls advance_to(now) at or after
// next_deadline(), carries out SubmitProveCommit, and reports each landing back.
//
// Time: advance_to(now) processes every internal event up to `now` in time order, each at its own
// time, so the result does not depend on how finely the driver steps: stepping every epoch or
// jumping from deadline to deadline gives the same event trace (tested). Events at the same
// instant are processed as: finished tasks (finish time, then start order), due timers (time,
// then creation order), sector starts, then one dispatch of the scheduler.
//
// Starts: sector k (k = 0, 1, ...) starts at the earliest time >= start_ms + floor(k * day /
// target_sectors_per_day) when fewer than max_in_flight_sectors are in flight, and at most
// max_sectors_started sectors start in all. A sector is in flight from its start until its
// ProveCommit lands or it fails.
//
// Power: prove_commit_landed() returns the sector's raw power (32 GiB) and the landing epoch. In
// the actors (v2 onward, so mid-2021) that power joins the miner's claim at the sector's first
// successful WindowPoSt after landing, not at landing: WindowPoStSchedule emits that change.
//
// Randomness: only from the Random passed to advance_to, through the scheduler (task durations and
// outcomes); the same calls with the same seed give the same trace.

#include <cstdint>
#include <limits>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "core/sealing/hardware_profile.h"
#include "core/sealing/sealing_scheduler.h"
#include "core/sealing/sector_pipeline.h"
#include "core/util/random.h"

namespace minerx::sealing {

struct SealerConfig {
    std::int64_t target_sectors_per_day = 0;  // >= 1
    std::int64_t max_in_flight_sectors = 0;   // >= 1
    std::int64_t max_sectors_started = std::numeric_limits<std::int64_t>::max();  // >= 0
    TimeMs start_ms = 0;  // within 100 years (util::kMaxConfiguredMs) of genesis
    SectorNumber first_sector_number = 0;
};

// Why the configuration cannot be used (naming the field), or nullopt.
std::optional<std::string> sealer_config_error(const SealerConfig& config);

enum class SealerEventKind : std::uint8_t {
    kSectorStarted,
    kTaskStarted,
    kTaskFinished,  // succeeded
    kTaskFailed,    // will be retried, or kSectorFailed follows
    kSeedReady,
    kSubmitProveCommit,  // action: send the sector's ProveCommit message
    kSectorFailed,
};

struct SealerEvent {
    TimeMs at_ms = 0;
    SealerEventKind kind = SealerEventKind::kSectorStarted;
    SectorNumber sector = 0;
    // The task concerned for task events and kSectorFailed; kAddPiece for the other kinds.
    SealingTask task = SealingTask::kAddPiece;
    friend bool operator==(const SealerEvent&, const SealerEvent&) = default;
};

struct ProvenSector {
    SectorNumber sector = 0;
    chain::ChainEpoch landed_epoch = 0;
    chain::StoragePower raw_power_bytes = 0;
};

class Sealer {
public:
    // REQUIRES: !profile_error(profile), !sealer_config_error(config).
    Sealer(HardwareProfile profile, SealerConfig config);

    // Processes everything that happens up to and including `now`; returns the events in order.
    // REQUIRES: now >= the last time passed to advance_to or prove_commit_landed.
    std::vector<SealerEvent> advance_to(TimeMs now, util::Random& random);

    // The sector's ProveCommit landed in `epoch`; the driver learnt it at `now`. A freed in-flight
    // place is reused from `now`: call advance_to(now) again afterwards. REQUIRES: the sector is
    // awaiting its ProveCommit; now >= the last time seen; everything due before `now` has been
    // processed (next_deadline() is nullopt or >= now), so events stay in time order.
    ProvenSector prove_commit_landed(SectorNumber sector, chain::ChainEpoch epoch, TimeMs now);

    // When advance_to next has something to do; nullopt if nothing will happen until a
    // ProveCommit lands (or ever).
    std::optional<TimeMs> next_deadline() const;

    std::int64_t sectors_started() const { return pipeline_.started_count(); }
    std::int64_t sectors_in_flight() const { return pipeline_.in_flight_count(); }
    std::int64_t sectors_proven() const { return pipeline_.proving_count(); }
    std::int64_t sectors_failed() const { return pipeline_.failed_count(); }
    std::int64_t sectors_awaiting_prove_commit() const { return awaiting_prove_commit_; }
    chain::StoragePower proven_power_bytes() const {
        return static_cast<chain::StoragePower>(pipeline_.proving_count()) * kSectorSizeBytes;
    }

    const SealingScheduler& scheduler() const { return scheduler_; }
    const SectorPipeline& pipeline() const { return pipeline_; }
    const SealerConfig& config() const { return config_; }

private:
    enum class TimerKind : std::uint8_t { kSeedReady, kRetryDue };
    struct Timer {
        TimeMs at_ms = 0;
        std::uint64_t sequence = 0;
        TimerKind kind = TimerKind::kSeedReady;
        SectorNumber sector = 0;
    };
    struct TimerLater {
        bool operator()(const Timer& a, const Timer& b) const {
            if (a.at_ms != b.at_ms) return a.at_ms > b.at_ms;
            return a.sequence > b.sequence;
        }
    };

    std::optional<TimeMs> next_start_ms() const;
    TimeMs start_grid_ms(std::int64_t index) const;
    void process_instant(TimeMs now, util::Random& random, std::vector<SealerEvent>& events);
    void process_finished_tasks(TimeMs now, std::vector<SealerEvent>& events);
    void process_due_timers(TimeMs now, std::vector<SealerEvent>& events);
    void process_starts(TimeMs now, std::vector<SealerEvent>& events);
    void carry_out(const PipelineAction& action, TimeMs now, std::vector<SealerEvent>& events);
    void push_timer(TimeMs at_ms, TimerKind kind, SectorNumber sector);
    void note_sector_left(TimeMs now, std::int64_t in_flight_before);

    SealerConfig config_;
    SectorPipeline pipeline_;
    SealingScheduler scheduler_;
    std::priority_queue<Timer, std::vector<Timer>, TimerLater> timers_;
    std::uint64_t next_timer_sequence_ = 0;
    std::int64_t awaiting_prove_commit_ = 0;
    // Since when the in-flight count has been below the cap (starts are not earlier than this).
    TimeMs capacity_since_ms_ = 0;
    TimeMs now_ = std::numeric_limits<TimeMs>::min();
};

}  // namespace minerx::sealing
