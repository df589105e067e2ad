#include "sim/results/results_writer.h"

#include <cstdio>
#include <sstream>
#include <system_error>
#include <utility>

#include "core/math/int128.h"
#include "sim/results/sqlite_db.h"

namespace minerx::sim {
namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE run (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE miners (
  miner INTEGER PRIMARY KEY, host TEXT NOT NULL, continent TEXT NOT NULL, role TEXT NOT NULL,
  pool TEXT, bin INTEGER, join_epoch INTEGER NOT NULL,
  initial_power_bytes TEXT NOT NULL, initial_power_tib REAL NOT NULL,
  final_power_bytes TEXT NOT NULL, final_power_tib REAL NOT NULL);
CREATE TABLE policies (
  pool TEXT NOT NULL, policy TEXT NOT NULL, kind TEXT NOT NULL, fee_ppm INTEGER NOT NULL,
  below_minimum TEXT NOT NULL, initial_reserve_attofil TEXT NOT NULL,
  PRIMARY KEY (pool, policy));
CREATE TABLE blocks (
  epoch INTEGER NOT NULL, miner INTEGER NOT NULL, pool TEXT, win_count INTEGER NOT NULL,
  published_ms INTEGER NOT NULL, origin_continent TEXT NOT NULL, included INTEGER NOT NULL,
  reward_attofil TEXT NOT NULL, reward_fil REAL NOT NULL);
CREATE TABLE miner_daily (
  day INTEGER NOT NULL, miner INTEGER NOT NULL, power_tib REAL NOT NULL,
  expected_win_count REAL NOT NULL, blocks INTEGER NOT NULL, win_count INTEGER NOT NULL,
  orphaned INTEGER NOT NULL, reward_attofil TEXT NOT NULL, reward_fil REAL NOT NULL,
  PRIMARY KEY (day, miner));
CREATE TABLE member_daily (
  pool TEXT NOT NULL, policy TEXT NOT NULL, day INTEGER NOT NULL, member INTEGER NOT NULL,
  earned_attofil TEXT NOT NULL, earned_fil REAL NOT NULL, paid_attofil TEXT NOT NULL,
  PRIMARY KEY (pool, policy, day, member));
CREATE TABLE member_rounds (
  pool TEXT NOT NULL, epoch INTEGER NOT NULL, member INTEGER NOT NULL, outcome TEXT NOT NULL,
  win_count INTEGER NOT NULL, proof_requested_ms INTEGER, proof_received_ms INTEGER,
  published_ms INTEGER);
CREATE TABLE policy_daily (
  pool TEXT NOT NULL, policy TEXT NOT NULL, day INTEGER NOT NULL,
  received_attofil TEXT NOT NULL, operator_earned_attofil TEXT NOT NULL,
  reserve_vested_attofil TEXT NOT NULL, reserve_unvested_attofil TEXT NOT NULL,
  reserve_fil REAL NOT NULL, arrears_attofil TEXT NOT NULL, arrears_fil REAL NOT NULL,
  PRIMARY KEY (pool, policy, day));
CREATE TABLE policy_summary (
  pool TEXT NOT NULL, policy TEXT NOT NULL, rewards_received_attofil TEXT NOT NULL,
  money_held_attofil TEXT NOT NULL, money_received_attofil TEXT NOT NULL,
  balanced INTEGER NOT NULL, members_earned_attofil TEXT NOT NULL,
  members_arrears_attofil TEXT NOT NULL, operator_earned_attofil TEXT NOT NULL, reserve_attofil TEXT NOT NULL,
  max_arrears_attofil TEXT NOT NULL, epochs_in_arrears INTEGER NOT NULL,
  min_vested_reserve_attofil TEXT, PRIMARY KEY (pool, policy));
CREATE TABLE network_daily (
  day INTEGER PRIMARY KEY, epochs INTEGER NOT NULL, null_rounds INTEGER NOT NULL,
  blocks INTEGER NOT NULL, win_count INTEGER NOT NULL, orphaned INTEGER NOT NULL,
  elected_offline INTEGER NOT NULL, network_power_tib REAL NOT NULL,
  this_epoch_reward_attofil TEXT NOT NULL, this_epoch_reward_fil REAL NOT NULL);
CREATE TABLE continent_daily (
  day INTEGER NOT NULL, continent TEXT NOT NULL, blocks INTEGER NOT NULL,
  orphaned INTEGER NOT NULL, mean_delay_to_winners_ms REAL NOT NULL,
  PRIMARY KEY (day, continent));
CREATE TABLE events (
  epoch INTEGER NOT NULL, time_ms INTEGER NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
  detail TEXT NOT NULL);
)sql";

// Canonical text of a row for the digest: the table, then each value, '|'-separated.
class RowText {
public:
    explicit RowText(std::string_view table) { text_.append(table); }
    RowText& operator<<(std::string_view value) {
        text_.push_back('|');
        text_.append(value);
        return *this;
    }
    RowText& operator<<(std::int64_t value) { return *this << std::to_string(value); }
    RowText& operator<<(double value) {
        char buffer[40];
        std::snprintf(buffer, sizeof buffer, "%.17g", value);
        return *this << std::string_view(buffer);
    }
    std::string finish() {
        text_.push_back('\n');
        return std::move(text_);
    }

private:
    std::string text_;
};

void bind_optional(SqliteStatement& statement, int index, const std::optional<std::int64_t>& v) {
    if (v) {
        statement.bind(index, *v);
    } else {
        statement.bind_null(index);
    }
}

std::string optional_text(const std::optional<std::int64_t>& value) {
    return value ? std::to_string(*value) : std::string("null");
}

}  // namespace

