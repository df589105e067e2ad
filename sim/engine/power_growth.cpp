#include "sim/engine/power_growth.h"

#include <algorithm>

#include "core/math/mul_div.h"
#include "core/sealing/sealing_types.h"

namespace minerx::sim {
namespace {

chain::StoragePower whole_sectors(chain::StoragePower power) {
    return power - power % sealing::kSectorSizeBytes;
}

}  // namespace

PowerGrowth::PowerGrowth(const Scenario& scenario, const NetworkPlan& plan)
    : plan_(plan),
      daily_growth_(scenario.network.daily_growth),
      power_(plan.miners.size(), 0),
      joined_(plan.miners.size(), false) {
    for (std::size_t i = plan.solo_count; i < plan.miners.size(); ++i) joins_by_epoch_.push_back(i);
    std::stable_sort(joins_by_epoch_.begin(), joins_by_epoch_.end(),
                     [&](std::size_t a, std::size_t b) {
                         return plan.miners[a].join_epoch < plan.miners[b].join_epoch;
                     });
}

void PowerGrowth::set(chain::PowerTable& table, std::size_t miner, chain::ChainEpoch epoch,
                      chain::StoragePower power) {
    power_[miner] = power;
    table.set_claim(plan_.miners[miner].actor_id, epoch, chain::PowerClaim{power, power});
}

void PowerGrowth::record_genesis(chain::PowerTable& table) {
    for (std::size_t i = 0; i < plan_.solo_count; ++i) {
        set(table, i, 0, plan_.miners[i].initial_power);
        solo_total_ += plan_.miners[i].initial_power;
    }
    apply(table, 0);
}

void PowerGrowth::apply(chain::PowerTable& table, chain::ChainEpoch round) {
    if (round > 1 && (round - 1) % chain::kEpochsPerDay == 0) grow_one_day(table, round);
    while (next_join_ < joins_by_epoch_.size() &&
           plan_.miners[joins_by_epoch_[next_join_]].join_epoch <= round) {
        const std::size_t member = joins_by_epoch_[next_join_++];
        joined_[member] = true;
        set(table, member, round, plan_.miners[member].initial_power);
    }
}

void PowerGrowth::grow_one_day(chain::PowerTable& table, chain::ChainEpoch round) {
    if (daily_growth_ > 0 && solo_total_ > 0) {
        const chain::StoragePower total = solo_total_;
        for (std::size_t i = 0; i < plan_.solo_count; ++i) {
            const chain::StoragePower added =
                whole_sectors(math::mul_div(daily_growth_, power_[i], total));
            if (added == 0) continue;
            solo_total_ += added;
            set(table, i, round, power_[i] + added);
        }
    }
    for (std::size_t i = plan_.solo_count; i < plan_.miners.size(); ++i) {
        const MinerPlan& member = plan_.miners[i];
        if (!joined_[i] || member.daily_sealing == 0) continue;
        const chain::StoragePower grown = power_[i] + member.daily_sealing;
        // max_power 0 means no cap.
        const chain::StoragePower capped =
            member.max_power == 0 ? grown : std::min(member.max_power, grown);
        if (capped != power_[i]) set(table, i, round, capped);
    }
}

}  // namespace minerx::sim
