#pragma once

// The chain as the whole simulated network runs it: the power table and its growth, the reward
// actor's minting, every solo miner's election, the blocks and their propagation-dependent fates.
// It drives the chain core (PowerTable, RewardState, ElectionRoster, ChainTracker) and decides
// nothing itself; the chain actor calls run_round at each round's cutoff, and pools call the
// rest from their own actors.
//
// Time: round R's miners fix their base at cutoff(R) = T(R - 1) + propagation delay, and solo
// miners publish at T(R) (Lotus holds a block until its timestamp; WinningPoSt's 1-10 s fits in
// the 24 s between). A block reaches a node at published + PropagationModel::delay_ms(origin,
// node). Height R - 1 closes at cutoff(R): by then every block of it has been submitted, since a
// pool's proof deadline is before that cutoff.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/chain/chain_tracker.h"
#include "core/chain/election_roster.h"
#include "core/chain/power_table.h"
#include "core/chain/reward.h"
#include "core/chain/ticket_stream.h"
#include "sim/engine/daily_recorder.h"
#include "sim/engine/power_growth.h"
#include "sim/engine/sim_time.h"
#include "sim/network/network_plan.h"
#include "sim/propagation/propagation_model.h"
#include "sim/results/results_writer.h"
#include "sim/scenario/scenario.h"

namespace minerx::sim {

class WorldPlatform;

// What a pool learns from its chain node about its own blocks.
class PoolBlockListener {
public:
    virtual ~PoolBlockListener() = default;
    // A block the pool submitted has its fate: included (award > 0 paid to the winner's miner
    // actor) or orphaned.
    virtual void block_decided(const chain::BlockFateRecord& fate, chain::AttoFil award) = 0;
    // Every height below `undecided_from` has all its fates decided.
    virtual void heights_decided(chain::ChainEpoch undecided_from) = 0;
};

class NetworkChain {
public:
    // `nodes[i]` is the platform host of plan.miners[i].
    NetworkChain(const Scenario& scenario, const NetworkPlan& plan, WorldPlatform& platform,
                 PropagationModel& propagation, DailyRecorder& recorder, ResultsWriter& writer,
                 std::vector<std::size_t> nodes);

    void add_pool(std::size_t pool, PoolBlockListener& listener);

    // The chain actor's work at cutoff(round): closes height round - 1 (fates, rewards, daily
    // records), applies the power changes of `round`, computes its reward, elects every solo
    // miner and publishes their blocks. Rounds in order from 1.
    void run_round(chain::ChainEpoch round);

    // ---- for pools, between run_round(R) and run_round(R + 1) ----
    // The base a node fixes for the open round at its cutoff.
    const chain::Tipset& base_at(std::size_t node);
    // TotalQualityAdjPower in the state after `base` (its blocks' children's parent state).
    chain::StoragePower network_power_after(const chain::Tipset& base) const;
    // A pool's block arriving at its chain node `node` at `now`. Returns false if its height is
    // already closed (too late for every miner): it is orphaned at once.
    bool submit_block(const chain::BlockHeader& header, TimeMs now, std::size_t node,
                      std::size_t pool);

    chain::ChainEpoch open_round() const { return tracker_.open_height(); }
    TimeMs propagation_delay_ms() const { return propagation_delay_ms_; }
    TimeMs cutoff_ms(chain::ChainEpoch round) const {
        return round_cutoff_ms(round, propagation_delay_ms_);
    }
    chain::AttoFil this_epoch_reward(chain::ChainEpoch epoch) const;
    const chain::PowerTable& power_table() const { return table_; }
    const chain::TicketStream& tickets() const { return tickets_; }
    // Lookback inputs of members (all pools) for the open round.
    const chain::ElectionRoster& member_roster() const { return member_roster_; }
    std::size_t member_slot(std::size_t miner) const { return miner - plan_.solo_count; }
    chain::StoragePower current_power(std::size_t miner) const { return growth_.power(miner); }
    chain::ChainEpoch undecided_from() const { return tracker_.undecided_from(); }

    struct Totals {
        std::int64_t rounds = 0;
        std::int64_t null_rounds = 0;
        std::int64_t blocks_produced = 0;
        std::int64_t blocks_included = 0;
        std::int64_t blocks_orphaned = 0;
        std::int64_t win_count_included = 0;
        std::int64_t roster_rebuilds = 0;
    };
    const Totals& totals() const { return totals_; }

private:
    struct BlockInfo {
        std::size_t miner = 0;
        std::int64_t win_count = 0;
        std::optional<std::size_t> pool;
        TimeMs published_ms = 0;
        std::size_t origin = 0;
    };
    struct DigestHash {
        std::size_t operator()(const chain::Digest& digest) const;
    };

    void close_previous_height(chain::ChainEpoch round);
    void decide(const chain::BlockFateRecord& fate);
    void account_expected(chain::ChainEpoch until_round);
    void elect_solo_miners(chain::ChainEpoch round);
    chain::BlockHeader make_header(std::size_t miner, chain::ChainEpoch round,
                                   const chain::Tipset& base, std::int64_t win_count) const;
    void add_block(const chain::BlockHeader& header, TimeMs published_ms, std::size_t origin,
                   std::optional<std::size_t> pool);

    const NetworkPlan& plan_;
    WorldPlatform& platform_;
    PropagationModel& propagation_;
    DailyRecorder& recorder_;
    ResultsWriter& writer_;
    std::vector<std::size_t> nodes_;
    TimeMs propagation_delay_ms_;
    std::vector<std::string> pool_names_;

    chain::TicketStream tickets_;
    chain::PowerTable table_;
    PowerGrowth growth_;
    std::optional<chain::RewardState> reward_state_;
    std::vector<chain::AttoFil> rewards_;  // ThisEpochReward by epoch
    chain::ElectionRoster solo_roster_;
    chain::ElectionRoster member_roster_;
    // Expected WinCount: rounds [expected_from_, ...) not yet added to the daily records, and the
    // per-round λ that applies to them.
    chain::ChainEpoch expected_from_ = 1;
    std::vector<double> lambda_;  // by miner index
    chain::ChainTracker tracker_;
    std::unordered_map<chain::BlockId, BlockInfo, DigestHash> blocks_;
    std::vector<PoolBlockListener*> pools_;
    std::vector<chain::RosterWin> winners_;
    Totals totals_;
};

}  // namespace minerx::sim
