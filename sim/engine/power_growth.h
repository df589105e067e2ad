#pragma once

// How the network's power changes during a run (the scenario's growth, applied as claims in the
// chain's power table; raw = QA power, as for the committed-capacity sectors of mid-2021):
//   - solo miners start with their planned power at genesis and, at the first round of each day
//     after the first, share network.daily_growth in proportion to their power (whole 32 GiB
//     sectors, rounded down);
//   - pool members are new miners: their planned initial power appears at their join epoch, and
//     each later day adds their sealing profile's daily output until their max_power.

#include <cstddef>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/power_table.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario.h"

namespace minerx::sim {

class PowerGrowth {
public:
    PowerGrowth(const Scenario& scenario, const NetworkPlan& plan);

    // Every claim at genesis (epoch 0): solo miners, and members joining at epoch 0.
    void record_genesis(chain::PowerTable& table);
    // The changes that take effect at `round` (recorded at epoch `round`). Rounds in order.
    void apply(chain::PowerTable& table, chain::ChainEpoch round);

    chain::StoragePower power(std::size_t miner) const { return power_[miner]; }

private:
    void set(chain::PowerTable& table, std::size_t miner, chain::ChainEpoch epoch,
             chain::StoragePower power);
    void grow_one_day(chain::PowerTable& table, chain::ChainEpoch round);

    const NetworkPlan& plan_;
    chain::StoragePower daily_growth_;
    std::vector<chain::StoragePower> power_;
    std::vector<bool> joined_;
    std::vector<std::size_t> joins_by_epoch_;  // member indices by join epoch
    std::size_t next_join_ = 0;
    chain::StoragePower solo_total_ = 0;
};

}  // namespace minerx::sim
