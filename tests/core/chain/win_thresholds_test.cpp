// The fast path must decide exactly as the full ComputeWinCount: random tickets, random and edge
// powers, and tickets placed on, just below and just above every threshold.

#include "core/chain/win_thresholds.h"

#include <random>

#include <gtest/gtest.h>

#include "core/chain/election.h"
#include "core/math/big_int.h"

namespace minerx::chain {
namespace {

using math::Uint256;

Digest random_digest(std::mt19937_64& rng) {
    Uint256 value;
    for (auto& word : value.words) word = rng();
    return value.to_big_endian();
}

// The digest one unit away from d (d + delta, delta in {-1, +1}), or nullopt on wrap-around.
std::optional<Digest> step(const Digest& digest, int delta) {
    math::BigInt value = math::make_int_from_big_endian<math::BigInt>(digest) + delta;
    if (sgn(value) < 0 || mpz_sizeinbase(value.get_mpz_t(), 2) > 256) return std::nullopt;
    return math::to_big_endian_256(value);
}

// A power pair drawn to cover small miners, whales, equal powers and tiny networks.
std::pair<StoragePower, StoragePower> random_powers(std::mt19937_64& rng) {
    const int shape = static_cast<int>(rng() % 4);
    StoragePower network = (static_cast<StoragePower>(rng()) << (rng() % 64)) | 1;
    if (shape == 0) network = 1 + rng() % 1000;  // tiny devnet-like numbers
    StoragePower miner = 0;
    switch (shape) {
        case 0: miner = rng() % (static_cast<std::uint64_t>(network) + 1); break;
        case 1: miner = network >> (rng() % 64); break;  // shares from 1 down to 2^-63
        case 2: miner = network; break;
        default: miner = network / (1 + rng() % 100000); break;
    }
    return {miner, network};
}

void expect_same_decision(const WinThresholds& fast, const Digest& digest, StoragePower miner,
                          StoragePower network) {
    ASSERT_EQ(fast.win_count(digest), compute_win_count_for_digest(digest, miner, network))
        << "miner " << math::to_string(miner) << " network " << math::to_string(network);
}

TEST(WinThresholds, MatchesFullComputationOnRandomTickets) {
    std::mt19937_64 rng(20210601);
    constexpr int kPowerPairs = 800;
    constexpr int kTicketsPerPair = 2500;  // two million decisions in all
    for (int pair = 0; pair < kPowerPairs; ++pair) {
        auto [miner, network] = random_powers(rng);
        WinThresholds fast(miner, network);
        for (int t = 0; t < kTicketsPerPair; ++t) {
            expect_same_decision(fast, random_digest(rng), miner, network);
        }
    }
}

TEST(WinThresholds, MatchesFullComputationOnThresholdBoundaries) {
    std::mt19937_64 rng(7);
    for (int pair = 0; pair < 2000; ++pair) {
        auto [miner, network] = random_powers(rng);
        WinThresholds fast(miner, network);
        for (std::size_t k = 0; k < static_cast<std::size_t>(kMaxWinCount); ++k) {
            Digest at = fast.threshold(k).to_big_endian();
            expect_same_decision(fast, at, miner, network);
            for (int delta : {-1, 1}) {
                if (auto near = step(at, delta)) expect_same_decision(fast, *near, miner, network);
            }
        }
    }
}

TEST(WinThresholds, ExtremeTickets) {
    Digest zero{};
    Digest max;
    max.fill(0xff);
    for (auto [miner, network] : std::vector<std::pair<StoragePower, StoragePower>>{
             {0, 1}, {1, 1}, {1, 2}, {3, 7}, {kConsensusMinerMinPower, StoragePower{8} << 60}}) {
        WinThresholds fast(miner, network);
        expect_same_decision(fast, zero, miner, network);
        expect_same_decision(fast, max, miner, network);
    }
}

TEST(WinThresholds, OutOfRangePowerStillMatchesLotus) {
    // Miner power above network power is not a valid chain state, but Lotus would still compute
    // it; the fast path records thresholds outside [0, 2^256) instead of clamping them away.
    std::mt19937_64 rng(99);
    for (StoragePower miner : {StoragePower{2}, StoragePower{10}, StoragePower{1000}}) {
        WinThresholds fast(miner, 1);
        for (int t = 0; t < 2000; ++t) expect_same_decision(fast, random_digest(rng), miner, 1);
    }
}

TEST(WinThresholds, WinProbabilityIsOneMinusExpNegLambda) {
    WinThresholds fast(1, 10);  // λ = 0.5
    EXPECT_NEAR(fast.win_probability(), 1.0 - std::exp(-0.5), 1e-15);
    EXPECT_EQ(WinThresholds(0, 10).win_probability(), 0.0);
}

// A small miner's thresholds are tiny, so nearly every ticket is decided by the first word.
TEST(WinThresholds, SmallMinerFirstThresholdIsTiny) {
    WinThresholds fast(kConsensusMinerMinPower, StoragePower{54} << 59);  // 10 TiB of 5.4 EiB
    EXPECT_LT(fast.threshold(0).words[0], std::uint64_t{1} << 50);
}

}  // namespace
}  // namespace minerx::chain
