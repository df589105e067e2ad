#pragma once

// The pool's block producer: one state machine that mines every member's rounds, as sophon-miner
// does for a Venus pool (research/venus.md §1) and Lotus' mining loop does for one miner
// (research/election.md §4). The simulator's pool actor and the production pool daemon both drive
// exactly this class; docs/block-production.md has the timing budget and the driver loops.
//
// Round N, with T(N) = epoch_start_ms(N) the timestamp of height-N blocks and Δ the propagation
// delay:
//   1. At the base cutoff T(N-1) + Δ the driver fixes the base and gathers each member's base info
//      (lookback powers, eligibility, election and ticket VRF digests) and calls start_round. The
//      producer decides every WinCount with the chain core and asks each winner's prover for a
//      WinningPoSt proof (RequestWinningPoSt), due by the proof deadline T(N) + Δ - margin.
//   2. Proofs arrive (proof_received). A proof counts if it is valid and arrives at or before the
//      deadline; otherwise the member's outcome is proof_invalid or proof_timed_out.
//   3. tick assembles the ready winners' blocks with disjoint message sets
//      (core/pool/message_selection.h) and emits PublishBlock, held until T(N): publish_at =
//      max(now, T(N)). Before T(N) it waits for all winners, since nothing can be published
//      earlier anyway; from T(N) on it publishes every ready block at once, and a proof arriving
//      later gets its own block straight away, from senders no earlier block of the round used,
//      so a slow prover never delays a prompt member's block.
//   4. Once the chain decides (chain::resolve_height_inclusion), the driver reports block_fate.
//
// Sans-I/O (research/aesthetics.md §5): handlers take `now` (ms since genesis, non-decreasing
// across calls); outputs are queued and drained with poll_action and poll_outcome; next_deadline
// says when tick must next be called (a value at or before the current time means "tick now").
// After each handler call the driver drains both queues and re-arms its timer.
//
// Outcome records (poll_outcome): one per member per round when the round's result for that
// member is known: not_elected or ineligible at start_round; proof_timed_out or proof_invalid; or
// published. A published block gets a second record, included or orphaned, from block_fate.
//
// Invariants: at most one round is open; rounds increase; a member appears once per round; every
// published block stays in the pending-fate table until block_fate reports it (the driver must
// report each one; pending_fate_count() shows the backlog).

#include <cstdint>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/tipset.h"
#include "core/chain/token_amount.h"
#include "core/chain/win_thresholds.h"
#include "core/pool/message_selection.h"
#include "core/pool/pool_types.h"

