// The member's sealer as a whole: throughput against the profile's arithmetic (PC1-bound, with
// half the PC1 slots, with failures), resource limits and the pipeline grammar checked on the
// event trace of random runs, start pacing, and determinism.
//
// Statistical tolerances. With PC1 the bottleneck and its queue never empty, each PC1 slot is a
// renewal process of attempts with duration mean mu and variance v (uniform over whole ms), so a
// window of length T sees about n * T / mu attempts with variance n * T * v / mu^3 (n slots). A
// sector is counted when its ProveCommit is submitted, which trails PC1 by a latency L (PC2, the
// 75 min seed wait, C1, C2 and GPU queueing), so the count also moves with the number of sectors
// in that stretch at each end of the window (about rate * L, Poisson-like). Each slot's count can
// also be off by one at each end. The tests allow n + 5 standard deviations of the rest.

#include "core/sealing/sealer.h"

#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/sealing/throughput_estimate.h"
#include "core/util/limits.h"

namespace minerx::sealing {
namespace {

constexpr TimeMs kDay = kMsPerDay;

// Runs from deadline to deadline, landing each ProveCommit as soon as it is submitted.
std::vector<SealerEvent> drive(Sealer& sealer, TimeMs end_ms, util::Random& random) {
    std::vector<SealerEvent> trace;
    for (std::optional<TimeMs> next = sealer.next_deadline(); next && *next <= end_ms;
         next = sealer.next_deadline()) {
        for (const SealerEvent& event : sealer.advance_to(*next, random)) {
            trace.push_back(event);
            if (event.kind == SealerEventKind::kSubmitProveCommit) {
                sealer.prove_commit_landed(event.sector, pool::epoch_at(*next), *next);
            }
        }
    }
    return trace;
}

// Runs in fixed steps, landing ProveCommits at the end of the step that submitted them.
std::vector<SealerEvent> drive_in_steps(Sealer& sealer, TimeMs end_ms, TimeMs step_ms,
                                        util::Random& random) {
    std::vector<SealerEvent> trace;
    for (TimeMs now = 0; now <= end_ms; now += step_ms) {
        std::vector<SealerEvent> events = sealer.advance_to(now, random);
        trace.insert(trace.end(), events.begin(), events.end());
        for (const SealerEvent& event : events) {
            if (event.kind == SealerEventKind::kSubmitProveCommit) {
                sealer.prove_commit_landed(event.sector, pool::epoch_at(now), now);
            }
        }
    }
    return trace;
}

std::int64_t count_in_window(const std::vector<SealerEvent>& trace, SealerEventKind kind,
                             TimeMs from_ms, TimeMs to_ms) {
    std::int64_t count = 0;
    for (const SealerEvent& event : trace) {
        if (event.kind == kind && from_ms <= event.at_ms && event.at_ms < to_ms) ++count;
    }
    return count;
}

// Slot-milliseconds of `pool` busy within [from_ms, to_ms), from the start and end events.
double busy_ms_in_window(const std::vector<SealerEvent>& trace, ResourcePool pool,
                         TimeMs from_ms, TimeMs to_ms) {
    std::map<SectorNumber, TimeMs> started_at;
    double busy_ms = 0;
    for (const SealerEvent& event : trace) {
        if (resource_pool_of(event.task) != pool) continue;
        if (event.kind == SealerEventKind::kTaskStarted) {
            started_at[event.sector] = event.at_ms;
        } else if (event.kind == SealerEventKind::kTaskFinished ||
                   event.kind == SealerEventKind::kTaskFailed) {
            const TimeMs begin = std::max(started_at.at(event.sector), from_ms);
            const TimeMs end = std::min(event.at_ms, to_ms);
            if (end > begin) busy_ms += static_cast<double>(end - begin);
            started_at.erase(event.sector);
        }
    }
    for (const auto& [sector, start] : started_at) {  // still running at the end
        const TimeMs begin = std::max(start, from_ms);
        if (to_ms > begin) busy_ms += static_cast<double>(to_ms - begin);
    }
    return busy_ms;
}

double uniform_variance_ms2(const TaskProfile& task) {
    const double width = static_cast<double>(task.duration_max_ms - task.duration_min_ms) + 1;
    return (width * width - 1) / 12;
}

// Tolerance on the number of proven sectors in a window (see the header comment).
double proven_count_tolerance(const HardwareProfile& profile, double window_ms,
                              double success_per_attempt, double proven_per_ms) {
    const TaskProfile& pc1 = profile.task(SealingTask::kPreCommit1);
    const double mu = pc1.mean_duration_ms();
    const auto slots = static_cast<double>(profile.pc1_slots);
    const double attempts = slots * window_ms / mu;
    const double attempts_variance = slots * window_ms * uniform_variance_ms2(pc1) / (mu * mu * mu);
    const double latency_ms = profile.task(SealingTask::kPreCommit2).mean_duration_ms() +
                              static_cast<double>(kSeedWaitMs) +
                              profile.task(SealingTask::kCommit2).mean_duration_ms() +
                              60 * kMsPerMinute;  // C1 and a generous GPU queueing allowance
    const double in_transit = proven_per_ms * latency_ms;
    const double p = success_per_attempt;
    const double variance = attempts_variance * p * p + attempts * p * (1 - p) + 2 * in_transit;
    return slots + 5 * std::sqrt(variance);
}

// Checks a trace against the limits and the pipeline grammar, with its own model of both.
class TraceChecker {
public:
    TraceChecker(const HardwareProfile& profile, const SealerConfig& config)
        : profile_(profile), config_(config) {}

