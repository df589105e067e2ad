// The pool's block producer: elections decided exactly as the chain core decides them, the proof
// deadline to the millisecond, block assembly and publication times, disjoint messages across
// winners, outcome records, the threshold cache, determinism, and the number of winners per round
// against the Poisson theory of the pool's power share.

#include "core/pool/block_producer.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include <gtest/gtest.h>

#include "core/chain/address.h"
#include "core/chain/election.h"
#include "core/chain/randomness.h"
#include "core/util/random.h"

namespace minerx::pool {
namespace {

using chain::ChainEpoch;
using chain::Digest;
using chain::StoragePower;

constexpr StoragePower kTiB = StoragePower{1} << 40;
constexpr StoragePower kNetworkPower = StoragePower{8} << 50;  // 8 PiB
constexpr ChainEpoch kRound = 1000;
constexpr TimeMs kBlockTime = kRound * kEpochDurationMs;                // T(N)
constexpr TimeMs kRoundStart = kBlockTime - kEpochDurationMs + 6'000;  // T(N-1) + Δ
constexpr TimeMs kDeadline = kBlockTime + 6'000 - 2'000;                // default Δ and margin

Digest byte_digest(std::uint8_t first, std::uint8_t last = 0) {
    Digest digest{};
    digest.front() = first;
    digest.back() = last;
    return digest;
}

// The ticket with exactly `wins` WinCount for these powers: threshold(wins) is not below itself
// but is below every earlier (larger) threshold; threshold(0) itself wins nothing.
Digest ticket_for_win_count(StoragePower miner, StoragePower network, std::size_t wins) {
    chain::WinThresholds thresholds(miner, network);
    Digest ticket = thresholds.threshold(wins).to_big_endian();
    EXPECT_EQ(chain::compute_win_count_for_digest(ticket, miner, network),
              static_cast<std::int64_t>(wins));
    return ticket;
}

Digest random_digest(util::Random& random) {
    math::Uint256 value;
    for (auto& word : value.words) word = random.next_u64();
    return value.to_big_endian();
}

MemberBaseInfo member_info(MemberId member, StoragePower power, Digest election,
                           bool eligible = true) {
    return {.member = member,
            .miner_power = power,
            .network_power = kNetworkPower,
            .eligible = eligible,
            .election_digest = election,
            .ticket_digest = byte_digest(static_cast<std::uint8_t>(member), 0x77)};
}

RoundBase round_base() {
    return {.parents = {byte_digest(0xee, 1), byte_digest(0xee, 2)},
            .parent_weight = 123'456,
            .parent_network_power = kNetworkPower,
            .beacon_data = {0xbe, 0xac, 0x04}};
}

MempoolMessage message(chain::ActorId sender, std::uint64_t nonce, std::int64_t gas,
                       chain::AttoFil premium) {
    MessageId id{};
    id[0] = static_cast<std::uint8_t>(sender);
    id[1] = static_cast<std::uint8_t>(sender >> 8);
    id[2] = static_cast<std::uint8_t>(nonce);
    return {.id = id,
            .sender = sender,
            .nonce = nonce,
            .gas_limit = gas,
            .gas_fee_cap = 100 + premium,
            .gas_premium = premium};
}

// Senders 1..senders, each with a chain of three messages of 10 M gas.
MempoolSnapshot busy_mempool(std::size_t senders) {
    MempoolSnapshot mempool{.messages = {}, .base_fee = 100, .sender_nonces = {}};
    for (chain::ActorId sender = 1; sender <= senders; ++sender) {
        for (std::uint64_t nonce = 0; nonce < 3; ++nonce) {
            mempool.messages.push_back(
                message(sender, nonce, 10'000'000, static_cast<chain::AttoFil>(sender % 17 + 1)));
        }
    }
    return mempool;
}

struct Drained {
    std::vector<RequestWinningPoSt> requests;
    std::vector<PublishBlock> blocks;
    std::vector<MemberOutcome> outcomes;
};

void drain(BlockProducer& producer, Drained& into) {
    while (auto action = producer.poll_action()) {
        if (auto* request = std::get_if<RequestWinningPoSt>(&*action)) {
            into.requests.push_back(*request);
        } else {
            into.blocks.push_back(std::get<PublishBlock>(*action));
        }
    }
    while (auto outcome = producer.poll_outcome()) into.outcomes.push_back(*outcome);
}

Drained start(BlockProducer& producer, const std::vector<MemberBaseInfo>& members,
              MempoolSnapshot mempool = {}, ChainEpoch round = kRound) {
    producer.start_round(round, round * kEpochDurationMs - kEpochDurationMs + 6'000, round_base(),
                         members, std::move(mempool));
    Drained drained;
    drain(producer, drained);
    return drained;
}

const MemberOutcome* outcome_of(const Drained& drained, MemberId member) {
    for (const MemberOutcome& outcome : drained.outcomes) {
        if (outcome.member == member) return &outcome;
    }
    return nullptr;
}

// ---- Elections ----

TEST(BlockProducer, ElectsWithTheChainCoresWinCount) {
    const StoragePower big = 800 * kTiB;  // λ ≈ 0.49
    const StoragePower small = 12 * kTiB;
    const std::vector<MemberBaseInfo> members = {
        member_info(1, big, ticket_for_win_count(big, kNetworkPower, 1)),
        member_info(2, big, ticket_for_win_count(big, kNetworkPower, 3)),
        member_info(3, big, ticket_for_win_count(big, kNetworkPower, 0)),  // exactly on threshold
        member_info(4, small, ticket_for_win_count(small, kNetworkPower, 2)),
        member_info(5, small, byte_digest(0xff, 0xff)),
    };
    BlockProducer producer({});
    const Drained drained = start(producer, members);

    std::vector<MemberId> requested;
    for (const auto& request : drained.requests) requested.push_back(request.member);
    EXPECT_EQ(requested, (std::vector<MemberId>{1, 2, 4}));
    ASSERT_EQ(drained.outcomes.size(), 2u);  // the two losers, at once
    EXPECT_EQ(outcome_of(drained, 3)->outcome, RoundOutcome::not_elected);
    EXPECT_EQ(outcome_of(drained, 5)->outcome, RoundOutcome::not_elected);

    // The winners' WinCounts show in their records; time them all out to read them.
    producer.tick(kDeadline + 1);
    Drained closed;
    drain(producer, closed);
    for (const MemberBaseInfo& info : members) {
        const std::int64_t expected = chain::compute_win_count_for_digest(
            info.election_digest, info.miner_power, info.network_power);
        const MemberOutcome* record = outcome_of(expected > 0 ? closed : drained, info.member);
        ASSERT_NE(record, nullptr) << info.member;
        EXPECT_EQ(record->win_count, expected) << info.member;
    }
    EXPECT_EQ(outcome_of(closed, 2)->win_count, 3);
}

TEST(BlockProducer, RandomTicketsAgreeWithChainCore) {
    util::Random random(4242);
    BlockProducer producer({});
    for (ChainEpoch round = 1; round <= 200; ++round) {
        std::vector<MemberBaseInfo> members;
        for (MemberId m = 1; m <= 5; ++m) {
            members.push_back(member_info(m, m * 1000 * kTiB, random_digest(random)));
        }
        const Drained drained = start(producer, members, {}, round);
        producer.tick(producer.proof_deadline_ms(round) + 1);
        Drained closed;
        drain(producer, closed);
        for (const MemberBaseInfo& info : members) {
            const std::int64_t expected = chain::compute_win_count_for_digest(
                info.election_digest, info.miner_power, info.network_power);
            const MemberOutcome* record = outcome_of(expected > 0 ? closed : drained, info.member);
            ASSERT_NE(record, nullptr);
            EXPECT_EQ(record->win_count, expected);
        }
    }
}

TEST(BlockProducer, IneligibleMembersNeverWin) {
    // An all-zero ticket is below every threshold: an eligible member would win 15 times.
    BlockProducer producer({});
    const Drained drained = start(producer, {member_info(7, 4000 * kTiB, Digest{}, false),
                                             member_info(8, 4000 * kTiB, Digest{}, true)});
    ASSERT_EQ(drained.requests.size(), 1u);
    EXPECT_EQ(drained.requests[0].member, 8u);
    ASSERT_NE(outcome_of(drained, 7), nullptr);
    EXPECT_EQ(outcome_of(drained, 7)->outcome, RoundOutcome::ineligible);
    EXPECT_EQ(outcome_of(drained, 7)->win_count, 0);
}

// A network where no miner reaches the consensus minimum has TotalQualityAdjPower 0: Lotus cannot
// run the election (it would divide by zero), so the member is recorded as ineligible, not a crash.
TEST(BlockProducer, ZeroNetworkPowerMeansNoElection) {
    BlockProducer producer({});
    MemberBaseInfo info = member_info(9, 4 * kTiB, Digest{}, true);
    info.network_power = 0;
    const Drained drained = start(producer, {info});
    EXPECT_TRUE(drained.requests.empty());
    ASSERT_NE(outcome_of(drained, 9), nullptr);
    EXPECT_EQ(outcome_of(drained, 9)->outcome, RoundOutcome::ineligible);
}

TEST(BlockProducer, ChallengeSeedIsDrawRandomnessOverTheBeacon) {
    BlockProducer producer({});
    const Drained drained = start(producer, {member_info(1234, 500 * kTiB, Digest{})});
    ASSERT_EQ(drained.requests.size(), 1u);
    const RequestWinningPoSt& request = drained.requests[0];
    EXPECT_EQ(request.challenge_seed,
              chain::draw_randomness(round_base().beacon_data,
                                     chain::DomainSeparationTag::kWinningPoStChallengeSeed, kRound,
                                     chain::id_address_cbor(1234)));
    EXPECT_EQ(request.round, kRound);
    EXPECT_EQ(request.requested_at_ms, kRoundStart);
    EXPECT_EQ(request.deadline_ms, kDeadline);
}

// ---- The proof deadline ----

TEST(BlockProducer, ProofAtTheDeadlineCountsOneMillisecondLaterDoesNot) {
    EXPECT_EQ(BlockProducer({}).proof_deadline_ms(kRound), kDeadline);
    {
        BlockProducer producer({});
        start(producer, {member_info(1, 500 * kTiB, Digest{})});
        EXPECT_EQ(producer.proof_received(1, kRound, kDeadline, true), ProofAcceptance::accepted);
        producer.tick(kDeadline);
        Drained drained;
        drain(producer, drained);
        ASSERT_EQ(drained.blocks.size(), 1u);
        EXPECT_EQ(drained.outcomes.at(0).outcome, RoundOutcome::published);
    }
    {
        BlockProducer producer({});
        start(producer, {member_info(1, 500 * kTiB, Digest{})});
        EXPECT_EQ(producer.proof_received(1, kRound, kDeadline + 1, true), ProofAcceptance::late);
        producer.tick(kDeadline + 1);
        Drained drained;
        drain(producer, drained);
        EXPECT_TRUE(drained.blocks.empty());
        ASSERT_EQ(drained.outcomes.size(), 1u);
        EXPECT_EQ(drained.outcomes[0].outcome, RoundOutcome::proof_timed_out);
        EXPECT_EQ(drained.outcomes[0].proof_received_ms, kDeadline + 1);
    }
    {
        // No proof at all: the tick just after the deadline times the member out.
        BlockProducer producer({});
        start(producer, {member_info(1, 500 * kTiB, Digest{})});
        EXPECT_EQ(producer.next_deadline(), kDeadline + 1);
        producer.tick(kDeadline);
        Drained at_deadline;
        drain(producer, at_deadline);
        EXPECT_TRUE(at_deadline.outcomes.empty());
        producer.tick(kDeadline + 1);
        Drained after;
        drain(producer, after);
        ASSERT_EQ(after.outcomes.size(), 1u);
        EXPECT_EQ(after.outcomes[0].outcome, RoundOutcome::proof_timed_out);
        EXPECT_EQ(after.outcomes[0].proof_requested_ms, kRoundStart);
        EXPECT_FALSE(after.outcomes[0].proof_received_ms.has_value());
        EXPECT_EQ(producer.proof_received(1, kRound, kDeadline + 5, true),
                  ProofAcceptance::unexpected);
        EXPECT_FALSE(producer.next_deadline().has_value());
    }
}

TEST(BlockProducer, InvalidProofGivesNoBlock) {
    BlockProducer producer({});
    start(producer, {member_info(1, 500 * kTiB, Digest{})});
    EXPECT_EQ(producer.proof_received(1, kRound, kRoundStart + 3000, false),
              ProofAcceptance::invalid);
    EXPECT_FALSE(producer.next_deadline().has_value());
    producer.tick(kDeadline + 1);
    Drained drained;
    drain(producer, drained);
    EXPECT_TRUE(drained.blocks.empty());
    ASSERT_EQ(drained.outcomes.size(), 1u);
    EXPECT_EQ(drained.outcomes[0].outcome, RoundOutcome::proof_invalid);
    EXPECT_EQ(drained.outcomes[0].proof_received_ms, kRoundStart + 3000);
}

TEST(BlockProducer, ProofsForOtherRoundsOrMembersAreIgnored) {
    BlockProducer producer({});
    EXPECT_EQ(producer.proof_received(1, kRound, 0, true), ProofAcceptance::unexpected);
    start(producer, {member_info(1, 500 * kTiB, Digest{}),
                     member_info(2, 500 * kTiB, byte_digest(0xff))});
    EXPECT_EQ(producer.proof_received(1, kRound - 1, kRoundStart, true),
              ProofAcceptance::unexpected);
    EXPECT_EQ(producer.proof_received(2, kRound, kRoundStart, true), ProofAcceptance::unexpected);
    EXPECT_EQ(producer.proof_received(1, kRound, kRoundStart, true), ProofAcceptance::accepted);
    EXPECT_EQ(producer.proof_received(1, kRound, kRoundStart, true), ProofAcceptance::unexpected);
}

// ---- Assembly and publication ----

TEST(BlockProducer, EarlyProofsArePublishedAtTheBlockTimestamp) {
    BlockProducer producer({});
    start(producer, {member_info(1, 500 * kTiB, Digest{}), member_info(2, 500 * kTiB, Digest{})},
          busy_mempool(5));
    producer.proof_received(2, kRound, kRoundStart + 1'000, true);
    // One winner is still proving and T(N) is far: waiting costs nothing, so no tick before T(N)
    // or the last proof.
    EXPECT_EQ(producer.next_deadline(), kBlockTime);
    producer.proof_received(1, kRound, kRoundStart + 4'000, true);
    EXPECT_EQ(producer.next_deadline(), kRoundStart + 4'000);
    producer.tick(kRoundStart + 4'000);
    Drained drained;
    drain(producer, drained);
    ASSERT_EQ(drained.blocks.size(), 2u);
    for (const PublishBlock& block : drained.blocks) {
        EXPECT_EQ(block.publish_at_ms, kBlockTime);
        EXPECT_FALSE(block.messages.empty());
    }
    for (const MemberOutcome& outcome : drained.outcomes) {
        EXPECT_EQ(outcome.outcome, RoundOutcome::published);
        EXPECT_EQ(outcome.published_ms, kBlockTime);
    }
    EXPECT_EQ(outcome_of(drained, 1)->proof_received_ms, kRoundStart + 4'000);
    EXPECT_FALSE(producer.next_deadline().has_value());
}

TEST(BlockProducer, SlowProverDoesNotDelayAPromptOne) {
    BlockProducer producer({});
    start(producer,
          {member_info(1, 500 * kTiB, Digest{}), member_info(2, 500 * kTiB, Digest{})},
          busy_mempool(400));  // more than one block's gas
    producer.proof_received(1, kRound, kRoundStart + 2'000, true);
    EXPECT_EQ(producer.next_deadline(), kBlockTime);
    producer.tick(kBlockTime - 1);
    Drained before;
    drain(producer, before);
    EXPECT_TRUE(before.blocks.empty());

    producer.tick(kBlockTime);
    Drained prompt;
    drain(producer, prompt);
    ASSERT_EQ(prompt.blocks.size(), 1u);
    EXPECT_EQ(prompt.blocks[0].header.miner, 1u);
    EXPECT_EQ(prompt.blocks[0].publish_at_ms, kBlockTime);
    EXPECT_EQ(producer.next_deadline(), kDeadline + 1);

    producer.proof_received(2, kRound, kBlockTime + 1'500, true);
    EXPECT_EQ(producer.next_deadline(), kBlockTime + 1'500);
    producer.tick(kBlockTime + 1'500);
    Drained slow;
    drain(producer, slow);
    ASSERT_EQ(slow.blocks.size(), 1u);
    EXPECT_EQ(slow.blocks[0].header.miner, 2u);
    EXPECT_EQ(slow.blocks[0].publish_at_ms, kBlockTime + 1'500);
    EXPECT_FALSE(slow.blocks[0].messages.empty());
    // The late block takes no sender of the earlier one.
    std::set<chain::ActorId> early_senders;
    for (const auto& m : prompt.blocks[0].messages) early_senders.insert(m.sender);
    for (const auto& m : slow.blocks[0].messages) EXPECT_EQ(early_senders.count(m.sender), 0u);
}

TEST(BlockProducer, SeveralWinnersGetDisjointMessagesAndFormATipset) {
    BlockProducer producer({});
    std::vector<MemberBaseInfo> members;
    for (MemberId m = 1; m <= 4; ++m) members.push_back(member_info(m, 500 * kTiB, Digest{}));
    start(producer, members, busy_mempool(800));  // 800 senders * 30 M gas: 2.4 blocks' worth
    for (MemberId m = 1; m <= 4; ++m) producer.proof_received(m, kRound, kRoundStart + 100, true);
    producer.tick(*producer.next_deadline());
    Drained drained;
    drain(producer, drained);
    ASSERT_EQ(drained.blocks.size(), 4u);

    std::set<MessageId> seen;
    std::vector<chain::BlockHeader> headers;
    for (const PublishBlock& block : drained.blocks) {
        EXPECT_LE(block.gas_limit_total, kBlockGasLimit);
        EXPECT_EQ(block.header.height, kRound);
        EXPECT_EQ(block.header.parents, round_base().parents);
        EXPECT_EQ(block.header.parent_weight, round_base().parent_weight);
        EXPECT_EQ(block.header.parent_network_power, kNetworkPower);
        EXPECT_EQ(block.header.win_count, chain::kMaxWinCount);  // the all-zero ticket
        EXPECT_EQ(block.header.ticket_digest, byte_digest(static_cast<std::uint8_t>(
                                                              block.header.miner), 0x77));
        chain::AttoFil tips = 0;
        for (const MempoolMessage& m : block.messages) {
            EXPECT_TRUE(seen.insert(m.id).second) << "message in two blocks";
            tips += miner_tip(m, 100);
        }
        EXPECT_EQ(tips, block.tips_total);
        headers.push_back(block.header);
    }
    EXPECT_EQ(seen.size(), 800u * 3u);  // every message placed, none twice
    const auto tipset = chain::Tipset::make(headers);
    ASSERT_TRUE(tipset.has_value());  // distinct ids, shared parents
    EXPECT_EQ(tipset->blocks().size(), 4u);
}

TEST(BlockProducer, UpdatedMempoolIsUsedForAssembly) {
    BlockProducer producer({});
    start(producer, {member_info(1, 500 * kTiB, Digest{})}, busy_mempool(2));
    EXPECT_FALSE(producer.update_mempool(kRound + 1, busy_mempool(9)));
    EXPECT_TRUE(producer.update_mempool(kRound, busy_mempool(9)));
    producer.proof_received(1, kRound, kRoundStart + 100, true);
    producer.tick(kRoundStart + 100);
    Drained drained;
    drain(producer, drained);
    ASSERT_EQ(drained.blocks.size(), 1u);
    EXPECT_EQ(drained.blocks[0].messages.size(), 27u);
}

// ---- Fates and the round's lifetime ----

TEST(BlockProducer, BlockFateGivesTheFinalOutcome) {
    BlockProducer producer({});
    start(producer, {member_info(1, 500 * kTiB, Digest{}), member_info(2, 500 * kTiB, Digest{})},
          busy_mempool(3));
    producer.proof_received(1, kRound, kRoundStart + 100, true);
    producer.proof_received(2, kRound, kRoundStart + 200, true);
    producer.tick(kRoundStart + 200);
    Drained drained;
    drain(producer, drained);
    ASSERT_EQ(drained.blocks.size(), 2u);
    EXPECT_EQ(producer.pending_fate_count(), 2u);

    const chain::BlockId first = drained.blocks[0].header.id;
    const chain::BlockId second = drained.blocks[1].header.id;
    EXPECT_TRUE(producer.block_fate(first, BlockFate::included));
    EXPECT_TRUE(producer.block_fate(second, BlockFate::orphaned));
    EXPECT_FALSE(producer.block_fate(second, BlockFate::included));  // already reported
    EXPECT_FALSE(producer.block_fate(byte_digest(0x42), BlockFate::included));
    EXPECT_EQ(producer.pending_fate_count(), 0u);

    Drained fates;
    drain(producer, fates);
    ASSERT_EQ(fates.outcomes.size(), 2u);
    EXPECT_EQ(fates.outcomes[0].outcome, RoundOutcome::included);
    EXPECT_EQ(fates.outcomes[0].block, first);
    EXPECT_EQ(fates.outcomes[1].outcome, RoundOutcome::orphaned);
    EXPECT_EQ(fates.outcomes[1].block, second);
    // The final record keeps the published one's times and contents.
    const MemberOutcome* published = outcome_of(drained, fates.outcomes[0].member);
    EXPECT_EQ(fates.outcomes[0].published_ms, published->published_ms);
    EXPECT_EQ(fates.outcomes[0].proof_received_ms, published->proof_received_ms);
    EXPECT_EQ(fates.outcomes[0].tips_total, published->tips_total);
    EXPECT_EQ(fates.outcomes[0].message_count, published->message_count);
}

TEST(BlockProducer, NextRoundClosesThePreviousOne) {
    BlockProducer producer({});
    start(producer, {member_info(1, 500 * kTiB, Digest{}), member_info(2, 500 * kTiB, Digest{})});
    producer.proof_received(1, kRound, kRoundStart + 100, true);
    // The driver starts the next round without ticking: the ready block is published on the way
    // out and the missing proof is timed out.
    const TimeMs next_start = kBlockTime + 6'000;
    producer.start_round(kRound + 1, next_start, round_base(), {}, {});
    Drained drained;
    drain(producer, drained);
    ASSERT_EQ(drained.blocks.size(), 1u);
    EXPECT_EQ(drained.blocks[0].header.miner, 1u);
    EXPECT_EQ(drained.blocks[0].publish_at_ms, next_start);
    EXPECT_EQ(outcome_of(drained, 2)->outcome, RoundOutcome::proof_timed_out);
    EXPECT_EQ(producer.current_round(), kRound + 1);
    EXPECT_FALSE(producer.next_deadline().has_value());
    EXPECT_EQ(producer.proof_received(1, kRound, next_start, true), ProofAcceptance::unexpected);
}

TEST(BlockProducer, OneRecordPerMemberPerRound) {
    util::Random random(99);
    BlockProducer producer({});
    std::vector<MemberBaseInfo> members;
    for (MemberId m = 1; m <= 30; ++m) {
        members.push_back(member_info(m, (m % 7) * 300 * kTiB, random_digest(random), m % 5 != 0));
    }
    const Drained drained = start(producer, members);
    for (const RequestWinningPoSt& request : drained.requests) {
        producer.proof_received(request.member, kRound, kRoundStart + 10, request.member % 2 == 0);
    }
    producer.tick(kDeadline + 1);
    Drained closed;
    drain(producer, closed);
    std::set<MemberId> recorded;
    std::vector<MemberOutcome> all = drained.outcomes;
    all.insert(all.end(), closed.outcomes.begin(), closed.outcomes.end());
    for (const MemberOutcome& outcome : all) {
        EXPECT_TRUE(recorded.insert(outcome.member).second) << outcome.member;
        EXPECT_EQ(outcome.round, kRound);
    }
    EXPECT_EQ(recorded.size(), members.size());
}

TEST(BlockProducer, NotElectedRecordsCanBeLeftImplied) {
    util::Random random(99);
    BlockProducerConfig config;
    config.report_not_elected = false;
    BlockProducer producer(config);
    BlockProducer reporting({});
    std::vector<MemberBaseInfo> members;
    for (MemberId m = 1; m <= 30; ++m) {
        members.push_back(member_info(m, (m % 7) * 300 * kTiB, random_digest(random), m % 5 != 0));
    }
    const Drained quiet = start(producer, members);
    const Drained full = start(reporting, members);
    // Same elections; only the not_elected records are left out.
    EXPECT_EQ(quiet.requests, full.requests);
    std::size_t not_elected = 0;
    for (const MemberOutcome& outcome : full.outcomes) {
        if (outcome.outcome == RoundOutcome::not_elected) {
            ++not_elected;
            EXPECT_EQ(outcome_of(quiet, outcome.member), nullptr);
        } else {
            ASSERT_NE(outcome_of(quiet, outcome.member), nullptr);
            EXPECT_EQ(*outcome_of(quiet, outcome.member), outcome);
        }
    }
    EXPECT_GT(not_elected, 0u);
    EXPECT_EQ(quiet.outcomes.size() + not_elected, full.outcomes.size());
}

TEST(BlockProducer, DuplicateMembersInARoundAreRefused) {
    BlockProducer producer({});
    util::Random random(3);
    const MemberBaseInfo info = member_info(7, 300 * kTiB, random_digest(random), true);
    EXPECT_DEATH(start(producer, {info, info}), "last_round != round");
}

// ---- Configuration, cache, determinism ----

TEST(BlockProducer, ConfigValidationNamesTheField) {
    EXPECT_FALSE(validate_block_producer_config({}).has_value());
    auto error = [](BlockProducerConfig config) {
        return validate_block_producer_config(config).value_or("");
    };
    EXPECT_NE(error({.propagation_delay_ms = -1}).find("propagation_delay_ms"), std::string::npos);
    EXPECT_NE(error({.propagation_delay_ms = 30'000}).find("propagation_delay_ms"),
              std::string::npos);
    EXPECT_NE(error({.publish_margin_ms = 30'000}).find("publish_margin_ms"), std::string::npos);
    EXPECT_NE(error({.message_limits = {.block_gas_limit = 0}}).find("block_gas_limit"),
              std::string::npos);
    EXPECT_NE(error({.message_limits = {.block_message_count_max = 0}})
                  .find("block_message_count_max"),
              std::string::npos);
    // Today's 10 s delay moves the deadline with it.
    BlockProducer now_config({.propagation_delay_ms = 10'000});
    EXPECT_EQ(now_config.proof_deadline_ms(kRound), kBlockTime + 8'000);
}

TEST(BlockProducer, ThresholdsAreBuiltOncePerPowerPair) {
    BlockProducer producer({});
    std::vector<MemberBaseInfo> members = {member_info(1, 20 * kTiB, byte_digest(0xff)),
                                           member_info(2, 30 * kTiB, byte_digest(0xff)),
                                           member_info(3, 40 * kTiB, byte_digest(0xff), false)};
    start(producer, members, {}, 10);
    EXPECT_EQ(producer.stats().threshold_builds, 2u);  // the ineligible member needs none
    start(producer, members, {}, 11);
    EXPECT_EQ(producer.stats().threshold_builds, 2u);
    EXPECT_EQ(producer.stats().threshold_cache_hits, 2u);

    members[0].miner_power += kTiB;  // one member grew
    members[2].eligible = true;      // one became eligible
    start(producer, members, {}, 12);
    EXPECT_EQ(producer.stats().threshold_builds, 4u);
    EXPECT_EQ(producer.stats().threshold_cache_hits, 3u);

    start(producer, {members[0]}, {}, 13);  // members 2 and 3 leave the round: dropped
    start(producer, members, {}, 14);
    EXPECT_EQ(producer.stats().threshold_builds, 6u);
    EXPECT_EQ(producer.stats().rounds_started, 5u);
}

// A driver for many rounds with random tickets, proof delays and a busy mempool.
std::vector<BlockProducerAction> run_rounds(std::uint64_t seed, ChainEpoch rounds) {
    util::Random random(seed);
    BlockProducer producer({});
    std::vector<BlockProducerAction> actions;
    for (ChainEpoch round = 1; round <= rounds; ++round) {
        std::vector<MemberBaseInfo> members;
        for (MemberId m = 1; m <= 8; ++m) {
            members.push_back(member_info(m, m * 2000 * kTiB, random_digest(random)));
        }
        const TimeMs start_ms = round * kEpochDurationMs - kEpochDurationMs + 6'000;
        producer.start_round(round, start_ms, round_base(), members, busy_mempool(300));
        std::vector<RequestWinningPoSt> requests;
        while (auto action = producer.poll_action()) {
            if (auto* request = std::get_if<RequestWinningPoSt>(&*action)) {
                requests.push_back(*request);
            }
            actions.push_back(*action);
        }
        // Provers answer after random delays (some too late), delivered in time order.
        std::vector<std::pair<TimeMs, MemberId>> answers;
        for (const RequestWinningPoSt& request : requests) {
            answers.emplace_back(start_ms + static_cast<TimeMs>(random.below(30'000)),
                                 request.member);
        }
        std::sort(answers.begin(), answers.end());
        for (const auto& [at_ms, member] : answers) {
            producer.proof_received(member, round, at_ms, true);
        }
        if (auto due = producer.next_deadline()) producer.tick(std::max(*due, start_ms + 30'000));
        while (auto action = producer.poll_action()) actions.push_back(*action);
        while (producer.poll_outcome()) {
        }
    }
    return actions;
}

TEST(BlockProducer, SameInputsSameActions) {
    const auto first = run_rounds(7, 60);
    const auto second = run_rounds(7, 60);
    ASSERT_FALSE(first.empty());
    EXPECT_EQ(first, second);
    EXPECT_NE(first, run_rounds(8, 60));
}

// ---- Statistics ----

// The pool's members have shares s_i of the network; member i's WinCount is Poisson(λ_i = 5 s_i)
// (truncated at 15, a negligible tail here), so per round:
//   total WinCount ~ Poisson(Λ), Λ = Σ λ_i:  mean Λ, variance Λ;
//   winners = Σ Bernoulli(q_i), q_i = 1 - e^(-λ_i): mean Σ q_i, variance Σ q_i (1 - q_i);
//   P(no winner) = e^(-Λ).
// Over R rounds the sample mean has standard error sqrt(variance / R), the sample variance
// sqrt((μ4 - σ⁴) / R), the zero-round frequency sqrt(p (1 - p) / R); each check allows 5 of them.
TEST(BlockProducer, WinnersPerRoundMatchPoissonTheory) {
    constexpr int kRounds = 20'000;
    std::vector<MemberBaseInfo> members;
    double lambda_total = 0;
    double winners_mean = 0;
    double winners_variance = 0;
    double winners_kappa4 = 0;  // Σ of the Bernoullis' fourth cumulants
    for (MemberId m = 1; m <= 10; ++m) {
        const StoragePower power = m * 16 * kTiB;  // 16 .. 160 TiB of 8 PiB
        members.push_back(member_info(m, power, Digest{}));
        const double lambda = 5.0 * static_cast<double>(power) / static_cast<double>(kNetworkPower);
        const double q = 1.0 - std::exp(-lambda);
        lambda_total += lambda;
        winners_mean += q;
        winners_variance += q * (1 - q);
        winners_kappa4 += q * (1 - q) * (1 - 6 * q * (1 - q));
    }

    util::Random random(20210601);
    BlockProducer producer({});
    std::vector<double> win_counts;
    std::vector<double> winner_counts;
    for (ChainEpoch round = 1; round <= kRounds; ++round) {
        for (MemberBaseInfo& info : members) info.election_digest = random_digest(random);
        producer.start_round(round, round * kEpochDurationMs - 24'000, round_base(), members, {});
        producer.tick(producer.proof_deadline_ms(round) + 1);  // no proofs: read WinCounts only
        double wins = 0;
        double winners = 0;
        while (auto outcome = producer.poll_outcome()) {
            wins += static_cast<double>(outcome->win_count);
            winners += outcome->win_count > 0 ? 1 : 0;
        }
        while (producer.poll_action()) {
        }
        win_counts.push_back(wins);
        winner_counts.push_back(winners);
    }

    auto mean_of = [](const std::vector<double>& xs) {
        double sum = 0;
        for (double x : xs) sum += x;
        return sum / static_cast<double>(xs.size());
    };
    auto variance_of = [&](const std::vector<double>& xs) {
        const double mean = mean_of(xs);
        double sum = 0;
        for (double x : xs) sum += (x - mean) * (x - mean);
        return sum / static_cast<double>(xs.size() - 1);
    };
    const double n = kRounds;

    EXPECT_NEAR(mean_of(win_counts), lambda_total, 5 * std::sqrt(lambda_total / n));
    const double poisson_mu4_minus_var2 = lambda_total + 2 * lambda_total * lambda_total;
    EXPECT_NEAR(variance_of(win_counts), lambda_total, 5 * std::sqrt(poisson_mu4_minus_var2 / n));

    EXPECT_NEAR(mean_of(winner_counts), winners_mean, 5 * std::sqrt(winners_variance / n));
    const double bernoulli_mu4_minus_var2 =
        winners_kappa4 + 2 * winners_variance * winners_variance;
    EXPECT_NEAR(variance_of(winner_counts), winners_variance,
                5 * std::sqrt(bernoulli_mu4_minus_var2 / n));

    double empty_rounds = 0;
    for (double wins : win_counts) empty_rounds += wins == 0 ? 1 : 0;
    const double p_empty = std::exp(-lambda_total);
    EXPECT_NEAR(empty_rounds / n, p_empty, 5 * std::sqrt(p_empty * (1 - p_empty) / n));
}

}  // namespace
}  // namespace minerx::pool
