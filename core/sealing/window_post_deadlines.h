#pragma once

// WindowPoSt deadline arithmetic of the miner actor, as in specs-actors v5 (mid-2021 mainnet):
// actors/builtin/miner/policy.go (constants), go-state-types dline/deadline.go (DeadlineInfo) and
// actors/builtin/miner/deadlines.go (deadlineIsMutable). research/election.md §7.
//
// A miner's proving period is 2880 epochs (24 h), split into 48 deadlines of 60 epochs. Its
// periods start at epochs congruent to its proving-period offset modulo 2880 (the actor derives
// the offset from a hash of its address; callers pass it in). Deadline i of the period starting at
// S: open = S + 60 i, close = open + 60, challenge = open - 20, fault cutoff = open - 70. A proof
// for the deadline must land in an epoch in [open, close); the deadline's cron runs at the end of
// its last epoch, close - 1.

#include <cstdint>

#include "core/chain/chain_types.h"

namespace minerx::sealing {

inline constexpr chain::ChainEpoch kWPoStProvingPeriod = chain::kEpochsPerDay;
inline constexpr chain::ChainEpoch kWPoStChallengeWindow = 30 * 60 / chain::kEpochDurationSeconds;
inline constexpr std::int64_t kWPoStPeriodDeadlines = 48;
inline constexpr chain::ChainEpoch kWPoStChallengeLookback = 20;
inline constexpr chain::ChainEpoch kFaultDeclarationCutoff = kWPoStChallengeLookback + 50;
// FaultMaxAge = WPoStProvingPeriod * 14 in actors v0-v6 (mainnet through 2021); 42 days from v7.
inline constexpr chain::ChainEpoch kFaultMaxAge2021 = kWPoStProvingPeriod * 14;
inline constexpr chain::ChainEpoch kFaultMaxAgeFromV7 = kWPoStProvingPeriod * 42;
// policy.go MaxPartitionsPerDeadline; builtin/sector.go WindowPoStPartitionSectors for 32 GiB.
inline constexpr std::int64_t kMaxPartitionsPerDeadline = 3000;
inline constexpr std::int64_t kWindowPoStPartitionSectors32GiB = 2349;

static_assert(kWPoStChallengeWindow == 60);
static_assert(kWPoStChallengeWindow * kWPoStPeriodDeadlines == kWPoStProvingPeriod);
static_assert(kFaultDeclarationCutoff == 70);

struct DeadlineInfo {
    chain::ChainEpoch period_start = 0;
    std::int64_t index = 0;
    chain::ChainEpoch open = 0;
    chain::ChainEpoch close = 0;
    chain::ChainEpoch challenge = 0;
    chain::ChainEpoch fault_cutoff = 0;

    chain::ChainEpoch last() const { return close - 1; }
    bool is_open(chain::ChainEpoch epoch) const { return open <= epoch && epoch < close; }
    bool has_elapsed(chain::ChainEpoch epoch) const { return epoch >= close; }
    bool fault_cutoff_passed(chain::ChainEpoch epoch) const { return epoch >= fault_cutoff; }

    friend bool operator==(const DeadlineInfo&, const DeadlineInfo&) = default;
};

// Deadline `index` of the period starting at period_start. REQUIRES: 0 <= index < 48.
DeadlineInfo deadline_info(chain::ChainEpoch period_start, std::int64_t index);

// The start of the proving period containing `epoch`: the largest S <= epoch with
// S == offset (mod 2880). REQUIRES: 0 <= offset < 2880.
chain::ChainEpoch current_period_start(chain::ChainEpoch epoch, chain::ChainEpoch offset);

// The deadline whose challenge window contains `epoch`.
DeadlineInfo current_deadline(chain::ChainEpoch epoch, chain::ChainEpoch offset);

// The first occurrence of deadline `index` that has not closed at `epoch` (dline NextNotElapsed):
// either the one in progress or a future one.
DeadlineInfo next_deadline_not_elapsed(chain::ChainEpoch epoch, chain::ChainEpoch offset,
                                       std::int64_t index);

// deadlineIsMutable: new sectors may be assigned to deadline `index` at `epoch` only if `epoch`
// is at least one challenge window before its next opening (so neither the current deadline nor
// the next one).
bool deadline_is_mutable(chain::ChainEpoch epoch, chain::ChainEpoch offset, std::int64_t index);

}  // namespace minerx::sealing
