// Hardware profiles: the presets, validation of profiles built from scenario files, and the
// throughput arithmetic (the BRIEF's "10 TiB/day = 320 sectors/day ~ 40 PC1 slots") computed from
// a profile rather than by hand.

#include "core/sealing/hardware_profile.h"

#include <cmath>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "core/sealing/throughput_estimate.h"
#include "core/util/limits.h"

namespace minerx::sealing {
namespace {

constexpr double kMinutesPerDay = 1440.0;

double mean_minutes(const HardwareProfile& profile, SealingTask task) {
    return profile.task(task).mean_duration_ms() / static_cast<double>(kMsPerMinute);
}

TEST(HardwareProfile, PresetsAreValidAndFoundByName) {
    for (std::string_view name : preset_profile_names()) {
        std::optional<HardwareProfile> profile = preset_profile(name);
        ASSERT_TRUE(profile.has_value()) << name;
        EXPECT_EQ(profile->name, name);
        EXPECT_EQ(profile_error(*profile), std::nullopt) << name;
    }
    EXPECT_FALSE(preset_profile("no_such_profile").has_value());
}

TEST(HardwareProfile, DefaultsAreTheMeasuredDurations) {
    const HardwareProfile profile = commodity_10tib_per_day_profile();
    // damocles' measurements: AddPiece ~3 min, PC1 ~177, PC2 10-13, C1 ~1 s, C2 13-16.
    EXPECT_DOUBLE_EQ(mean_minutes(profile, SealingTask::kAddPiece), 3.0);
    EXPECT_DOUBLE_EQ(mean_minutes(profile, SealingTask::kPreCommit1), 177.0);
    EXPECT_EQ(profile.task(SealingTask::kPreCommit2).duration_min_ms, 10 * kMsPerMinute);
    EXPECT_EQ(profile.task(SealingTask::kPreCommit2).duration_max_ms, 13 * kMsPerMinute);
    EXPECT_EQ(profile.task(SealingTask::kCommit1).duration_max_ms, kMsPerSecond);
    EXPECT_EQ(profile.task(SealingTask::kCommit2).duration_min_ms, 13 * kMsPerMinute);
    EXPECT_EQ(profile.task(SealingTask::kCommit2).duration_max_ms, 16 * kMsPerMinute);
    EXPECT_EQ(profile.winning_post_min_ms, 1 * kMsPerSecond);
    EXPECT_EQ(profile.winning_post_max_ms, 10 * kMsPerSecond);
    EXPECT_DOUBLE_EQ(mean_minutes(small_1tib_per_day_profile(), SealingTask::kPreCommit1), 220.0);
}

TEST(HardwareProfile, ErrorsNameTheOffendingField) {
    struct Case {
        void (*break_it)(HardwareProfile&);
        std::string field;
    };
    const Case cases[] = {
        {[](HardwareProfile& p) { p.name.clear(); }, "name"},
        {[](HardwareProfile& p) { p.pc1_slots = 0; }, "pc1_slots"},
        {[](HardwareProfile& p) { p.gpus = -1; }, "gpus"},
        {[](HardwareProfile& p) { p.memory_gib = 0; }, "memory_gib"},
        {[](HardwareProfile& p) { p.task(SealingTask::kCommit2).memory_gib = 5000; },
         "tasks.C2.memory_gib"},
        {[](HardwareProfile& p) { p.task(SealingTask::kPreCommit1).duration_min_ms = -1; },
         "tasks.PC1.duration_min_ms"},
        {[](HardwareProfile& p) { p.task(SealingTask::kPreCommit2).duration_max_ms = 1; },
         "tasks.PC2.duration_max_ms"},
        {[](HardwareProfile& p) {
             p.task(SealingTask::kCommit2).duration_min_ms = 0;
             p.task(SealingTask::kCommit2).duration_max_ms = 0;
         },
         "tasks.C2.duration_max_ms"},
        {[](HardwareProfile& p) { p.task(SealingTask::kAddPiece).failure_probability = 1.5; },
         "tasks.AddPiece.failure_probability"},
        {[](HardwareProfile& p) { p.retry_limit = -1; }, "retry_limit"},
        {[](HardwareProfile& p) { p.retry_delay_ms = -5; }, "retry_delay_ms"},
        {[](HardwareProfile& p) { p.winning_post_max_ms = 0; }, "winning_post_max_ms"},
        {[](HardwareProfile& p) { p.window_post_failure_probability = -0.1; },
         "window_post_failure_probability"},
        // Durations beyond 100 years would wrap when added to a time.
        {[](HardwareProfile& p) {
             p.task(SealingTask::kPreCommit1).duration_max_ms = std::numeric_limits<TimeMs>::max();
         },
         "tasks.PC1.duration_max_ms"},
        {[](HardwareProfile& p) { p.retry_delay_ms = util::kMaxConfiguredMs + 1; },
         "retry_delay_ms"},
        {[](HardwareProfile& p) { p.winning_post_max_ms = std::numeric_limits<TimeMs>::max(); },
         "winning_post_max_ms"},
        {[](HardwareProfile& p) {
             p.window_post_max_ms_per_partition = util::kMaxConfiguredMs + 1;
         },
         "window_post_max_ms"},
    };
    for (const Case& c : cases) {
        HardwareProfile profile = commodity_10tib_per_day_profile();
        c.break_it(profile);
        std::optional<std::string> error = profile_error(profile);
        ASSERT_TRUE(error.has_value()) << c.field;
        EXPECT_NE(error->find(c.field), std::string::npos) << *error;
    }
    HardwareProfile longest = commodity_10tib_per_day_profile();
    longest.retry_delay_ms = util::kMaxConfiguredMs;
    longest.task(SealingTask::kPreCommit1).duration_max_ms = util::kMaxConfiguredMs;
    EXPECT_EQ(profile_error(longest), std::nullopt);
}

TEST(HardwareProfileThroughput, CommodityPresetReproducesTheBriefArithmetic) {
    const HardwareProfile profile = commodity_10tib_per_day_profile();
    const ThroughputEstimate estimate = estimate_throughput(profile);
    // 40 PC1 slots, each busy 177 min per sector: 40 * 1440 / 177 = 325.4 sectors a day.
    EXPECT_EQ(estimate.bottleneck, ThroughputLimit::kPreCommit1Slots);
    EXPECT_NEAR(estimate.started_sectors_per_day, 40 * kMinutesPerDay / 177.0, 1e-9);
    EXPECT_DOUBLE_EQ(estimate.success_probability, 1.0);
    EXPECT_GE(estimate.proven_tib_per_day(), 10.0);
    EXPECT_LT(estimate.proven_tib_per_day(), 10.5);
    // And the other way round: 10 TiB/day = 320 sectors/day needs ceil(320 * 177 / 1440) = 40
    // concurrent PC1 slots, and ceil(320 * (11.5 + 14.5) / 1440) = 6 GPUs (the BRIEF: 6-7).
    EXPECT_EQ(10 * kSectorsPerTiB, 320);
    EXPECT_EQ(slots_needed(ResourcePool::kPreCommit1Slots, 320.0, profile), 40);
    EXPECT_EQ(slots_needed(ResourcePool::kGpus, 320.0, profile), 6);
    // The GPUs have slack: 8 GPUs could start 8 * 1440 / 26 = 443 sectors a day.
    const auto gpu_limit = static_cast<std::size_t>(ThroughputLimit::kGpus);
    EXPECT_NEAR(estimate.started_per_day_by_limit[gpu_limit], 8 * kMinutesPerDay / 26.0, 1e-9);
}

TEST(HardwareProfileThroughput, SmallPresetIsAboutOneTibPerDay) {
    const ThroughputEstimate estimate = estimate_throughput(small_1tib_per_day_profile());
    EXPECT_EQ(estimate.bottleneck, ThroughputLimit::kPreCommit1Slots);
    // venus-docs' single box: 5 PC1 at 220 min.
    EXPECT_NEAR(estimate.proven_sectors_per_day, 5 * kMinutesPerDay / 220.0, 1e-9);
    EXPECT_GE(estimate.proven_tib_per_day(), 1.0);
    EXPECT_LT(estimate.proven_tib_per_day(), 1.1);
}

TEST(HardwareProfileThroughput, HalfThePc1SlotsHalvesThePc1BoundRate) {
    HardwareProfile full = commodity_10tib_per_day_profile();
    HardwareProfile half = full;
    half.pc1_slots = full.pc1_slots / 2;
    EXPECT_NEAR(estimate_throughput(half).proven_sectors_per_day,
                estimate_throughput(full).proven_sectors_per_day / 2, 1e-9);
}

TEST(HardwareProfileThroughput, MemoryCanBeTheBottleneck) {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    profile.memory_gib = 1024;
    // GiB-minutes per sector: AddPiece 4*3, PC1 64*177, PC2 15*11.5, C1 1*(1/60), C2 150*14.5.
    const double memory_work = 4 * 3.0 + 64 * 177.0 + 15 * 11.5 + 1 / 60.0 + 150 * 14.5;
    const ThroughputEstimate estimate = estimate_throughput(profile);
    EXPECT_EQ(estimate.bottleneck, ThroughputLimit::kMemory);
    EXPECT_NEAR(estimate.started_sectors_per_day, 1024 * kMinutesPerDay / memory_work, 1e-6);
}

TEST(HardwareProfileThroughput, RetriesCostSlotTimeAndFailuresLoseSectors) {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    const double p = 0.2;
    profile.task(SealingTask::kPreCommit1).failure_probability = p;
    profile.retry_limit = 2;
    // Expected PC1 attempts once reached: 1 + p + p^2; a sector is lost if all 3 fail (p^3).
    const double attempts = 1 + p + p * p;
    const double survive = 1 - p * p * p;
    const SectorWork work = expected_sector_work(profile);
    EXPECT_NEAR(work.success_probability, survive, 1e-12);
    EXPECT_NEAR(work.slot_ms_by_pool[pool_index(ResourcePool::kPreCommit1Slots)],
                attempts * 177.0 * kMsPerMinute, 1e-3);
    // Only surviving sectors reach the GPU tasks.
    EXPECT_NEAR(work.slot_ms_by_pool[pool_index(ResourcePool::kGpus)],
                survive * (11.5 + 14.5) * kMsPerMinute, 1e-3);
    const ThroughputEstimate estimate = estimate_throughput(profile);
    EXPECT_NEAR(estimate.proven_sectors_per_day, 40 * kMinutesPerDay / (177.0 * attempts) * survive,
                1e-9);
}

}  // namespace
}  // namespace minerx::sealing