namespace minerx::pool {

struct BlockProducerConfig {
    // Lotus PropagationDelaySecs (6 s in 2021, 10 s since 2022; chain_types.h).
    TimeMs propagation_delay_ms = chain::kPropagationDelaySeconds2021 * 1000;
    // Kept back from the propagation cutoff for block assembly, the block signature by the
    // member's wallet (a WAN round trip) and gossip to the other miners. 2 s is an assumption:
    // about one intercontinental round trip plus a few gossip hops (docs/block-production.md).
    TimeMs publish_margin_ms = 2000;
    MessageSelectionLimits message_limits{};
    // Whether start_round emits a not_elected outcome for every member that did not win. A
    // driver that implies them (the simulator: a member's rounds minus its recorded ones) turns
    // this off; a daemon keeps the full per-member record.
    bool report_not_elected = true;
};

// Why a configuration cannot be used, naming the field; nullopt if it can. Drivers check
// user-supplied configurations with this; the constructor asserts it.
std::optional<std::string> validate_block_producer_config(const BlockProducerConfig& config);

// The base every member of the pool builds on in this round.
struct RoundBase {
    chain::TipsetKey parents{};
    chain::ChainWeight parent_weight = 0;
    chain::StoragePower parent_network_power = 0;  // TotalQualityAdjPower in the parent state
    // The drand signature the round draws from: the last of the new block's beacon entries, or
    // the base's latest entry if there are none (research/election.md §3.2). Shared by all miners.
    std::vector<std::uint8_t> beacon_data{};
};

// One member's election inputs for the round (Lotus MinerGetBaseInfo plus the VRF outputs).
struct MemberBaseInfo {
    MemberId member = 0;
    chain::StoragePower miner_power = 0;    // quality-adjusted, at the lookback
    chain::StoragePower network_power = 0;  // TotalQualityAdjPower, at the lookback
    // EligibleForMining: consensus minimum at the lookback, no fee debt, not slashed, not in a
    // consensus-fault ineligibility period (research/election.md §3.5).
    // A member marked eligible in a round whose network_power is 0 (no miner at the consensus
    // minimum, so TotalQualityAdjPower is 0) cannot mine either: Lotus' election would divide by
    // zero. Such a member is recorded as ineligible (can_mine below).
    bool eligible = false;
    chain::Digest election_digest{};  // BLAKE2b-256 of the election VRF proof
    chain::Digest ticket_digest{};    // BLAKE2b-256 of the ticket VRF proof (tipset order)
};

// Whether the member can take part in the election at all.
inline bool can_mine(const MemberBaseInfo& info) {
    return info.eligible && info.network_power > 0;
}

// Ask the member's prover for a WinningPoSt proof over the challenge seed
// (DrawRandomness(beacon, WinningPoStChallengeSeed, round, CBOR(member address))).
struct RequestWinningPoSt {
    MemberId member = 0;
    chain::ChainEpoch round = 0;
    chain::Digest challenge_seed{};
    TimeMs requested_at_ms = 0;
    TimeMs deadline_ms = 0;  // the last instant a proof is accepted

    friend bool operator==(const RequestWinningPoSt&, const RequestWinningPoSt&) = default;
};

// Broadcast this block at publish_at_ms (the driver signs it with the member's worker key).
struct PublishBlock {
    chain::BlockHeader header{};
    std::vector<MempoolMessage> messages{};
    std::int64_t gas_limit_total = 0;
    chain::AttoFil tips_total = 0;
    TimeMs publish_at_ms = 0;

    friend bool operator==(const PublishBlock&, const PublishBlock&) = default;
};

using BlockProducerAction = std::variant<RequestWinningPoSt, PublishBlock>;

enum class RoundOutcome : std::uint8_t {
    not_elected,
    ineligible,
    proof_timed_out,  // no proof by the deadline (or the next round started first)
    proof_invalid,
    published,  // fate pending
    included,
    orphaned,
};
std::string_view to_string(RoundOutcome outcome);

// A member's result for one round. Times are ms since genesis; proof round trip =
// proof_received_ms - proof_requested_ms, block-publish delay = published_ms - T(round).
struct MemberOutcome {
    MemberId member = 0;
    chain::ChainEpoch round = 0;
    RoundOutcome outcome = RoundOutcome::not_elected;
    std::int64_t win_count = 0;
    std::optional<TimeMs> proof_requested_ms = std::nullopt;
    std::optional<TimeMs> proof_received_ms = std::nullopt;
    std::optional<TimeMs> published_ms = std::nullopt;
    std::optional<chain::BlockId> block = std::nullopt;
    std::size_t message_count = 0;
    chain::AttoFil tips_total = 0;

    friend bool operator==(const MemberOutcome&, const MemberOutcome&) = default;
};

enum class BlockFate : std::uint8_t { included, orphaned };

enum class ProofAcceptance : std::uint8_t {
    accepted,
    late,        // after the deadline: the member's outcome is proof_timed_out
    invalid,     // the member's outcome is proof_invalid
    unexpected,  // not awaited (another round, not a winner, already resolved): ignored
};

struct BlockProducerStats {
    std::uint64_t rounds_started = 0;
    std::uint64_t threshold_builds = 0;      // WinThresholds constructed
    std::uint64_t threshold_cache_hits = 0;  // elections decided with cached thresholds
    std::uint64_t proofs_requested = 0;
    std::uint64_t blocks_published = 0;
};

class BlockProducer {
public:
    // REQUIRES: validate_block_producer_config(config) is nullopt.
    explicit BlockProducer(BlockProducerConfig config);

    // ---- handlers ----

