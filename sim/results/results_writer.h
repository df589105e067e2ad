#pragma once

// The results database of a simulation run (schema: docs/results-schema.md) and its digest.
//
// Every row goes through this writer, which stores it in SQLite and feeds a canonical text form of
// it (table name and values, in write order) to a BLAKE2b-256 digest. The digest covers the
// results and the run's identity (scenario, seed, duration, minerx version), not the wall time or
// file paths, so the same scenario, seed and version give the same digest on the same platform.
//
// The database is written to "<path>.partial" and renamed over <path> by finish(): a run that
// fails or is interrupted never leaves a half-written results file under the requested name.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/chain/blake2b.h"
#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::sim {

class SqliteDb;
class SqliteStatement;

struct MinerRow {
    chain::ActorId miner = 0;
    std::string host;
    std::string continent;
    std::string role;  // "solo" or "member"
    std::string pool;  // empty for solo miners
    std::int64_t bin = -1;
    chain::ChainEpoch join_epoch = 0;
    chain::StoragePower initial_power = 0;
    chain::StoragePower final_power = 0;
};

struct PolicyRow {
    std::string pool;
    std::string policy;
    std::string kind;
    std::int64_t fee_ppm = 0;
    std::string below_minimum;
    chain::AttoFil initial_reserve = 0;
};

// A pool member's block, or any orphaned block.
struct BlockRow {
    chain::ChainEpoch epoch = 0;
    chain::ActorId miner = 0;
    std::string pool;  // empty for solo miners
    std::int64_t win_count = 0;
    std::int64_t published_ms = 0;
    std::string origin_continent;
    bool included = false;
    chain::AttoFil reward = 0;
};

// One miner's on-chain day: its own wins, whoever mines for it.
struct MinerDailyRow {
    std::int64_t day = 0;
    chain::ActorId miner = 0;
    double power_tib = 0.0;           // lookback QA power at the day's last round
    double expected_win_count = 0.0;  // sum over the day's rounds of 5 p / P (eligible rounds)
    std::int64_t blocks = 0;          // included blocks
    std::int64_t win_count = 0;       // of included blocks
    std::int64_t orphaned = 0;
    chain::AttoFil reward = 0;        // awards of included blocks
};

// A pool member's income under one policy for one day: what the policy allocated to it.
struct MemberDailyRow {
    std::string pool;
    std::string policy;
    std::int64_t day = 0;
    chain::ActorId member = 0;
    chain::AttoFil earned = 0;
    chain::AttoFil paid = 0;  // cumulative payouts at the end of the day
};

// A member's round in which it was elected or ineligible (not_elected rounds are not stored).
struct MemberRoundRow {
    std::string pool;
    chain::ChainEpoch epoch = 0;
    chain::ActorId member = 0;
    std::string outcome;
    std::int64_t win_count = 0;
    std::optional<std::int64_t> proof_requested_ms;
    std::optional<std::int64_t> proof_received_ms;
    std::optional<std::int64_t> published_ms;
};

struct PolicyDailyRow {
    std::string pool;
    std::string policy;
    std::int64_t day = 0;
    chain::AttoFil received = 0;        // cumulative rewards received by the pool
    chain::AttoFil operator_earned = 0;
    chain::AttoFil reserve_vested = 0;
    chain::AttoFil reserve_unvested = 0;
    chain::AttoFil arrears = 0;         // owed to members and not yet funded
};

struct PolicySummaryRow {
    std::string pool;
    std::string policy;
    chain::AttoFil rewards_received = 0;
    chain::AttoFil money_held = 0;
    chain::AttoFil money_received = 0;
    bool balanced = false;
    chain::AttoFil members_earned = 0;   // allocated or promised to members, arrears included
    chain::AttoFil members_arrears = 0;  // promised and not yet funded (not money)
    chain::AttoFil operator_earned = 0;
    chain::AttoFil reserve = 0;
    chain::AttoFil max_arrears = 0;
    std::int64_t epochs_in_arrears = 0;
    std::optional<chain::AttoFil> min_vested_reserve;
};

struct NetworkDailyRow {
    std::int64_t day = 0;
    std::int64_t epochs = 0;
    std::int64_t null_rounds = 0;
    std::int64_t blocks = 0;      // included
    std::int64_t win_count = 0;   // of included blocks
    std::int64_t orphaned = 0;
    std::int64_t elected_offline = 0;  // wins whose miner's host was down
    double network_power_tib = 0.0;
    chain::AttoFil this_epoch_reward = 0;  // at the day's last round
};

struct ContinentDailyRow {
    std::int64_t day = 0;
    std::string continent;
    std::int64_t blocks = 0;    // produced by miners of the continent
    std::int64_t orphaned = 0;
    double mean_delay_to_winners_ms = 0.0;  // from publish to the next round's winners
};

struct EventRow {
    chain::ChainEpoch epoch = 0;
    std::int64_t time_ms = 0;
    std::string kind;
    std::string target;
    std::string detail;
};

class ResultsWriter {
public:
    explicit ResultsWriter(std::filesystem::path path);
    ResultsWriter(const ResultsWriter&) = delete;
    ResultsWriter& operator=(const ResultsWriter&) = delete;
    ~ResultsWriter();

    // A run property; `in_digest` false for what may differ between identical runs (wall time).
    void run_info(std::string_view key, std::string_view value, bool in_digest = true);
    void miner(const MinerRow& row);
    void policy(const PolicyRow& row);
    void block(const BlockRow& row);
    void miner_daily(const MinerDailyRow& row);
    void member_daily(const MemberDailyRow& row);
    void member_round(const MemberRoundRow& row);
    void policy_daily(const PolicyDailyRow& row);
    void policy_summary(const PolicySummaryRow& row);
    void network_daily(const NetworkDailyRow& row);
    void continent_daily(const ContinentDailyRow& row);
    void event(const EventRow& row);

    // Commits, records the digest in `run`, and moves the file into place. Returns the digest
    // as lowercase hex.
    std::string finish();

    // The schema, for docs and tests.
    static std::string_view schema_sql();

private:
    struct Statements;
    void hash_row(std::string_view text);

    std::filesystem::path path_;
    std::filesystem::path partial_path_;
    std::unique_ptr<SqliteDb> db_;
    std::unique_ptr<Statements> statements_;
    chain::Blake2b256 digest_;
    bool finished_ = false;
};

// Decimal text of an amount (attoFIL) and its value in FIL as a double, for plots.
std::string attofil_text(chain::AttoFil amount);
double attofil_to_fil(chain::AttoFil amount);
double power_to_tib(chain::StoragePower power);

}  // namespace minerx::sim
