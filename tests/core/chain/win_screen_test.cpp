// The screen must never call a winning ticket a no-win: its bound must lie at or above the exact
// first threshold's top word for every power pair, and decisions through it must equal Lotus'.

#include "core/chain/win_screen.h"

#include <cmath>

#include <gtest/gtest.h>

#include "core/chain/election.h"
#include "core/chain/win_thresholds.h"
#include "core/util/random.h"

namespace minerx::chain {
namespace {

// Top word of the exact first threshold icdf_0 (2^256 - expneg(λ)).
std::uint64_t exact_top_word(StoragePower miner, StoragePower network) {
    return WinThresholds(miner, network).threshold(0).words[0];
}

TEST(WinScreen, BoundCoversExactThresholdOnDenseLambdaSweep) {
    // λ = 5·p/P from tiny to 5, with P spanning devnet to mainnet scales.
    util::Random random(2021);
    for (int i = 0; i < 20000; ++i) {
        const StoragePower network = (StoragePower{random.next_u64()} << random.below(64)) | 1;
        const double share = std::exp(-random.uniform(0.0, 30.0));  // 1 down to ~1e-13
        auto miner = static_cast<StoragePower>(static_cast<double>(network) * share);
        if (miner == 0) miner = 1;
        NoWinScreen screen(miner, network);
        const std::uint64_t exact = exact_top_word(miner, network);
        ASSERT_GE(screen.top_word_bound(), exact)
            << "miner " << math::to_string(miner) << " network " << math::to_string(network);
        // The margin is tight: the bound sits within 2e-12 of the threshold (in units of 2^256).
        EXPECT_LE(static_cast<double>(screen.top_word_bound() - exact), 2e-12 * 18446744073709551616.0);
    }
}

TEST(WinScreen, DeclinesOutsideDocumentedRange) {
    EXPECT_EQ(NoWinScreen(0, 100).top_word_bound(), ~std::uint64_t{0});
    EXPECT_EQ(NoWinScreen(101, 100).top_word_bound(), ~std::uint64_t{0});
    EXPECT_NE(NoWinScreen(100, 100).top_word_bound(), ~std::uint64_t{0});  // λ = 5 is screened
}

// Tickets right at the bound and just above it, and random tickets: a screened "no win" is always
// a Lotus no-win, and the rest decide exactly.
TEST(WinScreen, ScreenedDecisionsEqualFullComputation) {
    util::Random random(7);
    for (int pair = 0; pair < 300; ++pair) {
        const StoragePower network = (StoragePower{random.next_u64()} << random.below(40)) | 1;
        const StoragePower miner = network >> random.below(50);
        NoWinScreen screen(miner, network);
        for (int t = 0; t < 300; ++t) {
            math::Uint256 ticket;
            for (auto& word : ticket.words) word = random.next_u64();
            if (t < 3) ticket.words[0] = screen.top_word_bound() + static_cast<std::uint64_t>(t);
            if (screen.proves_no_win(ticket)) {
                ASSERT_EQ(compute_win_count_for_digest(ticket.to_big_endian(), miner, network), 0);
            }
        }
    }
}

TEST(WinScreen, ScreensAlmostEveryTicketOfASmallMiner) {
    NoWinScreen screen(kConsensusMinerMinPower, (StoragePower{54} << 60) / 10);
    util::Random random(1);
    int screened = 0;
    for (int t = 0; t < 100000; ++t) {
        math::Uint256 ticket;
        for (auto& word : ticket.words) word = random.next_u64();
        screened += screen.proves_no_win(ticket) ? 1 : 0;
    }
    EXPECT_GE(screened, 99990);  // P(not screened) ≈ 1 - e^-λ ≈ 1e-5 per ticket
}

}  // namespace
}  // namespace minerx::chain
