#include "runners/devnet/devnet_chain.h"

#include <algorithm>
#include <string_view>

#include "core/chain/address.h"
#include "core/chain/blake2b.h"
#include "core/chain/election.h"
#include "core/chain/randomness.h"
#include "core/util/assert.h"

namespace minerx::devnet {
namespace {

void append_le64(std::vector<std::uint8_t>& out, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

std::vector<std::uint8_t> bytes_of(const chain::Digest& digest) { return {digest.begin(), digest.end()}; }

}  // namespace

DevnetChain::DevnetChain(const sim::Scenario& scenario, const sim::NetworkPlan& plan, DevnetTiming timing,
                         const chainapi::VrfBackend& vrf, const chainapi::WinningPoStBackend& post)
    : timing_(timing),
      vrf_(vrf),
      post_(post),
      tickets_(scenario.seed),
      solo_roster_(sim::actor_ids(plan, 0, plan.solo_count), tickets_),
      member_roster_(sim::actor_ids(plan, plan.solo_count, plan.miners.size()), tickets_),
      tracker_(chain::seeded_genesis(tickets_, 0)) {
    for (const sim::MinerPlan& miner : plan.miners) {
        table_.set_claim(miner.actor_id, 0, chain::PowerClaim{miner.initial_power, miner.initial_power});
        miners_[miner.actor_id] = miner.is_member();
    }
    reward_state_.emplace(table_.totals_at(0).raw_byte_power);
    rewards_.push_back(reward_state_->this_epoch_reward());
    tracker_ = chain::ChainTracker(chain::seeded_genesis(tickets_, table_.network_power_at(0)));
    canonical_.emplace(0, tracker_.head());
}

void DevnetChain::run_round(chain::ChainEpoch round) {
    if (round > 1) {
        MINERX_ASSERT(tracker_.open_height() == round - 1);
        close_previous_height();
    }
    MINERX_ASSERT(tracker_.open_height() == round);
    // The cron of epoch round - 1 sets the reward of `round` (network_chain.cpp).
    reward_state_->update_network_kpi(round - 1, table_.totals_at(round - 1).raw_byte_power);
    rewards_.push_back(reward_state_->this_epoch_reward());
    solo_roster_.prepare(table_, round);
    member_roster_.prepare(table_, round);
    elect_solo_miners(round);
    winners_.clear();
    member_roster_.elect(round, winners_);
    for (const chain::RosterWin& win : winners_) {
        member_wins_.push_back({win.miner, round, win.win_count});
        totals_.member_wins += 1;
    }
    totals_.rounds += 1;
}

void DevnetChain::close_previous_height() {
    const chain::ChainEpoch height = tracker_.open_height();
    const bool null_round = tracker_.open_blocks().empty();
    tracker_.close_height();  // fates follow from the canonical tipsets; nothing else to do
    if (null_round) {
        totals_.null_rounds += 1;
    } else {
        canonical_.insert_or_assign(height, tracker_.head());
    }
}

void DevnetChain::elect_solo_miners(chain::ChainEpoch round) {
    winners_.clear();
    solo_roster_.elect(round, winners_);
    const chain::Tipset& base = tracker_.head();
    for (const chain::RosterWin& win : winners_) {
        StoredBlock stored;
        chain::BlockHeader& header = stored.header;
        header.miner = win.miner;
        header.height = round;
        header.parents = base.key();
        header.ticket_digest = tickets_.digest(win.miner, round, chain::TicketPurpose::ticket);
        header.win_count = win.win_count;
        header.id = tickets_.digest(win.miner, round, chain::TicketPurpose::block_id);
        header.parent_weight = base.weight();
        header.parent_network_power = table_.network_power_at(base.height());
        stored.ticket_proof = vrf_.prove(win.miner, round, chain::TicketPurpose::ticket);
        stored.election_proof = vrf_.prove(win.miner, round, chain::TicketPurpose::election);
        stored.beacon_data = beacon(round);
        stored.post_proof_type = post_.proof_type();
        stored.published_unix_ms = block_time_ms(round);
        tracker_.add_block(chain::ChainBlock{header, stored.published_unix_ms, 0});
        blocks_.emplace(header.id, std::move(stored));
        totals_.solo_blocks += 1;
    }
}

const chain::Tipset& DevnetChain::tipset_at_or_before(chain::ChainEpoch height) const {
    auto found = canonical_.upper_bound(height);
    MINERX_ASSERT(found != canonical_.begin());
    return std::prev(found)->second;
}

const chain::Tipset* DevnetChain::tipset_by_key(const chain::TipsetKey& key) const {
    if (key.empty()) return nullptr;
    const StoredBlock* first = block(key.front());
    const chain::ChainEpoch height = first != nullptr ? first->header.height : 0;
    auto found = canonical_.find(height);
    if (found != canonical_.end() && found->second.key() == key) return &found->second;
    return nullptr;
}

const StoredBlock* DevnetChain::block(const chain::BlockId& id) const {
    auto found = blocks_.find(id);
    return found == blocks_.end() ? nullptr : &found->second;
}

bool DevnetChain::is_miner(chain::ActorId miner) const { return miners_.contains(miner); }

bool DevnetChain::is_member(chain::ActorId miner) const {
    auto found = miners_.find(miner);
    return found != miners_.end() && found->second;
}

std::vector<std::uint8_t> DevnetChain::beacon(chain::ChainEpoch round) const {
    // The testbed's drand stand-in: one 32-byte entry per round, from the scenario's seed.
    return bytes_of(tickets_.digest(0, round, chain::TicketPurpose::winning_post_seed));
}

BaseInfo DevnetChain::base_info(chain::ActorId miner, chain::ChainEpoch round) const {
    const chain::LookbackPower lookback = table_.lookback_power(miner, round);
    BaseInfo info;
    info.miner_power = lookback.miner_power;
    info.network_power = lookback.network_power;
    info.eligible = lookback.meets_consensus_minimum && lookback.miner_power > 0;
    info.beacon_data = beacon(round);
    info.previous_beacon_data = beacon(round - 1);
    return info;
}

chain::PowerClaim DevnetChain::claim_at(chain::ActorId miner, chain::ChainEpoch height) const {
    return table_.claim_at(miner, height);
}

chain::PowerTotals DevnetChain::totals_at(chain::ChainEpoch height) const { return table_.totals_at(height); }

bool DevnetChain::has_min_power_at(chain::ActorId miner, chain::ChainEpoch height) const {
    return table_.meets_consensus_minimum_at(miner, height);
}

chain::AttoFil DevnetChain::this_epoch_reward(chain::ChainEpoch height) const {
    const auto index = static_cast<std::size_t>(std::clamp<chain::ChainEpoch>(
        height, 0, static_cast<chain::ChainEpoch>(rewards_.size()) - 1));
    return rewards_[index];
}

chain::BlockId DevnetChain::member_block_id(const BlockTemplate& tmpl) const {
    constexpr std::string_view kTag = "minerx-devnet-block-v1";
    std::vector<std::uint8_t> input(kTag.begin(), kTag.end());
    append_le64(input, tmpl.miner);
    append_le64(input, static_cast<std::uint64_t>(tmpl.epoch));
    append_le64(input, static_cast<std::uint64_t>(tmpl.win_count));
    input.insert(input.end(), tmpl.ticket_proof.begin(), tmpl.ticket_proof.end());
    input.insert(input.end(), tmpl.election_proof.begin(), tmpl.election_proof.end());
    for (const chain::BlockId& parent : tmpl.parents) input.insert(input.end(), parent.begin(), parent.end());
    return chain::blake2b_256(input);
}

DevnetChain::Created DevnetChain::create_block(const BlockTemplate& tmpl, std::int64_t now_unix_ms) const {
    const std::string miner = chain::format_id_address(tmpl.miner);
    if (!is_member(tmpl.miner)) return {std::nullopt, miner + " is not a pool member of this devnet"};
    if (tmpl.epoch < 1 || tmpl.epoch > tracker_.open_height()) {
        return {std::nullopt, "epoch " + std::to_string(tmpl.epoch) + " is not open (open height " +
                                  std::to_string(tracker_.open_height()) + ")"};
    }
    const BaseInfo info = base_info(tmpl.miner, tmpl.epoch);
    if (!info.eligible) return {std::nullopt, miner + " is not eligible to mine at " + std::to_string(tmpl.epoch)};
    if (!vrf_.verify(tmpl.miner, tmpl.epoch, chain::TicketPurpose::election, tmpl.election_proof)) {
        return {std::nullopt, "invalid election proof"};
    }
    if (!vrf_.verify(tmpl.miner, tmpl.epoch, chain::TicketPurpose::ticket, tmpl.ticket_proof)) {
        return {std::nullopt, "invalid ticket"};
    }
    const std::int64_t wins = chain::compute_win_count_for_digest(vrf_.digest(tmpl.election_proof),
                                                                   info.miner_power, info.network_power);
    if (wins < 1 || wins != tmpl.win_count) {
        return {std::nullopt, "WinCount " + std::to_string(tmpl.win_count) + " does not match the election (" +
                                  std::to_string(wins) + ")"};
    }
    if (tmpl.beacon_data != info.beacon_data) return {std::nullopt, "beacon entry is not this round's"};
    const chain::Digest seed = chain::draw_randomness(
        tmpl.beacon_data, chain::DomainSeparationTag::kWinningPoStChallengeSeed, tmpl.epoch,
        chain::id_address_cbor(tmpl.miner));
    if (!post_.verify(tmpl.miner, tmpl.epoch, seed, tmpl.post_proof)) {
        return {std::nullopt, "invalid WinningPoSt proof"};
    }
    const chain::Tipset* parents = tmpl.epoch == tracker_.open_height() && tmpl.parents == tracker_.head().key()
                                       ? &tracker_.head()
                                       : tipset_by_key(tmpl.parents);
    if (parents == nullptr || parents->height() >= tmpl.epoch) {
        return {std::nullopt, "unknown parents"};
    }
    StoredBlock stored;
    chain::BlockHeader& header = stored.header;
    header.miner = tmpl.miner;
    header.height = tmpl.epoch;
    header.parents = tmpl.parents;
    header.ticket_digest = vrf_.digest(tmpl.ticket_proof);
    header.win_count = tmpl.win_count;
    header.id = member_block_id(tmpl);
    header.parent_weight = parents->weight();
    header.parent_network_power = table_.network_power_at(parents->height());
    stored.ticket_proof = tmpl.ticket_proof;
    stored.election_proof = tmpl.election_proof;
    stored.beacon_data = tmpl.beacon_data;
    stored.post_proof = tmpl.post_proof;
    stored.post_proof_type = tmpl.post_proof_type;
    stored.published_unix_ms = now_unix_ms;
    stored.from_member = true;
    return {std::move(stored), {}};
}

std::optional<std::string> DevnetChain::submit_block(const StoredBlock& block, std::int64_t now_unix_ms) {
    const chain::BlockHeader& header = block.header;
    auto refuse = [&](std::string why) {
        totals_.member_blocks_refused += 1;
        return std::optional<std::string>(std::move(why));
    };
    if (blocks_.contains(header.id)) return refuse("block already submitted");
    if (header.height != tracker_.open_height()) {
        return refuse("too late: height " + std::to_string(header.height) + " closed (open height " +
                      std::to_string(tracker_.open_height()) + ")");
    }
    if (header.parents != tracker_.head().key()) {
        return refuse("parents are not the node's head at height " + std::to_string(header.height));
    }
    for (const chain::ChainBlock& open : tracker_.open_blocks()) {
        if (open.header.miner == header.miner) return refuse("miner already has a block at this height");
    }
    tracker_.add_block(chain::ChainBlock{header, now_unix_ms, 0});
    StoredBlock stored = block;
    stored.published_unix_ms = now_unix_ms;
    blocks_.emplace(header.id, std::move(stored));
    totals_.member_blocks_accepted += 1;
    return std::nullopt;
}

std::vector<MemberWin> DevnetChain::member_wins(chain::ChainEpoch from, chain::ChainEpoch to) const {
    std::vector<MemberWin> out;
    auto begin = std::lower_bound(member_wins_.begin(), member_wins_.end(), from,
                                  [](const MemberWin& win, chain::ChainEpoch epoch) { return win.epoch < epoch; });
    for (auto it = begin; it != member_wins_.end() && it->epoch <= to; ++it) out.push_back(*it);
    return out;
}

}  // namespace minerx::devnet
