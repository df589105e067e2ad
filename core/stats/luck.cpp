#include "core/stats/luck.h"

#include <cmath>
#include <limits>

#include "core/util/assert.h"

namespace minerx::stats {
namespace {

constexpr int kExpectedFractionBits = 50;
static_assert(kLuckBucketEpochs * chain::kMaxWinCount < (std::int64_t{1} << 11),
              "a bucket's expected wins must fit 61 bits in Q.50");

// p / P as a double. REQUIRES: network_power > 0, miner_power <= network_power.
double power_share(chain::StoragePower miner_power, chain::StoragePower network_power) {
    MINERX_ASSERT(network_power > 0);
    MINERX_ASSERT(miner_power <= network_power);
    return static_cast<double>(miner_power) / static_cast<double>(network_power);
}

// Rounds to nearest in Q.50. REQUIRES: 0 <= wins <= 15 · 120 (one bucket's worth), finite.
std::uint64_t to_q50(double wins) {
    MINERX_ASSERT(std::isfinite(wins));
    MINERX_ASSERT(wins >= 0);
    MINERX_ASSERT(wins <= static_cast<double>(chain::kMaxWinCount * kLuckBucketEpochs));
    return static_cast<std::uint64_t>(std::llround(std::ldexp(wins, kExpectedFractionBits)));
}

double from_q50(math::Uint128 value) {
    return std::ldexp(static_cast<double>(value), -kExpectedFractionBits);
}

std::optional<double> ratio(std::int64_t wins, double expected_wins) {
    if (!(expected_wins > 0)) return std::nullopt;
    return static_cast<double>(wins) / expected_wins;
}

std::size_t window_index(LuckWindow window) { return static_cast<std::size_t>(window); }

}  // namespace

LuckBucket LuckBucket::with_constant_power(chain::ChainEpoch start_epoch, std::int64_t epochs,
                                           std::int64_t miner_wins, std::int64_t network_wins,
                                           chain::StoragePower miner_power,
                                           chain::StoragePower network_power) {
    MINERX_ASSERT(epochs >= 1 && epochs <= kLuckBucketEpochs);
    const double share = power_share(miner_power, network_power);
    return LuckBucket{
        .start_epoch = start_epoch,
        .epochs = epochs,
        .miner_wins = miner_wins,
        .network_wins = network_wins,
        .explorer_expected_wins =
            static_cast<double>(chain::kExpectedLeadersPerEpoch * epochs) * share,
        .filscan_expected_wins = static_cast<double>(network_wins) * share,
    };
}

std::optional<double> LuckSummary::explorer_luck() const {
    return ratio(miner_wins, explorer_expected_wins);
}

std::optional<double> LuckSummary::filscan_luck() const {
    return ratio(miner_wins, filscan_expected_wins);
}

void LuckTracker::WindowSums::add(const StoredBucket& bucket) {
    ++buckets;
    epochs += bucket.epochs;
    miner_wins += bucket.miner_wins;
    network_wins += bucket.network_wins;
    explorer_expected_q50 += bucket.explorer_expected_q50;
    filscan_expected_q50 += bucket.filscan_expected_q50;
}

void LuckTracker::WindowSums::remove(const StoredBucket& bucket) {
    MINERX_ASSERT(buckets > 0);
    MINERX_ASSERT(explorer_expected_q50 >= bucket.explorer_expected_q50);
    MINERX_ASSERT(filscan_expected_q50 >= bucket.filscan_expected_q50);
    --buckets;
    epochs -= bucket.epochs;
    miner_wins -= bucket.miner_wins;
    network_wins -= bucket.network_wins;
    explorer_expected_q50 -= bucket.explorer_expected_q50;
    filscan_expected_q50 -= bucket.filscan_expected_q50;
}

LuckSummary LuckTracker::WindowSums::summary() const {
    return LuckSummary{
        .buckets = buckets,
        .epochs = epochs,
        .miner_wins = miner_wins,
        .network_wins = network_wins,
        .explorer_expected_wins = from_q50(explorer_expected_q50),
        .filscan_expected_wins = from_q50(filscan_expected_q50),
    };
}

LuckTracker::LuckTracker() : ring_(static_cast<std::size_t>(kLuckMaxWindowBuckets)) {
    static_assert(sizeof(StoredBucket) == 24, "the memory estimate in luck.h assumes 24 bytes");
}

void LuckTracker::add_epoch(const LuckEpoch& epoch) {
    MINERX_ASSERT(epoch.epoch >= 0);
    MINERX_ASSERT(!last_epoch_ || epoch.epoch == *last_epoch_ + 1);
    MINERX_ASSERT(epoch.miner_wins >= 0 && epoch.miner_wins <= chain::kMaxWinCount);
    MINERX_ASSERT(epoch.miner_wins <= epoch.network_wins);
    last_epoch_ = epoch.epoch;

    const double share = power_share(epoch.miner_power, epoch.network_power);
    if (!open_) {
        // The first epoch of a bucket, or of the record: filscan samples power here.
        open_ = OpenBucket{.start_epoch = epoch.epoch / kLuckBucketEpochs * kLuckBucketEpochs,
                           .share_at_height = share};
    }
    open_->epochs += 1;
    open_->miner_wins += epoch.miner_wins;
    open_->network_wins += epoch.network_wins;
    open_->explorer_expected_wins += static_cast<double>(chain::kExpectedLeadersPerEpoch) * share;

    if ((epoch.epoch + 1) % kLuckBucketEpochs != 0) return;
    const OpenBucket& open = *open_;
    close_bucket(LuckBucket{
        .start_epoch = open.start_epoch,
        .epochs = open.epochs,
        .miner_wins = open.miner_wins,
        .network_wins = open.network_wins,
        .explorer_expected_wins = open.explorer_expected_wins,
        .filscan_expected_wins = open.share_at_height * static_cast<double>(open.network_wins),
    });
    open_.reset();
}

void LuckTracker::add_bucket(const LuckBucket& bucket) {
    MINERX_ASSERT(!open_);
    MINERX_ASSERT(bucket.start_epoch >= 0 && bucket.start_epoch % kLuckBucketEpochs == 0);
    MINERX_ASSERT(closed_count_ == 0 || bucket.epochs == kLuckBucketEpochs);
    close_bucket(bucket);
    last_epoch_ = bucket.start_epoch + kLuckBucketEpochs - 1;
}

void LuckTracker::close_bucket(const LuckBucket& bucket) {
    MINERX_ASSERT(!next_bucket_start_ || bucket.start_epoch == *next_bucket_start_);
    MINERX_ASSERT(bucket.epochs >= 1 && bucket.epochs <= kLuckBucketEpochs);
    MINERX_ASSERT(bucket.miner_wins >= 0);
    MINERX_ASSERT(bucket.miner_wins <= chain::kMaxWinCount * bucket.epochs);
    MINERX_ASSERT(bucket.network_wins >= bucket.miner_wins);
    MINERX_ASSERT(bucket.network_wins <= std::numeric_limits<std::uint32_t>::max());
    next_bucket_start_ = bucket.start_epoch + kLuckBucketEpochs;

    const StoredBucket stored{
        .explorer_expected_q50 = to_q50(bucket.explorer_expected_wins),
        .filscan_expected_q50 = to_q50(bucket.filscan_expected_wins),
        .network_wins = static_cast<std::uint32_t>(bucket.network_wins),
        .miner_wins = static_cast<std::uint16_t>(bucket.miner_wins),
        .epochs = static_cast<std::uint8_t>(bucket.epochs),
    };
    // Evict from each window the bucket that falls out of it, while it is still in the ring
    // (the month window's oldest bucket occupies the slot the new one takes).
    for (LuckWindow window : kLuckWindows) {
        const std::int64_t length = luck_window_buckets(window);
        if (closed_count_ >= length) windows_[window_index(window)].remove(stored_back(length - 1));
    }
    ring_[static_cast<std::size_t>(closed_count_ % kLuckMaxWindowBuckets)] = stored;
    ++closed_count_;
    for (auto& sums : windows_) sums.add(stored);

    total_explorer_q50_ += stored.explorer_expected_q50;
    total_filscan_q50_ += stored.filscan_expected_q50;
    total_.buckets += 1;
    total_.epochs += stored.epochs;
    total_.miner_wins += stored.miner_wins;
    total_.network_wins += stored.network_wins;
    total_.explorer_expected_wins = from_q50(total_explorer_q50_);
    total_.filscan_expected_wins = from_q50(total_filscan_q50_);
}

const LuckTracker::StoredBucket& LuckTracker::stored_back(std::int64_t age) const {
    MINERX_ASSERT(age >= 0 && age < kLuckMaxWindowBuckets && age < closed_count_);
    const std::int64_t index = (closed_count_ - 1 - age) % kLuckMaxWindowBuckets;
    return ring_[static_cast<std::size_t>(index)];
}

LuckSummary LuckTracker::window(LuckWindow window) const {
    return windows_[window_index(window)].summary();
}

}  // namespace minerx::stats
