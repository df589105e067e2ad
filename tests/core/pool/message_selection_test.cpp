// Message selection for the pool's blocks: the tip formula, selectability, sender chains, the
// greedy order against brute force on small cases, disjointness and limits over random mempools,
// and independence from the snapshot's order.

#include "core/pool/message_selection.h"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "core/util/random.h"

namespace minerx::pool {
namespace {

using chain::ActorId;
using chain::AttoFil;

constexpr AttoFil kBaseFee = 100;

MessageId message_id(ActorId sender, std::uint64_t nonce, std::uint8_t variant = 0) {
    MessageId id{};
    for (std::size_t i = 0; i < 8; ++i) {
        id[i] = static_cast<std::uint8_t>(sender >> (56 - 8 * i));
        id[8 + i] = static_cast<std::uint8_t>(nonce >> (56 - 8 * i));
    }
    id[16] = variant;
    return id;
}

// A message paying `premium` per gas as tip (its fee cap covers base fee and premium).
MempoolMessage message(ActorId sender, std::uint64_t nonce, std::int64_t gas, AttoFil premium) {
    return {.id = message_id(sender, nonce),
            .sender = sender,
            .nonce = nonce,
            .gas_limit = gas,
            .gas_fee_cap = kBaseFee + premium,
            .gas_premium = premium};
}

MempoolSnapshot snapshot(std::vector<MempoolMessage> messages) {
    return {.messages = std::move(messages), .base_fee = kBaseFee, .sender_nonces = {}};
}

std::vector<std::uint64_t> nonces_of(const BlockMessages& block, ActorId sender) {
    std::vector<std::uint64_t> nonces;
    for (const MempoolMessage& m : block.messages) {
        if (m.sender == sender) nonces.push_back(m.nonce);
    }
    return nonces;
}

AttoFil total_tips(const std::vector<BlockMessages>& blocks) {
    AttoFil total = 0;
    for (const BlockMessages& block : blocks) total += block.tips_total;
    return total;
}

// The best total tip for one block by exhaustive search over each sender's nonce prefix (the
// only feasible subsets: a chain can only be taken from its start).
AttoFil brute_force_single_block(const MempoolSnapshot& mempool,
                                 const MessageSelectionLimits& limits) {
    std::map<ActorId, std::vector<MempoolMessage>> chains;
    for (const MempoolMessage& m : mempool.messages) chains[m.sender].push_back(m);
    std::vector<std::vector<MempoolMessage>> ordered;
    for (auto& [sender, chain] : chains) {
        std::sort(chain.begin(), chain.end(),
                  [](const auto& a, const auto& b) { return a.nonce < b.nonce; });
        ordered.push_back(chain);
    }
    AttoFil best = 0;
    std::vector<std::size_t> prefix(ordered.size(), 0);
    while (true) {
        std::int64_t gas = 0;
        std::size_t count = 0;
        AttoFil tips = 0;
        for (std::size_t s = 0; s < ordered.size(); ++s) {
            for (std::size_t i = 0; i < prefix[s]; ++i) {
                gas += ordered[s][i].gas_limit;
                tips += miner_tip(ordered[s][i], mempool.base_fee);
            }
            count += prefix[s];
        }
        if (gas <= limits.block_gas_limit && count <= limits.block_message_count_max) {
            best = std::max(best, tips);
        }
        std::size_t s = 0;
        while (s < ordered.size() && prefix[s] == ordered[s].size()) prefix[s++] = 0;
        if (s == ordered.size()) break;
        ++prefix[s];
    }
    return best;
}

// ---- The tip and selectability ----

TEST(MessageSelection, MinerTipIsLotusFormula) {
    // Premium binds: min(7, 1000 - 100) * 50.
    EXPECT_EQ(miner_tip({.gas_limit = 50, .gas_fee_cap = 1000, .gas_premium = 7}, 100), 350);
    // Fee cap binds: min(70, 120 - 100) * 50.
    EXPECT_EQ(miner_tip({.gas_limit = 50, .gas_fee_cap = 120, .gas_premium = 70}, 100), 1000);
    // Base fee above the fee cap: the miner gets nothing (and Lotus charges it a penalty).
    EXPECT_EQ(miner_tip({.gas_limit = 50, .gas_fee_cap = 90, .gas_premium = 70}, 100), 0);
    // Tips are GasLimit-based, in attoFIL: 1e10 gas at 1e9 attoFIL/gas is 1e19 (10 FIL).
    const AttoFil nano = 1'000'000'000;
    EXPECT_EQ(miner_tip({.gas_limit = kBlockGasLimit, .gas_fee_cap = 2 * nano,
                         .gas_premium = nano}, nano),
              AttoFil{10} * chain::kAttoFilPerFil);
}

TEST(MessageSelection, SelectabilityFollowsBlockInclusionRules) {
    const MessageSelectionLimits limits;
    const MempoolMessage ok = message(1, 0, 1000, 5);
    EXPECT_TRUE(is_selectable(ok, kBaseFee, limits));
    auto with = [&](auto change) {
        MempoolMessage m = ok;
        change(m);
        return is_selectable(m, kBaseFee, limits);
    };
    EXPECT_FALSE(with([](MempoolMessage& m) { m.gas_limit = 0; }));
    EXPECT_FALSE(with([](MempoolMessage& m) { m.gas_limit = kBlockGasLimit + 1; }));
    EXPECT_TRUE(with([](MempoolMessage& m) { m.gas_limit = kBlockGasLimit; }));
    EXPECT_FALSE(with([](MempoolMessage& m) { m.gas_premium = -1; }));
    EXPECT_FALSE(with([](MempoolMessage& m) { m.gas_premium = m.gas_fee_cap + 1; }));
    EXPECT_FALSE(with([](MempoolMessage& m) { m.gas_fee_cap = kBaseFee - 1; m.gas_premium = 0; }));
    EXPECT_TRUE(with([](MempoolMessage& m) { m.gas_fee_cap = kBaseFee; m.gas_premium = 0; }));
    // A maximum fee above the whole FIL supply cannot be covered by any sender.
    EXPECT_FALSE(with([](MempoolMessage& m) {
        m.gas_fee_cap = chain::kTotalFilSupply / m.gas_limit + 1;
    }));
}

// ---- Chains of one sender ----

TEST(MessageSelection, ChainStartsAtNextNonceAndStopsAtGap) {
    MempoolSnapshot mempool = snapshot({message(1, 3, 10, 1), message(1, 4, 10, 1),
                                        message(1, 5, 10, 1), message(1, 7, 10, 9),
                                        message(2, 1, 10, 1), message(2, 2, 10, 1)});
    // Sender 1 already executed nonces up to 3; sender 2's next nonce is 0, which is missing.
    mempool.sender_nonces = {{.sender = 1, .next_nonce = 4}, {.sender = 2, .next_nonce = 0}};
    const auto blocks = select_messages(mempool, 1);
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(nonces_of(blocks[0], 1), (std::vector<std::uint64_t>{4, 5}));
    EXPECT_TRUE(nonces_of(blocks[0], 2).empty());
}

TEST(MessageSelection, ChainWithoutKnownNonceStartsAtLowestPending) {
    const auto blocks =
        select_messages(snapshot({message(5, 9, 10, 1), message(5, 10, 10, 1)}), 1);
    EXPECT_EQ(nonces_of(blocks[0], 5), (std::vector<std::uint64_t>{9, 10}));
}

TEST(MessageSelection, UnselectableMessageEndsItsChain) {
    MempoolMessage under_base_fee = message(1, 1, 10, 0);
    under_base_fee.gas_fee_cap = kBaseFee - 1;
    const auto blocks = select_messages(
        snapshot({message(1, 0, 10, 1), under_base_fee, message(1, 2, 10, 50)}), 1);
    EXPECT_EQ(nonces_of(blocks[0], 1), (std::vector<std::uint64_t>{0}));
}

TEST(MessageSelection, ReplacementPayingMoreIsKept) {
    MempoolMessage cheap = message(1, 0, 10, 1);
    MempoolMessage rich = message(1, 0, 10, 8);
    rich.id = message_id(1, 0, 1);
    const auto blocks = select_messages(snapshot({cheap, rich, message(1, 1, 10, 1)}), 1);
    ASSERT_EQ(blocks[0].messages.size(), 2u);
    EXPECT_EQ(blocks[0].messages[0].id, rich.id);
    EXPECT_EQ(blocks[0].tips_total, 80 + 10);
}

// ---- The greedy order ----

// Naive greedy by the next message's tip per gas would take B (5/gas) and then A's cheap first
// message (1/gas): 600. Sender A's two messages together pay 5.5/gas: 1100, the optimum.
TEST(MessageSelection, CheapMessageBeforeRichOneIsTakenWithIt) {
    const MessageSelectionLimits limits{.block_gas_limit = 200, .block_message_count_max = 100};
    const MempoolSnapshot mempool =
        snapshot({message(1, 0, 100, 1), message(1, 1, 100, 10), message(2, 0, 100, 5)});
    const auto blocks = select_messages(mempool, 1, limits);
    EXPECT_EQ(blocks[0].tips_total, 1100);
    EXPECT_EQ(blocks[0].tips_total, brute_force_single_block(mempool, limits));
    EXPECT_EQ(nonces_of(blocks[0], 1), (std::vector<std::uint64_t>{0, 1}));
}

TEST(MessageSelection, SegmentThatDoesNotFitContributesItsFittingPrefix) {
    const MessageSelectionLimits limits{.block_gas_limit = 100, .block_message_count_max = 100};
    // A: 10/gas then 6/gas (does not fit after the first); B: 4/gas fills the rest.
    const MempoolSnapshot mempool =
        snapshot({message(1, 0, 50, 10), message(1, 1, 80, 6), message(2, 0, 50, 4)});
    const auto blocks = select_messages(mempool, 1, limits);
    EXPECT_EQ(blocks[0].tips_total, 500 + 200);
    EXPECT_EQ(blocks[0].tips_total, brute_force_single_block(mempool, limits));
    EXPECT_EQ(blocks[0].gas_limit_total, 100);
}

TEST(MessageSelection, GreedyMatchesBruteForceOnHandCases) {
    const MessageSelectionLimits limits{.block_gas_limit = 300, .block_message_count_max = 4};
    const std::vector<MempoolSnapshot> cases = {
        // Everything fits: all of it.
        snapshot({message(1, 0, 100, 3), message(2, 0, 100, 2), message(3, 0, 100, 1)}),
        // Three equal chains, room for two: the two richest.
        snapshot({message(1, 0, 150, 3), message(2, 0, 150, 2), message(3, 0, 150, 1)}),
        // The message count binds before gas: the four densest of six single messages.
        snapshot({message(1, 0, 10, 6), message(2, 0, 10, 5), message(3, 0, 10, 4),
                  message(4, 0, 10, 3), message(5, 0, 10, 2), message(6, 0, 10, 1)}),
        // A long chain whose later messages get richer, against a steady sender.
        snapshot({message(1, 0, 50, 1), message(1, 1, 50, 2), message(1, 2, 50, 9),
                  message(2, 0, 100, 3), message(2, 1, 100, 3)}),
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        EXPECT_EQ(select_messages(cases[i], 1, limits)[0].tips_total,
                  brute_force_single_block(cases[i], limits))
            << "case " << i;
    }
}

// ---- Several blocks ----

TEST(MessageSelection, NewSendersGoToTheBlockWithMostRoom) {
    const MessageSelectionLimits limits{.block_gas_limit = 100, .block_message_count_max = 100};
    // Densities 10, 5, 4, 2.5: A -> block 0, B -> block 1 (more room), C -> block 0 (tie: the
    // earlier block), D -> block 1. Everything fits in the two blocks.
    const auto blocks = select_messages(snapshot({message(1, 0, 60, 10), message(2, 0, 60, 5),
                                                  message(3, 0, 40, 4), message(4, 0, 40, 2)}),
                                        2, limits);
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].messages.size(), 2u);
    EXPECT_EQ(blocks[0].messages[0].sender, 1u);
    EXPECT_EQ(blocks[0].messages[1].sender, 3u);
    EXPECT_EQ(blocks[1].messages[0].sender, 2u);
    EXPECT_EQ(blocks[1].messages[1].sender, 4u);
    EXPECT_EQ(total_tips(blocks), 600 + 300 + 160 + 80);
}