std::string attofil_text(chain::AttoFil amount) { return math::to_string(amount); }

double attofil_to_fil(chain::AttoFil amount) {
    // Whole FIL and the remainder separately, so large amounts keep their fractional digits.
    const chain::AttoFil whole = amount / chain::kAttoFilPerFil;
    const chain::AttoFil rest = amount % chain::kAttoFilPerFil;
    return static_cast<double>(whole) + static_cast<double>(rest) * 1e-18;
}

double power_to_tib(chain::StoragePower power) {
    return static_cast<double>(power) / static_cast<double>(chain::StoragePower{1} << 40);
}

struct ResultsWriter::Statements {
    explicit Statements(SqliteDb& db)
        : run(db.prepare("INSERT OR REPLACE INTO run VALUES (?,?)")),
          miner(db.prepare("INSERT INTO miners VALUES (?,?,?,?,?,?,?,?,?,?,?)")),
          policy(db.prepare("INSERT INTO policies VALUES (?,?,?,?,?,?)")),
          block(db.prepare("INSERT INTO blocks VALUES (?,?,?,?,?,?,?,?,?)")),
          miner_daily(db.prepare("INSERT INTO miner_daily VALUES (?,?,?,?,?,?,?,?,?)")),
          member_daily(db.prepare("INSERT INTO member_daily VALUES (?,?,?,?,?,?,?)")),
          member_round(db.prepare("INSERT INTO member_rounds VALUES (?,?,?,?,?,?,?,?)")),
          policy_daily(db.prepare("INSERT INTO policy_daily VALUES (?,?,?,?,?,?,?,?,?,?)")),
          policy_summary(
              db.prepare("INSERT INTO policy_summary VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")),
          network_daily(db.prepare("INSERT INTO network_daily VALUES (?,?,?,?,?,?,?,?,?,?)")),
          continent_daily(db.prepare("INSERT INTO continent_daily VALUES (?,?,?,?,?)")),
          event(db.prepare("INSERT INTO events VALUES (?,?,?,?,?)")) {}

    SqliteStatement run, miner, policy, block, miner_daily, member_daily, member_round,
        policy_daily, policy_summary, network_daily, continent_daily, event;
};

ResultsWriter::ResultsWriter(std::filesystem::path path)
    : path_(std::move(path)), partial_path_(path_.string() + ".partial") {
    std::error_code ignored;
    std::filesystem::remove(partial_path_, ignored);
    db_ = std::make_unique<SqliteDb>(partial_path_);
    // A results file is written once by one process and is only valid once renamed into place,
    // so SQLite's journal would protect nothing.
    db_->exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
    db_->exec(kSchema);
    db_->exec("BEGIN");
    statements_ = std::make_unique<Statements>(*db_);
}

ResultsWriter::~ResultsWriter() {
    if (finished_) return;
    statements_.reset();
    db_.reset();
    std::error_code ignored;
    std::filesystem::remove(partial_path_, ignored);
}

std::string_view ResultsWriter::schema_sql() { return kSchema; }

