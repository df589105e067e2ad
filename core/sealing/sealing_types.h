#pragma once

// Vocabulary of the sealing model: sector numbers, the compute tasks of the sealing pipeline, the
// sector size, and time units. Time is pool::TimeMs (milliseconds since genesis, passed in by the
// driver) for the sealer, and chain epochs for everything the chain decides (seed, ProveCommit,
// WindowPoSt deadlines).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/chain/chain_types.h"
#include "core/pool/pool_types.h"
#include "core/util/random.h"

namespace minerx::sealing {

using TimeMs = pool::TimeMs;
// abi.SectorNumber: a miner's sectors are numbered from 0 upwards, never reused.
using SectorNumber = std::uint64_t;

inline constexpr TimeMs kMsPerSecond = 1000;
inline constexpr TimeMs kMsPerMinute = 60 * kMsPerSecond;
inline constexpr TimeMs kMsPerHour = 60 * kMsPerMinute;
inline constexpr TimeMs kMsPerDay = 24 * kMsPerHour;

// Every sector in minerx is a 32 GiB committed-capacity sector (StackedDrg32GiBV1_1): its raw and
// quality-adjusted power are both 32 GiB. Deal sectors (QA multipliers) are not modelled.
inline constexpr chain::StoragePower kSectorSizeBytes = chain::StoragePower{32} << 30;
inline constexpr chain::StoragePower kTiBBytes = chain::StoragePower{1} << 40;
inline constexpr std::int64_t kSectorsPerTiB = 32;

// specs-actors actors/builtin/miner/policy.go: PreCommitChallengeDelay = 150 epochs, the wait
// between a sector's PreCommit and the interactive seed its ProveCommit proof must use (75 min).
inline constexpr chain::ChainEpoch kPreCommitChallengeDelay = 150;
inline constexpr TimeMs kSeedWaitMs = kPreCommitChallengeDelay * pool::kEpochDurationMs;
static_assert(kSeedWaitMs == 75 * kMsPerMinute);

// The compute tasks of sealing one sector, in pipeline order (Lotus sealtasks: TTAddPiece,
// TTPreCommit1, TTPreCommit2, TTCommit1, TTCommit2). WaitSeed and ProveCommit are chain waits, not
// tasks: they hold no hardware.
enum class SealingTask : std::uint8_t {
    kAddPiece,
    kPreCommit1,
    kPreCommit2,
    kCommit1,
    kCommit2,
};
inline constexpr std::size_t kSealingTaskCount = 5;
inline constexpr std::array<SealingTask, kSealingTaskCount> kAllSealingTasks = {
    SealingTask::kAddPiece, SealingTask::kPreCommit1, SealingTask::kPreCommit2,
    SealingTask::kCommit1,  SealingTask::kCommit2,
};

inline constexpr std::size_t task_index(SealingTask task) { return static_cast<std::size_t>(task); }

// "AddPiece", "PC1", "PC2", "C1", "C2".
std::string_view task_name(SealingTask task);

// A duration drawn uniformly from the whole milliseconds in [min_ms, max_ms].
// REQUIRES: 0 <= min_ms <= max_ms.
TimeMs uniform_duration_ms(TimeMs min_ms, TimeMs max_ms, util::Random& random);

}  // namespace minerx::sealing
