#pragma once

// Basic chain quantities and the protocol constants minerx relies on, each with its source.

#include <array>
#include <cstdint>

#include "core/math/int128.h"

namespace minerx::chain {

// An epoch number (Go's abi.ChainEpoch, int64). Epoch 0 is genesis.
using ChainEpoch = std::int64_t;
// Storage power in bytes (raw-byte or quality-adjusted; the name of the variable says which).
using StoragePower = math::Uint128;
// The numeric part of an ID address: f0<actor_id>.
using ActorId = std::uint64_t;
// A 32-byte hash output (BLAKE2b-256).
using Digest = std::array<std::uint8_t, 32>;

// specs-actors actors/builtin/network.go: EpochDurationSeconds, ExpectedLeadersPerEpoch.
inline constexpr std::int64_t kEpochDurationSeconds = 30;
inline constexpr std::int64_t kEpochsPerDay = 24 * 60 * 60 / kEpochDurationSeconds;
inline constexpr std::int64_t kEpochsPerYear = 365 * kEpochsPerDay;
inline constexpr std::int64_t kExpectedLeadersPerEpoch = 5;
// Lotus chain/types/electionproof.go: MaxWinCount = 3 * BlocksPerEpoch.
inline constexpr std::int64_t kMaxWinCount = 3 * kExpectedLeadersPerEpoch;
// Lotus chain/actors/policy: ChainFinality, also the WinningPoSt sector-set lookback (nv > 3).
inline constexpr ChainEpoch kChainFinality = 900;
inline constexpr ChainEpoch kWinningPoStLookback = kChainFinality;
// Lotus build/params_mainnet.go: ConsensusMinerMinPower = 10 << 40 (raw bytes), for every mainnet
// PoSt proof type; specs-actors power/policy.go: ConsensusMinerMinMiners = 4.
inline constexpr StoragePower kConsensusMinerMinPower = StoragePower{10} << 40;
inline constexpr std::int64_t kConsensusMinerMinMiners = 4;
// Lotus build/params_mainnet.go: PropagationDelaySecs was 6 until 2022-09 (commit 001c5500b), 10
// since. minerx configurations carry it explicitly; these are the two historical values.
inline constexpr std::int64_t kPropagationDelaySeconds2021 = 6;
inline constexpr std::int64_t kPropagationDelaySecondsNow = 10;

static_assert(kEpochsPerDay == 2880);
static_assert(kEpochsPerYear == 1051200);
static_assert(kMaxWinCount == 15);

}  // namespace minerx::chain