    void check(const std::vector<SealerEvent>& trace) {
        TimeMs last_ms = 0;
        for (const SealerEvent& event : trace) {
            ASSERT_GE(event.at_ms, last_ms);
            last_ms = event.at_ms;
            check_event(event);
            if (::testing::Test::HasFatalFailure()) return;
        }
    }

    std::int64_t started() const { return started_; }

private:
    enum class Expect { kTask, kSeed, kProveCommit, kDone };
    struct SectorModel {
        Expect expect = Expect::kTask;
        SealingTask next_task = SealingTask::kAddPiece;
        bool running = false;
        TimeMs started_ms = 0;
        std::int64_t failures = 0;
        TimeMs last_end_ms = 0;
    };

    void check_event(const SealerEvent& event) {
        switch (event.kind) {
            case SealerEventKind::kSectorStarted: return on_sector_started(event);
            case SealerEventKind::kTaskStarted: return on_task_started(event);
            case SealerEventKind::kTaskFinished:
            case SealerEventKind::kTaskFailed: return on_task_ended(event);
            case SealerEventKind::kSeedReady: return on_seed_ready(event);
            case SealerEventKind::kSubmitProveCommit: return on_submit(event);
            case SealerEventKind::kSectorFailed: return on_sector_failed(event);
        }
    }

    void on_sector_started(const SealerEvent& event) {
        ASSERT_FALSE(sectors_.contains(event.sector));
        // Sector k starts no earlier than its place on the target-rate grid.
        const TimeMs grid_ms = started_ * kDay / config_.target_sectors_per_day;
        ASSERT_GE(event.at_ms, grid_ms);
        sectors_[event.sector] = SectorModel{};
        ++started_;
        ++in_flight_;
        ASSERT_LE(in_flight_, config_.max_in_flight_sectors);
        ASSERT_LE(started_, config_.max_sectors_started);
    }

    void on_task_started(const SealerEvent& event) {
        SectorModel& sector = sectors_.at(event.sector);
        ASSERT_EQ(sector.expect, Expect::kTask);
        ASSERT_EQ(sector.next_task, event.task);
        ASSERT_FALSE(sector.running);
        if (sector.failures > 0) {
            ASSERT_GE(event.at_ms, sector.last_end_ms + profile_.retry_delay_ms);
        }
        sector.running = true;
        sector.started_ms = event.at_ms;
        const auto pool = pool_index(resource_pool_of(event.task));
        ++slots_in_use_[pool];
        memory_in_use_ += profile_.task(event.task).memory_gib;
        ASSERT_LE(slots_in_use_[pool], profile_.slots(resource_pool_of(event.task)));
        ASSERT_LE(memory_in_use_, profile_.memory_gib);
    }

