#pragma once

// Seeded simulations for the statistics tests: miners deciding Lotus elections with the fast path
// (chain::WinThresholds) on uniformly random tickets from util::Random.

#include <cstdint>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "core/chain/win_thresholds.h"
#include "core/math/uint256.h"
#include "core/util/random.h"

namespace minerx::stats::testing {

// A network of 4 EiB: shares that are binary fractions give exact powers.
inline constexpr chain::StoragePower kTestNetworkPower = chain::StoragePower{1} << 62;
// ThisEpochReward for the tests: 100 FIL, so one WinCount earns exactly 20 FIL.
inline constexpr chain::AttoFil kTestRewardPerEpoch = 100 * chain::kAttoFilPerFil;
inline constexpr chain::AttoFil kTestRewardPerWin =
    kTestRewardPerEpoch / chain::kExpectedLeadersPerEpoch;

inline chain::StoragePower power_for_share(double share) {
    return static_cast<chain::StoragePower>(share * static_cast<double>(kTestNetworkPower));
}
inline double share_of(chain::StoragePower power) {
    return static_cast<double>(power) / static_cast<double>(kTestNetworkPower);
}

// One election on a uniformly random ticket. The top word is drawn first and the other three only
// when the ticket can still win: a top word above threshold 0's top word is at or above the
// threshold, which Lotus' strict '<' never accepts, so skipping the rest changes no decision.
inline std::int64_t draw_win_count(const chain::WinThresholds& thresholds, util::Random& random) {
    math::Uint256 ticket;
    ticket.words[0] = random.next_u64();
    if (ticket.words[0] > thresholds.threshold(0).words[0]) return 0;
    for (std::size_t i = 1; i < ticket.words.size(); ++i) ticket.words[i] = random.next_u64();
    return thresholds.win_count(ticket);
}

struct SimulatedBlock {
    chain::ChainEpoch epoch = 0;
    std::size_t member = 0;
    std::int64_t win_count = 0;
};

struct SimulatedRun {
    std::vector<std::vector<std::int64_t>> wins_by_member_day;
    std::vector<SimulatedBlock> blocks;  // in epoch order
};

// Every member runs its own election every epoch for `days` days from epoch 0.
inline SimulatedRun simulate_miners(std::span<const chain::StoragePower> powers, std::int64_t days,
                                    std::uint64_t seed) {
    util::Random random(seed);
    std::vector<chain::WinThresholds> thresholds;
    for (chain::StoragePower power : powers) thresholds.emplace_back(power, kTestNetworkPower);
    SimulatedRun run;
    run.wins_by_member_day.assign(powers.size(),
                                  std::vector<std::int64_t>(static_cast<std::size_t>(days), 0));
    for (chain::ChainEpoch epoch = 0; epoch < days * chain::kEpochsPerDay; ++epoch) {
        const auto day = static_cast<std::size_t>(epoch / chain::kEpochsPerDay);
        for (std::size_t member = 0; member < thresholds.size(); ++member) {
            const std::int64_t wins = draw_win_count(thresholds[member], random);
            if (wins == 0) continue;
            run.wins_by_member_day[member][day] += wins;
            run.blocks.push_back({.epoch = epoch, .member = member, .win_count = wins});
        }
    }
    return run;
}

}  // namespace minerx::stats::testing
