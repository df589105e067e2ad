#pragma once

// Luck: a miner's won WinCount over a window divided by the WinCount it was expected to win.
// Two definitions are kept side by side because explorers disagree (research/election.md §6):
//
//   explorer  expected = Σ over the window's epochs of 5 · p_e / P_e  (14400 · p/P per day;
//             research/election.md §5.7). Null rounds and orphans elsewhere in the network do not
//             change it, so a network-wide loss shows up as bad luck for everyone.
//   filscan   the window is cut into 120-epoch buckets at heights ⌊epoch / 120⌋ · 120; per bucket
//             b, expected_b = p_b / P_b · N_b, with p_b and P_b sampled at the bucket's height and
//             N_b the WinCount the whole network realised in the bucket
//             (ipfs-force-community/filscan_backend: modules/syncer/calculator/
//             calc-miner-owner-task/luck/luck.go). Normalising by realised wins removes the
//             network-wide losses.
//
// Both are Σ miner WinCount / Σ expected over the same complete buckets. Windows are 1, 7 and 30
// days of complete buckets ending at the last complete one (filscan's [end − N, end) with end on a
// bucket boundary). Filscan's one-year window (5-day buckets) is not modelled.
//
// Cost: the simulator needs luck for ~2400 miners over ~10^6 epochs. A LuckTracker is O(1) per
// epoch (add_epoch) or O(1) per 120 epochs (add_bucket, for a driver that builds buckets itself,
// e.g. with one network-wide N_b for all miners), and keeps 720 buckets of 24 bytes (~17 KiB per
// miner, ~40 MiB for 2400). Expected wins are summed as integers in Q.50 fixed point, so the
// rolling sums are exact (no drift however long the run) and deterministic.
//
// Which wins count is the caller's choice, stated in its report: explorers count blocks that made
// it on chain (orphans excluded), for both the miner and the network.

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/chain/chain_types.h"

namespace minerx::stats {

// filscan luck.go: 120-epoch buckets for the 24 h, 7 d and 30 d windows.
inline constexpr chain::ChainEpoch kLuckBucketEpochs = 120;
inline constexpr std::int64_t kLuckBucketsPerDay = chain::kEpochsPerDay / kLuckBucketEpochs;
static_assert(kLuckBucketsPerDay * kLuckBucketEpochs == chain::kEpochsPerDay);

enum class LuckWindow : std::uint8_t { day, week, month };
inline constexpr std::array<LuckWindow, 3> kLuckWindows{LuckWindow::day, LuckWindow::week,
                                                        LuckWindow::month};

inline constexpr std::int64_t luck_window_days(LuckWindow window) {
    switch (window) {
        case LuckWindow::day: return 1;
        case LuckWindow::week: return 7;
        case LuckWindow::month: return 30;
    }
    return 0;
}
inline constexpr std::int64_t luck_window_buckets(LuckWindow window) {
    return luck_window_days(window) * kLuckBucketsPerDay;
}
inline constexpr std::int64_t kLuckMaxWindowBuckets = luck_window_buckets(LuckWindow::month);

// One epoch as the driver saw it.
struct LuckEpoch {
    chain::ChainEpoch epoch = 0;
    std::int64_t miner_wins = 0;          // Σ WinCount of the miner's counted blocks, 0..15
    std::int64_t network_wins = 0;        // Σ WinCount of all counted blocks of the epoch
    chain::StoragePower miner_power = 0;  // quality-adjusted power the election used (lookback)
    chain::StoragePower network_power = 0;
};

// One 120-epoch bucket, for drivers that aggregate themselves.
struct LuckBucket {
    chain::ChainEpoch start_epoch = 0;  // the bucket's height: a multiple of 120
    std::int64_t epochs = 0;            // epochs observed, 1..120 (fewer only for a first bucket)
    std::int64_t miner_wins = 0;
    std::int64_t network_wins = 0;
    double explorer_expected_wins = 0;  // Σ over the observed epochs of 5 · p_e / P_e
    double filscan_expected_wins = 0;   // p_b / P_b · network_wins

