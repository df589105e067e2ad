// DrawRandomness against tests/data/derived/randomness.txt (research/election.md §2.4, derived from
// Lotus chain/rand/rand.go's algorithm; not upstream test vectors).

#include "core/chain/randomness.h"

#include <numeric>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/address.h"
#include "core/chain/blake2b.h"
#include "tests/test_data.h"

namespace minerx::chain {
namespace {

using testing::bytes_from_hex;
using testing::read_lines;
using testing::split_fields;

std::string hex(const Digest& digest) {
    return testing::hex_from_bytes(digest.data(), digest.size());
}

// The beacon base of every vector: the 96 bytes 0x00..0x5f.
std::vector<std::uint8_t> vector_beacon() {
    std::vector<std::uint8_t> beacon(96);
    std::iota(beacon.begin(), beacon.end(), std::uint8_t{0});
    return beacon;
}

std::vector<std::vector<std::string>> records(const std::string& kind) {
    std::vector<std::vector<std::string>> out;
    for (const auto& line : read_lines("derived/randomness.txt")) {
        auto fields = split_fields(line, ' ');
        if (fields[0] == kind) out.push_back(fields);
    }
    return out;
}

TEST(Randomness, TagsAreNumberedAsInGoStateTypes) {
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kTicketProduction), 1);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kElectionProofProduction), 2);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kWinningPoStChallengeSeed), 3);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kWindowedPoStChallengeSeed), 4);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kSealRandomness), 5);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kInteractiveSealChallengeSeed), 6);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kWindowedPoStDeadlineAssignment), 7);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kMarketDealCronSeed), 8);
    EXPECT_EQ(static_cast<std::int64_t>(DomainSeparationTag::kPoStChainCommit), 9);
}

TEST(Randomness, BeaconDigestMatchesVector) {
    auto rows = records("rbase-digest");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(hex(blake2b_256(vector_beacon())), rows[0][1]);
}

TEST(Randomness, Blake2bOfRepeatedBytesMatchesVectors) {
    auto rows = records("blake96");
    ASSERT_EQ(rows.size(), 5u);
    for (const auto& row : rows) {
        auto byte = static_cast<std::uint8_t>(std::stoul(row[1], nullptr, 16));
        EXPECT_EQ(hex(blake2b_256(std::vector<std::uint8_t>(96, byte))), row[2]) << row[1];
    }
}

TEST(Randomness, DrawMatchesDerivedVectors) {
    auto rows = records("draw");
    ASSERT_EQ(rows.size(), 4u);
    for (const auto& row : rows) {
        auto tag = static_cast<DomainSeparationTag>(std::stoll(row[1]));
        ChainEpoch round = std::stoll(row[2]);
        auto entropy = bytes_from_hex(row[3]);
        EXPECT_EQ(hex(draw_randomness(vector_beacon(), tag, round, entropy)), row[4])
            << "tag " << row[1] << " round " << row[2];
        EXPECT_EQ(hex(draw_randomness_from_digest(blake2b_256(vector_beacon()), tag, round,
                                                  entropy)),
                  row[4])
            << "from digest, tag " << row[1] << " round " << row[2];
    }
}

// The election draw as a miner makes it: entropy = CBOR(f01234) (research/election.md §2.4 row 1).
TEST(Randomness, ElectionDrawUsesCborOfMinerAddress) {
    EXPECT_EQ(hex(draw_randomness(vector_beacon(), DomainSeparationTag::kElectionProofProduction,
                                  1000000, id_address_cbor(1234))),
              "3fa9a7f19ca65eafe511cdc837acb4c35ddc34810b78b6fa050882113dc1b5b0");
}

// The preimage is exactly BE64(tag) ‖ digest ‖ BE64(round) ‖ entropy (research/election.md §2.4).
TEST(Randomness, PreimageLayout) {
    auto preimage = bytes_from_hex(
        "0000000000000002"
        "6528ea458efd23391e968e0dd3a40202ac94e3854d1a4642cbbe0d13a15cb849"
        "00000000000f4240"
        "4300d209");
    EXPECT_EQ(hex(blake2b_256(preimage)),
              hex(draw_randomness(vector_beacon(), DomainSeparationTag::kElectionProofProduction,
                                  1000000, bytes_from_hex("4300d209"))));
}

TEST(Randomness, EmptyEntropyAndEmptyBeaconAreAllowed) {
    Digest empty_beacon = blake2b_256(std::span<const std::uint8_t>{});
    EXPECT_EQ(draw_randomness({}, DomainSeparationTag::kPoStChainCommit, 0, {}),
              draw_randomness_from_digest(empty_beacon, DomainSeparationTag::kPoStChainCommit, 0,
                                          {}));
    EXPECT_NE(draw_randomness({}, DomainSeparationTag::kPoStChainCommit, 0, {}),
              draw_randomness({}, DomainSeparationTag::kSealRandomness, 0, {}));
}

}  // namespace
}  // namespace minerx::chain
