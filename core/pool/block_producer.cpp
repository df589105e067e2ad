#include "core/pool/block_producer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/chain/address.h"
#include "core/chain/blake2b.h"
#include "core/chain/randomness.h"
#include "core/util/assert.h"

namespace minerx::pool {
namespace {

using chain::BlockHeader;
using chain::BlockId;
using chain::ChainEpoch;
using chain::Digest;

std::array<std::uint8_t, 8> big_endian(std::uint64_t value) {
    std::array<std::uint8_t, 8> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[bytes.size() - 1 - i] = static_cast<std::uint8_t>(value >> (8 * i));
    }
    return bytes;
}

// The stand-in for the block CID: a hash of what makes two blocks different (miner, height,
// ticket, WinCount, parents, messages), so that distinct blocks get distinct ids and a run's ids
// are reproducible. Not Lotus' CID: minerx does not serialise headers.
BlockId block_id(const BlockHeader& header, const std::vector<MempoolMessage>& messages) {
    static constexpr std::array<std::uint8_t, 16> kDomain = {
        'm', 'i', 'n', 'e', 'r', 'x', '/', 'b', 'l', 'o', 'c', 'k', '-', 'i', 'd', '1'};
    chain::Blake2b256 hash;
    hash.update(kDomain);
    hash.update(big_endian(header.miner));
    hash.update(big_endian(static_cast<std::uint64_t>(header.height)));
    hash.update(header.ticket_digest);
    hash.update(big_endian(static_cast<std::uint64_t>(header.win_count)));
    hash.update(big_endian(header.parents.size()));
    for (const BlockId& parent : header.parents) hash.update(parent);
    hash.update(big_endian(messages.size()));
    for (const MempoolMessage& message : messages) hash.update(message.id);
    return hash.finish();
}

MempoolSnapshot without_senders(const MempoolSnapshot& mempool,
                                const std::vector<chain::ActorId>& sorted_senders) {
    MempoolSnapshot remaining;
    remaining.base_fee = mempool.base_fee;
    remaining.sender_nonces = mempool.sender_nonces;
    for (const MempoolMessage& message : mempool.messages) {
        if (!std::binary_search(sorted_senders.begin(), sorted_senders.end(), message.sender)) {
            remaining.messages.push_back(message);
        }
    }
    return remaining;
}

}  // namespace

std::optional<std::string> validate_block_producer_config(const BlockProducerConfig& config) {
    const std::string epoch = std::to_string(kEpochDurationMs);
    if (config.propagation_delay_ms < 0 || config.propagation_delay_ms >= kEpochDurationMs) {
        return "propagation_delay_ms must be in [0, " + epoch + ") ms, got " +
               std::to_string(config.propagation_delay_ms);
    }
    // The proof window runs from the base cutoff T(N-1) + Δ to T(N) + Δ - margin: one epoch less
    // the margin.
    if (config.publish_margin_ms < 0 || config.publish_margin_ms >= kEpochDurationMs) {
        return "publish_margin_ms must be in [0, " + epoch + ") ms, got " +
               std::to_string(config.publish_margin_ms);
    }
    if (config.message_limits.block_gas_limit <= 0) {
        return "message_limits.block_gas_limit must be positive, got " +
               std::to_string(config.message_limits.block_gas_limit);
    }
    if (config.message_limits.block_message_count_max == 0) {
        return std::string("message_limits.block_message_count_max must be positive, got 0");
    }
    return std::nullopt;
}

std::string_view to_string(RoundOutcome outcome) {
    switch (outcome) {
        case RoundOutcome::not_elected: return "not_elected";
        case RoundOutcome::ineligible: return "ineligible";
        case RoundOutcome::proof_timed_out: return "proof_timed_out";
        case RoundOutcome::proof_invalid: return "proof_invalid";
        case RoundOutcome::published: return "published";
        case RoundOutcome::included: return "included";
        case RoundOutcome::orphaned: return "orphaned";
    }
    return "unknown";
}