void ResultsWriter::hash_row(std::string_view text) {
    digest_.update(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

void ResultsWriter::run_info(std::string_view key, std::string_view value, bool in_digest) {
    statements_->run.bind(1, key).bind(2, value).execute();
    if (in_digest) hash_row((RowText("run") << key << value).finish());
}

void ResultsWriter::miner(const MinerRow& row) {
    const std::string initial = math::to_string(row.initial_power);
    const std::string final_power = math::to_string(row.final_power);
    statements_->miner.bind(1, static_cast<std::int64_t>(row.miner))
        .bind(2, row.host)
        .bind(3, row.continent)
        .bind(4, row.role)
        .bind(5, row.pool)
        .bind(6, row.bin)
        .bind(7, row.join_epoch)
        .bind(8, initial)
        .bind(9, power_to_tib(row.initial_power))
        .bind(10, final_power)
        .bind(11, power_to_tib(row.final_power))
        .execute();
    hash_row((RowText("miners") << static_cast<std::int64_t>(row.miner) << row.host
                                << row.continent << row.role << row.pool << row.bin
                                << row.join_epoch << initial << final_power)
                 .finish());
}

void ResultsWriter::policy(const PolicyRow& row) {
    const std::string reserve = attofil_text(row.initial_reserve);
    statements_->policy.bind(1, row.pool)
        .bind(2, row.policy)
        .bind(3, row.kind)
        .bind(4, row.fee_ppm)
        .bind(5, row.below_minimum)
        .bind(6, reserve)
        .execute();
    hash_row((RowText("policies") << row.pool << row.policy << row.kind << row.fee_ppm
                                  << row.below_minimum << reserve)
                 .finish());
}

void ResultsWriter::block(const BlockRow& row) {
    const std::string reward = attofil_text(row.reward);
    statements_->block.bind(1, row.epoch)
        .bind(2, static_cast<std::int64_t>(row.miner))
        .bind(3, row.pool)
        .bind(4, row.win_count)
        .bind(5, row.published_ms)
        .bind(6, row.origin_continent)
        .bind(7, std::int64_t{row.included ? 1 : 0})
        .bind(8, reward)
        .bind(9, attofil_to_fil(row.reward))
        .execute();
    hash_row((RowText("blocks") << row.epoch << static_cast<std::int64_t>(row.miner) << row.pool
                                << row.win_count << row.published_ms << row.origin_continent
                                << std::int64_t{row.included ? 1 : 0} << reward)
                 .finish());
}

void ResultsWriter::miner_daily(const MinerDailyRow& row) {
    const std::string reward = attofil_text(row.reward);
    statements_->miner_daily.bind(1, row.day)
        .bind(2, static_cast<std::int64_t>(row.miner))
        .bind(3, row.power_tib)
        .bind(4, row.expected_win_count)
        .bind(5, row.blocks)
        .bind(6, row.win_count)
        .bind(7, row.orphaned)
        .bind(8, reward)
        .bind(9, attofil_to_fil(row.reward))
        .execute();
    hash_row((RowText("miner_daily") << row.day << static_cast<std::int64_t>(row.miner)
                                     << row.power_tib << row.expected_win_count << row.blocks
                                     << row.win_count << row.orphaned << reward)
                 .finish());
}

void ResultsWriter::member_daily(const MemberDailyRow& row) {
    const std::string earned = attofil_text(row.earned);
    const std::string paid = attofil_text(row.paid);
    statements_->member_daily.bind(1, row.pool)
        .bind(2, row.policy)
        .bind(3, row.day)
        .bind(4, static_cast<std::int64_t>(row.member))
        .bind(5, earned)
        .bind(6, attofil_to_fil(row.earned))
        .bind(7, paid)
        .execute();
    hash_row((RowText("member_daily") << row.pool << row.policy << row.day
                                      << static_cast<std::int64_t>(row.member) << earned << paid)
                 .finish());
}

void ResultsWriter::member_round(const MemberRoundRow& row) {
    SqliteStatement& s = statements_->member_round;
    s.bind(1, row.pool)
        .bind(2, row.epoch)
        .bind(3, static_cast<std::int64_t>(row.member))
        .bind(4, row.outcome)
        .bind(5, row.win_count);
    bind_optional(s, 6, row.proof_requested_ms);
    bind_optional(s, 7, row.proof_received_ms);
    bind_optional(s, 8, row.published_ms);
    s.execute();
    hash_row((RowText("member_rounds")
              << row.pool << row.epoch << static_cast<std::int64_t>(row.member) << row.outcome
              << row.win_count << optional_text(row.proof_requested_ms)
              << optional_text(row.proof_received_ms) << optional_text(row.published_ms))
                 .finish());
}

void ResultsWriter::policy_daily(const PolicyDailyRow& row) {
    const std::string received = attofil_text(row.received);
    const std::string operator_earned = attofil_text(row.operator_earned);
    const std::string vested = attofil_text(row.reserve_vested);
    const std::string unvested = attofil_text(row.reserve_unvested);
    const std::string arrears = attofil_text(row.arrears);
    statements_->policy_daily.bind(1, row.pool)
        .bind(2, row.policy)
        .bind(3, row.day)
        .bind(4, received)
        .bind(5, operator_earned)
        .bind(6, vested)
        .bind(7, unvested)
        .bind(8, attofil_to_fil(row.reserve_vested + row.reserve_unvested))
        .bind(9, arrears)
        .bind(10, attofil_to_fil(row.arrears))
        .execute();
    hash_row((RowText("policy_daily") << row.pool << row.policy << row.day << received
                                      << operator_earned << vested << unvested << arrears)
                 .finish());
}

void ResultsWriter::policy_summary(const PolicySummaryRow& row) {
    SqliteStatement& s = statements_->policy_summary;
    const std::string amounts[] = {
        attofil_text(row.rewards_received), attofil_text(row.money_held),
        attofil_text(row.money_received),   attofil_text(row.members_earned),
        attofil_text(row.members_arrears),  attofil_text(row.operator_earned),
        attofil_text(row.reserve),          attofil_text(row.max_arrears)};
    const std::string min_reserve =
        row.min_vested_reserve ? attofil_text(*row.min_vested_reserve) : std::string("null");
    s.bind(1, row.pool).bind(2, row.policy).bind(3, amounts[0]).bind(4, amounts[1]);
    s.bind(5, amounts[2]).bind(6, std::int64_t{row.balanced ? 1 : 0});
    for (int i = 3; i < 8; ++i) s.bind(i + 4, amounts[i]);
    s.bind(12, row.epochs_in_arrears);
    if (row.min_vested_reserve) {
        s.bind(13, min_reserve);
    } else {
        s.bind_null(13);
    }
    s.execute();
    RowText text("policy_summary");
    text << row.pool << row.policy;
    for (const std::string& amount : amounts) text << amount;
    text << std::int64_t{row.balanced ? 1 : 0} << row.epochs_in_arrears << min_reserve;
    hash_row(text.finish());
}

void ResultsWriter::network_daily(const NetworkDailyRow& row) {
    const std::string reward = attofil_text(row.this_epoch_reward);
    statements_->network_daily.bind(1, row.day)
        .bind(2, row.epochs)
        .bind(3, row.null_rounds)
        .bind(4, row.blocks)
        .bind(5, row.win_count)
        .bind(6, row.orphaned)
        .bind(7, row.elected_offline)
        .bind(8, row.network_power_tib)
        .bind(9, reward)
        .bind(10, attofil_to_fil(row.this_epoch_reward))
        .execute();
    hash_row((RowText("network_daily") << row.day << row.epochs << row.null_rounds << row.blocks
                                       << row.win_count << row.orphaned << row.elected_offline
                                       << row.network_power_tib << reward)
                 .finish());
}

void ResultsWriter::continent_daily(const ContinentDailyRow& row) {
    statements_->continent_daily.bind(1, row.day)
        .bind(2, row.continent)
        .bind(3, row.blocks)
        .bind(4, row.orphaned)
        .bind(5, row.mean_delay_to_winners_ms)
        .execute();
    hash_row((RowText("continent_daily") << row.day << row.continent << row.blocks
                                         << row.orphaned << row.mean_delay_to_winners_ms)
                 .finish());
}

void ResultsWriter::event(const EventRow& row) {
    statements_->event.bind(1, row.epoch)
        .bind(2, row.time_ms)
        .bind(3, row.kind)
        .bind(4, row.target)
        .bind(5, row.detail)
        .execute();
    hash_row((RowText("events") << row.epoch << row.time_ms << row.kind << row.target
                                << row.detail)
                 .finish());
}

std::string ResultsWriter::finish() {
    const chain::Digest digest = digest_.finish();
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (std::uint8_t byte : digest) {
        hex.push_back(kHex[byte >> 4]);
        hex.push_back(kHex[byte & 15]);
    }
    statements_->run.bind(1, std::string_view("digest")).bind(2, hex).execute();
    statements_.reset();
    db_->exec("COMMIT");
    db_.reset();
    std::filesystem::rename(partial_path_, path_);
    finished_ = true;
    return hex;
}

}  // namespace minerx::sim
