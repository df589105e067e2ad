// The network's chain: bases at each miner's cutoff, canonical tipsets, and block fates.

#include "core/chain/chain_tracker.h"

#include <map>
#include <vector>

#include <gtest/gtest.h>

namespace minerx::chain {
namespace {

constexpr StoragePower kNetworkPower = StoragePower{1} << 60;
constexpr std::int64_t kEpochMs = 30'000;
constexpr std::int64_t kDelayMs = 6'000;

Digest digest_of(std::uint8_t a, std::uint8_t b) {
    Digest digest{};
    digest[0] = a;
    digest[1] = b;
    return digest;
}

Tipset genesis() {
    BlockHeader header;
    header.height = 0;
    header.win_count = 1;
    header.id = digest_of(0xff, 0);
    header.parent_network_power = kNetworkPower;
    return *Tipset::make({header});
}

// A block of `miner` at `height` built on `base`, published at the height's timestamp.
ChainBlock block_on(const Tipset& base, ActorId miner, ChainEpoch height, std::uint32_t origin) {
    ChainBlock block;
    block.header.miner = miner;
    block.header.height = height;
    block.header.parents = base.key();
    block.header.parent_weight = base.weight();
    block.header.parent_network_power = kNetworkPower;
    block.header.win_count = 1;
    block.header.ticket_digest = digest_of(static_cast<std::uint8_t>(miner), 1);
    block.header.id = digest_of(static_cast<std::uint8_t>(height), static_cast<std::uint8_t>(miner));
    block.published_ms = height * kEpochMs;
    block.origin = origin;
    return block;
}

std::int64_t cutoff(ChainEpoch round) { return (round - 1) * kEpochMs + kDelayMs; }

// Arrival = publish + a per-(origin, receiver) delay.
struct Delays {
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::int64_t> late;
    std::uint32_t receiver = 0;
    std::int64_t operator()(const ChainBlock& block) const {
        auto found = late.find({block.origin, receiver});
        return block.published_ms + (found == late.end() ? 500 : found->second);
    }
};

std::map<ActorId, bool> fates_by_miner(const std::vector<BlockFateRecord>& fates) {
    std::map<ActorId, bool> out;
    for (const BlockFateRecord& fate : fates) out[fate.miner] = fate.included;
    return out;
}

// Miners 1 and 2 publish at height 1 on genesis, and height 1 closes.
ChainTracker two_blocks_at_height_one(const Delays& delays) {
    ChainTracker chain(genesis());
    const Tipset& base1 = chain.base_for(cutoff(1), delays);
    chain.add_block(block_on(base1, 1, 1, 1));
    chain.add_block(block_on(base1, 2, 1, 2));
    EXPECT_TRUE(chain.close_height().empty());  // nothing pending before height 1
    return chain;
}

TEST(ChainTracker, PromptBlocksAreAllIncluded) {
    Delays delays;
    ChainTracker chain = two_blocks_at_height_one(delays);
    const Tipset& base2 = chain.base_for(cutoff(2), delays);
    EXPECT_EQ(base2.blocks().size(), 2u);
    chain.add_block(block_on(base2, 3, 2, 3));
    auto fates = fates_by_miner(chain.close_height());
    EXPECT_EQ(fates, (std::map<ActorId, bool>{{1, true}, {2, true}}));
    EXPECT_EQ(chain.head().height(), 2);
    EXPECT_EQ(chain.undecided_from(), 2);
}

TEST(ChainTracker, ABlockLateForEveryNextMinerIsOrphaned) {
    Delays delays;
    ChainTracker chain = two_blocks_at_height_one(delays);
    // Miner 2's block takes 7 s to reach the only winner of round 2 (cutoff is 6 s after T(1)).
    delays.late[{2, 3}] = 7'000;
    delays.receiver = 3;
    const Tipset& base2 = chain.base_for(cutoff(2), delays);
    EXPECT_EQ(base2.blocks().size(), 1u);
    chain.add_block(block_on(base2, 3, 2, 3));
    EXPECT_EQ(fates_by_miner(chain.close_height()),
              (std::map<ActorId, bool>{{1, true}, {2, false}}));
}

TEST(ChainTracker, AfterANullRoundALateBlockCanStillBeIncluded) {
    Delays delays;
    ChainTracker chain = two_blocks_at_height_one(delays);
    EXPECT_TRUE(chain.close_height().empty());  // height 2: null round
    // 7 s late for round 2's cutoff, but round 3's cutoff is 30 s later.
    delays.late[{2, 3}] = 7'000;
    delays.receiver = 3;
    const Tipset& base3 = chain.base_for(cutoff(3), delays);
    EXPECT_EQ(base3.blocks().size(), 2u);
    chain.add_block(block_on(base3, 3, 3, 3));
    EXPECT_EQ(fates_by_miner(chain.close_height()),
              (std::map<ActorId, bool>{{1, true}, {2, true}}));
}

TEST(ChainTracker, TheHeavierForkWinsAndTheOtherIsOrphaned) {
    Delays delays;
    ChainTracker chain = two_blocks_at_height_one(delays);
    // Round 2: miner 3 misses block 2; miners 4 and 5 see both: two groups of parents.
    delays.late[{2, 3}] = 9'000;
    delays.receiver = 3;
    ChainBlock fork = block_on(chain.base_for(cutoff(2), delays), 3, 2, 3);
    chain.add_block(fork);
    delays.receiver = 4;
    chain.add_block(block_on(chain.base_for(cutoff(2), delays), 4, 2, 4));
    delays.receiver = 5;
    chain.add_block(block_on(chain.base_for(cutoff(2), delays), 5, 2, 5));
    EXPECT_EQ(fates_by_miner(chain.close_height()),
              (std::map<ActorId, bool>{{1, true}, {2, true}}));
    EXPECT_EQ(chain.head().blocks().size(), 2u);  // miners 4 and 5
    chain.add_block(block_on(chain.base_for(cutoff(3), delays), 6, 3, 6));
    EXPECT_EQ(fates_by_miner(chain.close_height()),
              (std::map<ActorId, bool>{{3, false}, {4, true}, {5, true}}));
}

TEST(ChainTracker, AMinerThatReceivedNothingKeepsItsOldHead) {
    ChainTracker chain(genesis());
    Delays delays;
    chain.add_block(block_on(chain.base_for(cutoff(1), delays), 1, 1, 1));
    chain.close_height();
    chain.add_block(block_on(chain.base_for(cutoff(2), delays), 2, 2, 2));
    chain.close_height();
    delays.late[{2, 3}] = 20'000;
    delays.receiver = 3;
    const Tipset& base = chain.base_for(cutoff(3), delays);
    EXPECT_EQ(base.height(), 1);
}

}  // namespace
}  // namespace minerx::chain