BlockProducer::BlockProducer(BlockProducerConfig config) : config_(std::move(config)) {
    MINERX_ASSERT(!validate_block_producer_config(config_).has_value());
}

TimeMs BlockProducer::proof_deadline_ms(ChainEpoch round) const {
    return epoch_start_ms(round) + config_.propagation_delay_ms - config_.publish_margin_ms;
}

std::optional<ChainEpoch> BlockProducer::current_round() const {
    if (!round_) return std::nullopt;
    return round_->round;
}

void BlockProducer::advance_clock(TimeMs now) {
    MINERX_ASSERT(now >= last_now_ms_);
    last_now_ms_ = now;
}

void BlockProducer::start_round(ChainEpoch round, TimeMs now, RoundBase base,
                                std::span<const MemberBaseInfo> members, MempoolSnapshot mempool) {
    MINERX_ASSERT(round >= 1);
    MINERX_ASSERT(!last_round_ || round > *last_round_);
    advance_clock(now);
    close_round(now);

    ++stats_.rounds_started;
    last_round_ = round;
    round_ = Round{.round = round,
                   .base = std::move(base),
                   .mempool = std::move(mempool),
                   .winners = {},
                   .used_senders = {},
                   .block_time_ms = epoch_start_ms(round),
                   .proof_deadline_ms = proof_deadline_ms(round),
                   .last_resolution_ms = now};

    std::optional<Digest> beacon_digest;  // hashed once, when the first winner needs it
    for (const MemberBaseInfo& info : members) {
        const std::int64_t wins = decide_win_count(info, round);
        if (wins == 0) {
            const bool eligible = can_mine(info);
            if (eligible && !config_.report_not_elected) continue;
            outcomes_.push_back({.member = info.member,
                                 .round = round,
                                 .outcome = eligible ? RoundOutcome::not_elected
                                                     : RoundOutcome::ineligible});
            continue;
        }
        if (!beacon_digest) beacon_digest = chain::blake2b_256(round_->base.beacon_data);
        request_proof(info, wins, now, *beacon_digest);
    }
    forget_absent_members(round, members.size());
}

// Members absent from this round lose their cache entry: the cache never outgrows the pool.
void BlockProducer::forget_absent_members(ChainEpoch round, std::size_t present) {
    if (thresholds_.size() == present) return;
    std::erase_if(thresholds_, [round](const auto& entry) { return entry.second.last_round != round; });
}

std::int64_t BlockProducer::decide_win_count(const MemberBaseInfo& info, ChainEpoch round) {
    auto entry = thresholds_.find(info.member);
    if (entry != thresholds_.end()) {
        MINERX_ASSERT(entry->second.last_round != round);  // members distinct
        entry->second.last_round = round;
    }
    if (!can_mine(info)) {
        // An ineligible member never wins; a cached entry is kept for its next eligible round.
        if (entry == thresholds_.end()) {
            thresholds_.emplace(info.member, CachedThresholds{0, 0, std::nullopt, round});
        }
        return 0;
    }
    if (entry == thresholds_.end()) {
        entry = thresholds_.emplace(info.member, CachedThresholds{0, 0, std::nullopt, round}).first;
    }
    CachedThresholds& cached = entry->second;
    if (cached.thresholds && cached.miner_power == info.miner_power &&
        cached.network_power == info.network_power) {
        ++stats_.threshold_cache_hits;
    } else {
        ++stats_.threshold_builds;
        cached.miner_power = info.miner_power;
        cached.network_power = info.network_power;
        cached.thresholds.emplace(info.miner_power, info.network_power);
    }
    return cached.thresholds->win_count(info.election_digest);
}