    // A bucket over which the power pair did not change.
    // REQUIRES: miner_power <= network_power, network_power > 0, 1 <= epochs <= 120.
    static LuckBucket with_constant_power(chain::ChainEpoch start_epoch, std::int64_t epochs,
                                          std::int64_t miner_wins, std::int64_t network_wins,
                                          chain::StoragePower miner_power,
                                          chain::StoragePower network_power);
};

// Totals over some complete buckets, and the two lucks they give.
struct LuckSummary {
    std::int64_t buckets = 0;
    std::int64_t epochs = 0;
    std::int64_t miner_wins = 0;
    std::int64_t network_wins = 0;
    double explorer_expected_wins = 0;
    double filscan_expected_wins = 0;

    // nullopt when nothing was expected (no power, or for filscan no network wins either).
    std::optional<double> explorer_luck() const;
    std::optional<double> filscan_luck() const;
};

// One miner's luck record. Invariants: buckets arrive in order of height without gaps; the
// window sums equal the sums of the last k complete buckets (checked by tests against a
// recomputation).
class LuckTracker {
public:
    LuckTracker();

    // Adds one epoch; the bucket closes when its last epoch (height + 119) is added.
    // REQUIRES: epoch >= 0, and epoch == previous epoch + 1 after the first call;
    // 0 <= miner_wins <= 15; miner_wins <= network_wins; 0 < network_power;
    // miner_power <= network_power.
    void add_epoch(const LuckEpoch& epoch);

    // Adds a complete bucket built by the caller. REQUIRES: no epoch pending in an open bucket;
    // start_epoch == previous start + 120 after the first bucket; epochs == 120 unless it is the
    // first bucket; counts and expectations >= 0 and finite; miner_wins <= 15 · epochs.
    void add_bucket(const LuckBucket& bucket);

    // The last luck_window_buckets(window) complete buckets, or all of them while fewer exist
    // (then summary.epochs < the window's length; callers decide whether to report it).
    LuckSummary window(LuckWindow window) const;
    // Every complete bucket since the first.
    const LuckSummary& total() const { return total_; }

private:
    // A closed bucket as stored: 24 bytes. Expected wins in Q.50 fixed point: one bucket expects
    // at most 15 · 120 < 2^11 wins, so a value fits 61 bits.
    struct StoredBucket {
        std::uint64_t explorer_expected_q50 = 0;
        std::uint64_t filscan_expected_q50 = 0;
        std::uint32_t network_wins = 0;
        std::uint16_t miner_wins = 0;
        std::uint8_t epochs = 0;
    };
    struct WindowSums {
        std::int64_t buckets = 0;
        std::int64_t epochs = 0;
        std::int64_t miner_wins = 0;
        std::int64_t network_wins = 0;
        math::Uint128 explorer_expected_q50 = 0;
        math::Uint128 filscan_expected_q50 = 0;

        void add(const StoredBucket& bucket);
        void remove(const StoredBucket& bucket);
        LuckSummary summary() const;
    };
    // The bucket being filled by add_epoch.
    struct OpenBucket {
        chain::ChainEpoch start_epoch = 0;
        std::int64_t epochs = 0;
        std::int64_t miner_wins = 0;
        std::int64_t network_wins = 0;
        double explorer_expected_wins = 0;
        double share_at_height = 0;  // p_b / P_b
    };

    void close_bucket(const LuckBucket& bucket);
    const StoredBucket& stored_back(std::int64_t age) const;  // age 0 = the newest bucket

    std::vector<StoredBucket> ring_;  // the last kLuckMaxWindowBuckets buckets
    std::int64_t closed_count_ = 0;
    std::optional<chain::ChainEpoch> next_bucket_start_;
    std::optional<chain::ChainEpoch> last_epoch_;
    std::optional<OpenBucket> open_;
    std::array<WindowSums, kLuckWindows.size()> windows_{};
    LuckSummary total_{};
    math::Uint128 total_explorer_q50_ = 0;
    math::Uint128 total_filscan_q50_ = 0;
};

}  // namespace minerx::stats
