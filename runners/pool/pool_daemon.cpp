#include "runners/pool/pool_daemon.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "core/chain/election.h"
#include "core/chain/reward.h"
#include "core/math/int128.h"
#include "runners/chainapi/lotus_json.h"
#include "runners/net/rpc_client.h"

namespace minerx::pool_daemon {
namespace {

constexpr std::int64_t kChainEpochMs = pool::kEpochDurationMs;

std::string beneficiary_name(const pool::Beneficiary& beneficiary) {
    switch (beneficiary.kind) {
        case pool::Beneficiary::Kind::member: return beneficiary_text(beneficiary.member);
        case pool::Beneficiary::Kind::pool_operator: return "operator";
        case pool::Beneficiary::Kind::reserve: return "reserve";
    }
    return "unknown";
}

std::int64_t elapsed_us(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - since).count();
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

PoolDaemon::PoolDaemon(PoolDaemonConfig config, ChainClient& chain, PoolStore& store, const chainapi::VrfBackend& vrf,
                       const chainapi::WinningPoStBackend& post, ChallengeSink sink)
    : config_(std::move(config)),
      chain_(chain),
      store_(store),
      vrf_(vrf),
      post_(post),
      sink_(std::move(sink)),
      producer_(config_.producer),
      members_(config_.members) {
    std::sort(members_.begin(), members_.end());
    members_.erase(std::unique(members_.begin(), members_.end()), members_.end());
}

std::int64_t PoolDaemon::chain_ms(std::int64_t unix_ms_value) const {
    return floor_div((unix_ms_value - config_.genesis_unix_ms) * kChainEpochMs, config_.epoch_ms);
}

std::int64_t PoolDaemon::unix_ms(std::int64_t chain_ms_value) const {
    return config_.genesis_unix_ms + (chain_ms_value * config_.epoch_ms + kChainEpochMs - 1) / kChainEpochMs;
}

std::int64_t PoolDaemon::round_start_unix_ms(chain::ChainEpoch round) const {
    return unix_ms(pool::epoch_start_ms(round - 1) + config_.producer.propagation_delay_ms) + config_.start_slack_ms;
}

std::size_t PoolDaemon::recover(std::int64_t now_unix_ms) {
    const std::int64_t offset = round_start_unix_ms(1) - config_.genesis_unix_ms;
    const chain::ChainEpoch clock_round = floor_div(now_unix_ms - config_.genesis_unix_ms - offset, config_.epoch_ms) + 1;
    chain::ChainEpoch first_epoch = 0;
    if (auto stored = store_.meta("first_epoch")) {
        first_epoch = std::stoll(*stored);
    } else {
        first_epoch = std::max<chain::ChainEpoch>(1, clock_round + 1);
        store::Transaction tx(store_.db());
        store_.set_meta("first_epoch", std::to_string(first_epoch));
        store_.set_meta("genesis_unix_ms", std::to_string(config_.genesis_unix_ms));
        for (const chain::ActorId member : members_) {
            store_.add_member(member, first_epoch);
            store_.append_event("join", first_epoch, Json{{"member", member}, {"epoch", first_epoch}});
        }
        for (const sim::PolicySpec& spec : config_.policies) {
            if (spec.initial_reserve > 0) {
                store_.append_event("deposit", first_epoch,
                                    Json{{"policy", spec.name}, {"amount", math::to_string(spec.initial_reserve)}});
            }
        }
        tx.commit();
    }
    books_.emplace(config_.policies, config_.membership, config_.payout, first_epoch);
    const std::vector<EventRow> events = store_.events();
    for (const EventRow& event : events) books_->apply(event.kind, event.body);

    std::set<chain::ActorId> known;
    for (const MemberRow& row : store_.members()) {
        known.insert(row.miner);
        if (row.paused) paused_.insert(row.miner);
    }
    std::vector<chain::ActorId> newcomers;
    for (const chain::ActorId member : members_) {
        if (!known.contains(member)) newcomers.push_back(member);
    }
    if (!newcomers.empty()) {
        const chain::ChainEpoch epoch = books_->open_epoch();
        store::Transaction tx(store_.db());
        for (const chain::ActorId member : newcomers) {
            store_.add_member(member, epoch);
            const Json body{{"member", member}, {"epoch", epoch}};
            store_.append_event("join", epoch, body);
            books_->apply("join", body);
        }
        tx.commit();
    }
    // Blocks assembled (their proofs acknowledged) but not yet submitted when the pool stopped:
    // sent now if their height is still open (the node refuses them otherwise, and the refusal
    // is their orphan reason).
    for (BlockRow& row : store_.blocks_in_state("published", std::numeric_limits<chain::ChainEpoch>::max())) {
        if (row.round < books_->open_epoch() || row.block_template.empty()) continue;
        to_publish_.push_back({pool::epoch_start_ms(row.round), row.member, row.round, Json::parse(row.block_template)});
    }
    next_round_ = std::max(books_->open_epoch(), clock_round + 1);
    return events.size();
}

bool PoolDaemon::is_member(chain::ActorId miner) const {
    return std::binary_search(members_.begin(), members_.end(), miner);
}

bool PoolDaemon::set_paused(chain::ActorId miner, bool paused) {
    if (!is_member(miner)) return false;
    store_.set_paused(miner, paused);  // autocommit: durable before the answer
    if (paused) {
        paused_.insert(miner);
    } else {
        paused_.erase(miner);
    }
    return true;
}

std::int64_t PoolDaemon::on_time(std::int64_t now_unix_ms) {
    const std::int64_t now_chain = std::max(last_chain_ms_, chain_ms(now_unix_ms));
    last_chain_ms_ = now_chain;
    try {
        const chain::ChainEpoch latest =
            floor_div(now_unix_ms - round_start_unix_ms(1), config_.epoch_ms) + 1;
        if (latest >= next_round_) {
            counters_.rounds_skipped += latest - next_round_;
            next_round_ = latest + 1;
            if (now_chain < producer_.proof_deadline_ms(latest)) {
                failed_rounds_[latest] = "the pool could not start the round";
                start_round(latest, now_unix_ms);
                failed_rounds_.erase(latest);
            } else {
                counters_.rounds_skipped += 1;
            }
        }
        if (auto deadline = producer_.next_deadline(); deadline && *deadline <= last_chain_ms_) {
            producer_.tick(last_chain_ms_);
            drain(now_unix_ms);
        }
        publish_due(now_unix_ms);
        for (int i = 0; i < 50 && close_next_epoch(now_unix_ms); ++i) {
        }
    } catch (const net::TransportError& error) {
        chain_failed(std::string("chain: ") + error.what());
    } catch (const net::RpcCallError& error) {
        chain_failed(std::string("chain: ") + error.what());
    } catch (const ChainError& error) {
        chain_failed(error.what());
    }
    std::int64_t next = std::min(round_start_unix_ms(next_round_), now_unix_ms + std::max<std::int64_t>(50, config_.epoch_ms / 5));
    if (auto deadline = producer_.next_deadline()) next = std::min(next, unix_ms(*deadline));
    for (const Publication& publication : to_publish_) next = std::min(next, unix_ms(publication.publish_at_ms));
    return std::max(next, now_unix_ms + 1);
}

void PoolDaemon::chain_failed(const std::string& error) {
    counters_.chain_errors += 1;
    last_error_ = error;
    // A round whose start failed keeps the reason for its members' records.
    for (auto& [round, reason] : failed_rounds_) {
        if (reason == "the pool could not start the round") reason += ": " + error;
    }
}

std::int64_t PoolDaemon::win_count(chain::ActorId miner, chain::ChainEpoch round, const MinerBase& base) const {
    if (!base.eligible || base.network_power == 0 || base.miner_power == 0) return 0;
    const auto proof = vrf_.prove(miner, round, chain::TicketPurpose::election);
    return chain::compute_win_count_for_digest(vrf_.digest(proof), base.miner_power, base.network_power);
}

void PoolDaemon::start_round(chain::ChainEpoch round, std::int64_t now_unix_ms) {
    const auto started = std::chrono::steady_clock::now();
    const TipsetView head = chain_.head();
    head_height_ = head.height;
    if (head.height >= round) throw ChainError("chain head is at " + std::to_string(head.height) + ", past round " + std::to_string(round));
    paused_at_round_[round] = paused_;
    std::map<chain::ActorId, RoundMember>& inputs = rounds_[round];
    std::vector<pool::MemberBaseInfo> infos;
    for (const chain::ActorId member : members_) {
        if (paused_.contains(member)) continue;
        std::optional<MinerBase> base = chain_.base_info(member, round, head.key);
        if (!base) continue;
        const std::int64_t wins = win_count(member, round, *base);
        pool::MemberBaseInfo info;
        info.member = member;
        info.miner_power = base->miner_power;
        info.network_power = base->network_power;
        info.eligible = base->eligible;
        info.election_digest = vrf_.digest(vrf_.prove(member, round, chain::TicketPurpose::election));
        info.ticket_digest = vrf_.digest(vrf_.prove(member, round, chain::TicketPurpose::ticket));
        infos.push_back(info);
        inputs[member] = RoundMember{std::move(*base), wins};
    }
    pool::RoundBase base;
    base.parents = head.key;
    base.parent_weight = head.parent_weight;
    if (!inputs.empty()) {
        base.parent_network_power = inputs.begin()->second.base.network_power;
        base.beacon_data = inputs.begin()->second.base.beacon_data;
    }
    open_challenges_.clear();
    challenged_without_prover_.clear();
    producer_.start_round(round, last_chain_ms_, std::move(base), infos, pool::MempoolSnapshot{});
    counters_.rounds_started += 1;
    drain(now_unix_ms);
    counters_.last_round_start_us = elapsed_us(started);
    counters_.max_round_start_us = std::max(counters_.max_round_start_us, counters_.last_round_start_us);
}

OutcomeRow PoolDaemon::outcome_row(const pool::MemberOutcome& outcome) const {
    OutcomeRow row;
    row.member = outcome.member;
    row.round = outcome.round;
    row.outcome = std::string(pool::to_string(outcome.outcome));
    row.win_count = outcome.win_count;
    switch (outcome.outcome) {
        case pool::RoundOutcome::ineligible:
            row.reason = "not eligible to mine at the lookback (under the consensus minimum, or not allowed)";
            break;
        case pool::RoundOutcome::proof_timed_out:
            row.reason = challenged_without_prover_.contains(outcome.member)
                             ? "no WinningPoSt proof by the deadline: no prover was connected"
                             : "no WinningPoSt proof by the deadline";
            break;
        case pool::RoundOutcome::proof_invalid: row.reason = "the WinningPoSt proof did not verify"; break;
        default: break;
    }
    if (outcome.proof_requested_ms) row.proof_requested_ms = unix_ms(*outcome.proof_requested_ms);
    if (outcome.proof_received_ms) row.proof_received_ms = unix_ms(*outcome.proof_received_ms);
    if (outcome.published_ms) row.published_ms = unix_ms(*outcome.published_ms);
    return row;
}

void PoolDaemon::drain(std::int64_t now_unix_ms) {
    static_cast<void>(now_unix_ms);
    std::vector<std::pair<chain::ActorId, Json>> challenges;
    {
        store::Transaction tx(store_.db());
        while (auto outcome = producer_.poll_outcome()) {
            if (outcome->outcome == pool::RoundOutcome::included || outcome->outcome == pool::RoundOutcome::orphaned) {
                continue;  // fates are recorded when the epoch closes (close_next_epoch)
            }
            store_.record_outcome(outcome_row(*outcome));
        }
        while (auto action = producer_.poll_action()) {
            if (auto* request = std::get_if<pool::RequestWinningPoSt>(&*action)) {
                const Json message{
                    {"jsonrpc", "2.0"},
                    {"method", "Pool.WinningPoStChallenge"},
                    {"params", Json::array({Json{{"Miner", chainapi::address(request->member)},
                                                 {"Round", request->round},
                                                 {"Seed", chainapi::digest_base64(request->challenge_seed)},
                                                 {"DeadlineUnixMs", unix_ms(request->deadline_ms)}}})}};
                open_challenges_[request->member] = OpenChallenge{message, request->challenge_seed};
                challenges.emplace_back(request->member, message);
            } else {
                const auto& block = std::get<pool::PublishBlock>(*action);
                const auto key = std::make_pair(block.header.miner, block.header.height);
                producer_block_ids_[key] = block.header.id;
                Publication publication{block.publish_at_ms, block.header.miner, block.header.height,
                                        block_template(block)};
                store_.record_block({block.header.miner, block.header.height, block.header.win_count, "", "published",
                                     0, rpc::to_text(publication.block_template)});
                to_publish_.push_back(std::move(publication));
            }
        }
        tx.commit();
    }
    for (const auto& [member, message] : challenges) {
        if (!sink_(member, message)) challenged_without_prover_.insert(member);
    }
}

std::string PoolDaemon::proof_received(chain::ActorId miner, chain::ChainEpoch round,
                                       const std::vector<std::uint8_t>& proof, std::int64_t now_unix_ms) {
    last_chain_ms_ = std::max(last_chain_ms_, chain_ms(now_unix_ms));
    auto challenge = open_challenges_.find(miner);
    bool valid = false;
    if (challenge != open_challenges_.end()) valid = post_.verify(miner, round, challenge->second.seed, proof);
    const pool::ProofAcceptance acceptance = producer_.proof_received(miner, round, last_chain_ms_, valid);
    if (acceptance == pool::ProofAcceptance::accepted) {
        proofs_[{miner, round}] = proof;
        open_challenges_.erase(miner);
    } else if (acceptance != pool::ProofAcceptance::unexpected) {
        open_challenges_.erase(miner);
    }
    if (auto deadline = producer_.next_deadline(); deadline && *deadline <= last_chain_ms_) producer_.tick(last_chain_ms_);
    drain(now_unix_ms);
    try {
        publish_due(now_unix_ms);
    } catch (const std::exception& error) {
        last_error_ = error.what();
    }
    switch (acceptance) {
        case pool::ProofAcceptance::accepted: return "accepted";
        case pool::ProofAcceptance::late: return "late";
        case pool::ProofAcceptance::invalid: return "invalid";
        case pool::ProofAcceptance::unexpected: return "unexpected";
    }
    return "unexpected";
}

void PoolDaemon::prover_connected(chain::ActorId miner) {
    auto challenge = open_challenges_.find(miner);
    if (challenge != open_challenges_.end() && sink_(miner, challenge->second.message)) {
        challenged_without_prover_.erase(miner);
    }
}

void PoolDaemon::publish_due(std::int64_t now_unix_ms) {
    const std::int64_t now_chain = std::max(last_chain_ms_, chain_ms(now_unix_ms));
    auto split = std::stable_partition(to_publish_.begin(), to_publish_.end(),
                                       [&](const Publication& publication) { return publication.publish_at_ms > now_chain; });
    std::vector<Publication> due(std::make_move_iterator(split), std::make_move_iterator(to_publish_.end()));
    to_publish_.erase(split, to_publish_.end());
    for (const Publication& publication : due) publish(publication);
}

Json PoolDaemon::block_template(const pool::PublishBlock& block) {
    const chain::ActorId miner = block.header.miner;
    const chain::ChainEpoch round = block.header.height;
    std::vector<std::uint8_t> beacon;
    if (auto inputs = rounds_.find(round); inputs != rounds_.end()) {
        if (auto member = inputs->second.find(miner); member != inputs->second.end()) beacon = member->second.base.beacon_data;
    }
    return Json{
        {"Miner", chainapi::address(miner)},
        {"Parents", chainapi::tipset_key_json(block.header.parents)},
        {"Ticket", {{"VRFProof", chainapi::to_base64(vrf_.prove(miner, round, chain::TicketPurpose::ticket))}}},
        {"Eproof",
         {{"WinCount", block.header.win_count},
          {"VRFProof", chainapi::to_base64(vrf_.prove(miner, round, chain::TicketPurpose::election))}}},
        {"BeaconValues", Json::array({Json{{"Round", round}, {"Data", chainapi::to_base64(beacon)}}})},
        {"Messages", Json::array()},
        {"Epoch", round},
        {"Timestamp", unix_ms(pool::epoch_start_ms(round)) / 1000},
        {"WinningPoStProof",
         Json::array({Json{{"PoStProof", post_.proof_type()}, {"ProofBytes", chainapi::to_base64(proofs_[{miner, round}])}}})},
    };
}

void PoolDaemon::publish(const Publication& publication) {
    const auto key = std::make_pair(publication.miner, publication.round);
    try {
        chain_.create_and_submit(publication.block_template);
        counters_.blocks_submitted += 1;
        store_.set_block_state(publication.miner, publication.round, "submitted");
    } catch (const net::RpcCallError& error) {
        counters_.blocks_refused += 1;
        refusals_[key] = std::string("the chain node refused the block: ") + error.what();
    } catch (const net::TransportError& error) {
        counters_.blocks_refused += 1;
        refusals_[key] = std::string("the block could not be submitted: ") + error.what();
    }
}

const std::map<chain::ActorId, PoolDaemon::RoundMember>& PoolDaemon::round_members(chain::ChainEpoch round,
                                                                                   const chain::TipsetKey& at) {
    std::map<chain::ActorId, RoundMember>& inputs = rounds_[round];
    for (const chain::ActorId member : members_) {
        if (inputs.contains(member)) continue;
        std::optional<MinerBase> base = chain_.base_info(member, round, at);
        if (!base) base = MinerBase{};
        const std::int64_t wins = win_count(member, round, *base);
        inputs[member] = RoundMember{std::move(*base), wins};
    }
    return inputs;
}

bool PoolDaemon::close_next_epoch(std::int64_t now_unix_ms) {
    const auto started = std::chrono::steady_clock::now();
    const chain::ChainEpoch epoch = books_->open_epoch();
    if (epoch >= next_round_) return false;
    const std::int64_t now_chain = std::max(last_chain_ms_, chain_ms(now_unix_ms));
    if (now_chain <= pool::epoch_start_ms(epoch) + config_.producer.propagation_delay_ms) return false;
    if (producer_.current_round() == epoch) {
        producer_.tick(now_chain);
        drain(now_unix_ms);
        publish_due(now_unix_ms);
    }
    const TipsetView head = chain_.head();
    head_height_ = head.height;
    if (head.height < epoch + config_.confirmations) return false;
    const TipsetView tipset = chain_.tipset_by_height(epoch);
    const chain::AttoFil reward = chain_.this_epoch_reward(tipset.key);
    const auto& inputs = round_members(epoch, tipset.key);

    std::map<chain::ActorId, std::string> cid_by_miner;
    if (tipset.height == epoch) {
        for (std::size_t i = 0; i < tipset.miners.size() && i < tipset.key.size(); ++i) {
            cid_by_miner[tipset.miners[i]] = chainapi::block_cid(tipset.key[i]);
        }
    }
    std::vector<std::pair<std::string, Json>> events;
    std::vector<OutcomeRow> outcomes;
    std::vector<BlockRow> blocks;
    for (BlockRow row : store_.blocks(std::nullopt, epoch, epoch)) {
        if (row.state != "published" && row.state != "submitted") continue;
        const bool submitted = row.state == "submitted";
        const auto key = std::make_pair(row.member, epoch);
        const auto cid = cid_by_miner.find(row.member);
        const bool included = cid != cid_by_miner.end();
        if (auto id = producer_block_ids_.find(key); id != producer_block_ids_.end()) {
            producer_.block_fate(id->second, included ? pool::BlockFate::included : pool::BlockFate::orphaned);
        }
        row.state = included ? "included" : "orphaned";
        row.award = included ? chain::block_reward(reward, row.win_count) : 0;
        if (included) row.cid = cid->second;
        OutcomeRow outcome{row.member, epoch, row.state, row.win_count, "", std::nullopt, std::nullopt, std::nullopt};
        if (!included) {
            auto refusal = refusals_.find(key);
            outcome.reason = refusal != refusals_.end() ? refusal->second
                             : submitted ? "not in the canonical tipset at height " + std::to_string(epoch)
                                         : "the pool stopped before submitting the block";
        }
        outcomes.push_back(outcome);
        blocks.push_back(row);
        if (included) {
            events.emplace_back("block", Json{{"epoch", epoch}, {"member", row.member}, {"award", math::to_string(row.award)}});
        }
    }
    // Members without a record at this epoch: the pool did not run their round.
    const std::vector<chain::ActorId> recorded = store_.members_with_outcome(epoch);
    const bool round_ran = !recorded.empty();
    const auto paused_then = paused_at_round_.find(epoch);
    for (const chain::ActorId member : members_) {
        if (std::binary_search(recorded.begin(), recorded.end(), member)) continue;
        const RoundMember& input = inputs.at(member);
        const bool was_paused = paused_then != paused_at_round_.end() ? paused_then->second.contains(member)
                                                                      : paused_.contains(member);
        OutcomeRow outcome{member, epoch, "", input.win_count, "", std::nullopt, std::nullopt, std::nullopt};
        outcome.outcome = !input.base.eligible ? "ineligible" : input.win_count == 0 ? "not_elected" : "missed";
        const auto failed = failed_rounds_.find(epoch);
        outcome.reason = was_paused                      ? "paused by the operator"
                         : failed != failed_rounds_.end() ? failed->second
                         : round_ran                      ? "the pool restarted during the round"
                                                          : "the pool was not running this round";
        outcomes.push_back(outcome);
    }
    std::vector<pool::MemberPowerReport> powers;
    chain::StoragePower network_power = 0;
    for (const chain::ActorId member : members_) {
        const MinerBase& base = inputs.at(member).base;
        network_power = std::max(network_power, base.network_power);
        const pool::MiningEligibility eligibility = base.eligible ? pool::MiningEligibility::eligible
                                                    : base.miner_power > 0 ? pool::MiningEligibility::below_minimum
                                                                           : pool::MiningEligibility::ineligible;
        powers.push_back({member, base.miner_power, eligibility});
    }
    pool::EpochReport report;
    report.epoch = epoch;
    report.powers = powers;
    report.network_power = network_power;
    report.this_epoch_reward = reward;
    events.emplace_back("close", PoolBooks::close_body(report));

    // Apply (deterministic), then make it all durable in one transaction.
    std::vector<PaymentRow> payments;
    for (const auto& [kind, body] : events) {
        for (const PolicyPayments& made : books_->apply(kind, body)) {
            for (const pool::Payment& payment : made.payments) {
                payments.push_back({books_->name(made.policy), epoch, beneficiary_name(payment.beneficiary), payment.amount});
            }
        }
    }
    store::Transaction tx(store_.db());
    for (const auto& [kind, body] : events) store_.append_event(kind, epoch, body);
    for (const OutcomeRow& outcome : outcomes) store_.record_outcome(outcome);
    for (const BlockRow& row : blocks) store_.record_block(row);
    for (const PaymentRow& payment : payments) store_.record_payment(payment);
    tx.commit();

    rounds_.erase(epoch);
    paused_at_round_.erase(epoch);
    failed_rounds_.erase(epoch);
    for (auto it = proofs_.begin(); it != proofs_.end();) it = it->first.second <= epoch ? proofs_.erase(it) : std::next(it);
    for (auto it = refusals_.begin(); it != refusals_.end();) it = it->first.second <= epoch ? refusals_.erase(it) : std::next(it);
    for (auto it = producer_block_ids_.begin(); it != producer_block_ids_.end();) {
        it = it->first.second <= epoch ? producer_block_ids_.erase(it) : std::next(it);
    }
    counters_.epochs_closed += 1;
    counters_.last_epoch_close_us = elapsed_us(started);
    return true;
}

}  // namespace minerx::pool_daemon