TEST(MessageSelection, NoBlocksNoMessages) {
    EXPECT_TRUE(select_messages(snapshot({message(1, 0, 10, 1)}), 0).empty());
    const auto blocks = select_messages(snapshot({}), 3);
    ASSERT_EQ(blocks.size(), 3u);
    for (const auto& block : blocks) EXPECT_TRUE(block.messages.empty());
}

struct RandomMempool {
    MempoolSnapshot snapshot;
    std::map<ActorId, std::uint64_t> start_nonce;
};

RandomMempool random_mempool(util::Random& random, std::size_t senders) {
    RandomMempool result;
    result.snapshot.base_fee = static_cast<AttoFil>(random.below(1000));
    for (ActorId sender = 1000; sender < 1000 + senders; ++sender) {
        const std::uint64_t start = random.below(5);
        result.start_nonce[sender] = start;
        if (random.bernoulli(0.7)) {
            result.snapshot.sender_nonces.push_back({.sender = sender, .next_nonce = start});
        }
        const std::uint64_t count = random.below(8);
        for (std::uint64_t n = 0; n < count; ++n) {
            // Mostly consecutive nonces, sometimes a gap, an already executed nonce, a
            // replacement or an underpriced message.
            std::uint64_t nonce = start + n + (random.bernoulli(0.05) ? 1 : 0);
            if (random.bernoulli(0.05) && start > 0) nonce = start - 1;
            const auto premium = static_cast<AttoFil>(random.below(500));
            MempoolMessage m{.id = message_id(sender, nonce, static_cast<std::uint8_t>(n)),
                             .sender = sender,
                             .nonce = nonce,
                             .gas_limit = 1 + static_cast<std::int64_t>(random.below(40'000)),
                             .gas_fee_cap = result.snapshot.base_fee + premium +
                                            static_cast<AttoFil>(random.below(100)),
                             .gas_premium = premium};
            if (random.bernoulli(0.03)) m.gas_fee_cap = result.snapshot.base_fee - 1;
            if (m.gas_fee_cap < m.gas_premium) m.gas_premium = m.gas_fee_cap;
            if (m.gas_fee_cap < 0) m.gas_fee_cap = m.gas_premium = 0;
            result.snapshot.messages.push_back(m);
        }
    }
    return result;
}

// Over random mempools and block counts: no message twice, each block within both limits, each
// sender in one block with consecutive nonces from its chain start, every message selectable,
// and the totals add up.
TEST(MessageSelection, RandomMempoolsGiveDisjointValidBlocks) {
    util::Random random(20210704);
    const MessageSelectionLimits limits{.block_gas_limit = 100'000, .block_message_count_max = 12};
    for (int trial = 0; trial < 300; ++trial) {
        const RandomMempool mempool = random_mempool(random, 1 + random.below(40));
        const std::size_t block_count = 1 + random.below(5);
        const auto blocks = select_messages(mempool.snapshot, block_count, limits);
        ASSERT_EQ(blocks.size(), block_count);
        std::set<MessageId> seen;
        std::map<ActorId, std::size_t> block_of_sender;
        for (std::size_t b = 0; b < blocks.size(); ++b) {
            const BlockMessages& block = blocks[b];
            EXPECT_LE(block.gas_limit_total, limits.block_gas_limit);
            EXPECT_LE(block.messages.size(), limits.block_message_count_max);
            std::int64_t gas = 0;
            AttoFil tips = 0;
            std::map<ActorId, std::uint64_t> next_nonce;
            for (const MempoolMessage& m : block.messages) {
                EXPECT_TRUE(seen.insert(m.id).second) << "message in two blocks";
                EXPECT_TRUE(is_selectable(m, mempool.snapshot.base_fee, limits));
                auto [owner, first] = block_of_sender.try_emplace(m.sender, b);
                EXPECT_EQ(owner->second, b) << "sender split across blocks";
                auto [expected, fresh] = next_nonce.try_emplace(m.sender, m.nonce);
                EXPECT_EQ(m.nonce, expected->second) << "nonce out of order or gap";
                if (fresh && m.nonce != mempool.start_nonce.at(m.sender)) {
                    // Without a known next nonce the chain starts at the lowest pending nonce.
                    bool known = std::any_of(
                        mempool.snapshot.sender_nonces.begin(),
                        mempool.snapshot.sender_nonces.end(),
                        [&](const SenderNonce& s) { return s.sender == m.sender; });
                    EXPECT_FALSE(known) << "chain does not start at the sender's next nonce";
                }
                expected->second = m.nonce + 1;
                gas += m.gas_limit;
                tips += miner_tip(m, mempool.snapshot.base_fee);
            }
            EXPECT_EQ(gas, block.gas_limit_total);
            EXPECT_EQ(tips, block.tips_total);
        }
    }
}

// When all blocks together have room for every selectable chain, nothing selectable is left out.
TEST(MessageSelection, AmpleRoomTakesEveryChainWhole) {
    util::Random random(77);
    for (int trial = 0; trial < 100; ++trial) {
        const RandomMempool mempool = random_mempool(random, 1 + random.below(20));
        const auto one = select_messages(mempool.snapshot, 1);
        const auto three = select_messages(mempool.snapshot, 3);
        EXPECT_EQ(total_tips(one), total_tips(three));
        std::size_t count_three = 0;
        for (const auto& block : three) count_three += block.messages.size();
        EXPECT_EQ(one[0].messages.size(), count_three);
    }
}

TEST(MessageSelection, SmallRandomSingleBlockNeverBeatsBruteForce) {
    util::Random random(5);
    const MessageSelectionLimits limits{.block_gas_limit = 60'000, .block_message_count_max = 6};
    for (int trial = 0; trial < 200; ++trial) {
        MempoolSnapshot mempool{.messages = {}, .base_fee = kBaseFee, .sender_nonces = {}};
        const std::size_t senders = 1 + random.below(4);
        for (ActorId s = 1; s <= senders; ++s) {
            const std::uint64_t count = random.below(4);
            for (std::uint64_t n = 0; n < count; ++n) {
                mempool.messages.push_back(
                    message(s, n, 1 + static_cast<std::int64_t>(random.below(30'000)),
                            static_cast<AttoFil>(random.below(100))));
            }
        }
        // Greedy is a heuristic (knapsack is NP-hard): it may fall short of the optimum, but it
        // never reports more than a feasible selection can pay.
        EXPECT_LE(select_messages(mempool, 1, limits)[0].tips_total,
                  brute_force_single_block(mempool, limits))
            << "trial " << trial;
    }
}

TEST(MessageSelection, ResultDoesNotDependOnSnapshotOrder) {
    util::Random random(31337);
    const MessageSelectionLimits limits{.block_gas_limit = 80'000, .block_message_count_max = 10};
    for (int trial = 0; trial < 50; ++trial) {
        RandomMempool mempool = random_mempool(random, 30);
        const auto reference = select_messages(mempool.snapshot, 3, limits);
        auto& messages = mempool.snapshot.messages;
        for (std::size_t i = messages.size(); i > 1; --i) {
            std::swap(messages[i - 1], messages[random.below(i)]);
        }
        std::reverse(mempool.snapshot.sender_nonces.begin(), mempool.snapshot.sender_nonces.end());
        const auto shuffled = select_messages(mempool.snapshot, 3, limits);
        ASSERT_EQ(reference.size(), shuffled.size());
        for (std::size_t b = 0; b < reference.size(); ++b) {
            EXPECT_EQ(reference[b].messages, shuffled[b].messages);
            EXPECT_EQ(reference[b].tips_total, shuffled[b].tips_total);
        }
    }
}

}  // namespace
}  // namespace minerx::pool