    // Opens `round`, closing the previous one first as tick(now) would, except that any proof
    // still awaited is timed out. Decides every member's WinCount and queues a proof request per
    // winner. REQUIRES: round >= 1 and greater than every earlier round; members distinct;
    // network_power > 0 for every eligible member.
    void start_round(chain::ChainEpoch round, TimeMs now, RoundBase base,
                     std::span<const MemberBaseInfo> members, MempoolSnapshot mempool);
    // Replaces the open round's mempool snapshot for blocks assembled from now on. False (and
    // ignored) if `round` is not the open round.
    bool update_mempool(chain::ChainEpoch round, MempoolSnapshot mempool);
    ProofAcceptance proof_received(MemberId member, chain::ChainEpoch round, TimeMs now,
                                   bool valid);
    void tick(TimeMs now);
    // The chain's verdict on a published block. False (and ignored) if the block is unknown or
    // already reported.
    bool block_fate(const chain::BlockId& block, BlockFate fate);

    // ---- outputs ----

    std::optional<TimeMs> next_deadline() const;
    std::optional<BlockProducerAction> poll_action();
    std::optional<MemberOutcome> poll_outcome();

    // ---- getters ----

    const BlockProducerConfig& config() const { return config_; }
    const BlockProducerStats& stats() const { return stats_; }
    // The round opened last (it stays current until the next start_round), if any.
    std::optional<chain::ChainEpoch> current_round() const;
    std::size_t pending_fate_count() const { return pending_fates_.size(); }
    // T(round) + Δ - margin: the last instant a proof for `round` is accepted.
    TimeMs proof_deadline_ms(chain::ChainEpoch round) const;

private:
    enum class WinnerState : std::uint8_t { awaiting_proof, ready, resolved };

    struct Winner {
        MemberId member;
        std::int64_t win_count;
        chain::Digest ticket_digest;
        WinnerState state;
        TimeMs requested_ms;
        std::optional<TimeMs> received_ms;
    };

    struct Round {
        chain::ChainEpoch round;
        RoundBase base;
        MempoolSnapshot mempool;
        std::vector<Winner> winners;
        std::vector<chain::ActorId> used_senders;  // sorted
        TimeMs block_time_ms;
        TimeMs proof_deadline_ms;
        TimeMs last_resolution_ms;  // when the latest awaited proof was resolved
    };

    struct CachedThresholds {
        chain::StoragePower miner_power;
        chain::StoragePower network_power;
        std::optional<chain::WinThresholds> thresholds;  // none while never eligible
        chain::ChainEpoch last_round;  // the latest round the member took part in
    };

    void advance_clock(TimeMs now);
    void close_round(TimeMs now);
    using ThresholdCache = std::unordered_map<MemberId, CachedThresholds>;

    std::int64_t decide_win_count(const MemberBaseInfo& info, chain::ChainEpoch round);
    void forget_absent_members(chain::ChainEpoch round, std::size_t present);
    void request_proof(const MemberBaseInfo& info, std::int64_t wins, TimeMs now,
                       const chain::Digest& beacon_digest);
    void time_out_awaiting(TimeMs now);
    void resolve(Winner& winner, RoundOutcome outcome, TimeMs now);
    bool has_winners_in(WinnerState state) const;
    void assemble_ready(TimeMs now);
    void publish(Winner& winner, BlockMessages messages, TimeMs now);

    BlockProducerConfig config_;
    BlockProducerStats stats_;
    std::optional<Round> round_;
    std::optional<chain::ChainEpoch> last_round_;
    TimeMs last_now_ms_ = std::numeric_limits<TimeMs>::min();
    // Keyed by member, holding only the members of the latest round: bounded by the pool's size.
    // Entries are updated in place (a round allocates nothing for members already known); each
    // entry's last_round also proves the round's members distinct.
    ThresholdCache thresholds_;
    std::map<chain::BlockId, MemberOutcome> pending_fates_;
    std::deque<BlockProducerAction> actions_;
    std::deque<MemberOutcome> outcomes_;
};

}  // namespace minerx::pool
