#pragma once

// Vocabulary shared by the pool's state machines (block production, membership, reward policies,
// the settlement ledger) and by the sealing and statistics code.

#include <cstdint>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::pool {

// A pool member is identified by its miner actor (f0<id>): members keep their own miner actors,
// keys and sectors; the pool mines for them.
using MemberId = chain::ActorId;

// Time inside core is milliseconds since genesis, passed in by the driver (wall clock in the
// daemons, simulated clock in sim/). Epoch N starts at N * 30 000 ms.
using TimeMs = std::int64_t;

inline constexpr TimeMs kEpochDurationMs = chain::kEpochDurationSeconds * 1000;

inline constexpr TimeMs epoch_start_ms(chain::ChainEpoch epoch) { return epoch * kEpochDurationMs; }
// The epoch in progress at `now` (floor division; epochs before genesis are negative).
inline constexpr chain::ChainEpoch epoch_at(TimeMs now) {
    return now >= 0 ? now / kEpochDurationMs : -((-now + kEpochDurationMs - 1) / kEpochDurationMs);
}

// Parts per million, for fees and other exact fractions of an amount.
using PartsPerMillion = std::int64_t;
inline constexpr PartsPerMillion kOneMillion = 1'000'000;

}  // namespace minerx::pool
