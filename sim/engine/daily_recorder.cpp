#include "sim/engine/daily_recorder.h"

#include "core/util/assert.h"
#include "sim/engine/sim_time.h"

namespace minerx::sim {

DailyRecorder::DailyRecorder(ResultsWriter& writer, const NetworkPlan& plan, std::int64_t days)
    : writer_(writer), plan_(plan), days_(days) {}

DailyRecorder::Day& DailyRecorder::day(std::int64_t index) {
    auto [it, inserted] = open_days_.try_emplace(index);
    if (inserted) it->second.miners.resize(plan_.miners.size());
    return it->second;
}

void DailyRecorder::add_expected(std::size_t miner, std::int64_t day_index, double expected) {
    day(day_index).miners[miner].expected += expected;
}

void DailyRecorder::block_produced(std::size_t miner, chain::ChainEpoch height) {
    day(day_of_round(height)).continents[index_of(plan_.miners[miner].continent)].blocks += 1;
}

void DailyRecorder::block_decided(std::size_t miner, chain::ChainEpoch height,
                                  std::int64_t win_count, bool included, chain::AttoFil reward) {
    Day& tallies = day(day_of_round(height));
    MinerDay& entry = tallies.miners[miner];
    if (included) {
        entry.blocks += 1;
        entry.win_count += win_count;
        entry.reward += reward;
    } else {
        entry.orphaned += 1;
        tallies.continents[index_of(plan_.miners[miner].continent)].orphaned += 1;
    }
}

void DailyRecorder::delay_to_winner(std::size_t continent, chain::ChainEpoch height,
                                    double delay_ms) {
    ContinentDay& entry = day(day_of_round(height)).continents[continent];
    entry.delay_sum_ms += delay_ms;
    entry.delay_count += 1;
}

void DailyRecorder::round_closed(chain::ChainEpoch height, bool null_round) {
    Day& tallies = day(day_of_round(height));
    tallies.epochs += 1;
    if (null_round) tallies.null_rounds += 1;
}

void DailyRecorder::elected_offline(chain::ChainEpoch height) {
    day(day_of_round(height)).elected_offline += 1;
}

void DailyRecorder::network_state(chain::ChainEpoch height, chain::StoragePower network_power,
                                  chain::AttoFil this_epoch_reward) {
    Day& tallies = day(day_of_round(height));
    tallies.network_power = network_power;
    tallies.this_epoch_reward = this_epoch_reward;
}

void DailyRecorder::flush_decided(chain::ChainEpoch undecided_from,
                                  const chain::PowerTable& table) {
    while (!open_days_.empty()) {
        auto first = open_days_.begin();
        if (last_round_of_day(first->first) >= undecided_from) break;
        if (first->first < days_) {
            write(first->first, first->second, table);
            ++days_written_;
        }
        open_days_.erase(first);
    }
}

void DailyRecorder::write(std::int64_t index, const Day& tallies, const chain::PowerTable& table) {
    const chain::ChainEpoch last = last_round_of_day(index);
    std::int64_t blocks = 0;
    std::int64_t win_count = 0;
    std::int64_t orphaned = 0;
    for (std::size_t i = 0; i < plan_.miners.size(); ++i) {
        const MinerDay& entry = tallies.miners[i];
        blocks += entry.blocks;
        win_count += entry.win_count;
        orphaned += entry.orphaned;
        MinerDailyRow row;
        row.day = index;
        row.miner = plan_.miners[i].actor_id;
        row.power_tib = power_to_tib(table.claim_at(row.miner, last).quality_adj_power);
        row.expected_win_count = entry.expected;
        row.blocks = entry.blocks;
        row.win_count = entry.win_count;
        row.orphaned = entry.orphaned;
        row.reward = entry.reward;
        writer_.miner_daily(row);
    }
    NetworkDailyRow network;
    network.day = index;
    network.epochs = tallies.epochs;
    network.null_rounds = tallies.null_rounds;
    network.blocks = blocks;
    network.win_count = win_count;
    network.orphaned = orphaned;
    network.elected_offline = tallies.elected_offline;
    network.network_power_tib = power_to_tib(tallies.network_power);
    network.this_epoch_reward = tallies.this_epoch_reward;
    writer_.network_daily(network);
    for (Continent continent : kContinents) {
        const ContinentDay& entry = tallies.continents[index_of(continent)];
        ContinentDailyRow row;
        row.day = index;
        row.continent = std::string(to_string(continent));
        row.blocks = entry.blocks;
        row.orphaned = entry.orphaned;
        row.mean_delay_to_winners_ms =
            entry.delay_count == 0 ? 0.0
                                   : entry.delay_sum_ms / static_cast<double>(entry.delay_count);
        writer_.continent_daily(row);
    }
}

}  // namespace minerx::sim
