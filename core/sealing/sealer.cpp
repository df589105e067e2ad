#include "core/sealing/sealer.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/math/int128.h"
#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::sealing {

std::optional<std::string> sealer_config_error(const SealerConfig& config) {
    if (config.target_sectors_per_day < 1) {
        return std::string("target_sectors_per_day must be >= 1");
    }
    if (config.max_in_flight_sectors < 1) {
        return std::string("max_in_flight_sectors must be >= 1");
    }
    if (config.max_sectors_started < 0) return std::string("max_sectors_started must be >= 0");
    // Start times are start_ms plus offsets: a start_ms near 2^63 would wrap.
    if (config.start_ms < -util::kMaxConfiguredMs || config.start_ms > util::kMaxConfiguredMs) {
        return "start_ms must be within " + std::to_string(util::kMaxConfiguredMs) +
               " ms (100 years) of genesis, got " + std::to_string(config.start_ms);
    }
    return std::nullopt;
}

Sealer::Sealer(HardwareProfile profile, SealerConfig config)
    : config_(config),
      pipeline_(PipelineConfig{profile.retry_limit, profile.retry_delay_ms}),
      scheduler_(std::move(profile)),
      capacity_since_ms_(config.start_ms) {
    MINERX_ASSERT(!sealer_config_error(config_));
}

std::vector<SealerEvent> Sealer::advance_to(TimeMs now, util::Random& random) {
    MINERX_ASSERT(now >= now_);
    std::vector<SealerEvent> events;
    for (std::optional<TimeMs> next = next_deadline(); next && *next <= now;
         next = next_deadline()) {
        process_instant(*next, random, events);
    }
    now_ = now;
    return events;
}

ProvenSector Sealer::prove_commit_landed(SectorNumber sector, chain::ChainEpoch epoch,
                                         TimeMs now) {
    MINERX_ASSERT(now >= now_);
    const std::optional<TimeMs> pending = next_deadline();
    MINERX_ASSERT(!pending || *pending >= now);
    now_ = now;
    MINERX_ASSERT(awaiting_prove_commit_ > 0);
    const std::int64_t in_flight_before = pipeline_.in_flight_count();
    pipeline_.prove_commit_landed(sector, epoch);
    --awaiting_prove_commit_;
    note_sector_left(now, in_flight_before);
    return ProvenSector{sector, epoch, kSectorSizeBytes};
}

std::optional<TimeMs> Sealer::next_deadline() const {
    std::optional<TimeMs> earliest = scheduler_.next_deadline();
    auto consider = [&earliest](TimeMs at_ms) {
        if (!earliest || at_ms < *earliest) earliest = at_ms;
    };
    if (!timers_.empty()) consider(timers_.top().at_ms);
    if (std::optional<TimeMs> start = next_start_ms()) consider(*start);
    return earliest;
}

std::optional<TimeMs> Sealer::next_start_ms() const {
    if (pipeline_.started_count() >= config_.max_sectors_started) return std::nullopt;
    if (pipeline_.in_flight_count() >= config_.max_in_flight_sectors) return std::nullopt;
    return std::max(start_grid_ms(pipeline_.started_count()), capacity_since_ms_);
}

TimeMs Sealer::start_grid_ms(std::int64_t index) const {
    const math::Int128 offset_ms = math::Int128{index} * kMsPerDay / config_.target_sectors_per_day;
    const math::Int128 at_ms = math::Int128{config_.start_ms} + offset_ms;
    // Far beyond any run (index would need ~10^11 sectors a day for a century): never, not a wrap.
    if (at_ms > std::numeric_limits<TimeMs>::max()) return std::numeric_limits<TimeMs>::max();
    return static_cast<TimeMs>(at_ms);
}

void Sealer::process_instant(TimeMs now, util::Random& random, std::vector<SealerEvent>& events) {
    MINERX_ASSERT(now >= now_);
    now_ = now;
    process_finished_tasks(now, events);
    process_due_timers(now, events);
    process_starts(now, events);
    for (const StartedTask& started : scheduler_.dispatch(now, random)) {
        events.push_back(
            SealerEvent{now, SealerEventKind::kTaskStarted, started.sector, started.task});
    }
}

void Sealer::process_finished_tasks(TimeMs now, std::vector<SealerEvent>& events) {
    for (const FinishedTask& finished : scheduler_.collect_finished(now)) {
        const SealerEventKind kind =
            finished.ok ? SealerEventKind::kTaskFinished : SealerEventKind::kTaskFailed;
        events.push_back(SealerEvent{now, kind, finished.sector, finished.task});
        carry_out(pipeline_.task_finished(finished.sector, finished.task, now, finished.ok), now,
                  events);
    }
}

void Sealer::process_due_timers(TimeMs now, std::vector<SealerEvent>& events) {
    while (!timers_.empty() && timers_.top().at_ms <= now) {
        const Timer timer = timers_.top();
        timers_.pop();
        if (timer.kind == TimerKind::kSeedReady) {
            events.push_back(SealerEvent{now, SealerEventKind::kSeedReady, timer.sector,
                                         SealingTask::kAddPiece});
            carry_out(pipeline_.seed_ready(timer.sector, now), now, events);
        } else {
            carry_out(pipeline_.retry_due(timer.sector, now), now, events);
        }
    }
}

void Sealer::process_starts(TimeMs now, std::vector<SealerEvent>& events) {
    for (std::optional<TimeMs> start = next_start_ms(); start && *start <= now;
         start = next_start_ms()) {
        const SectorNumber sector =
            config_.first_sector_number + static_cast<SectorNumber>(pipeline_.started_count());
        events.push_back(
            SealerEvent{now, SealerEventKind::kSectorStarted, sector, SealingTask::kAddPiece});
        carry_out(pipeline_.start_sector(sector, now), now, events);
    }
}

void Sealer::carry_out(const PipelineAction& action, TimeMs now,
                       std::vector<SealerEvent>& events) {
    if (const auto* run = std::get_if<RunTask>(&action)) {
        scheduler_.enqueue(*run, now);
    } else if (const auto* seed = std::get_if<WaitForSeed>(&action)) {
        push_timer(seed->seed_ready_ms, TimerKind::kSeedReady, seed->sector);
    } else if (const auto* retry = std::get_if<RetryTaskAt>(&action)) {
        push_timer(retry->retry_at_ms, TimerKind::kRetryDue, retry->sector);
    } else if (const auto* submit = std::get_if<SubmitProveCommit>(&action)) {
        ++awaiting_prove_commit_;
        events.push_back(SealerEvent{now, SealerEventKind::kSubmitProveCommit, submit->sector,
                                     SealingTask::kAddPiece});
    } else {
        const auto& failed = std::get<SectorFailed>(action);
        events.push_back(
            SealerEvent{now, SealerEventKind::kSectorFailed, failed.sector, failed.task});
        note_sector_left(now, pipeline_.in_flight_count() + 1);
    }
}

void Sealer::push_timer(TimeMs at_ms, TimerKind kind, SectorNumber sector) {
    MINERX_ASSERT(at_ms >= now_);
    timers_.push(Timer{at_ms, next_timer_sequence_++, kind, sector});
}

void Sealer::note_sector_left(TimeMs now, std::int64_t in_flight_before) {
    if (in_flight_before >= config_.max_in_flight_sectors) {
        capacity_since_ms_ = std::max(capacity_since_ms_, now);
    }
}

}  // namespace minerx::sealing
