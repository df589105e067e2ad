#include "core/chain/power_table.h"

#include <algorithm>
#include <iterator>

#include "core/util/assert.h"

namespace minerx::chain {
namespace {

// The last change at or before `epoch`, or nullptr if the history starts after it.
template <class Change>
const Change* last_change_at_or_before(const std::vector<Change>& changes, ChainEpoch epoch) {
    auto after = std::upper_bound(
        changes.begin(), changes.end(), epoch,
        [](ChainEpoch query, const Change& change) { return query < change.epoch; });
    return after == changes.begin() ? nullptr : &*std::prev(after);
}

// Appends, or replaces the last change when it is of the same epoch (one state per epoch).
template <class Change>
void record_change(std::vector<Change>& changes, const Change& change) {
    if (!changes.empty() && changes.back().epoch == change.epoch) {
        changes.back() = change;
    } else {
        changes.push_back(change);
    }
}

template <class Change>
void forget_changes_before(std::vector<Change>& changes, ChainEpoch epoch) {
    auto after = std::upper_bound(
        changes.begin(), changes.end(), epoch,
        [](ChainEpoch query, const Change& change) { return query < change.epoch; });
    if (after - changes.begin() > 1) changes.erase(changes.begin(), std::prev(after));
}

StoragePower apply_delta(StoragePower power, math::Int128 delta) {
    auto result = static_cast<math::Int128>(power) + delta;
    MINERX_ASSERT(result >= 0);
    return static_cast<StoragePower>(result);
}

// total - old + new, never passing below zero.
StoragePower replace_in_total(StoragePower total, StoragePower old_part, StoragePower new_part) {
    MINERX_ASSERT(total >= old_part);
    return total - old_part + new_part;
}

}  // namespace

ChainEpoch lookback_epoch(ChainEpoch round) {
    return round > kWinningPoStLookback ? round - kWinningPoStLookback : 0;
}

PowerTable::PowerTable(ConsensusMinimum minimum) : minimum_(minimum) {
    MINERX_ASSERT(minimum_.min_miner_count >= 0);
}

void PowerTable::set_claim(ActorId miner, ChainEpoch epoch, PowerClaim claim) {
    advance_to(epoch);
    PowerClaim old_claim = latest_claim(miner);
    // Setting the claim it already has changes no state (and records nothing, so that
    // last_change_epoch_at_or_before only moves with real changes).
    if (claim == old_claim) return;
    std::vector<ClaimChange>& changes = claims_[miner];
    PowerTotals old_totals = totals_.empty() ? PowerTotals{} : totals_.back().totals;
    record_change(changes, ClaimChange{epoch, claim});
    record_change(totals_, TotalsChange{epoch, totals_after(old_totals, old_claim, claim)});
}

void PowerTable::add_to_claim(ActorId miner, ChainEpoch epoch, math::Int128 raw_byte_delta,
                              math::Int128 quality_adj_delta) {
    PowerClaim claim = latest_claim(miner);
    claim.raw_byte_power = apply_delta(claim.raw_byte_power, raw_byte_delta);
    claim.quality_adj_power = apply_delta(claim.quality_adj_power, quality_adj_delta);
    set_claim(miner, epoch, claim);
}

PowerClaim PowerTable::claim_at(ActorId miner, ChainEpoch epoch) const {
    MINERX_ASSERT(epoch >= history_start_epoch_);
    auto found = claims_.find(miner);
    if (found == claims_.end()) return {};
    const ClaimChange* change = last_change_at_or_before(found->second, epoch);
    return change == nullptr ? PowerClaim{} : change->claim;
}

PowerTotals PowerTable::totals_at(ChainEpoch epoch) const {
    MINERX_ASSERT(epoch >= history_start_epoch_);
    const TotalsChange* change = last_change_at_or_before(totals_, epoch);
    return change == nullptr ? PowerTotals{} : change->totals;
}

std::optional<ChainEpoch> PowerTable::last_change_epoch_at_or_before(ChainEpoch epoch) const {
    MINERX_ASSERT(epoch >= history_start_epoch_);
    const TotalsChange* change = last_change_at_or_before(totals_, epoch);
    if (change == nullptr) return std::nullopt;
    return change->epoch;
}

StoragePower PowerTable::network_power_at(ChainEpoch epoch) const {
    return totals_at(epoch).quality_adj_power;
}

bool PowerTable::meets_consensus_minimum_at(ActorId miner, ChainEpoch epoch) const {
    PowerClaim claim = claim_at(miner, epoch);
    if (at_or_above_minimum(claim)) return true;
    if (totals_at(epoch).miner_above_min_power_count >= minimum_.min_miner_count) return false;
    return claim.raw_byte_power > 0;
}

LookbackPower PowerTable::lookback_power(ActorId miner, ChainEpoch round) const {
    ChainEpoch epoch = lookback_epoch(round);
    return LookbackPower{claim_at(miner, epoch).quality_adj_power, network_power_at(epoch),
                         meets_consensus_minimum_at(miner, epoch)};
}

void PowerTable::forget_history_before(ChainEpoch epoch) {
    MINERX_ASSERT(epoch >= history_start_epoch_);
    for (auto& [miner, changes] : claims_) forget_changes_before(changes, epoch);
    forget_changes_before(totals_, epoch);
    history_start_epoch_ = epoch;
}

PowerClaim PowerTable::latest_claim(ActorId miner) const {
    auto found = claims_.find(miner);
    return found == claims_.end() ? PowerClaim{} : found->second.back().claim;
}

bool PowerTable::at_or_above_minimum(const PowerClaim& claim) const {
    return claim.raw_byte_power >= minimum_.min_raw_byte_power;
}

// specs-actors power_state.go addToClaim, with the change expressed as old and new claims.
PowerTotals PowerTable::totals_after(const PowerTotals& totals, const PowerClaim& old_claim,
                                     const PowerClaim& new_claim) const {
    PowerTotals next = totals;
    next.bytes_committed =
        replace_in_total(next.bytes_committed, old_claim.raw_byte_power, new_claim.raw_byte_power);
    next.qa_bytes_committed = replace_in_total(next.qa_bytes_committed,
                                               old_claim.quality_adj_power,
                                               new_claim.quality_adj_power);
    bool was_above = at_or_above_minimum(old_claim);
    bool is_above = at_or_above_minimum(new_claim);
    PowerClaim counted_old = was_above ? old_claim : PowerClaim{};
    PowerClaim counted_new = is_above ? new_claim : PowerClaim{};
    next.raw_byte_power = replace_in_total(next.raw_byte_power, counted_old.raw_byte_power,
                                           counted_new.raw_byte_power);
    next.quality_adj_power = replace_in_total(
        next.quality_adj_power, counted_old.quality_adj_power, counted_new.quality_adj_power);
    if (!was_above && is_above) ++next.miner_above_min_power_count;
    if (was_above && !is_above) --next.miner_above_min_power_count;
    MINERX_ASSERT(next.miner_above_min_power_count >= 0);
    return next;
}

void PowerTable::advance_to(ChainEpoch epoch) {
    MINERX_ASSERT(epoch >= latest_epoch_);
    MINERX_ASSERT(epoch >= history_start_epoch_);
    latest_epoch_ = epoch;
}

}  // namespace minerx::chain
