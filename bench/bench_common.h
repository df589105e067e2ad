#pragma once

// Shared by the benchmark programs: deterministic ticket sources, the 2021 seed network, the power
// pairs the docs talk about, and a check that aborts the run (a benchmark of a wrong answer is
// worthless, so each program verifies its fast paths against the full computation before timing).

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/election.h"
#include "core/chain/win_thresholds.h"
#include "core/math/uint256.h"
#include "core/util/random.h"

namespace minerx::bench {

inline constexpr chain::StoragePower kTiB = chain::StoragePower{1} << 40;
inline constexpr chain::StoragePower kPiB = chain::StoragePower{1} << 50;
inline constexpr chain::StoragePower kEiB = chain::StoragePower{1} << 60;
// 5.4 EiB, mid-2021 mainnet (/work/shared/data/network-2021-power-distribution.csv header).
inline constexpr chain::StoragePower kNetwork2021 = 54 * kEiB / 10;

[[noreturn]] inline void fail(const char* what) {
    std::fprintf(stderr, "benchmark self-check failed: %s\n", what);
    std::abort();
}
inline void check(bool condition, const char* what) {
    if (!condition) [[unlikely]] fail(what);
}

// The simulator's own generator (core/util/random.h: xoshiro256** seeded by splitmix64), so the
// per-decision benchmark measures the PRNG the simulator uses, not std::mt19937_64's state refills.
class Xoshiro256StarStar {
public:
    explicit Xoshiro256StarStar(std::uint64_t seed) : random_(seed) {}
    std::uint64_t operator()() { return random_.next_u64(); }
    math::Uint256 ticket() {
        math::Uint256 value;
        for (auto& word : value.words) word = random_.next_u64();
        return value;
    }

private:
    util::Random random_;
};

inline math::Uint256 random_ticket(std::mt19937_64& rng) {
    math::Uint256 value;
    for (auto& word : value.words) word = rng();
    return value;
}

// count tickets from std::mt19937_64(seed): the engine's output is specified by the standard, so
// the array is the same on every platform.
inline std::vector<math::Uint256> random_tickets(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<math::Uint256> tickets(count);
    for (auto& ticket : tickets) ticket = random_ticket(rng);
    return tickets;
}

// Uniform in [0, 1) from 53 random bits (std::uniform_real_distribution is not specified bit for
// bit across standard libraries; this is).
inline double unit_double(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// ---- The 2021 seed network ----------------------------------------------------------------------
//
// /work/shared/data/network-2021-power-distribution.csv (mid-2021 mainnet, miners by power, from
// the seed document 000_cbd4c0b3bb3f1caa.txt): [min_pib, max_pib) -> miners. The table lists 2702
// miners; the simulator's network has 2400 (the same file's header), so the bench scales each
// bucket by 2400/2702 (largest remainder). Two bounds are not in the file and are chosen here:
// the open "0" lower bound is one 32 GiB sector (log-uniform needs a positive bound), and the open
// top bucket is capped at 200 PiB.
struct PowerBucket {
    double min_pib;
    double max_pib;
    int miners;
};
inline constexpr std::array<PowerBucket, 9> kPowerDistribution2021 = {{
    {32.0 / (1 << 20), 0.1, 995},  // file: 0 .. 0.1 PiB
    {0.1, 0.5, 500},
    {0.5, 1, 297},
    {1, 2, 341},
    {2, 5, 319},
    {5, 10, 138},
    {10, 50, 100},
    {50, 100, 9},
    {100, 200, 3},  // file: 100 PiB .. unbounded
}};
inline constexpr int kSeedNetworkMiners = 2400;

// kSeedNetworkMiners powers (bytes), log-uniform inside their bucket, from a fixed seed; sorted by
// bucket (smallest first), which is also how a simulator that builds miners from this table would
// lay them out.
inline std::vector<chain::StoragePower> seed_network_powers(std::uint64_t seed = 2021) {
    int table_total = 0;
    for (const auto& bucket : kPowerDistribution2021) table_total += bucket.miners;
    // Largest-remainder apportionment of kSeedNetworkMiners over the buckets.
    std::array<int, kPowerDistribution2021.size()> counts{};
    std::array<double, kPowerDistribution2021.size()> remainders{};
    int assigned = 0;
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double exact =
            static_cast<double>(kPowerDistribution2021[i].miners) * kSeedNetworkMiners / table_total;
        counts[i] = static_cast<int>(exact);
        remainders[i] = exact - counts[i];
        assigned += counts[i];
    }
    for (; assigned < kSeedNetworkMiners; ++assigned) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < remainders.size(); ++i) {
            if (remainders[i] > remainders[best]) best = i;
        }
        ++counts[best];
        remainders[best] = -1.0;
    }
    std::mt19937_64 rng(seed);
    std::vector<chain::StoragePower> powers;
    powers.reserve(kSeedNetworkMiners);
    for (std::size_t i = 0; i < counts.size(); ++i) {
        const double log_min = std::log(kPowerDistribution2021[i].min_pib);
        const double log_max = std::log(kPowerDistribution2021[i].max_pib);
        for (int m = 0; m < counts[i]; ++m) {
            const double pib = std::exp(log_min + (log_max - log_min) * unit_double(rng));
            powers.push_back(static_cast<chain::StoragePower>(pib * 0x1.0p50));
        }
    }
    return powers;
}

// ---- The fast path's correctness guard --------------------------------------------------------

inline math::Uint256 plus_one(math::Uint256 value) {
    for (std::size_t i = 4; i-- > 0;) {
        if (++value.words[i] != 0) break;
    }
    return value;
}
inline math::Uint256 minus_one(math::Uint256 value) {
    for (std::size_t i = 4; i-- > 0;) {
        if (value.words[i]-- != 0) break;
    }
    return value;
}

// Aborts unless `fast` decides like the full ComputeWinCount (GMP, compute_win_count_for_digest)
// on: `random` uniform tickets, `random` tickets drawn below the first threshold's top word (so
// small miners' winning branch is exercised too), and each of the first `boundaries` thresholds
// itself and its two neighbours. Returns the number of tickets checked.
inline int verify_fast_path(const chain::WinThresholds& fast, chain::StoragePower miner,
                            chain::StoragePower network, std::mt19937_64& rng, int random,
                            std::size_t boundaries) {
    int checked = 0;
    auto same = [&](const math::Uint256& ticket) {
        check(fast.win_count(ticket) ==
                  chain::compute_win_count_for_digest(ticket.to_big_endian(), miner, network),
              "WinThresholds::win_count disagrees with compute_win_count_for_digest");
        ++checked;
    };
    const std::uint64_t top = fast.threshold(0).words[0];
    for (int i = 0; i < random; ++i) {
        same(random_ticket(rng));
        math::Uint256 low = random_ticket(rng);
        low.words[0] = top == ~std::uint64_t{0} ? low.words[0] : low.words[0] % (top + 1);
        same(low);
    }
    for (std::size_t k = 0; k < boundaries && k < static_cast<std::size_t>(chain::kMaxWinCount); ++k) {
        const math::Uint256& at = fast.threshold(k);
        same(at);
        same(minus_one(at));  // wraps to 2^256 - 1 at 0: still a valid ticket
        same(plus_one(at));
    }
    return checked;
}

}  // namespace minerx::bench
