#pragma once

// The pool daemon's driver: it runs the core's BlockProducer and PoolAccounting against a chain
// node's Lotus API with a real clock, as the simulator's pool actor does in simulated time
// (docs/block-production.md "Driver loop"; docs/daemons.md "Pool"). It owns no logic of its own
// beyond carrying events and actions:
//
//   - Time. The producer works in chain milliseconds (30 s epochs, as the core defines T(N)); a
//     devnet may run shorter epochs, so wall time maps linearly: chain_ms = (now - genesis) ·
//     30 000 / epoch_ms. The propagation delay and margin are chain milliseconds too, so every
//     budget keeps its proportion of the epoch.
//   - Rounds. Round N starts at the base cutoff T(N-1) + Δ (plus a small slack, so the node has
//     closed N-1): ChainHead is the base, MinerGetBaseInfo gives each member's lookback power,
//     eligibility and beacon, the VrfBackend the election and ticket proofs. Winners' provers get
//     the challenge over their WebSocket (ChallengeSink); proofs come back through
//     proof_received; PublishBlock actions become MinerCreateBlock + SyncSubmitBlock at
//     publish_at.
//   - Epochs. Epoch e closes once the head is at least `confirmations` above it: the canonical
//     tipset at e decides each pool block's fate (included iff the tipset holds the member's
//     block), included blocks are booked with block_reward(ThisEpochReward, WinCount), and the
//     epoch report (lookback powers, eligibility, network power, reward) closes the epoch in every
//     policy's books. Members without a record at e get one now (a round the pool did not run:
//     paused, pool down, restarted mid-round), with their election decided from the same inputs.
//   - Durability: pool_store.h. Each round start, proof acceptance, publication and epoch close is
//     one transaction, committed before any message goes out or any answer is given.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/pool/block_producer.h"
#include "runners/chainapi/proof_backends.h"
#include "runners/pool/chain_client.h"
#include "runners/pool/pool_books.h"
#include "runners/pool/pool_store.h"

namespace minerx::pool_daemon {

struct PoolDaemonConfig {
    std::int64_t epoch_ms = 30'000;
    std::int64_t genesis_unix_ms = 0;
    pool::BlockProducerConfig producer{};
    std::vector<chain::ActorId> members;
    std::vector<sim::PolicySpec> policies;
    pool::MembershipConfig membership{};
    pool::PayoutSchedule payout = pool::PayoutSchedule::every_epoch;
    // Real milliseconds after the base cutoff before a round starts (the node closes the
    // previous height at the cutoff).
    std::int64_t start_slack_ms = 20;
    // An epoch's fates are read once the head is this many heights above it.
    std::int64_t confirmations = 1;
};

// Pushes a challenge to the member's prover; false if none is connected.
using ChallengeSink = std::function<bool(chain::ActorId miner, const Json& challenge)>;

struct PoolCounters {
    std::int64_t rounds_started = 0;
    std::int64_t rounds_skipped = 0;
    std::int64_t epochs_closed = 0;
    std::int64_t blocks_submitted = 0;
    std::int64_t blocks_refused = 0;
    std::int64_t chain_errors = 0;
    // Wall time of the latest round start (base, base infos, elections, producer, commit,
    // challenges out) and epoch close, in microseconds: the pool's share of the budget.
    std::int64_t last_round_start_us = 0;
    std::int64_t max_round_start_us = 0;
    std::int64_t last_epoch_close_us = 0;
};

class PoolDaemon {
public:
    PoolDaemon(PoolDaemonConfig config, ChainClient& chain, PoolStore& store, const chainapi::VrfBackend& vrf,
               const chainapi::WinningPoStBackend& post, ChallengeSink sink);

    // Rebuilds the books from the event log (creating the first epoch, joins and deposits on a
    // fresh database) and joins members newly configured. Returns the number of events replayed.
    std::size_t recover(std::int64_t now_unix_ms);

    // Does what is due at `now` and returns when to be called next (unix ms).
    std::int64_t on_time(std::int64_t now_unix_ms);

