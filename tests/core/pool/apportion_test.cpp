// Exact largest-remainder splitting: sums, rounding bounds, tie order and 128-bit-overflowing
// products, against hand-computed splits and an independent GMP computation of the quotas.

#include "core/pool/apportion.h"

#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "core/math/big_int.h"
#include "core/util/random.h"

namespace minerx::pool {
namespace {

using chain::AttoFil;
using math::BigInt;
using math::Uint128;

AttoFil sum_of(const std::vector<AttoFil>& parts) {
    AttoFil sum = 0;
    for (AttoFil part : parts) sum += part;
    return sum;
}

// Checks floor(quota) <= part <= ceil(quota), i.e. |part * W - amount * w| < W, with GMP.
void expect_within_one_of_quota(AttoFil amount, const std::vector<Uint128>& weights,
                                const std::vector<AttoFil>& parts) {
    BigInt total = 0;
    for (Uint128 weight : weights) total += math::make_int<BigInt>(weight);
    const BigInt amount_big = math::make_int<BigInt>(static_cast<Uint128>(amount));
    for (std::size_t i = 0; i < weights.size(); ++i) {
        ASSERT_GE(parts[i], 0);
        const BigInt exact = amount_big * math::make_int<BigInt>(weights[i]);
        const BigInt given = math::make_int<BigInt>(static_cast<Uint128>(parts[i])) * total;
        const BigInt gap = abs(BigInt(given - exact));
        EXPECT_LT(cmp(gap, total), 0) << "entry " << i;
        if (weights[i] == 0) {
            EXPECT_EQ(parts[i], 0);
        }
    }
}

TEST(Apportion, EqualRemaindersGoToTheLowerIndex) {
    const std::vector<Uint128> weights = {1, 1, 1};
    EXPECT_EQ(apportion(10, weights), (std::vector<AttoFil>{4, 3, 3}));
    EXPECT_EQ(apportion(11, weights), (std::vector<AttoFil>{4, 4, 3}));
    EXPECT_EQ(apportion(12, weights), (std::vector<AttoFil>{4, 4, 4}));
}

// 100 over 1:2:4 (W = 7): quotas 14.29, 28.57, 57.14; floors 14 + 28 + 57 = 99; remainders
// 100 mod 7 = 2, 200 mod 7 = 4, 400 mod 7 = 1, so the single leftover attoFIL goes to entry 1.
TEST(Apportion, LeftoverGoesToTheLargestRemainder) {
    const std::vector<Uint128> weights = {1, 2, 4};
    EXPECT_EQ(apportion(100, weights), (std::vector<AttoFil>{14, 29, 57}));
}

TEST(Apportion, ZeroWeightsGetNothingAndZeroAmountSplitsToZeros) {
    const std::vector<Uint128> weights = {0, 3, 0, 1};
    EXPECT_EQ(apportion(9, weights), (std::vector<AttoFil>{0, 7, 0, 2}));
    EXPECT_EQ(apportion(0, weights), (std::vector<AttoFil>{0, 0, 0, 0}));
    EXPECT_EQ(apportion(1, std::vector<Uint128>{5}), (std::vector<AttoFil>{1}));
}

TEST(Apportion, TiesFavourTheLowerMemberId) {
    const std::vector<MemberWeight> weights = {{.member = 5, .weight = 7},
                                               {.member = 9, .weight = 7},
                                               {.member = 12, .weight = 7}};
    EXPECT_EQ(apportion_by_member(2, weights), (std::vector<AttoFil>{1, 1, 0}));
    EXPECT_EQ(apportion_by_member(4, weights), (std::vector<AttoFil>{2, 1, 1}));
}

TEST(Apportion, RejectsZeroTotalWeightAndUnorderedMembers) {
    EXPECT_DEATH(apportion(5, std::vector<Uint128>{0, 0}), "total > 0");
    const std::vector<MemberWeight> unordered = {{.member = 9, .weight = 1},
                                                 {.member = 5, .weight = 1}};
    EXPECT_DEATH(apportion_by_member(5, unordered), "member < weights");
}

TEST(Apportion, RandomSplitsSumExactlyAndStayWithinOneOfTheQuota) {
    util::Random random(20240611);
    for (int round = 0; round < 2000; ++round) {
        const std::size_t count = 1 + random.below(40);
        std::vector<Uint128> weights(count);
        for (Uint128& weight : weights) {
            // A mix of zeros, small weights and weights of power x epochs size (up to ~2^90).
            const std::uint64_t kind = random.below(4);
            if (kind == 0) weight = 0;
            if (kind == 1) weight = 1 + random.below(1000);
            if (kind >= 2) weight = (Uint128{random.next_u64()} << random.below(27)) + 1;
        }
        weights[random.below(count)] += 1;  // total weight > 0
        const AttoFil amount =
            static_cast<AttoFil>((Uint128{random.next_u64()} << 26) % chain::kTotalFilSupply);
        const std::vector<AttoFil> parts = apportion(amount, weights);
        ASSERT_EQ(parts.size(), count);
        ASSERT_EQ(sum_of(parts), amount);
        expect_within_one_of_quota(amount, weights, parts);
    }
}

// Products of the whole supply (2^91) and weights near 2^126 need more than 128 bits; the split is
// scale-invariant, so weights scaled by 2^100 (256-bit products in mul_div) must split exactly
// like the originals (128-bit products).
TEST(Apportion, HugeWeightsSplitLikeTheirUnscaledOriginals) {
    util::Random random(77);
    for (int round = 0; round < 300; ++round) {
        const std::size_t count = 1 + random.below(12);
        std::vector<Uint128> small(count);
        std::vector<Uint128> scaled(count);
        for (std::size_t i = 0; i < count; ++i) {
            small[i] = random.below(5000);
            if (i == 0) small[i] += 1;
        }
        for (std::size_t i = 0; i < count; ++i) scaled[i] = small[i] << 100;
        const AttoFil amount = chain::kTotalFilSupply - static_cast<AttoFil>(random.below(1000));
        const std::vector<AttoFil> parts = apportion(amount, scaled);
        ASSERT_EQ(parts, apportion(amount, small));
        ASSERT_EQ(sum_of(parts), amount);
        expect_within_one_of_quota(amount, scaled, parts);
    }
    const std::vector<Uint128> extreme = {Uint128{1} << 126, (Uint128{1} << 126) - 1, 3};
    const std::vector<AttoFil> parts = apportion(chain::kTotalFilSupply, extreme);
    EXPECT_EQ(sum_of(parts), chain::kTotalFilSupply);
    expect_within_one_of_quota(chain::kTotalFilSupply, extreme, parts);
}

TEST(Apportion, ProportionalPartIsTheExactFloor) {
    EXPECT_EQ(proportional_part(7, 1, 3), 2);
    EXPECT_EQ(proportional_part(9, 1, 3), 3);
    EXPECT_EQ(proportional_part(0, 5, 3), 0);
    // 2e27 * (2^120 + 1) / 2^121: exactly 1e27 + floor(2e27 / 2^121) = 1e27.
    const Uint128 weight = (Uint128{1} << 120) + 1;
    EXPECT_EQ(proportional_part(chain::kTotalFilSupply, weight, Uint128{1} << 121),
              chain::kTotalFilSupply / 2);
    // Weight above the total is allowed while the result fits: 10 * 6 / 4 = 15.
    EXPECT_EQ(proportional_part(10, 6, 4), 15);
}

}  // namespace
}  // namespace minerx::pool
