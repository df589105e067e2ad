#include "sim/engine/network_chain.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include <simgrid/s4u/Host.hpp>

#include "core/util/assert.h"
#include "sim/platform/world_platform.h"

namespace minerx::sim {
namespace {

// Arrival used for blocks that cannot reach a node (a host or link down): never.
constexpr TimeMs kNever = std::numeric_limits<TimeMs>::max() / 4;

}  // namespace

std::size_t NetworkChain::DigestHash::operator()(const chain::Digest& digest) const {
    std::size_t value = 0;
    std::memcpy(&value, digest.data(), sizeof value);
    return value;
}

NetworkChain::NetworkChain(const Scenario& scenario, const NetworkPlan& plan,
                           WorldPlatform& platform, PropagationModel& propagation,
                           DailyRecorder& recorder, ResultsWriter& writer,
                           std::vector<std::size_t> nodes)
    : plan_(plan),
      platform_(platform),
      propagation_(propagation),
      recorder_(recorder),
      writer_(writer),
      nodes_(std::move(nodes)),
      propagation_delay_ms_(scenario.propagation.propagation_delay_ms),
      tickets_(scenario.seed),
      growth_(scenario, plan),
      solo_roster_(actor_ids(plan, 0, plan.solo_count), tickets_),
      member_roster_(actor_ids(plan, plan.solo_count, plan.miners.size()), tickets_),
      lambda_(plan.miners.size(), 0.0),
      tracker_(chain::seeded_genesis(tickets_, 0)) {
    MINERX_ASSERT(nodes_.size() == plan.miners.size());
    for (const PoolSpec& spec : scenario.pools) pool_names_.push_back(spec.name);
    pools_.resize(scenario.pools.size(), nullptr);
    growth_.record_genesis(table_);
    reward_state_.emplace(table_.totals_at(0).raw_byte_power);
    rewards_.push_back(reward_state_->this_epoch_reward());
    tracker_ = chain::ChainTracker(chain::seeded_genesis(tickets_, table_.network_power_at(0)));
}

void NetworkChain::add_pool(std::size_t pool, PoolBlockListener& listener) {
    pools_.at(pool) = &listener;
}

chain::AttoFil NetworkChain::this_epoch_reward(chain::ChainEpoch epoch) const {
    MINERX_ASSERT(epoch >= 0 && static_cast<std::size_t>(epoch) < rewards_.size());
    return rewards_[static_cast<std::size_t>(epoch)];
}

void NetworkChain::run_round(chain::ChainEpoch round) {
    if (round > 1) {
        MINERX_ASSERT(tracker_.open_height() == round - 1);
        close_previous_height(round);
    }
    MINERX_ASSERT(tracker_.open_height() == round);

    growth_.apply(table_, round);
    // The cron of epoch round - 1 (Lotus runs one per epoch, null rounds included) sets the
    // reward of `round`.
    reward_state_->update_network_kpi(round - 1, table_.totals_at(round - 1).raw_byte_power);
    rewards_.push_back(reward_state_->this_epoch_reward());
    recorder_.network_state(round, table_.network_power_at(round),
                            reward_state_->this_epoch_reward());

    // Expected wins use each round's λ; λ changes only when a roster rebuilds.
    const bool rebuilt_solo = solo_roster_.prepare(table_, round);
    const bool rebuilt_members = member_roster_.prepare(table_, round);
    if (rebuilt_solo || rebuilt_members || round == 1) {
        account_expected(round);
        for (std::size_t slot = 0; slot < solo_roster_.size(); ++slot) {
            lambda_[slot] = solo_roster_.expected_win_count(slot);
        }
        for (std::size_t slot = 0; slot < member_roster_.size(); ++slot) {
            lambda_[plan_.solo_count + slot] = member_roster_.expected_win_count(slot);
        }
        totals_.roster_rebuilds += 1;
    }
    if (round % chain::kEpochsPerDay == 0) account_expected(round + 1);

    elect_solo_miners(round);
    totals_.rounds += 1;
    if (round % chain::kEpochsPerDay == 0) {
        table_.forget_history_before(std::max<chain::ChainEpoch>(0, round - 2 * chain::kEpochsPerDay));
    }
}

void NetworkChain::account_expected(chain::ChainEpoch until_round) {
    // Rounds [expected_from_, until_round) all lie in one day: called at every day's end.
    if (until_round <= expected_from_) return;
    const double rounds = static_cast<double>(until_round - expected_from_);
    const std::int64_t day = day_of_round(expected_from_);
    for (std::size_t i = 0; i < lambda_.size(); ++i) {
        if (lambda_[i] > 0.0) recorder_.add_expected(i, day, lambda_[i] * rounds);
    }
    expected_from_ = until_round;
}

void NetworkChain::close_previous_height(chain::ChainEpoch round) {
    const chain::ChainEpoch height = round - 1;
    const bool null_round = tracker_.open_blocks().empty();
    std::vector<chain::BlockFateRecord> fates = tracker_.close_height();
    recorder_.round_closed(height, null_round);
    if (null_round) totals_.null_rounds += 1;
    for (const chain::BlockFateRecord& fate : fates) decide(fate);
    const chain::ChainEpoch undecided = tracker_.undecided_from();
    for (PoolBlockListener* pool : pools_) {
        if (pool != nullptr) pool->heights_decided(undecided);
    }
    recorder_.flush_decided(undecided, table_);
}

void NetworkChain::decide(const chain::BlockFateRecord& fate) {
    auto found = blocks_.find(fate.block);
    MINERX_ASSERT(found != blocks_.end());
    const BlockInfo info = found->second;
    blocks_.erase(found);
    const chain::AttoFil award =
        fate.included ? chain::block_reward(this_epoch_reward(fate.height), info.win_count) : 0;
    recorder_.block_decided(info.miner, fate.height, info.win_count, fate.included, award);
    if (fate.included) {
        totals_.blocks_included += 1;
        totals_.win_count_included += info.win_count;
    } else {
        totals_.blocks_orphaned += 1;
    }
    if (info.pool || !fate.included) {
        BlockRow row;
        row.epoch = fate.height;
        row.miner = fate.miner;
        row.pool = info.pool ? pool_names_[*info.pool] : std::string();
        row.win_count = info.win_count;
        row.published_ms = info.published_ms;
        row.origin_continent = std::string(to_string(platform_.continent(info.origin)));
        row.included = fate.included;
        row.reward = award;
        writer_.block(row);
    }
    if (info.pool && pools_[*info.pool] != nullptr) pools_[*info.pool]->block_decided(fate, award);
}

void NetworkChain::elect_solo_miners(chain::ChainEpoch round) {
    winners_.clear();
    solo_roster_.elect(round, winners_);
    for (const chain::RosterWin& win : winners_) {
        const std::size_t miner = win.slot;  // solo miners occupy plan indices [0, solo_count)
        const std::size_t node = nodes_[miner];
        if (!platform_.host(node)->is_on()) {
            recorder_.elected_offline(round);
            continue;
        }
        const chain::Tipset& base = base_at(node);
        add_block(make_header(miner, round, base, win.win_count), pool::epoch_start_ms(round), node,
                  std::nullopt);
    }
}

const chain::Tipset& NetworkChain::base_at(std::size_t node) {
    return tracker_.base_for(cutoff_ms(tracker_.open_height()), [&](const chain::ChainBlock& block) {
        const double delay = propagation_.delay_ms(block.origin, node);
        if (!std::isfinite(delay)) return kNever;
        recorder_.delay_to_winner(index_of(platform_.continent(block.origin)), block.header.height,
                                  delay);
        return block.published_ms + static_cast<TimeMs>(std::llround(delay));
    });
}

chain::StoragePower NetworkChain::network_power_after(const chain::Tipset& base) const {
    return table_.network_power_at(base.height());
}

chain::BlockHeader NetworkChain::make_header(std::size_t miner, chain::ChainEpoch round,
                                             const chain::Tipset& base,
                                             std::int64_t win_count) const {
    const chain::ActorId actor = plan_.miners[miner].actor_id;
    chain::BlockHeader header;
    header.miner = actor;
    header.height = round;
    header.parents = base.key();
    header.ticket_digest = tickets_.digest(actor, round, chain::TicketPurpose::ticket);
    header.win_count = win_count;
    header.id = tickets_.digest(actor, round, chain::TicketPurpose::block_id);
    header.parent_weight = base.weight();
    header.parent_network_power = network_power_after(base);
    return header;
}

void NetworkChain::add_block(const chain::BlockHeader& header, TimeMs published_ms,
                             std::size_t origin, std::optional<std::size_t> pool) {
    const std::size_t miner = static_cast<std::size_t>(header.miner - kFirstMinerActorId);
    blocks_.emplace(header.id, BlockInfo{miner, header.win_count, pool, published_ms, origin});
    recorder_.block_produced(miner, header.height);
    totals_.blocks_produced += 1;
    tracker_.add_block(chain::ChainBlock{header, published_ms, static_cast<std::uint32_t>(origin)});
}

bool NetworkChain::submit_block(const chain::BlockHeader& header, TimeMs now, std::size_t node,
                                std::size_t pool) {
    if (header.height != tracker_.open_height()) {
        // Its height closed before it reached the chain node: no miner of the next round can
        // have it in its base.
        const std::size_t miner = static_cast<std::size_t>(header.miner - kFirstMinerActorId);
        blocks_.emplace(header.id, BlockInfo{miner, header.win_count, pool, now, node});
        recorder_.block_produced(miner, header.height);
        totals_.blocks_produced += 1;
        decide(chain::BlockFateRecord{header.id, header.miner, header.height, false});
        return false;
    }
    add_block(header, now, node, pool);
    return true;
}

}  // namespace minerx::sim