    void on_task_ended(const SealerEvent& event) {
        SectorModel& sector = sectors_.at(event.sector);
        ASSERT_TRUE(sector.running);
        ASSERT_EQ(sector.next_task, event.task);
        const TaskProfile& spec = profile_.task(event.task);
        ASSERT_GE(event.at_ms - sector.started_ms, spec.duration_min_ms);
        ASSERT_LE(event.at_ms - sector.started_ms, spec.duration_max_ms);
        sector.running = false;
        sector.last_end_ms = event.at_ms;
        --slots_in_use_[pool_index(resource_pool_of(event.task))];
        memory_in_use_ -= spec.memory_gib;
        if (event.kind == SealerEventKind::kTaskFailed) {
            ++sector.failures;
            ASSERT_LE(sector.failures, profile_.retry_limit + 1);
            return;
        }
        sector.failures = 0;
        advance(sector, event.task);
    }

    static void advance(SectorModel& sector, SealingTask finished) {
        switch (finished) {
            case SealingTask::kAddPiece: sector.next_task = SealingTask::kPreCommit1; return;
            case SealingTask::kPreCommit1: sector.next_task = SealingTask::kPreCommit2; return;
            case SealingTask::kPreCommit2: sector.expect = Expect::kSeed; return;
            case SealingTask::kCommit1: sector.next_task = SealingTask::kCommit2; return;
            case SealingTask::kCommit2: sector.expect = Expect::kProveCommit; return;
        }
    }

    void on_seed_ready(const SealerEvent& event) {
        SectorModel& sector = sectors_.at(event.sector);
        ASSERT_EQ(sector.expect, Expect::kSeed);
        ASSERT_EQ(event.at_ms, sector.last_end_ms + kSeedWaitMs);
        sector.expect = Expect::kTask;
        sector.next_task = SealingTask::kCommit1;
    }

    void on_submit(const SealerEvent& event) {
        SectorModel& sector = sectors_.at(event.sector);
        ASSERT_EQ(sector.expect, Expect::kProveCommit);
        ASSERT_EQ(event.at_ms, sector.last_end_ms);
        sector.expect = Expect::kDone;
        --in_flight_;  // the drivers here land it at once
    }

    void on_sector_failed(const SealerEvent& event) {
        SectorModel& sector = sectors_.at(event.sector);
        ASSERT_EQ(sector.failures, profile_.retry_limit + 1);
        ASSERT_EQ(event.task, sector.next_task);
        ASSERT_EQ(event.at_ms, sector.last_end_ms);
        sector.expect = Expect::kDone;
        --in_flight_;
    }

