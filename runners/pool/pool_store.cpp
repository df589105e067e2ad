#include "runners/pool/pool_store.h"

#include <array>

#include "core/math/int128.h"
#include "runners/chainapi/lotus_json.h"
#include "runners/store/migrations.h"

namespace minerx::pool_daemon {
namespace {

constexpr std::array<store::Migration, 1> kMigrations = {{
    {1, "pool daemon schema", R"sql(
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE members(miner INTEGER PRIMARY KEY, paused INTEGER NOT NULL DEFAULT 0,
                             joined_epoch INTEGER NOT NULL);
        CREATE TABLE events(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,
                            epoch INTEGER NOT NULL, body TEXT NOT NULL);
        CREATE TABLE outcomes(member INTEGER NOT NULL, round INTEGER NOT NULL, outcome TEXT NOT NULL,
                              win_count INTEGER NOT NULL, reason TEXT NOT NULL,
                              proof_requested_ms INTEGER, proof_received_ms INTEGER, published_ms INTEGER,
                              PRIMARY KEY(member, round, outcome));
        CREATE INDEX outcomes_by_round ON outcomes(round);
        CREATE TABLE blocks(member INTEGER NOT NULL, round INTEGER NOT NULL, win_count INTEGER NOT NULL,
                            cid TEXT NOT NULL, state TEXT NOT NULL, award TEXT NOT NULL,
                            template TEXT NOT NULL DEFAULT '', PRIMARY KEY(member, round));
        CREATE TABLE payments(id INTEGER PRIMARY KEY AUTOINCREMENT, policy TEXT NOT NULL,
                              epoch INTEGER NOT NULL, beneficiary TEXT NOT NULL, amount TEXT NOT NULL,
                              UNIQUE(policy, epoch, beneficiary));
    )sql"},
}};

std::optional<std::int64_t> optional_int(const store::Statement& statement, int column) {
    if (statement.column_is_null(column)) return std::nullopt;
    return statement.column_int64(column);
}

void bind_optional(store::Statement& statement, int index, const std::optional<std::int64_t>& value) {
    if (value) {
        statement.bind(index, *value);
    } else {
        statement.bind_null(index);
    }
}

chain::AttoFil parse_amount(const std::string& text) { return math::parse_int128(text).value_or(0); }

}  // namespace

std::string beneficiary_text(chain::ActorId member) { return chainapi::address(member); }

PoolStore::PoolStore(const std::string& path) : db_(store::Database::open(path)) {
    store::apply_migrations(db_, kMigrations);
}

std::optional<std::string> PoolStore::meta(const std::string& key) {
    store::Statement statement = db_.prepare("SELECT value FROM meta WHERE key = ?");
    statement.bind(1, key);
    if (!statement.step()) return std::nullopt;
    return statement.column_text(0);
}

void PoolStore::set_meta(const std::string& key, const std::string& value) {
    db_.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)").bind(1, key).bind(2, value).run();
}

std::vector<MemberRow> PoolStore::members() {
    std::vector<MemberRow> out;
    store::Statement statement = db_.prepare("SELECT miner, paused, joined_epoch FROM members ORDER BY miner");
    while (statement.step()) {
        out.push_back({static_cast<chain::ActorId>(statement.column_int64(0)), statement.column_int64(1) != 0,
                       statement.column_int64(2)});
    }
    return out;
}

void PoolStore::add_member(chain::ActorId miner, chain::ChainEpoch joined_epoch) {
    db_.prepare("INSERT OR IGNORE INTO members(miner, paused, joined_epoch) VALUES(?, 0, ?)")
        .bind(1, static_cast<std::int64_t>(miner))
        .bind(2, joined_epoch)
        .run();
}

bool PoolStore::set_paused(chain::ActorId miner, bool paused) {
    db_.prepare("UPDATE members SET paused = ? WHERE miner = ?")
        .bind(1, std::int64_t{paused ? 1 : 0})
        .bind(2, static_cast<std::int64_t>(miner))
        .run();
    return db_.changes() > 0;
}

void PoolStore::append_event(const std::string& kind, chain::ChainEpoch epoch, const Json& body) {
    db_.prepare("INSERT INTO events(kind, epoch, body) VALUES(?, ?, ?)")
        .bind(1, kind)
        .bind(2, epoch)
        .bind(3, rpc::to_text(body))
        .run();
}

std::vector<EventRow> PoolStore::events() {
    std::vector<EventRow> out;
    store::Statement statement = db_.prepare("SELECT seq, kind, epoch, body FROM events ORDER BY seq");
    while (statement.step()) {
        out.push_back({statement.column_int64(0), statement.column_text(1), statement.column_int64(2),
                       Json::parse(statement.column_text(3))});
    }
    return out;
}

void PoolStore::record_outcome(const OutcomeRow& row) {
    store::Statement statement = db_.prepare(
        "INSERT OR IGNORE INTO outcomes(member, round, outcome, win_count, reason, proof_requested_ms, "
        "proof_received_ms, published_ms) VALUES(?, ?, ?, ?, ?, ?, ?, ?)");
    statement.bind(1, static_cast<std::int64_t>(row.member)).bind(2, row.round).bind(3, row.outcome);
    statement.bind(4, row.win_count).bind(5, row.reason);
    bind_optional(statement, 6, row.proof_requested_ms);
    bind_optional(statement, 7, row.proof_received_ms);
    bind_optional(statement, 8, row.published_ms);
    statement.run();
}

