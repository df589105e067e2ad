#include "core/sealing/hardware_profile.h"

#include <utility>

#include "core/util/assert.h"
#include "core/util/limits.h"

namespace minerx::sealing {
namespace {

constexpr std::int64_t kRetryLimitMax = 100;

std::string task_field(SealingTask task, std::string_view field) {
    return "tasks." + std::string(task_name(task)) + "." + std::string(field);
}

std::optional<std::string> probability_error(double probability, const std::string& field) {
    if (!(probability >= 0.0 && probability <= 1.0)) return field + " must be in [0, 1]";
    return std::nullopt;
}

// Durations are bounded by 100 years, so that adding one to any time a run meets cannot wrap.
std::string too_long(const std::string& field) {
    return field + " must be <= " + std::to_string(util::kMaxConfiguredMs) + " ms (100 years)";
}

std::optional<std::string> range_error(TimeMs min_ms, TimeMs max_ms, const std::string& field) {
    if (min_ms < 0) return field + "_min_ms must be >= 0";
    if (max_ms < min_ms) return field + "_max_ms must be >= " + field + "_min_ms";
    if (max_ms > util::kMaxConfiguredMs) return too_long(field + "_max_ms");
    return std::nullopt;
}

std::optional<std::string> task_error(const HardwareProfile& profile, SealingTask task) {
    const TaskProfile& spec = profile.task(task);
    if (auto error = range_error(spec.duration_min_ms, spec.duration_max_ms,
                                 task_field(task, "duration"))) {
        return error;
    }
    const bool must_take_time = task == SealingTask::kPreCommit1 || task == SealingTask::kCommit2;
    if (must_take_time && spec.duration_max_ms == 0) {
        return task_field(task, "duration_max_ms") + " must be > 0";
    }
    if (spec.memory_gib < 0) return task_field(task, "memory_gib") + " must be >= 0";
    if (spec.memory_gib > profile.memory_gib) {
        return task_field(task, "memory_gib") + " exceeds memory_gib: the task could never start";
    }
    return probability_error(spec.failure_probability, task_field(task, "failure_probability"));
}

std::optional<std::string> slots_error(const HardwareProfile& profile) {
    if (profile.addpiece_slots < 1) return std::string("addpiece_slots must be >= 1");
    if (profile.pc1_slots < 1) return std::string("pc1_slots must be >= 1");
    if (profile.c1_slots < 1) return std::string("c1_slots must be >= 1");
    if (profile.gpus < 1) return std::string("gpus must be >= 1");
    if (profile.memory_gib < 1) return std::string("memory_gib must be >= 1");
    return std::nullopt;
}

std::optional<std::string> post_error(const HardwareProfile& profile) {
    if (auto error = range_error(profile.winning_post_min_ms, profile.winning_post_max_ms,
                                 "winning_post")) {
        return error;
    }
    if (auto error = probability_error(profile.winning_post_failure_probability,
                                       "winning_post_failure_probability")) {
        return error;
    }
    if (auto error = range_error(profile.window_post_min_ms_per_partition,
                                 profile.window_post_max_ms_per_partition, "window_post")) {
        return error;
    }
    return probability_error(profile.window_post_failure_probability,
                             "window_post_failure_probability");
}

TaskProfile task_profile(TimeMs min_ms, TimeMs max_ms, std::int64_t memory_gib) {
    return TaskProfile{.duration_min_ms = min_ms,
                       .duration_max_ms = max_ms,
                       .memory_gib = memory_gib,
                       .failure_probability = 0.0};
}

// Durations measured by damocles for a 32 GiB sector (EPYC 7642, RTX 3080); memory from Lotus'
// resource table. PC1 is set per preset. No public failure rate exists: presets fail nothing and
// scenarios set failure_probability explicitly.
HardwareProfile measured_task_defaults(std::string name, TimeMs pc1_min_ms, TimeMs pc1_max_ms) {
    HardwareProfile profile;
    profile.name = std::move(name);
    profile.task(SealingTask::kAddPiece) = task_profile(2 * kMsPerMinute, 4 * kMsPerMinute, 4);
    profile.task(SealingTask::kPreCommit1) = task_profile(pc1_min_ms, pc1_max_ms, 64);
    profile.task(SealingTask::kPreCommit2) =
        task_profile(10 * kMsPerMinute, 13 * kMsPerMinute, 15);
    profile.task(SealingTask::kCommit1) = task_profile(kMsPerSecond, kMsPerSecond, 1);
    profile.task(SealingTask::kCommit2) =
        task_profile(13 * kMsPerMinute, 16 * kMsPerMinute, 150);
    profile.retry_limit = 5;
    profile.retry_delay_ms = 30 * kMsPerSecond;
    profile.winning_post_min_ms = 1 * kMsPerSecond;
    profile.winning_post_max_ms = 10 * kMsPerSecond;
    profile.window_post_min_ms_per_partition = 4 * kMsPerMinute;
    profile.window_post_max_ms_per_partition = 10 * kMsPerMinute;
    return profile;
}

}  // namespace

ResourcePool resource_pool_of(SealingTask task) {
    switch (task) {
        case SealingTask::kAddPiece: return ResourcePool::kAddPieceSlots;
        case SealingTask::kPreCommit1: return ResourcePool::kPreCommit1Slots;
        case SealingTask::kCommit1: return ResourcePool::kCommit1Slots;
        case SealingTask::kPreCommit2:
        case SealingTask::kCommit2: return ResourcePool::kGpus;
    }
    util::assertion_failed("unknown SealingTask", __FILE__, __LINE__);
}

std::string_view resource_pool_name(ResourcePool pool) {
    switch (pool) {
        case ResourcePool::kAddPieceSlots: return "addpiece_slots";
        case ResourcePool::kPreCommit1Slots: return "pc1_slots";
        case ResourcePool::kCommit1Slots: return "c1_slots";
        case ResourcePool::kGpus: return "gpus";
    }
    util::assertion_failed("unknown ResourcePool", __FILE__, __LINE__);
}

std::int64_t HardwareProfile::slots(ResourcePool pool) const {
    switch (pool) {
        case ResourcePool::kAddPieceSlots: return addpiece_slots;
        case ResourcePool::kPreCommit1Slots: return pc1_slots;
        case ResourcePool::kCommit1Slots: return c1_slots;
        case ResourcePool::kGpus: return gpus;
    }
    util::assertion_failed("unknown ResourcePool", __FILE__, __LINE__);
}

std::optional<std::string> profile_error(const HardwareProfile& profile) {
    if (profile.name.empty()) return std::string("name must not be empty");
    if (auto error = slots_error(profile)) return error;
    for (SealingTask task : kAllSealingTasks) {
        if (auto error = task_error(profile, task)) return error;
    }
    if (profile.retry_limit < 0 || profile.retry_limit > kRetryLimitMax) {
        return "retry_limit must be in [0, " + std::to_string(kRetryLimitMax) + "]";
    }
    if (profile.retry_delay_ms < 0) return std::string("retry_delay_ms must be >= 0");
    if (profile.retry_delay_ms > util::kMaxConfiguredMs) return too_long("retry_delay_ms");
    return post_error(profile);
}

HardwareProfile commodity_10tib_per_day_profile() {
    HardwareProfile profile = measured_task_defaults("commodity_10tib_per_day",
                                                     165 * kMsPerMinute, 189 * kMsPerMinute);
    profile.addpiece_slots = 2;
    profile.pc1_slots = 40;
    profile.c1_slots = 4;
    profile.gpus = 8;
    // 40 PC1 x 64 + 8 GPU tasks x 150 (C2 peak) + 2 x 4 + 4 x 1 = 3772 GiB: memory never binds.
    profile.memory_gib = 4096;
    return profile;
}

HardwareProfile small_1tib_per_day_profile() {
    HardwareProfile profile = measured_task_defaults("small_1tib_per_day", 210 * kMsPerMinute,
                                                     230 * kMsPerMinute);
    profile.addpiece_slots = 1;
    profile.pc1_slots = 5;
    profile.c1_slots = 1;
    profile.gpus = 1;
    // 5 x 64 + 150 + 4 + 1 = 475 GiB.
    profile.memory_gib = 512;
    return profile;
}

std::optional<HardwareProfile> preset_profile(std::string_view name) {
    if (name == "commodity_10tib_per_day") return commodity_10tib_per_day_profile();
    if (name == "small_1tib_per_day") return small_1tib_per_day_profile();
    return std::nullopt;
}

std::vector<std::string_view> preset_profile_names() {
    return {"commodity_10tib_per_day", "small_1tib_per_day"};
}

}  // namespace minerx::sealing