void BlockProducer::request_proof(const MemberBaseInfo& info, std::int64_t wins, TimeMs now,
                                  const Digest& beacon_digest) {
    MINERX_ASSERT(wins >= 1 && wins <= chain::kMaxWinCount);
    // DrawRandomness(rbase, WinningPoStChallengeSeed, round, CBOR(miner)): research/election.md
    // §3.2; Lotus miner/miner.go draws the WinningPoSt randomness this way.
    const Digest seed = chain::draw_randomness_from_digest(
        beacon_digest, chain::DomainSeparationTag::kWinningPoStChallengeSeed, round_->round,
        chain::id_address_cbor(info.member));
    round_->winners.push_back({.member = info.member,
                               .win_count = wins,
                               .ticket_digest = info.ticket_digest,
                               .state = WinnerState::awaiting_proof,
                               .requested_ms = now,
                               .received_ms = std::nullopt});
    actions_.push_back(RequestWinningPoSt{.member = info.member,
                                          .round = round_->round,
                                          .challenge_seed = seed,
                                          .requested_at_ms = now,
                                          .deadline_ms = round_->proof_deadline_ms});
    ++stats_.proofs_requested;
}

bool BlockProducer::update_mempool(ChainEpoch round, MempoolSnapshot mempool) {
    if (!round_ || round_->round != round) return false;
    round_->mempool = std::move(mempool);
    return true;
}

ProofAcceptance BlockProducer::proof_received(MemberId member, ChainEpoch round, TimeMs now,
                                              bool valid) {
    advance_clock(now);
    if (!round_ || round_->round != round) return ProofAcceptance::unexpected;
    auto winner = std::find_if(
        round_->winners.begin(), round_->winners.end(), [&](const Winner& candidate) {
            return candidate.member == member && candidate.state == WinnerState::awaiting_proof;
        });
    if (winner == round_->winners.end()) return ProofAcceptance::unexpected;
    winner->received_ms = now;
    if (now > round_->proof_deadline_ms) {
        resolve(*winner, RoundOutcome::proof_timed_out, now);
        return ProofAcceptance::late;
    }
    if (!valid) {
        resolve(*winner, RoundOutcome::proof_invalid, now);
        return ProofAcceptance::invalid;
    }
    winner->state = WinnerState::ready;
    round_->last_resolution_ms = now;
    return ProofAcceptance::accepted;
}

void BlockProducer::tick(TimeMs now) {
    advance_clock(now);
    if (!round_) return;
    if (now > round_->proof_deadline_ms) time_out_awaiting(now);
    const bool waiting_is_free = now < round_->block_time_ms;
    if (has_winners_in(WinnerState::ready) &&
        (!waiting_is_free || !has_winners_in(WinnerState::awaiting_proof))) {
        assemble_ready(now);
    }
}

std::optional<TimeMs> BlockProducer::next_deadline() const {
    if (!round_) return std::nullopt;
    std::optional<TimeMs> due;
    const bool awaiting = has_winners_in(WinnerState::awaiting_proof);
    // The deadline is the last instant a proof is accepted; the timeout happens just after it.
    if (awaiting) due = round_->proof_deadline_ms + 1;
    if (has_winners_in(WinnerState::ready)) {
        const TimeMs assemble_at = awaiting ? round_->block_time_ms : round_->last_resolution_ms;
        due = due ? std::min(*due, assemble_at) : assemble_at;
    }
    return due;
}

bool BlockProducer::block_fate(const chain::BlockId& block, BlockFate fate) {
    auto pending = pending_fates_.find(block);
    if (pending == pending_fates_.end()) return false;
    MemberOutcome record = pending->second;
    record.outcome = fate == BlockFate::included ? RoundOutcome::included : RoundOutcome::orphaned;
    pending_fates_.erase(pending);
    outcomes_.push_back(std::move(record));
    return true;
}

std::optional<BlockProducerAction> BlockProducer::poll_action() {
    if (actions_.empty()) return std::nullopt;
    BlockProducerAction action = std::move(actions_.front());
    actions_.pop_front();
    return action;
}

std::optional<MemberOutcome> BlockProducer::poll_outcome() {
    if (outcomes_.empty()) return std::nullopt;
    MemberOutcome outcome = std::move(outcomes_.front());
    outcomes_.pop_front();
    return outcome;
}

