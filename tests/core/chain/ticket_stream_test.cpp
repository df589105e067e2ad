// The seeded VRF stand-in: deterministic, independent across its inputs, and uniform enough that
// elections decided with it follow Lotus' Poisson law.

#include "core/chain/ticket_stream.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <set>

#include <gtest/gtest.h>

#include "core/chain/win_thresholds.h"

namespace minerx::chain {
namespace {

TEST(TicketStream, SameInputsSameTicket) {
    TicketStream a(42);
    TicketStream b(42);
    EXPECT_EQ(a.digest(1001, 77, TicketPurpose::election),
              b.digest(1001, 77, TicketPurpose::election));
}

TEST(TicketStream, EveryInputChangesTheTicket) {
    TicketStream stream(42);
    const Digest base = stream.digest(1001, 77, TicketPurpose::election);
    EXPECT_NE(base, TicketStream(43).digest(1001, 77, TicketPurpose::election));
    EXPECT_NE(base, stream.digest(1002, 77, TicketPurpose::election));
    EXPECT_NE(base, stream.digest(1001, 78, TicketPurpose::election));
    EXPECT_NE(base, stream.digest(1001, 77, TicketPurpose::ticket));
}

TEST(TicketStream, DigestIsTheValueBigEndian) {
    TicketStream stream(7);
    const math::Uint256 value = stream.value(5, 9, TicketPurpose::block_id);
    const Digest digest = stream.digest(5, 9, TicketPurpose::block_id);
    EXPECT_EQ(math::Uint256::from_big_endian(digest), value);
    EXPECT_EQ(TicketStream::word(stream.key(5, TicketPurpose::block_id), 9, 0), value.words[0]);
}

TEST(TicketStream, RoundSaltsGiveTheSameDigests) {
    TicketStream stream(11);
    for (ChainEpoch round : {ChainEpoch{1}, ChainEpoch{2880}, ChainEpoch{1'000'000}}) {
        const auto salts = TicketStream::salts(round);
        for (ActorId miner : {ActorId{1000}, ActorId{123456}}) {
            const std::uint64_t key = stream.key(miner, TicketPurpose::ticket);
            EXPECT_EQ(TicketStream::digest(key, salts),
                      stream.digest(miner, round, TicketPurpose::ticket));
            EXPECT_EQ(TicketStream::word_with_salt(key, salts[0]),
                      TicketStream::word(key, round, 0));
        }
    }
}

TEST(TicketStream, NoCollisionsOverManyMinersAndRounds) {
    TicketStream stream(1);
    std::set<std::uint64_t> seen;
    for (ActorId miner = 1000; miner < 1100; ++miner) {
        for (ChainEpoch round = 0; round < 1000; ++round) {
            seen.insert(stream.value(miner, round, TicketPurpose::election).words[0]);
        }
    }
    EXPECT_EQ(seen.size(), 100'000u);
}

// Chi-square over the top byte of each word: 256 cells, 255 degrees of freedom; 400,000 draws.
// The 99.99 % quantile of chi-square(255) is about 358.
TEST(TicketStream, WordsAreUniform) {
    TicketStream stream(2024);
    for (unsigned word = 0; word < 4; ++word) {
        std::array<double, 256> counts{};
        const int draws = 400'000;
        for (int i = 0; i < draws; ++i) {
            const math::Uint256 value =
                stream.value(static_cast<ActorId>(1000 + i % 400), i / 400, TicketPurpose::election);
            counts[value.words[word] >> 56] += 1.0;
        }
        const double expected = draws / 256.0;
        double chi2 = 0.0;
        for (double count : counts) chi2 += (count - expected) * (count - expected) / expected;
        EXPECT_LT(chi2, 358.0) << "word " << word;
    }
}

// Consecutive rounds of one miner must not be correlated (the election reads one miner's tickets
// round after round): the lag-1 correlation of the top words over 200,000 rounds is within 5
// standard errors of zero.
TEST(TicketStream, ConsecutiveRoundsUncorrelated) {
    TicketStream stream(9);
    const std::uint64_t key = stream.key(1234, TicketPurpose::election);
    const int rounds = 200'000;
    double sum = 0.0;
    double sum_sq = 0.0;
    double sum_lag = 0.0;
    double previous = 0.0;
    for (int round = 0; round < rounds; ++round) {
        const double u = static_cast<double>(TicketStream::word(key, round, 0) >> 11) * 0x1.0p-53;
        sum += u;
        sum_sq += u * u;
        if (round > 0) sum_lag += (u - 0.5) * (previous - 0.5);
        previous = u;
    }
    const double mean = sum / rounds;
    const double variance = sum_sq / rounds - mean * mean;
    EXPECT_NEAR(mean, 0.5, 5.0 * std::sqrt(1.0 / 12.0 / rounds));
    EXPECT_NEAR(sum_lag / (rounds - 1) / variance, 0.0, 5.0 / std::sqrt(rounds));
}

// A miner with λ = 5 p / P = 0.25 wins at least once with probability 1 - e^-0.25 per round.
TEST(TicketStream, ElectionsWithItFollowPoisson) {
    TicketStream stream(5);
    const StoragePower network = StoragePower{1} << 60;
    const WinThresholds thresholds(network / 20, network);
    const int rounds = 200'000;
    int winning_rounds = 0;
    for (int round = 0; round < rounds; ++round) {
        if (thresholds.win_count(stream.value(77, round, TicketPurpose::election)) > 0) {
            ++winning_rounds;
        }
    }
    const double p = 1.0 - std::exp(-0.25);
    EXPECT_NEAR(winning_rounds, p * rounds, 5.0 * std::sqrt(rounds * p * (1 - p)));
}

}  // namespace
}  // namespace minerx::chain
