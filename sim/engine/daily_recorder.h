#pragma once

// Per-day tallies of the network (every miner's own wins and luck inputs, null rounds, orphans by
// continent), written to the results database once every block of the day has its fate.
// Blocks belong to the day of their height; a day is complete when the chain has decided every
// height up to its last round (a round or two after the day ends).

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/power_table.h"
#include "core/chain/token_amount.h"
#include "sim/network/network_plan.h"
#include "sim/results/results_writer.h"

namespace minerx::sim {

class DailyRecorder {
public:
    // Records days [0, days); later days are tallied but never written.
    DailyRecorder(ResultsWriter& writer, const NetworkPlan& plan, std::int64_t days);

    void add_expected(std::size_t miner, std::int64_t day, double expected_win_count);
    void block_produced(std::size_t miner, chain::ChainEpoch height);
    void block_decided(std::size_t miner, chain::ChainEpoch height, std::int64_t win_count,
                       bool included, chain::AttoFil reward);
    // A block of `height` from a node on `origin_continent` reached a next-round winner (or a
    // pool's chain node) after `delay_ms`.
    void delay_to_winner(std::size_t origin_continent, chain::ChainEpoch height, double delay_ms);
    void round_closed(chain::ChainEpoch height, bool null_round);
    void elected_offline(chain::ChainEpoch height);
    void network_state(chain::ChainEpoch height, chain::StoragePower network_power,
                       chain::AttoFil this_epoch_reward);

    // Writes every day whose last round is below `undecided_from`, with each miner's QA power at
    // the day's end from `table`.
    void flush_decided(chain::ChainEpoch undecided_from, const chain::PowerTable& table);
    std::int64_t days_written() const { return days_written_; }

private:
    struct MinerDay {
        double expected = 0.0;
        std::int64_t blocks = 0;
        std::int64_t win_count = 0;
        std::int64_t orphaned = 0;
        chain::AttoFil reward = 0;
    };
    struct ContinentDay {
        std::int64_t blocks = 0;
        std::int64_t orphaned = 0;
        double delay_sum_ms = 0.0;
        std::int64_t delay_count = 0;
    };
    struct Day {
        std::vector<MinerDay> miners;
        std::array<ContinentDay, kContinentCount> continents{};
        std::int64_t epochs = 0;
        std::int64_t null_rounds = 0;
        std::int64_t elected_offline = 0;
        chain::StoragePower network_power = 0;
        chain::AttoFil this_epoch_reward = 0;
    };
    Day& day(std::int64_t index);
    void write(std::int64_t index, const Day& tallies, const chain::PowerTable& table);

    ResultsWriter& writer_;
    const NetworkPlan& plan_;
    std::int64_t days_;
    std::map<std::int64_t, Day> open_days_;
    std::int64_t days_written_ = 0;
};

}  // namespace minerx::sim