void BlockProducer::close_round(TimeMs now) {
    if (!round_) return;
    time_out_awaiting(now);
    if (has_winners_in(WinnerState::ready)) assemble_ready(now);
    round_.reset();
}

void BlockProducer::time_out_awaiting(TimeMs now) {
    for (Winner& winner : round_->winners) {
        if (winner.state == WinnerState::awaiting_proof) {
            resolve(winner, RoundOutcome::proof_timed_out, now);
        }
    }
}

void BlockProducer::resolve(Winner& winner, RoundOutcome outcome, TimeMs now) {
    MINERX_ASSERT(winner.state == WinnerState::awaiting_proof);
    winner.state = WinnerState::resolved;
    round_->last_resolution_ms = now;
    outcomes_.push_back({.member = winner.member,
                         .round = round_->round,
                         .outcome = outcome,
                         .win_count = winner.win_count,
                         .proof_requested_ms = winner.requested_ms,
                         .proof_received_ms = winner.received_ms});
}

bool BlockProducer::has_winners_in(WinnerState state) const {
    return std::any_of(round_->winners.begin(), round_->winners.end(),
                       [state](const Winner& winner) { return winner.state == state; });
}

void BlockProducer::assemble_ready(TimeMs now) {
    std::vector<Winner*> ready;
    for (Winner& winner : round_->winners) {
        if (winner.state == WinnerState::ready) ready.push_back(&winner);
    }
    MINERX_ASSERT(!ready.empty());
    // Tipset order: on equal room, the block executed first gets the first pick of messages.
    std::sort(ready.begin(), ready.end(), [](const Winner* a, const Winner* b) {
        if (a->ticket_digest != b->ticket_digest) return a->ticket_digest < b->ticket_digest;
        return a->member < b->member;
    });
    // Messages of a sender already in an earlier block of this round stay out: splitting a
    // sender's nonces across blocks would depend on the blocks' execution order.
    std::vector<BlockMessages> selections =
        round_->used_senders.empty()
            ? select_messages(round_->mempool, ready.size(), config_.message_limits)
            : select_messages(without_senders(round_->mempool, round_->used_senders),
                              ready.size(), config_.message_limits);
    MINERX_ASSERT(selections.size() == ready.size());
    for (std::size_t i = 0; i < ready.size(); ++i) {
        publish(*ready[i], std::move(selections[i]), now);
    }
}

void BlockProducer::publish(Winner& winner, BlockMessages messages, TimeMs now) {
    MINERX_ASSERT(winner.state == WinnerState::ready);
    winner.state = WinnerState::resolved;
    BlockHeader header;
    header.miner = winner.member;
    header.height = round_->round;
    header.parents = round_->base.parents;
    header.ticket_digest = winner.ticket_digest;
    header.win_count = winner.win_count;
    header.parent_weight = round_->base.parent_weight;
    header.parent_network_power = round_->base.parent_network_power;
    header.id = block_id(header, messages.messages);

    std::vector<chain::ActorId>& used = round_->used_senders;
    for (const MempoolMessage& message : messages.messages) used.push_back(message.sender);
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());

    const TimeMs publish_at = std::max(now, round_->block_time_ms);
    const MemberOutcome record{.member = winner.member,
                               .round = round_->round,
                               .outcome = RoundOutcome::published,
                               .win_count = winner.win_count,
                               .proof_requested_ms = winner.requested_ms,
                               .proof_received_ms = winner.received_ms,
                               .published_ms = publish_at,
                               .block = header.id,
                               .message_count = messages.messages.size(),
                               .tips_total = messages.tips_total};
    const bool inserted = pending_fates_.emplace(header.id, record).second;
    MINERX_ASSERT(inserted);
    outcomes_.push_back(record);
    actions_.push_back(PublishBlock{.header = std::move(header),
                                    .messages = std::move(messages.messages),
                                    .gas_limit_total = messages.gas_limit_total,
                                    .tips_total = messages.tips_total,
                                    .publish_at_ms = publish_at});
    ++stats_.blocks_published;
}

}  // namespace minerx::pool
