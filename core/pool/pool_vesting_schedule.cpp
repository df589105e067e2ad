#include "core/pool/pool_vesting_schedule.h"

#include <algorithm>

#include "core/util/assert.h"

namespace minerx::pool {

using chain::AttoFil;
using chain::ChainEpoch;

namespace {

// V(k) of pool_vesting_schedule.h: the bucket's cumulative vested amount once step k has vested.
AttoFil vested_after_step(const PoolVestingSchedule::Bucket& bucket, std::int64_t step) {
    if (step >= kVestingSteps) return bucket.locked;
    // Σ over the n parts of floor(l k / 180) >= ceil((S k - 179 n) / 180), which equals
    // floor((S k - 179 (n - 1)) / 180).
    const AttoFil slack = AttoFil{kVestingSteps - 1} * (bucket.parts - 1);
    const AttoFil numerator = bucket.locked * step - slack;
    return numerator <= 0 ? 0 : numerator / kVestingSteps;
}

// How many steps of the slot vest before current_epoch: the k <= 180 with P_k < current_epoch.
std::int64_t steps_vested_before(ChainEpoch slot_start, ChainEpoch current_epoch) {
    // P_k <= current_epoch - 1  <=>  k * 2880 <= current_epoch - 1 - slot_start - 2878.
    const ChainEpoch span = current_epoch - 1 - slot_start - kVestingStepLagEpochs;
    if (span < kVestingStepEpochs) return 0;
    return std::min<std::int64_t>(span / kVestingStepEpochs, kVestingSteps);
}

// Applies the bucket's steps that vest before current_epoch; returns the amount released.
// Merged buckets (forfeiture) can have V(k) below what they already released: then nothing.
AttoFil apply_due_steps(PoolVestingSchedule::Bucket& bucket, ChainEpoch current_epoch) {
    const std::int64_t due = steps_vested_before(bucket.slot_start, current_epoch);
    if (due <= bucket.steps_applied) return 0;
    bucket.steps_applied = due;
    const AttoFil target = vested_after_step(bucket, due);
    if (target <= bucket.released) return 0;
    const AttoFil released = target - bucket.released;
    bucket.released = target;
    return released;
}

PoolVestingSchedule::Bucket merged(const PoolVestingSchedule::Bucket& a,
                                   const PoolVestingSchedule::Bucket& b) {
    MINERX_ASSERT(a.slot_start == b.slot_start);
    return {.locked = a.locked + b.locked,
            .released = a.released + b.released,
            .slot_start = a.slot_start,
            .parts = a.parts + b.parts,
            .steps_applied = std::min(a.steps_applied, b.steps_applied)};
}

}  // namespace

ChainEpoch vesting_slot_start(ChainEpoch epoch, ChainEpoch grid_offset) {
    MINERX_ASSERT(grid_offset >= 0);
    MINERX_ASSERT(grid_offset < kVestingSlotEpochs);
    const ChainEpoch into_slot =
        ((epoch - grid_offset) % kVestingSlotEpochs + kVestingSlotEpochs) % kVestingSlotEpochs;
    return epoch - into_slot;
}

// --- PoolVestingSchedule ---

void PoolVestingSchedule::add(ChainEpoch slot_start, AttoFil amount) {
    MINERX_ASSERT(amount > 0);
    MINERX_ASSERT(amount <= chain::kTotalFilSupply);
    if (buckets_.empty() || buckets_.back().slot_start != slot_start) {
        MINERX_ASSERT(buckets_.empty() || buckets_.back().slot_start < slot_start);
        buckets_.push_back(Bucket{.slot_start = slot_start});
        next_vest_epoch_ = std::min(next_vest_epoch_, pool_vest_epoch(slot_start, 1));
    }
    Bucket& bucket = buckets_.back();
    // A slot takes parts only before its first step (booking epochs lie in the slot).
    MINERX_ASSERT(bucket.steps_applied == 0);
    // locked * 180 must fit: far beyond any real slot, which holds under the whole supply.
    MINERX_ASSERT(bucket.locked <= std::numeric_limits<AttoFil>::max() / kVestingSteps - amount);
    bucket.locked += amount;
    bucket.parts += 1;
    total_locked_ += amount;
}

AttoFil PoolVestingSchedule::unlock(ChainEpoch current_epoch) {
    if (next_vest_epoch_ >= current_epoch) return 0;
    AttoFil released = 0;
    std::size_t finished = 0;
    next_vest_epoch_ = kNoVestEpoch;
    for (Bucket& bucket : buckets_) {
        released += apply_due_steps(bucket, current_epoch);
        if (bucket.steps_applied == kVestingSteps) {
            ++finished;
        } else {
            const ChainEpoch next = pool_vest_epoch(bucket.slot_start, bucket.steps_applied + 1);
            next_vest_epoch_ = std::min(next_vest_epoch_, next);
        }
    }
    // Slots finish in slot order, so the finished buckets are the oldest.
    for (std::size_t i = 0; i < finished; ++i) {
        MINERX_ASSERT(buckets_.front().steps_applied == kVestingSteps);
        MINERX_ASSERT(buckets_.front().released == buckets_.front().locked);
        buckets_.pop_front();
    }
    total_locked_ -= released;
    MINERX_ASSERT(total_locked_ >= 0);
    return released;
}

void PoolVestingSchedule::absorb(PoolVestingSchedule& other) {
    std::deque<Bucket> combined;
    auto mine = buckets_.begin();
    auto theirs = other.buckets_.begin();
    while (mine != buckets_.end() || theirs != other.buckets_.end()) {
        const bool take_mine = theirs == other.buckets_.end() ||
                               (mine != buckets_.end() && mine->slot_start < theirs->slot_start);
        const bool take_theirs = mine == buckets_.end() || theirs->slot_start < mine->slot_start;
        if (take_mine) {
            combined.push_back(*mine++);
        } else if (take_theirs) {
            combined.push_back(*theirs++);
        } else {
            combined.push_back(merged(*mine++, *theirs++));
        }
    }
    buckets_ = std::move(combined);
    total_locked_ += other.total_locked_;
    next_vest_epoch_ = std::min(next_vest_epoch_, other.next_vest_epoch_);
    other = PoolVestingSchedule{};
}

bool PoolVestingSchedule::consistent() const {
    AttoFil locked = 0;
    ChainEpoch next = kNoVestEpoch;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        const Bucket& bucket = buckets_[i];
        if (i > 0 && buckets_[i - 1].slot_start >= bucket.slot_start) return false;
        if (bucket.parts < 1 || bucket.released < 0 || bucket.released >= bucket.locked) {
            return false;
        }
        if (bucket.steps_applied < 0 || bucket.steps_applied >= kVestingSteps) return false;
        locked += bucket.locked - bucket.released;
        next = std::min(next, pool_vest_epoch(bucket.slot_start, bucket.steps_applied + 1));
    }
    return locked == total_locked_ && next == next_vest_epoch_;
}

// --- SettlementLedger ---

}  // namespace minerx::pool
