// The PoSt provers: WinningPoSt answer times are uniform over the profile's range (1-10 s by
// default), failures happen at the configured rate, and both are reproducible from the seed;
// WindowPoSt proofs of a deadline's partitions come one after another.

#include "core/sealing/post_prover.h"

#include <array>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

namespace minerx::sealing {
namespace {

std::vector<PoStAnswer> answers(const WinningPoStProver& prover, std::uint64_t seed, int count) {
    util::Random random(seed);
    std::vector<PoStAnswer> result;
    for (int i = 0; i < count; ++i) result.push_back(prover.answer_challenge(1000 * i, random));
    return result;
}

TEST(WinningPostProver, AnswerTimesAreUniformOverTheProfileRange) {
    const HardwareProfile profile = commodity_10tib_per_day_profile();
    const WinningPoStProver prover(profile);
    constexpr int kCount = 90'000;
    const std::vector<PoStAnswer> result = answers(prover, 2021, kCount);
    constexpr int kBins = 9;  // one per second of the 1-10 s range
    std::array<int, kBins> histogram{};
    double sum_s = 0;
    for (int i = 0; i < kCount; ++i) {
        const TimeMs duration_ms = result[static_cast<std::size_t>(i)].ready_ms - 1000 * i;
        ASSERT_GE(duration_ms, 1000);
        ASSERT_LE(duration_ms, 10'000);
        EXPECT_TRUE(result[static_cast<std::size_t>(i)].succeeded);  // default: no failures
        sum_s += static_cast<double>(duration_ms) / 1000;
        ++histogram[static_cast<std::size_t>(std::min<TimeMs>((duration_ms - 1000) / 1000, 8))];
    }
    // Mean 5.5 s; the standard deviation of a uniform over 9 s is 9 / sqrt(12).
    const double standard_error = 9 / std::sqrt(12.0) / std::sqrt(static_cast<double>(kCount));
    EXPECT_NEAR(sum_s / kCount, 5.5, 5 * standard_error);
    // Pearson's chi-square with 8 degrees of freedom: P(X > 40) is about 2e-6.
    const double expected = static_cast<double>(kCount) / kBins;
    double chi_square = 0;
    for (int count : histogram) chi_square += (count - expected) * (count - expected) / expected;
    EXPECT_LT(chi_square, 40.0);
}

TEST(WinningPostProver, ReproducibleBySeed) {
    const WinningPoStProver prover(commodity_10tib_per_day_profile());
    EXPECT_EQ(answers(prover, 5, 1000), answers(prover, 5, 1000));
    EXPECT_NE(answers(prover, 5, 1000), answers(prover, 6, 1000));
}

TEST(WinningPostProver, FailsAtTheConfiguredRate) {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    profile.winning_post_failure_probability = 0.1;
    const WinningPoStProver prover(profile);
    constexpr int kCount = 50'000;
    int failures = 0;
    for (const PoStAnswer& answer : answers(prover, 77, kCount)) {
        if (!answer.succeeded) ++failures;
    }
    const double sigma = std::sqrt(kCount * 0.1 * 0.9);
    EXPECT_NEAR(failures, kCount * 0.1, 5 * sigma);
}

TEST(WinningPostProver, AFixedRangeGivesAFixedTime) {
    HardwareProfile profile = commodity_10tib_per_day_profile();
    profile.winning_post_min_ms = 4200;
    profile.winning_post_max_ms = 4200;
    util::Random random(1);
    EXPECT_EQ(WinningPoStProver(profile).answer_challenge(10, random), (PoStAnswer{4210, true}));
}

TEST(WindowPostProver, PartitionsAreProvenOneAfterAnother) {
    const HardwareProfile profile = commodity_10tib_per_day_profile();
    const WindowPoStProver prover(profile);
    util::Random random(3);
    const TimeMs start = 123'456;
    const std::vector<PoStAnswer> proofs = prover.prove_partitions(start, 5, random);
    ASSERT_EQ(proofs.size(), 5u);
    TimeMs previous = start;
    for (const PoStAnswer& proof : proofs) {
        EXPECT_GE(proof.ready_ms - previous, 4 * kMsPerMinute);
        EXPECT_LE(proof.ready_ms - previous, 10 * kMsPerMinute);
        EXPECT_TRUE(proof.succeeded);
        previous = proof.ready_ms;
    }
    EXPECT_TRUE(prover.prove_partitions(start, 0, random).empty());
}

}  // namespace
}  // namespace minerx::sealing