    // A prover's answer. Returns the core's verdict ("accepted", "late", "invalid", "unexpected").
    std::string proof_received(chain::ActorId miner, chain::ChainEpoch round, const std::vector<std::uint8_t>& proof,
                               std::int64_t now_unix_ms);
    // A prover (re)connected for `miner`: re-sends the open challenge, if any.
    void prover_connected(chain::ActorId miner);

    bool is_member(chain::ActorId miner) const;
    // False if not a member.
    bool set_paused(chain::ActorId miner, bool paused);
    bool is_paused(chain::ActorId miner) const { return paused_.contains(miner); }

    PoolBooks& books() { return *books_; }
    PoolStore& store() { return store_; }
    const PoolCounters& counters() const { return counters_; }
    const std::vector<chain::ActorId>& members() const { return members_; }
    std::optional<chain::ChainEpoch> current_round() const { return producer_.current_round(); }
    chain::ChainEpoch head_height() const { return head_height_; }
    const std::string& last_error() const { return last_error_; }
    std::size_t pending_fates() const { return producer_.pending_fate_count(); }

    // Wall time <-> chain time.
    std::int64_t chain_ms(std::int64_t unix_ms) const;
    std::int64_t unix_ms(std::int64_t chain_ms) const;
    std::int64_t round_start_unix_ms(chain::ChainEpoch round) const;

private:
    struct RoundMember {
        MinerBase base;
        std::int64_t win_count = 0;
    };
    struct OpenChallenge {
        Json message;
        chain::Digest seed{};
    };
    // A block to send with MinerCreateBlock + SyncSubmitBlock at publish_at (chain ms).
    struct Publication {
        std::int64_t publish_at_ms = 0;
        chain::ActorId miner = 0;
        chain::ChainEpoch round = 0;
        Json block_template;
    };

    void start_round(chain::ChainEpoch round, std::int64_t now_unix_ms);
    void chain_failed(const std::string& error);
    void drain(std::int64_t now_unix_ms);
    void publish_due(std::int64_t now_unix_ms);
    Json block_template(const pool::PublishBlock& block);
    void publish(const Publication& publication);
    bool close_next_epoch(std::int64_t now_unix_ms);
    const std::map<chain::ActorId, RoundMember>& round_members(chain::ChainEpoch round, const chain::TipsetKey& at);
    std::int64_t win_count(chain::ActorId miner, chain::ChainEpoch round, const MinerBase& base) const;
    OutcomeRow outcome_row(const pool::MemberOutcome& outcome) const;

    PoolDaemonConfig config_;
    ChainClient& chain_;
    PoolStore& store_;
    const chainapi::VrfBackend& vrf_;
    const chainapi::WinningPoStBackend& post_;
    ChallengeSink sink_;
    pool::BlockProducer producer_;
    std::optional<PoolBooks> books_;
    std::vector<chain::ActorId> members_;  // ascending
    std::set<chain::ActorId> paused_;
    chain::ChainEpoch next_round_ = 1;
    chain::ChainEpoch head_height_ = 0;
    std::int64_t last_chain_ms_ = 0;
    std::string last_error_;
    PoolCounters counters_;
    // Inputs of the rounds still open in the books (dropped when the epoch closes).
    std::map<chain::ChainEpoch, std::map<chain::ActorId, RoundMember>> rounds_;
    std::map<chain::ChainEpoch, std::set<chain::ActorId>> paused_at_round_;
    // Rounds whose start failed (the chain node unreachable or behind), with the error.
    std::map<chain::ChainEpoch, std::string> failed_rounds_;
    std::map<chain::ActorId, OpenChallenge> open_challenges_;
    std::set<chain::ActorId> challenged_without_prover_;
    std::map<std::pair<chain::ActorId, chain::ChainEpoch>, std::vector<std::uint8_t>> proofs_;
    std::map<std::pair<chain::ActorId, chain::ChainEpoch>, chain::BlockId> producer_block_ids_;
    std::map<std::pair<chain::ActorId, chain::ChainEpoch>, std::string> refusals_;
    std::vector<Publication> to_publish_;
};

}  // namespace minerx::pool_daemon
