// The roster decides every miner's election exactly as Lotus' ComputeWinCount on the same ticket,
// skips ineligible miners, and rebuilds only when the lookback state changes.

#include "core/chain/election_roster.h"

#include <vector>

#include <gtest/gtest.h>

#include "core/chain/election.h"

namespace minerx::chain {
namespace {

constexpr StoragePower kTiB = StoragePower{1} << 40;

PowerTable table_with(const std::vector<std::pair<ActorId, StoragePower>>& claims,
                      ChainEpoch epoch = 0) {
    PowerTable table;
    for (const auto& [miner, power] : claims) table.set_claim(miner, epoch, {power, power});
    return table;
}

TEST(ElectionRoster, WinCountsEqualComputeWinCount) {
    // Large shares so that wins are frequent: 2000 rounds give hundreds of winning tickets.
    const std::vector<std::pair<ActorId, StoragePower>> claims = {
        {1001, 400 * kTiB}, {1002, 300 * kTiB}, {1003, 200 * kTiB}, {1004, 90 * kTiB},
        {1005, 10 * kTiB}};
    PowerTable table = table_with(claims);
    TicketStream tickets(11);
    ElectionRoster roster({1001, 1002, 1003, 1004, 1005}, tickets);
    std::int64_t total_wins = 0;
    for (ChainEpoch round = 1; round <= 2000; ++round) {
        roster.prepare(table, round);
        std::vector<RosterWin> winners;
        roster.elect(round, winners);
        std::size_t next = 0;
        for (const auto& [miner, power] : claims) {
            const std::int64_t expected = compute_win_count_for_digest(
                tickets.digest(miner, round, TicketPurpose::election), power,
                table.network_power_at(0));
            if (expected == 0) continue;
            ASSERT_LT(next, winners.size());
            EXPECT_EQ(winners[next].miner, miner);
            EXPECT_EQ(winners[next].win_count, expected);
            total_wins += expected;
            ++next;
        }
        EXPECT_EQ(next, winners.size());
    }
    // About 5 WinCount per round over the whole network.
    EXPECT_NEAR(static_cast<double>(total_wins), 5.0 * 2000, 5.0 * 100);
}

TEST(ElectionRoster, MinersUnderTheConsensusMinimumNeverWin) {
    // Four miners meet the minimum, so the 9 TiB miner is ineligible.
    PowerTable table = table_with(
        {{1, 100 * kTiB}, {2, 100 * kTiB}, {3, 100 * kTiB}, {4, 100 * kTiB}, {5, 9 * kTiB}});
    ElectionRoster roster({1, 2, 3, 4, 5}, TicketStream(3));
    roster.prepare(table, 1);
    EXPECT_FALSE(roster.lookback(4).meets_consensus_minimum);
    EXPECT_EQ(roster.expected_win_count(4), 0.0);
    EXPECT_DOUBLE_EQ(roster.expected_win_count(0), 1.25);
    for (ChainEpoch round = 1; round < 5000; ++round) {
        std::vector<RosterWin> winners;
        roster.elect(round, winners);
        for (const RosterWin& win : winners) EXPECT_NE(win.miner, 5u);
    }
}

TEST(ElectionRoster, RebuildsOnlyWhenTheLookbackStateChanges) {
    PowerTable table = table_with({{1, 100 * kTiB}, {2, 100 * kTiB}});
    ElectionRoster roster({1, 2}, TicketStream(3));
    EXPECT_TRUE(roster.prepare(table, 1));
    for (ChainEpoch round = 2; round <= 1000; ++round) {
        table.set_claim(1, round, {100 * kTiB, 100 * kTiB});  // advance the table's epoch only
    }
    table.set_claim(2, 1000, {300 * kTiB, 300 * kTiB});
    // Rounds up to 1900 read states at or before epoch 1000 - 1 ... all unchanged until the
    // lookback epoch reaches 1000.
    for (ChainEpoch round = 2; round < 1900; ++round) EXPECT_FALSE(roster.prepare(table, round));
    EXPECT_TRUE(roster.prepare(table, 1900));
    EXPECT_EQ(roster.lookback(1).miner_power, 300 * kTiB);
    EXPECT_EQ(roster.network_power(), 400 * kTiB);
    EXPECT_EQ(roster.rebuilds(), 2u);
}

}  // namespace
}  // namespace minerx::chain