std::vector<OutcomeRow> PoolStore::outcomes(chain::ActorId member, chain::ChainEpoch from, chain::ChainEpoch to,
                                            bool misses_only) {
    std::vector<OutcomeRow> out;
    store::Statement statement = db_.prepare(
        std::string("SELECT member, round, outcome, win_count, reason, proof_requested_ms, proof_received_ms, "
                    "published_ms FROM outcomes WHERE member = ? AND round BETWEEN ? AND ?") +
        (misses_only ? " AND outcome IN ('proof_timed_out', 'proof_invalid', 'missed', 'orphaned')" : "") +
        " ORDER BY round, outcome");
    statement.bind(1, static_cast<std::int64_t>(member)).bind(2, from).bind(3, to);
    while (statement.step()) {
        out.push_back({static_cast<chain::ActorId>(statement.column_int64(0)), statement.column_int64(1),
                       statement.column_text(2), statement.column_int64(3), statement.column_text(4),
                       optional_int(statement, 5), optional_int(statement, 6), optional_int(statement, 7)});
    }
    return out;
}

std::vector<chain::ActorId> PoolStore::members_with_outcome(chain::ChainEpoch round) {
    std::vector<chain::ActorId> out;
    store::Statement statement = db_.prepare("SELECT DISTINCT member FROM outcomes WHERE round = ? ORDER BY member");
    statement.bind(1, round);
    while (statement.step()) out.push_back(static_cast<chain::ActorId>(statement.column_int64(0)));
    return out;
}

std::int64_t PoolStore::count_outcomes(const std::string& outcome) {
    store::Statement statement = db_.prepare("SELECT COUNT(*) FROM outcomes WHERE outcome = ?");
    statement.bind(1, outcome);
    statement.step();
    return statement.column_int64(0);
}

void PoolStore::record_block(const BlockRow& row) {
    db_.prepare("INSERT OR REPLACE INTO blocks(member, round, win_count, cid, state, award, template) "
                "VALUES(?, ?, ?, ?, ?, ?, ?)")
        .bind(1, static_cast<std::int64_t>(row.member))
        .bind(2, row.round)
        .bind(3, row.win_count)
        .bind(4, row.cid)
        .bind(5, row.state)
        .bind(6, math::to_string(row.award))
        .bind(7, row.block_template)
        .run();
}

void PoolStore::set_block_state(chain::ActorId member, chain::ChainEpoch round, const std::string& state) {
    db_.prepare("UPDATE blocks SET state = ? WHERE member = ? AND round = ?")
        .bind(1, state)
        .bind(2, static_cast<std::int64_t>(member))
        .bind(3, round)
        .run();
}

std::vector<BlockRow> PoolStore::blocks(std::optional<chain::ActorId> member, chain::ChainEpoch from,
                                        chain::ChainEpoch to) {
    std::vector<BlockRow> out;
    store::Statement statement = db_.prepare(
        "SELECT member, round, win_count, cid, state, award, template FROM blocks WHERE (? < 0 OR member = ?) AND "
        "round BETWEEN ? AND ? ORDER BY round, member");
    const std::int64_t id = member ? static_cast<std::int64_t>(*member) : -1;
    statement.bind(1, id).bind(2, id).bind(3, from).bind(4, to);
    while (statement.step()) {
        out.push_back({static_cast<chain::ActorId>(statement.column_int64(0)), statement.column_int64(1),
                       statement.column_int64(2), statement.column_text(3), statement.column_text(4),
                       parse_amount(statement.column_text(5)), statement.column_text(6)});
    }
    return out;
}

std::vector<BlockRow> PoolStore::blocks_in_state(const std::string& state, chain::ChainEpoch up_to) {
    std::vector<BlockRow> out;
    store::Statement statement = db_.prepare(
        "SELECT member, round, win_count, cid, state, award, template FROM blocks WHERE state = ? AND round <= ? "
        "ORDER BY round, member");
    statement.bind(1, state).bind(2, up_to);
    while (statement.step()) {
        out.push_back({static_cast<chain::ActorId>(statement.column_int64(0)), statement.column_int64(1),
                       statement.column_int64(2), statement.column_text(3), statement.column_text(4),
                       parse_amount(statement.column_text(5)), statement.column_text(6)});
    }
    return out;
}

void PoolStore::record_payment(const PaymentRow& row) {
    db_.prepare("INSERT INTO payments(policy, epoch, beneficiary, amount) VALUES(?, ?, ?, ?)")
        .bind(1, row.policy)
        .bind(2, row.epoch)
        .bind(3, row.beneficiary)
        .bind(4, math::to_string(row.amount))
        .run();
}

std::vector<PaymentRow> PoolStore::payments(const std::optional<std::string>& beneficiary, chain::ChainEpoch from,
                                            chain::ChainEpoch to) {
    std::vector<PaymentRow> out;
    store::Statement statement = db_.prepare(
        "SELECT policy, epoch, beneficiary, amount FROM payments WHERE (? = '' OR beneficiary = ?) AND "
        "epoch BETWEEN ? AND ? ORDER BY epoch, policy");
    const std::string who = beneficiary.value_or("");
    statement.bind(1, who).bind(2, who).bind(3, from).bind(4, to);
    while (statement.step()) {
        out.push_back({statement.column_text(0), statement.column_int64(1), statement.column_text(2),
                       parse_amount(statement.column_text(3))});
    }
    return out;
}

chain::AttoFil PoolStore::paid_total(const std::string& policy, const std::optional<std::string>& beneficiary) {
    store::Statement statement = db_.prepare(
        "SELECT amount FROM payments WHERE policy = ? AND (? = '' OR beneficiary = ?)");
    const std::string who = beneficiary.value_or("");
    statement.bind(1, policy).bind(2, who).bind(3, who);
    chain::AttoFil total = 0;
    while (statement.step()) total += parse_amount(statement.column_text(0));
    return total;
}

}  // namespace minerx::pool_daemon
