// ComputeWinCount and its Q.256 parts against every Lotus golden, on each big-integer backend.

#include "core/chain/election.h"

#include <string>

#include <gtest/gtest.h>

#include "core/chain/blake2b.h"
#include "core/math/big_int_boost.h"
#include "tests/core/chain/big_int_backends.h"
#include "tests/test_data.h"

namespace minerx::chain {
namespace {

using testing::read_lines;
using testing::split_fields;

template <class Int>
class ElectionGoldenTest : public ::testing::Test {};
TYPED_TEST_SUITE(ElectionGoldenTest, testing::BigIntBackends);

using testing::from_decimal;

// lotus chain/types/testdata/TestExpFunction.golden: "x,expneg(x)" for 256 points in [0, 5].
TYPED_TEST(ElectionGoldenTest, ExpNegMatchesLotusGolden) {
    auto lines = read_lines("lotus/TestExpFunction.golden");
    ASSERT_EQ(lines.size(), 257u);
    EXPECT_EQ(lines[0], "x, y");
    const auto& expneg = election_expneg<TypeParam>();
    // The driver: x_i = i * floor((5 << 256) / 255); check the x column too.
    TypeParam step = math::floor_divide(math::shift_left(from_decimal<TypeParam>("5"), 256),
                                        from_decimal<TypeParam>("255"));
    TypeParam x = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        auto fields = split_fields(lines[i], ',');
        ASSERT_EQ(fields.size(), 2u) << lines[i];
        EXPECT_EQ(math::to_decimal(x), fields[0]) << "line " << i + 1;
        EXPECT_EQ(math::to_decimal(expneg(x)), fields[1]) << "line " << i + 1;
        x += step;
    }
}

TYPED_TEST(ElectionGoldenTest, ExpNegOfZeroIsExactlyOne) {
    EXPECT_EQ(election_expneg<TypeParam>()(TypeParam(0)),
              math::shift_left(from_decimal<TypeParam>("1"), 256));
}

// lotus chain/types/testdata/TestLambdaFunction/<power>-<total>.golden.
TYPED_TEST(ElectionGoldenTest, LambdaMatchesLotusGolden) {
    for (const char* name : {"10-100", "1024-2048", "2000000000000000-100000000000000000"}) {
        std::string file = std::string("lotus/TestLambdaFunction/") + name + ".golden";
        auto lines = read_lines(file);
        ASSERT_EQ(lines.size(), 1u) << file;
        auto parts = split_fields(name, '-');
        TypeParam lambda =
            election_lambda(from_decimal<TypeParam>(parts[0]), from_decimal<TypeParam>(parts[1]));
        EXPECT_EQ(math::to_decimal(lambda), lines[0]) << file;
    }
}

// lotus chain/types/testdata/TestPoissonFunction/lam-<base>-<shift>.golden: icdf after 0..15 steps.
TYPED_TEST(ElectionGoldenTest, PoissonIcdfMatchesLotusGolden) {
    const std::pair<int, int> cases[] = {{10, 10},      {209714, 20}, {1036915, 20}, {1706, 10},
                                         {2, 0},        {5242879, 20}, {5, 0}};
    for (auto [base, shift] : cases) {
        std::string file = "lotus/TestPoissonFunction/lam-" + std::to_string(base) + "-" +
                           std::to_string(shift) + ".golden";
        auto lines = read_lines(file);
        ASSERT_EQ(lines.size(), 17u) << file;
        EXPECT_EQ(lines[0], "icdf");
        TypeParam lambda = math::shift_left(from_decimal<TypeParam>(std::to_string(base)),
                                            static_cast<unsigned>(256 - shift));
        PoissonIcdf<TypeParam> poisson(lambda);
        EXPECT_EQ(math::to_decimal(poisson.icdf()), lines[1]) << file << " step 0";
        for (std::size_t step = 1; step <= 15; ++step) {
            EXPECT_EQ(math::to_decimal(poisson.next()), lines[step + 1]) << file << " step " << step;
        }
    }
}

std::array<std::uint8_t, 8> counter_proof(std::uint64_t i) {
    std::array<std::uint8_t, 8> proof{};
    for (std::size_t k = 0; k < 8; ++k) proof[7 - k] = static_cast<std::uint8_t>(i >> (8 * k));
    return proof;
}

StoragePower power_from(const std::string& text) { return *math::parse_uint128(text); }

// tests/data/derived/wincount.txt (research/election.md §2.3): whole-path vectors with hashing.
TEST(ComputeWinCount, DerivedVectors) {
    std::size_t checked = 0;
    for (const auto& line : read_lines("derived/wincount.txt")) {
        if (line.empty() || line[0] == '#') continue;
        auto f = split_fields(line, ' ');
        if (f[0] == "counter") {
            auto first = std::stoull(f[3]);
            for (std::size_t k = 4; k < f.size(); ++k) {
                auto proof = counter_proof(first + (k - 4));
                EXPECT_EQ(compute_win_count(proof, power_from(f[1]), power_from(f[2])),
                          std::stoll(f[k]))
                    << line << " (i=" << first + (k - 4) << ")";
                ++checked;
            }
        } else if (f[0] == "bytes96") {
            const std::uint8_t bytes[] = {0x00, 0x01, 0x02, 0x7f, 0xff};
            for (std::size_t k = 0; k < 5; ++k) {
                std::vector<std::uint8_t> proof(96, bytes[k]);
                EXPECT_EQ(compute_win_count(proof, power_from(f[1]), power_from(f[2])),
                          std::stoll(f[3 + k]))
                    << line << " (byte " << int(bytes[k]) << ")";
                ++checked;
            }
        } else if (f[0] == "digest") {
            auto digest = blake2b_256(counter_proof(std::stoull(f[2])));
            EXPECT_EQ(testing::hex_from_bytes(digest.data(), digest.size()), f[1]) << line;
            ++checked;
        } else if (f[0] == "firstwins") {
            std::uint64_t last = std::stoull(f.back());
            std::vector<std::uint64_t> winners;
            for (std::uint64_t i = 0; i <= last; ++i) {
                if (compute_win_count(counter_proof(i), power_from(f[1]), power_from(f[2])) != 0) {
                    winners.push_back(i);
                }
            }
            std::vector<std::uint64_t> expected;
            for (std::size_t k = 3; k < f.size(); ++k) expected.push_back(std::stoull(f[k]));
            EXPECT_EQ(winners, expected) << line;
            ++checked;
        } else if (f[0] == "testwincounts") {
            continue;  // TestWinCountsMatchesLotusDriver
        } else {
            ADD_FAILURE() << "unknown vector kind: " << line;
        }
    }
    EXPECT_GT(checked, 100u);
}

// Lotus TestWinCounts driver (power 20 of 100, 1e6 five-byte little-endian proofs): the exact total
// derived by the reference port (research/election.md §2.1).
TEST(ComputeWinCount, TestWinCountsMatchesLotusDriver) {
    std::int64_t total = 0;
    for (std::uint64_t i = 0; i < 1'000'000; ++i) {
        std::uint64_t w = i + 1'000'000;
        std::array<std::uint8_t, 5> proof{};
        for (std::size_t k = 0; k < 5; ++k) proof[k] = static_cast<std::uint8_t>(w >> (8 * k));
        total += compute_win_count(proof, 20, 100);
    }
    EXPECT_EQ(total, 999445);
}

TEST(ComputeWinCount, ZeroPowerNeverWins) {
    for (std::uint64_t i = 0; i < 100; ++i) {
        EXPECT_EQ(compute_win_count(counter_proof(i), 0, 100), 0);
    }
}

TEST(ComputeWinCount, CapsAtFifteenWins) {
    Digest zero{};  // lhs = 0 is below every positive icdf
    EXPECT_EQ(compute_win_count_for_digest(zero, 1, 1), kMaxWinCount);
}

}  // namespace
}  // namespace minerx::chain
