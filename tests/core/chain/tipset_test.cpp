// Tipset formation, chain weight, a miner's base at its cutoff, and the orphan rule.

#include "core/chain/tipset.h"

#include <optional>
#include <vector>

#include <gtest/gtest.h>

namespace minerx::chain {
namespace {

constexpr std::int64_t kGenesisMs = 1'598'306'400'000;  // mainnet genesis, 2020-08-24T22:00Z
constexpr std::int64_t kDelayMs = 6'000;                // PropagationDelaySecs in 2021
constexpr StoragePower kNetworkPower = (StoragePower{54} << 60) / 10;  // 5.4 EiB

Digest digest_with(std::uint8_t first, std::uint8_t last = 0) {
    Digest digest{};
    digest.front() = first;
    digest.back() = last;
    return digest;
}

BlockId parent_id(std::uint8_t n) { return digest_with(0xee, n); }

struct BlockSpec {
    ActorId miner;
    std::uint8_t ticket;  // first byte of the ticket digest
    std::uint8_t id;      // first byte of the block id
    std::int64_t win_count = 1;
    ChainEpoch height = 10;
    TipsetKey parents = {parent_id(1)};
    ChainWeight parent_weight = 1000;
};

BlockHeader block(const BlockSpec& spec) {
    BlockHeader header;
    header.miner = spec.miner;
    header.height = spec.height;
    header.parents = spec.parents;
    header.ticket_digest = digest_with(spec.ticket);
    header.win_count = spec.win_count;
    header.id = digest_with(spec.id);
    header.parent_weight = spec.parent_weight;
    header.parent_network_power = kNetworkPower;
    return header;
}

std::vector<ActorId> miners_of(const Tipset& tipset) {
    std::vector<ActorId> miners;
    for (const BlockHeader& header : tipset.blocks()) miners.push_back(header.miner);
    return miners;
}

std::int64_t epoch_start_ms(ChainEpoch height) { return kGenesisMs + height * 30'000; }

// ---- Weight ----

// Worked by hand: P = 5.4 EiB lies in [2^62, 2^63), so bitlen(P) = 63 and log2P = 62.
//   power term    = 62 << 8 = 15872
//   election term = floor((62 << 8) * 7 / (5 * 2)) = floor(111104 / 10) = 11110
//   weight        = 1000 + 15872 + 11110 = 27982
// Dividing before multiplying would give 15872 / 10 * 7 = 11109 or 15872 * (7 / 10) = 0.
TEST(ChainWeight, WorkedExampleByHand) {
    EXPECT_EQ(tipset_weight(1000, kNetworkPower, 7), 27982u);
    EXPECT_EQ(tipset_weight(0, kNetworkPower, 0), 15872u);
    EXPECT_EQ(tipset_weight(0, kNetworkPower, 1), 15872u + 1587u);  // 15872 / 10, floored
}

TEST(ChainWeight, Log2OfPowerIsBitLengthMinusOne) {
    EXPECT_EQ(tipset_weight(0, StoragePower{1} << 62, 0), 62u << 8);
    EXPECT_EQ(tipset_weight(0, (StoragePower{1} << 62) - 1, 0), 61u << 8);
    EXPECT_EQ(tipset_weight(0, 1, 5), 0u);  // log2P = 0: the tipset adds no weight
    EXPECT_EQ(tipset_weight(0, 2, 5), 256u + 128u);
}

TEST(ChainWeight, TipsetWeightSumsWinCounts) {
    auto tipset = Tipset::make({block({.miner = 1, .ticket = 1, .id = 1, .win_count = 3}),
                                block({.miner = 2, .ticket = 2, .id = 2, .win_count = 4})});
    ASSERT_TRUE(tipset);
    EXPECT_EQ(tipset->total_win_count(), 7);
    EXPECT_EQ(tipset->weight(), 27982u);
}

TEST(ChainWeightDeathTest, ZeroNetworkPowerIsRejected) {
    EXPECT_DEATH(tipset_weight(0, 0, 1), "parent_network_power > 0");
}

// ---- Tipset formation ----

TEST(Tipset, BlocksAreOrderedByTicketThenId) {
    auto tipset = Tipset::make({block({.miner = 1, .ticket = 9, .id = 1}),
                                block({.miner = 2, .ticket = 3, .id = 7}),
                                block({.miner = 3, .ticket = 3, .id = 5}),  // same ticket as 2
                                block({.miner = 4, .ticket = 4, .id = 0})});
    ASSERT_TRUE(tipset);
    EXPECT_EQ(miners_of(*tipset), (std::vector<ActorId>{3, 2, 4, 1}));
    EXPECT_EQ(tipset->key(), (TipsetKey{digest_with(5), digest_with(7), digest_with(0),
                                        digest_with(1)}));
    EXPECT_EQ(tipset->height(), 10);
    EXPECT_EQ(tipset->parents(), TipsetKey{parent_id(1)});
    EXPECT_TRUE(tipset->contains(digest_with(7)));
    EXPECT_FALSE(tipset->contains(digest_with(8)));
}

TEST(Tipset, OrderComparesWholeDigestsBytewise) {
    BlockHeader low = block({.miner = 1, .ticket = 0x80, .id = 1});
    BlockHeader high = block({.miner = 2, .ticket = 0x80, .id = 1});
    low.ticket_digest.back() = 0x01;
    high.ticket_digest.back() = 0xff;  // unsigned: 0xff sorts last
    EXPECT_TRUE(precedes_in_tipset(low, high));
    EXPECT_FALSE(precedes_in_tipset(high, low));
    high.ticket_digest = low.ticket_digest;
    high.id.back() = 0x01;  // same ticket: the id decides
    EXPECT_TRUE(precedes_in_tipset(low, high));
}

TEST(Tipset, RejectsInconsistentBlocks) {
    EXPECT_FALSE(Tipset::make({}));
    EXPECT_FALSE(Tipset::make({block({.miner = 1, .ticket = 1, .id = 1}),
                               block({.miner = 2, .ticket = 2, .id = 2, .height = 11})}));
    EXPECT_FALSE(Tipset::make({block({.miner = 1, .ticket = 1, .id = 1}),
                               block({.miner = 2, .ticket = 2, .id = 2,
                                      .parents = {parent_id(2)}})}));
    EXPECT_FALSE(Tipset::make({block({.miner = 1, .ticket = 1, .id = 1}),
                               block({.miner = 2, .ticket = 2, .id = 2, .parent_weight = 999})}));
    EXPECT_FALSE(Tipset::make({block({.miner = 1, .ticket = 1, .id = 1}),
                               block({.miner = 1, .ticket = 1, .id = 1})}));
}

TEST(Tipset, EquivocatingMinerIsExcludedEntirely) {
    std::vector<BlockHeader> blocks = {
        block({.miner = 1, .ticket = 1, .id = 1}), block({.miner = 2, .ticket = 2, .id = 2}),
        block({.miner = 3, .ticket = 3, .id = 3}), block({.miner = 2, .ticket = 4, .id = 4})};
    auto honest = without_equivocating_miners(blocks);
    ASSERT_EQ(honest.size(), 2u);
    EXPECT_EQ(honest[0].miner, 1u);
    EXPECT_EQ(honest[1].miner, 3u);
    auto tipset = form_heaviest_tipset(blocks);
    ASSERT_TRUE(tipset);
    EXPECT_EQ(miners_of(*tipset), (std::vector<ActorId>{1, 3}));
}

TEST(Tipset, SameBlockTwiceOrBlocksAtTwoHeightsAreNotEquivocation) {
    std::vector<BlockHeader> blocks = {block({.miner = 1, .ticket = 1, .id = 1}),
                                       block({.miner = 1, .ticket = 1, .id = 1}),
                                       block({.miner = 1, .ticket = 2, .id = 2, .height = 11,
                                              .parents = {digest_with(1)}})};
    EXPECT_EQ(without_equivocating_miners(blocks).size(), 2u);
}

TEST(Tipset, FormsTheHeaviestGroupOfSameParents) {
    // A fork at height 10: two blocks on parent 1 (weight 1000), one on parent 2 (weight 1100).
    std::vector<BlockHeader> blocks = {
        block({.miner = 1, .ticket = 1, .id = 1}), block({.miner = 2, .ticket = 2, .id = 2}),
        block({.miner = 3, .ticket = 3, .id = 3, .parents = {parent_id(2)},
               .parent_weight = 1100})};
    auto tipset = form_heaviest_tipset(blocks);
    ASSERT_TRUE(tipset);
    EXPECT_EQ(miners_of(*tipset), (std::vector<ActorId>{1, 2}));  // 1000 + 2 wins beats 1100 + 1
    blocks[2].parent_weight = 5000;  // 5000 + 17459 beats 1000 + 19046
    EXPECT_EQ(miners_of(*form_heaviest_tipset(blocks)), (std::vector<ActorId>{3}));
}

TEST(Tipset, AHigherTipsetOutweighsItsParentHeight) {
    std::vector<BlockHeader> blocks = {
        block({.miner = 1, .ticket = 1, .id = 1, .win_count = 3}),
        block({.miner = 2, .ticket = 2, .id = 2, .height = 11, .parents = {digest_with(1)},
               .parent_weight = tipset_weight(1000, kNetworkPower, 3)})};
    EXPECT_EQ(form_heaviest_tipset(blocks)->height(), 11);
}

TEST(ChainWeight, EqualWeightsGoToTheSmallerTicket) {
    // Same weight (same parent weight, power and total WinCount), different parents.
    auto a = *Tipset::make({block({.miner = 1, .ticket = 1, .id = 1}),
                            block({.miner = 2, .ticket = 5, .id = 2})});
    auto b = *Tipset::make({block({.miner = 3, .ticket = 2, .id = 3, .parents = {parent_id(2)}}),
                            block({.miner = 4, .ticket = 3, .id = 4, .parents = {parent_id(2)}})});
    ASSERT_EQ(a.weight(), b.weight());
    EXPECT_TRUE(wins_weight_tie(a, b));  // 1 < 2 at position 0
    EXPECT_FALSE(wins_weight_tie(b, a));
    std::vector<Tipset> candidates = {b, a};
    EXPECT_EQ(heaviest_tipset(candidates).key(), a.key());
}

TEST(ChainWeight, UnbrokenTieKeepsTheFirstCandidate) {
    auto a = *Tipset::make({block({.miner = 1, .ticket = 1, .id = 1, .win_count = 2})});
    auto b = *Tipset::make({block({.miner = 2, .ticket = 1, .id = 2, .parents = {parent_id(2)}}),
                            block({.miner = 3, .ticket = 9, .id = 3, .win_count = 1,
                                   .parents = {parent_id(2)}})});
    ASSERT_EQ(a.weight(), b.weight());
    EXPECT_FALSE(wins_weight_tie(a, b));  // equal on the common prefix
    EXPECT_FALSE(wins_weight_tie(b, a));
    std::vector<Tipset> ab = {a, b};
    std::vector<Tipset> ba = {b, a};
    EXPECT_EQ(heaviest_tipset(ab).key(), a.key());
    EXPECT_EQ(heaviest_tipset(ba).key(), b.key());
}

// ---- Cutoff, late blocks, orphans ----

TEST(Tipset, CutoffIsPropagationDelayAfterTheParentEpochStarts) {
    EXPECT_EQ(base_cutoff_time_ms(11, kGenesisMs, kDelayMs), epoch_start_ms(10) + kDelayMs);
    EXPECT_EQ(base_cutoff_time_ms(1, 0, 10'000), 10'000);
}

TEST(Tipset, LateBlockIsLeftOutOfTheBase) {
    std::int64_t cutoff = base_cutoff_time_ms(11, kGenesisMs, kDelayMs);
    std::vector<ReceivedBlock> received = {
        {block({.miner = 1, .ticket = 5, .id = 1}), epoch_start_ms(10) + 1'500},
        {block({.miner = 2, .ticket = 1, .id = 2}), cutoff},      // exactly at the cutoff: in
        {block({.miner = 3, .ticket = 3, .id = 3}), cutoff + 1},  // a millisecond late: out
    };
    auto base = base_at_cutoff(received, cutoff);
    ASSERT_TRUE(base);
    EXPECT_EQ(miners_of(*base), (std::vector<ActorId>{2, 1}));
    EXPECT_EQ(miners_of(*base_at_cutoff(received, cutoff + 1)), (std::vector<ActorId>{2, 3, 1}));
    EXPECT_FALSE(base_at_cutoff(received, epoch_start_ms(10)));  // nothing yet
}

TEST(Tipset, EquivocationSeenAfterTheCutoffDoesNotChangeTheBase) {
    std::int64_t cutoff = base_cutoff_time_ms(11, kGenesisMs, kDelayMs);
    std::vector<ReceivedBlock> received = {
        {block({.miner = 1, .ticket = 1, .id = 1}), epoch_start_ms(10) + 500},
        {block({.miner = 2, .ticket = 2, .id = 2}), epoch_start_ms(10) + 700},
        {block({.miner = 2, .ticket = 3, .id = 3}), cutoff + 5'000},
    };
    EXPECT_EQ(miners_of(*base_at_cutoff(received, cutoff)), (std::vector<ActorId>{1, 2}));
    EXPECT_EQ(miners_of(*base_at_cutoff(received, cutoff + 5'000)), (std::vector<ActorId>{1}));
}

// Height 10: A on time, B late for the round-11 miners' cutoff.
struct LateBlockScenario {
    BlockHeader a = block({.miner = 1, .ticket = 4, .id = 0xa});
    BlockHeader b = block({.miner = 2, .ticket = 2, .id = 0xb});
    std::vector<ReceivedBlock> received = {{a, epoch_start_ms(10) + 2'000},
                                           {b, epoch_start_ms(10) + 9'000}};
    std::vector<BlockHeader> produced = {a, b};
};

TEST(Tipset, LateBlockIsOrphanedWhenTheNextEpochHasABlock) {
    LateBlockScenario s;
    auto base_11 = base_at_cutoff(s.received, base_cutoff_time_ms(11, kGenesisMs, kDelayMs));
    ASSERT_TRUE(base_11);
    EXPECT_EQ(base_11->key(), TipsetKey{s.a.id});
    std::vector<std::optional<TipsetKey>> after = {base_11->key()};
    auto inclusion = resolve_height_inclusion(s.produced, after);
    ASSERT_TRUE(inclusion);
    EXPECT_EQ(inclusion->included, std::vector<BlockId>{s.a.id});
    EXPECT_EQ(inclusion->orphaned, std::vector<BlockId>{s.b.id});
}

TEST(Tipset, LateBlockSurvivesAFollowingNullRound) {
    LateBlockScenario s;
    // Round 11 is null; round-12 miners fix their base 30 s later and by then have B.
    auto base_12 = base_at_cutoff(s.received, base_cutoff_time_ms(12, kGenesisMs, kDelayMs));
    ASSERT_TRUE(base_12);
    EXPECT_EQ(base_12->key(), (TipsetKey{s.b.id, s.a.id}));  // B's ticket is smaller
    std::vector<std::optional<TipsetKey>> after = {std::nullopt, base_12->key()};
    auto inclusion = resolve_height_inclusion(s.produced, after);
    ASSERT_TRUE(inclusion);
    EXPECT_EQ(inclusion->included, (std::vector<BlockId>{s.a.id, s.b.id}));
    EXPECT_TRUE(inclusion->orphaned.empty());
}

TEST(Tipset, InclusionIsUndecidedWhileLaterEpochsAreNull) {
    LateBlockScenario s;
    std::vector<std::optional<TipsetKey>> after = {std::nullopt, std::nullopt};
    EXPECT_FALSE(resolve_height_inclusion(s.produced, after));
    EXPECT_FALSE(resolve_height_inclusion(s.produced, {}));
}

TEST(Tipset, WholeHeightOrphanedWhenTheNextMinersBuildBelowIt) {
    LateBlockScenario s;
    // Every height-10 block was late: round-11 miners built on the height-9 tipset.
    std::vector<std::optional<TipsetKey>> after = {TipsetKey{parent_id(1)}};
    auto inclusion = resolve_height_inclusion(s.produced, after);
    ASSERT_TRUE(inclusion);
    EXPECT_TRUE(inclusion->included.empty());
    EXPECT_EQ(inclusion->orphaned, (std::vector<BlockId>{s.a.id, s.b.id}));
}

}  // namespace
}  // namespace minerx::chain
