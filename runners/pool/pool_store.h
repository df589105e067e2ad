#pragma once

// The pool daemon's durable state in SQLite (WAL + synchronous=FULL, runners/store). The rule
// that makes kill -9 safe: every INPUT of the accounting (joins, reserve deposits, block
// rewards, epoch reports) is an event row, appended in order, and every outcome record, block
// and payment is written in the same transaction as the event that produced it, before the
// daemon acknowledges or acts on it. On start the books are rebuilt by replaying the events
// into fresh PoolAccounting instances (the core is deterministic), so the state after a crash is
// exactly the state after the last committed transaction: no acknowledged record is lost and no
// epoch is closed (paid) twice. Payments carry UNIQUE(policy, epoch, beneficiary) as a guard.
//
// Schema v1:
//   meta(key PRIMARY KEY, value)                         first_epoch, genesis
//   members(miner PRIMARY KEY, paused, joined_epoch)
//   events(seq PRIMARY KEY, kind, epoch, body JSON)      accounting inputs, replayed in seq order
//   outcomes(member, round, outcome, win_count, reason, proof_requested_ms, proof_received_ms,
//            published_ms, PRIMARY KEY(member, round, outcome))
//   blocks(member, round, win_count, cid, state, award, template, PRIMARY KEY(member, round))
//   payments(policy, epoch, beneficiary, amount, UNIQUE(policy, epoch, beneficiary))

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"
#include "runners/rpc/json_rpc.h"
#include "runners/store/sqlite_database.h"

namespace minerx::pool_daemon {

using rpc::Json;

struct EventRow {
    std::int64_t seq = 0;
    std::string kind;  // "join", "deposit", "block", "close"
    chain::ChainEpoch epoch = 0;
    Json body;
};

struct OutcomeRow {
    chain::ActorId member = 0;
    chain::ChainEpoch round = 0;
    std::string outcome;  // core RoundOutcome names, plus "missed" (pool-side reasons)
    std::int64_t win_count = 0;
    std::string reason;
    std::optional<std::int64_t> proof_requested_ms;
    std::optional<std::int64_t> proof_received_ms;
    std::optional<std::int64_t> published_ms;
};

struct BlockRow {
    chain::ActorId member = 0;
    chain::ChainEpoch round = 0;
    std::int64_t win_count = 0;
    std::string cid;    // the chain's CID once known
    std::string state;  // "published" (assembled), "submitted" (the node took it), "included", "orphaned"
    chain::AttoFil award = 0;
    // The MinerCreateBlock template (JSON text), kept until the block is submitted, so that a
    // pool restarted before T(N) still sends a block whose proof it acknowledged.
    std::string block_template;
};

struct PaymentRow {
    std::string policy;
    chain::ChainEpoch epoch = 0;
    std::string beneficiary;  // "f0…", "operator" or "reserve"
    chain::AttoFil amount = 0;
};

struct MemberRow {
    chain::ActorId miner = 0;
    bool paused = false;
    chain::ChainEpoch joined_epoch = 0;
};

class PoolStore {
public:
    // Opens (creating) the database and applies the migrations. Throws store::StoreError.
    explicit PoolStore(const std::string& path);

    store::Database& db() { return db_; }

    std::optional<std::string> meta(const std::string& key);
    void set_meta(const std::string& key, const std::string& value);

    std::vector<MemberRow> members();
    void add_member(chain::ActorId miner, chain::ChainEpoch joined_epoch);
    // False if the miner is not a member.
    bool set_paused(chain::ActorId miner, bool paused);

    void append_event(const std::string& kind, chain::ChainEpoch epoch, const Json& body);
    std::vector<EventRow> events();

    // Inserts or, for the same (member, round, outcome), keeps the first record.
    void record_outcome(const OutcomeRow& row);
    std::vector<OutcomeRow> outcomes(chain::ActorId member, chain::ChainEpoch from, chain::ChainEpoch to,
                                     bool misses_only);
    // Members with any outcome at `round`.
    std::vector<chain::ActorId> members_with_outcome(chain::ChainEpoch round);
    std::int64_t count_outcomes(const std::string& outcome);

    void record_block(const BlockRow& row);  // insert or replace
    void set_block_state(chain::ActorId member, chain::ChainEpoch round, const std::string& state);
    std::vector<BlockRow> blocks(std::optional<chain::ActorId> member, chain::ChainEpoch from, chain::ChainEpoch to);
    std::vector<BlockRow> blocks_in_state(const std::string& state, chain::ChainEpoch up_to);

    void record_payment(const PaymentRow& row);
    std::vector<PaymentRow> payments(const std::optional<std::string>& beneficiary, chain::ChainEpoch from,
                                     chain::ChainEpoch to);
    // Σ payments of a policy to a beneficiary (or to all, when empty).
    chain::AttoFil paid_total(const std::string& policy, const std::optional<std::string>& beneficiary);

private:
    store::Database db_;
};

std::string beneficiary_text(chain::ActorId member);

}  // namespace minerx::pool_daemon