    HardwareProfile profile_;
    SealerConfig config_;
    std::map<SectorNumber, SectorModel> sectors_;
    std::array<std::int64_t, kResourcePoolCount> slots_in_use_{};
    std::int64_t memory_in_use_ = 0;
    std::int64_t started_ = 0;
    std::int64_t in_flight_ = 0;
};

struct ThroughputRun {
    SealerConfig config;
    std::vector<SealerEvent> trace;
    TimeMs window_from_ms = 2 * kDay;
    TimeMs window_to_ms = 12 * kDay;
    double window_ms() const { return static_cast<double>(window_to_ms - window_from_ms); }
};

// A PC1-bound run: far more sectors wanted than PC1 can take, and a cap high enough to keep PC1's
// queue full.
ThroughputRun run_saturated(const HardwareProfile& profile, std::uint64_t seed) {
    ThroughputRun run;
    run.config = SealerConfig{.target_sectors_per_day = 2000,
                              .max_in_flight_sectors = 4 * profile.pc1_slots + 60};
    Sealer sealer(profile, run.config);
    util::Random random(seed);
    run.trace = drive(sealer, run.window_to_ms, random);
    TraceChecker(profile, run.config).check(run.trace);
    return run;
}

void expect_pc1_bound_throughput(const HardwareProfile& profile, std::uint64_t seed) {
    const ThroughputRun run = run_saturated(profile, seed);
    const ThroughputEstimate estimate = estimate_throughput(profile);
    ASSERT_EQ(estimate.bottleneck, ThroughputLimit::kPreCommit1Slots);
    const double expected_per_ms = estimate.proven_sectors_per_day / static_cast<double>(kDay);
    const double expected = expected_per_ms * run.window_ms();
    const auto proven = static_cast<double>(count_in_window(
        run.trace, SealerEventKind::kSubmitProveCommit, run.window_from_ms, run.window_to_ms));
    const double tolerance = proven_count_tolerance(profile, run.window_ms(), 1.0, expected_per_ms);
    EXPECT_NEAR(proven, expected, tolerance)
        << profile.pc1_slots << " PC1 slots: " << proven / 10 << " sectors/day, theory "
        << estimate.proven_sectors_per_day << " +- " << tolerance / 10;

    // PC1 is the bottleneck: busy all the time; the GPUs are not.
    const double pc1_utilisation =
        busy_ms_in_window(run.trace, ResourcePool::kPreCommit1Slots, run.window_from_ms,
                          run.window_to_ms) /
        (static_cast<double>(profile.pc1_slots) * run.window_ms());
    EXPECT_GT(pc1_utilisation, 0.995);
    EXPECT_LE(pc1_utilisation, 1.0);
    const double gpu_utilisation =
        busy_ms_in_window(run.trace, ResourcePool::kGpus, run.window_from_ms, run.window_to_ms) /
        (static_cast<double>(profile.gpus) * run.window_ms());
    const double gpu_theory =
        estimate.proven_sectors_per_day *
        (profile.task(SealingTask::kPreCommit2).mean_duration_ms() +
         profile.task(SealingTask::kCommit2).mean_duration_ms()) /
        (static_cast<double>(profile.gpus) * static_cast<double>(kDay));
    EXPECT_NEAR(gpu_utilisation, gpu_theory, 0.03);
    EXPECT_LT(gpu_utilisation, 0.9);
}

TEST(SealingThroughput, CommodityPresetSealsAbout325SectorsADayPc1Bound) {
    expect_pc1_bound_throughput(commodity_10tib_per_day_profile(), 20210601);
}

TEST(SealingThroughput, HalfThePc1SlotsSealsHalfAsMuch) {
    HardwareProfile half = commodity_10tib_per_day_profile();
    half.pc1_slots = 20;
    expect_pc1_bound_throughput(half, 20210602);
    // Directly: the two runs' rates are in ratio 1/2 within their combined tolerances.
    const HardwareProfile full = commodity_10tib_per_day_profile();
    const ThroughputRun full_run = run_saturated(full, 7);
    const ThroughputRun half_run = run_saturated(half, 8);
    auto proven = [](const ThroughputRun& run) {
        return static_cast<double>(count_in_window(run.trace, SealerEventKind::kSubmitProveCommit,
                                                   run.window_from_ms, run.window_to_ms));
    };
    const double full_per_ms = 40.0 / (177.0 * kMsPerMinute);
    const double tolerance =
        proven_count_tolerance(full, full_run.window_ms(), 1.0, full_per_ms) +
        2 * proven_count_tolerance(half, half_run.window_ms(), 1.0, full_per_ms / 2);
    EXPECT_NEAR(2 * proven(half_run), proven(full_run), tolerance);
}

TEST(SealingThroughput, SmallPresetSealsAboutOneTibADay) {
    expect_pc1_bound_throughput(small_1tib_per_day_profile(), 42);
}

TEST(SealingThroughput, Pc1FailuresAndRetriesMatchTheEstimate) {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    const double p = 0.3;
    profile.task(SealingTask::kPreCommit1).failure_probability = p;
    profile.retry_limit = 1;
    const ThroughputRun run = run_saturated(profile, 99);
    const ThroughputEstimate estimate = estimate_throughput(profile);
    // Every PC1 attempt succeeds with 1 - p, so the proven rate is (1 - p) * 40 / 177 per minute,
    // the same as the estimate's 40 * 1440 / (177 * (1 + p)) * (1 - p^2) per day.
    EXPECT_NEAR(estimate.proven_sectors_per_day, (1 - p) * 40 * 1440 / 177.0, 1e-9);
    const double expected_per_ms = estimate.proven_sectors_per_day / static_cast<double>(kDay);
    const auto proven = static_cast<double>(count_in_window(
        run.trace, SealerEventKind::kSubmitProveCommit, run.window_from_ms, run.window_to_ms));
    EXPECT_NEAR(proven, expected_per_ms * run.window_ms(),
                proven_count_tolerance(profile, run.window_ms(), 1 - p, expected_per_ms));
    // A sector fails when its retry fails too: p^2 of the sectors, i.e. p^2 / (1 + p) of the
    // PC1 attempts (40 / 177 a minute).
    const double attempts = 40 * run.window_ms() / (177.0 * kMsPerMinute);
    const double failing_share = p * p / (1 + p);
    const double expected_failed = attempts * failing_share;
    const auto failed = static_cast<double>(count_in_window(
        run.trace, SealerEventKind::kSectorFailed, run.window_from_ms, run.window_to_ms));
    EXPECT_NEAR(failed, expected_failed, 40 * failing_share + 5 * std::sqrt(expected_failed));
    for (const SealerEvent& event : run.trace) {
        if (event.kind == SealerEventKind::kSectorFailed) {
            ASSERT_EQ(event.task, SealingTask::kPreCommit1);
        }
    }
}

HardwareProfile random_profile(util::Random& random) {
    HardwareProfile profile;
    profile.name = "random";
    auto count = [&random](std::uint64_t max) {
        return 1 + static_cast<std::int64_t>(random.below(max));
    };
    profile.addpiece_slots = count(3);
    profile.pc1_slots = count(8);
    profile.c1_slots = count(2);
    profile.gpus = count(3);
    std::int64_t largest_memory = 0;
    for (SealingTask task : kAllSealingTasks) {
        TaskProfile& spec = profile.task(task);
        spec.duration_min_ms = static_cast<TimeMs>(random.below(20)) * kMsPerMinute;
        spec.duration_max_ms =
            spec.duration_min_ms + 1 + static_cast<TimeMs>(random.below(20 * kMsPerMinute));
        spec.memory_gib = static_cast<std::int64_t>(random.below(100));
        spec.failure_probability = random.uniform(0.0, 0.3);
        largest_memory = std::max(largest_memory, spec.memory_gib);
    }
    profile.memory_gib = largest_memory + static_cast<std::int64_t>(random.below(400));
    profile.retry_limit = static_cast<std::int64_t>(random.below(4));
    profile.retry_delay_ms = static_cast<TimeMs>(random.below(3 * kMsPerMinute));
    profile.winning_post_min_ms = kMsPerSecond;
    profile.winning_post_max_ms = kMsPerSecond;
    profile.window_post_min_ms_per_partition = kMsPerMinute;
    profile.window_post_max_ms_per_partition = kMsPerMinute;
    return profile;
}

TEST(SealingLimits, RandomRunsNeverExceedResourcesAndFollowThePipeline) {
    util::Random random(314159);
    for (int run = 0; run < 40; ++run) {
        const HardwareProfile profile = random_profile(random);
        ASSERT_EQ(profile_error(profile), std::nullopt);
        const SealerConfig config{
            .target_sectors_per_day = 10 + static_cast<std::int64_t>(random.below(500)),
            .max_in_flight_sectors = 1 + static_cast<std::int64_t>(random.below(40)),
            .max_sectors_started = 50 + static_cast<std::int64_t>(random.below(200)),
        };
        Sealer sealer(profile, config);
        util::Random run_random = random.fork();
        const std::vector<SealerEvent> trace = drive(sealer, 3 * kDay, run_random);
        TraceChecker checker(profile, config);
        checker.check(trace);
        ASSERT_FALSE(HasFatalFailure()) << "run " << run;
        EXPECT_GT(checker.started(), 0);
        EXPECT_EQ(sealer.sectors_started(),
                  sealer.sectors_in_flight() + sealer.sectors_proven() + sealer.sectors_failed());
    }
}

TEST(SealingPacing, StartsFollowTheTargetRateWhenCapacityAllows) {
    Sealer sealer(commodity_10tib_per_day_profile(),
                  SealerConfig{.target_sectors_per_day = 100, .max_in_flight_sectors = 1000,
                               .start_ms = 5 * kMsPerMinute, .first_sector_number = 1000});
    util::Random random(3);
    const std::vector<SealerEvent> trace = drive(sealer, 4 * kDay, random);
    std::int64_t k = 0;
    for (const SealerEvent& event : trace) {
        if (event.kind != SealerEventKind::kSectorStarted) continue;
        EXPECT_EQ(event.sector, 1000u + static_cast<SectorNumber>(k));
        EXPECT_EQ(event.at_ms, 5 * kMsPerMinute + k * kDay / 100);
        ++k;
    }
    EXPECT_EQ(k, 400);  // starts at 5 min + 864 s * k, k < 400, within 4 days
    // Well below capacity, every sector is proven 265-297 min after it starts (the sum of its
    // task ranges and the seed wait, plus little queueing), so a day sees the target +- a few.
    const std::int64_t proven_on_day_2 =
        count_in_window(trace, SealerEventKind::kSubmitProveCommit, 2 * kDay, 3 * kDay);
    EXPECT_NEAR(static_cast<double>(proven_on_day_2), 100.0, 4.0);
    EXPECT_EQ(sealer.proven_power_bytes(),
              static_cast<chain::StoragePower>(sealer.sectors_proven()) * kSectorSizeBytes);
}

TEST(SealingPacing, TheInFlightCapHoldsBackNewSectors) {
    const SealerConfig config{.target_sectors_per_day = 10'000, .max_in_flight_sectors = 10};
    Sealer sealer(commodity_10tib_per_day_profile(), config);
    util::Random random(4);
    const std::vector<SealerEvent> trace = drive(sealer, kDay, random);
    TraceChecker(commodity_10tib_per_day_profile(), config).check(trace);
    // Ten sectors at a time, each taking about 5 h: about 10 * 24 / 5 a day, far below PC1's 325.
    EXPECT_LT(sealer.sectors_proven(), 60);
    EXPECT_GT(sealer.sectors_proven(), 30);
}

TEST(SealingPacing, ALateProveCommitDelaysTheNextStartUntilItLands) {
    Sealer sealer(commodity_10tib_per_day_profile(),
                  SealerConfig{.target_sectors_per_day = 1000, .max_in_flight_sectors = 1});
    util::Random random(5);
    std::optional<SectorNumber> submitted;
    TimeMs submitted_at = 0;
    while (!submitted) {
        const TimeMs next = *sealer.next_deadline();
        for (const SealerEvent& event : sealer.advance_to(next, random)) {
            if (event.kind == SealerEventKind::kSubmitProveCommit) {
                submitted = event.sector;
                submitted_at = event.at_ms;
            }
        }
    }
    // The only place is taken until the ProveCommit lands: nothing is due.
    EXPECT_FALSE(sealer.next_deadline().has_value());
    const TimeMs landed_at = submitted_at + 10 * kMsPerMinute;
    sealer.advance_to(landed_at, random);
    const ProvenSector proven = sealer.prove_commit_landed(*submitted, pool::epoch_at(landed_at),
                                                           landed_at);
    EXPECT_EQ(proven.raw_power_bytes, kSectorSizeBytes);
    EXPECT_EQ(proven.landed_epoch, pool::epoch_at(landed_at));
    EXPECT_EQ(sealer.next_deadline(), landed_at);
    const std::vector<SealerEvent> events = sealer.advance_to(landed_at, random);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0], (SealerEvent{landed_at, SealerEventKind::kSectorStarted, 1,
                                      SealingTask::kAddPiece}));
}

SealerConfig determinism_config() {
    return SealerConfig{.target_sectors_per_day = 500, .max_in_flight_sectors = 100'000};
}

HardwareProfile flaky_profile() {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    for (SealingTask task : kAllSealingTasks) profile.task(task).failure_probability = 0.05;
    return profile;
}

TEST(SealingConfig, ErrorsNameTheFieldAndBoundTheStartTime) {
    SealerConfig config{.target_sectors_per_day = 100, .max_in_flight_sectors = 10};
    EXPECT_EQ(sealer_config_error(config), std::nullopt);
    config.start_ms = std::numeric_limits<TimeMs>::max() - 1;  // start times would wrap
    const auto error = sealer_config_error(config);
    ASSERT_TRUE(error.has_value());
    EXPECT_NE(error->find("start_ms"), std::string::npos);
    config.start_ms = util::kMaxConfiguredMs;
    EXPECT_EQ(sealer_config_error(config), std::nullopt);
    config.target_sectors_per_day = 0;
    EXPECT_NE(sealer_config_error(config)->find("target_sectors_per_day"), std::string::npos);
}

// The longest allowed retry delay and durations, from the latest allowed start: every timer
// stays ahead of the clock (nothing wraps to the past).
TEST(SealingLimits, TheLongestDurationsFromTheLatestStartDoNotWrap) {
    HardwareProfile profile = small_1tib_per_day_profile();
    profile.task(SealingTask::kAddPiece).duration_min_ms = util::kMaxConfiguredMs;
    profile.task(SealingTask::kAddPiece).duration_max_ms = util::kMaxConfiguredMs;
    profile.retry_delay_ms = util::kMaxConfiguredMs;
    ASSERT_EQ(profile_error(profile), std::nullopt);
    Sealer sealer(profile, SealerConfig{.target_sectors_per_day = 1,
                                        .max_in_flight_sectors = 1,
                                        .start_ms = util::kMaxConfiguredMs});
    util::Random random(3);
    sealer.advance_to(util::kMaxConfiguredMs, random);
    EXPECT_EQ(sealer.sectors_started(), 1);
    EXPECT_EQ(sealer.next_deadline(), 2 * util::kMaxConfiguredMs);  // AddPiece's end
}

TEST(SealingDeterminism, SameSeedSameTraceOtherSeedOtherTrace) {
    auto run = [](std::uint64_t seed) {
        Sealer sealer(flaky_profile(), determinism_config());
        util::Random random(seed);
        return drive(sealer, 3 * kDay, random);
    };
    const std::vector<SealerEvent> first = run(11);
    EXPECT_GT(first.size(), 1000u);
    EXPECT_EQ(run(11), first);
    EXPECT_NE(run(12), first);
}

TEST(SealingDeterminism, CoarseAndFineSteppingGiveTheSameTrace) {
    Sealer by_deadline(flaky_profile(), determinism_config());
    Sealer by_epoch(flaky_profile(), determinism_config());
    Sealer by_hour(flaky_profile(), determinism_config());
    util::Random random_a(21);
    util::Random random_b(21);
    util::Random random_c(21);
    const TimeMs end = 2 * kDay;
    const std::vector<SealerEvent> a = drive(by_deadline, end, random_a);
    const std::vector<SealerEvent> b =
        drive_in_steps(by_epoch, end, pool::kEpochDurationMs, random_b);
    const std::vector<SealerEvent> c = drive_in_steps(by_hour, end, kMsPerHour, random_c);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a, c);
}

}  // namespace
}  // namespace minerx::sealing
