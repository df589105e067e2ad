#pragma once

// The storage power actor's claims and totals with their history, so that an election can ask for
// power "as of the lookback": the state after executing epoch round - 900 (research/election.md
// §3.5, §5.6).
//
// Totals follow specs-actors actors/builtin/power/power_state.go (addToClaim) exactly:
//   - TotalBytesCommitted / TotalQABytesCommitted add every claim change;
//   - TotalRawBytePower / TotalQualityAdjPower count only miners whose raw-byte power is at or
//     above the consensus minimum: a miner crossing upwards adds its whole new claim, one crossing
//     downwards removes its whole old claim, one staying above adds the change;
//   - MinerAboveMinPowerCount counts the miners at or above the minimum.
// The election's NetworkPower is TotalQualityAdjPower (Lotus chain/stmgr/actors.go GetPowerRaw).
//
// Epoch contract: a change recorded at epoch e is part of "the state after executing epoch e" and
// of every later state. Record a change at the epoch of the tipset whose execution applies it. In
// Lotus the cron of a null epoch runs while the next non-null tipset executes
// (chain/consensus/compute_state.go ApplyBlocks), so a cron-driven change in a null round belongs
// to that next tipset's epoch. With that contract claim_at(m, lookback_epoch(r)) is exactly what
// Lotus reads for round r, null rounds included (see lookback_epoch).
//
// Invariants: changes are appended in non-decreasing epoch order across all miners (asserted); a
// claim never goes negative (asserted; the actor aborts the message). Queries are O(log n) in the
// number of changes kept for the miner (or for the totals). Answers for the latest recorded epoch
// are provisional until a change at a later epoch is recorded or that epoch is over.

#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_map>
#include <vector>

#include "core/chain/chain_types.h"

namespace minerx::chain {

// A miner's claim (specs-actors power.Claim, without the proof type: every mainnet PoSt proof type
// has the same minimum).
struct PowerClaim {
    StoragePower raw_byte_power = 0;
    StoragePower quality_adj_power = 0;

    friend bool operator==(const PowerClaim&, const PowerClaim&) = default;
};

// The power actor's totals (specs-actors power.State fields of the same names).
struct PowerTotals {
    StoragePower raw_byte_power = 0;     // TotalRawBytePower (miners at or above the minimum)
    StoragePower quality_adj_power = 0;  // TotalQualityAdjPower (same miners); NetworkPower
    StoragePower bytes_committed = 0;    // TotalBytesCommitted (every miner)
    StoragePower qa_bytes_committed = 0; // TotalQABytesCommitted (every miner)
    std::int64_t miner_above_min_power_count = 0;  // MinerAboveMinPowerCount

    friend bool operator==(const PowerTotals&, const PowerTotals&) = default;
};

// The consensus minimum. Mainnet defaults; devnets use smaller minimum powers (Venus fixtures:
// calibnet 32 GiB, 2k networks 2048 bytes).
struct ConsensusMinimum {
    StoragePower min_raw_byte_power = kConsensusMinerMinPower;  // ConsensusMinerMinPower
    std::int64_t min_miner_count = kConsensusMinerMinMiners;    // ConsensusMinerMinMiners
};

// What the election reads from the lookback state (Lotus MinerGetBaseInfo: MinerPower and
// NetworkPower; MinerEligibleToMine's first condition).
struct LookbackPower {
    StoragePower miner_power = 0;    // the miner's quality-adjusted claim
    StoragePower network_power = 0;  // TotalQualityAdjPower
    bool meets_consensus_minimum = false;
};

// The epoch whose resulting state the election of `round` reads: round - 900, or 0 (genesis) when
// round <= 900 (Lotus chain/stmgr/utils.go GetLookbackTipSetForRound, lookback =
// ChainFinality for network version > 3). Lotus takes the first non-null tipset above that epoch
// and uses its parent state; that parent state is the state after the last non-null tipset at or
// below the epoch, which is what a PowerTable query at the epoch returns under its epoch contract.
ChainEpoch lookback_epoch(ChainEpoch round);

class PowerTable {
public:
    explicit PowerTable(ConsensusMinimum minimum = {});

    // Sets the miner's claim as of `epoch` (an absolute value; the change is the difference to the
    // previous claim). REQUIRES: epoch >= latest_epoch().
    void set_claim(ActorId miner, ChainEpoch epoch, PowerClaim claim);
    // specs-actors AddToClaim: signed changes. REQUIRES: epoch >= latest_epoch(), and neither
    // power of the resulting claim is negative.
    void add_to_claim(ActorId miner, ChainEpoch epoch, math::Int128 raw_byte_delta,
                      math::Int128 quality_adj_delta);

    // State after executing `epoch`. A miner never recorded has a zero claim.
    // REQUIRES (all queries): epoch >= history_start_epoch().
    PowerClaim claim_at(ActorId miner, ChainEpoch epoch) const;
    PowerTotals totals_at(ChainEpoch epoch) const;
    StoragePower network_power_at(ChainEpoch epoch) const;
    // specs-actors MinerNominalPowerMeetsConsensusMinimum on that state: raw power >= minimum;
    // otherwise false if at least min_miner_count miners are at or above it; otherwise raw > 0.
    // A miner never recorded does not meet it (the actor reports "no claim").
    bool meets_consensus_minimum_at(ActorId miner, ChainEpoch epoch) const;
    // The three election inputs for `round`, read at lookback_epoch(round).
    LookbackPower lookback_power(ActorId miner, ChainEpoch round) const;

    // The epoch of the last recorded change at or before `epoch` (every claim change records a
    // totals change), or nullopt if none: two epochs with the same answer have the same state, so
    // a caller can keep what it derived from one for the other.
    std::optional<ChainEpoch> last_change_epoch_at_or_before(ChainEpoch epoch) const;
    // Drops history that no query at or after `epoch` needs (keeps, per miner and for the totals,
    // the last change at or before it). Lets long simulations keep memory bounded: an election
    // only looks 900 epochs back. REQUIRES: epoch >= history_start_epoch().
    void forget_history_before(ChainEpoch epoch);

    ChainEpoch latest_epoch() const { return latest_epoch_; }
    ChainEpoch history_start_epoch() const { return history_start_epoch_; }
    const ConsensusMinimum& consensus_minimum() const { return minimum_; }

private:
    struct ClaimChange {
        ChainEpoch epoch;
        PowerClaim claim;
    };
    struct TotalsChange {
        ChainEpoch epoch;
        PowerTotals totals;
    };

    PowerClaim latest_claim(ActorId miner) const;
    bool at_or_above_minimum(const PowerClaim& claim) const;
    PowerTotals totals_after(const PowerTotals& totals, const PowerClaim& old_claim,
                             const PowerClaim& new_claim) const;
    void advance_to(ChainEpoch epoch);

    ConsensusMinimum minimum_;
    std::unordered_map<ActorId, std::vector<ClaimChange>> claims_;
    std::vector<TotalsChange> totals_;
    ChainEpoch latest_epoch_ = std::numeric_limits<ChainEpoch>::min();
    ChainEpoch history_start_epoch_ = std::numeric_limits<ChainEpoch>::min();
};

}  // namespace minerx::chain
