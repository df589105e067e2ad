#include "core/pool/message_selection.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <unordered_map>

#include "core/util/assert.h"

namespace minerx::pool {
namespace {

using chain::ActorId;
using chain::AttoFil;
using math::Uint128;

// A selectable message in its sender's chain, with its tip computed once.
struct ChainMessage {
    const MempoolMessage* message;
    AttoFil tip;
};

// Consecutive messages of one sender taken or left together by the greedy pass.
struct Segment {
    ActorId sender;
    std::size_t first;  // index into the flat list of chain messages
    std::size_t count;
    std::int64_t gas;
    AttoFil tip;
};

// a_tip / a_gas > b_tip / b_gas, exactly: tips are below 2^127 and gas below 2^63, so the cross
// products need 190 bits; they are formed as (high 64 bits, low 128 bits).
struct Wide {
    std::uint64_t high;
    Uint128 low;
    friend auto operator<=>(const Wide&, const Wide&) = default;
};

Wide multiply(Uint128 a, std::uint64_t b) {
    constexpr Uint128 kLow64 = std::numeric_limits<std::uint64_t>::max();
    const Uint128 low_product = (a & kLow64) * b;
    const Uint128 high_product = (a >> 64) * b;
    const Uint128 low = low_product + ((high_product & kLow64) << 64);
    const auto carry = static_cast<std::uint64_t>(low < low_product);
    return {static_cast<std::uint64_t>(high_product >> 64) + carry, low};
}

bool denser(const Segment& a, const Segment& b) {
    MINERX_ASSERT(a.tip >= 0 && b.tip >= 0 && a.gas > 0 && b.gas > 0);
    return multiply(static_cast<Uint128>(a.tip), static_cast<std::uint64_t>(b.gas)) >
           multiply(static_cast<Uint128>(b.tip), static_cast<std::uint64_t>(a.gas));
}

// Greedy order: tip per gas descending; ties by sender, then chain position (so a sender's
// segments keep their nonce order).
bool greedy_before(const Segment& a, const Segment& b) {
    if (denser(a, b)) return true;
    if (denser(b, a)) return false;
    if (a.sender != b.sender) return a.sender < b.sender;
    return a.first < b.first;
}

// Replacements first by tip (the kept one), then by id: a total order on one (sender, nonce).
bool pending_before(const ChainMessage& a, const ChainMessage& b) {
    const MempoolMessage& x = *a.message;
    const MempoolMessage& y = *b.message;
    if (x.sender != y.sender) return x.sender < y.sender;
    if (x.nonce != y.nonce) return x.nonce < y.nonce;
    if (a.tip != b.tip) return a.tip > b.tip;
    return x.id < y.id;
}

void require_distinct_ids(const std::vector<MempoolMessage>& messages) {
    std::vector<MessageId> ids;
    ids.reserve(messages.size());
    for (const MempoolMessage& message : messages) ids.push_back(message.id);
    std::sort(ids.begin(), ids.end());
    MINERX_ASSERT(std::adjacent_find(ids.begin(), ids.end()) == ids.end());
}

std::optional<std::uint64_t> next_nonce_of(const std::vector<SenderNonce>& sorted_nonces,
                                           ActorId sender) {
    auto it = std::lower_bound(
        sorted_nonces.begin(), sorted_nonces.end(), sender,
        [](const SenderNonce& entry, ActorId value) { return entry.sender < value; });
    if (it == sorted_nonces.end() || it->sender != sender) return std::nullopt;
    return it->next_nonce;
}

// The selectable chains of all senders, flattened: each sender's messages consecutive, in nonce
// order, starting at its next nonce and stopping at the first gap or unselectable message.
std::vector<ChainMessage> sender_chains(const MempoolSnapshot& mempool,
                                        const MessageSelectionLimits& limits) {
    std::vector<ChainMessage> pending;
    pending.reserve(mempool.messages.size());
    for (const MempoolMessage& message : mempool.messages) {
        const bool selectable = is_selectable(message, mempool.base_fee, limits);
        pending.push_back({&message, selectable ? miner_tip(message, mempool.base_fee) : -1});
    }
    std::sort(pending.begin(), pending.end(), pending_before);

    std::vector<SenderNonce> nonces = mempool.sender_nonces;
    std::sort(nonces.begin(), nonces.end(),
              [](const SenderNonce& a, const SenderNonce& b) { return a.sender < b.sender; });
    for (std::size_t i = 1; i < nonces.size(); ++i) {
        MINERX_ASSERT(nonces[i - 1].sender != nonces[i].sender);
    }

    std::vector<ChainMessage> chains;
    for (std::size_t begin = 0; begin < pending.size();) {
        const ActorId sender = pending[begin].message->sender;
        std::size_t end = begin;
        while (end < pending.size() && pending[end].message->sender == sender) ++end;
        std::uint64_t expected =
            next_nonce_of(nonces, sender).value_or(pending[begin].message->nonce);
        for (std::size_t i = begin; i < end; ++i) {
            const ChainMessage& candidate = pending[i];
            if (candidate.message->nonce < expected) continue;  // executed, or a replaced twin
            if (candidate.message->nonce > expected || candidate.tip < 0) break;
            chains.push_back(candidate);
            ++expected;
        }
        begin = end;
    }
    return chains;
}

// Cuts each sender's chain into segments of non-increasing tip per gas: a new message denser
// than the segment before it is merged into that segment (repeatedly), since taking the denser
// message requires taking its predecessors first.
std::vector<Segment> segments_of(const std::vector<ChainMessage>& chains) {
    std::vector<Segment> segments;
    for (std::size_t i = 0; i < chains.size(); ++i) {
        const MempoolMessage& message = *chains[i].message;
        const bool same_sender = i > 0 && chains[i - 1].message->sender == message.sender;
        segments.push_back({message.sender, i, 1, message.gas_limit, chains[i].tip});
        if (!same_sender) continue;
        while (segments.size() >= 2) {
            Segment& last = segments[segments.size() - 1];
            Segment& previous = segments[segments.size() - 2];
            if (previous.sender != last.sender || !denser(last, previous)) break;
            MINERX_ASSERT(previous.gas <= std::numeric_limits<std::int64_t>::max() - last.gas);
            previous.count += last.count;
            previous.gas += last.gas;
            previous.tip += last.tip;
            segments.pop_back();
        }
    }
    return segments;
}

class BlockPacker {
public:
    BlockPacker(std::size_t block_count, const MessageSelectionLimits& limits)
        : limits_(limits), blocks_(block_count) {}

    void add(const Segment& segment, const std::vector<ChainMessage>& chains) {
        auto [it, is_new] = block_of_sender_.try_emplace(segment.sender, kClosed);
        if (is_new) it->second = roomiest_block();
        if (it->second == kClosed) return;
        BlockMessages& block = blocks_[it->second];
        std::size_t taken = 0;
        for (; taken < segment.count; ++taken) {
            const MempoolMessage& message = *chains[segment.first + taken].message;
            if (!fits(block, message)) break;
            block.messages.push_back(message);
            block.gas_limit_total += message.gas_limit;
            block.tips_total += chains[segment.first + taken].tip;
        }
        // A sender whose segment did not fit whole cannot continue: its next nonce is missing.
        if (taken < segment.count) it->second = kClosed;
    }

    std::vector<BlockMessages> take() { return std::move(blocks_); }

private:
    static constexpr std::size_t kClosed = std::numeric_limits<std::size_t>::max();

    bool fits(const BlockMessages& block, const MempoolMessage& message) const {
        return block.messages.size() < limits_.block_message_count_max &&
               message.gas_limit <= limits_.block_gas_limit - block.gas_limit_total;
    }

    // The block with the most gas left among those with room for a message (ties: the earlier).
    std::size_t roomiest_block() const {
        std::size_t best = kClosed;
        for (std::size_t i = 0; i < blocks_.size(); ++i) {
            if (blocks_[i].messages.size() >= limits_.block_message_count_max) continue;
            if (best == kClosed || blocks_[i].gas_limit_total < blocks_[best].gas_limit_total) {
                best = i;
            }
        }
        return best;
    }

    MessageSelectionLimits limits_;
    std::vector<BlockMessages> blocks_;
    // Only looked up, never iterated: the result does not depend on its order.
    std::unordered_map<ActorId, std::size_t> block_of_sender_;
};

}  // namespace

chain::AttoFil miner_tip(const MempoolMessage& message, chain::AttoFil base_fee) {
    MINERX_ASSERT(message.gas_limit >= 0);
    MINERX_ASSERT(message.gas_fee_cap >= 0 && message.gas_premium >= 0 && base_fee >= 0);
    const AttoFil base_fee_paid = std::min(base_fee, message.gas_fee_cap);
    return std::min(message.gas_premium, message.gas_fee_cap - base_fee_paid) * message.gas_limit;
}

bool is_selectable(const MempoolMessage& message, chain::AttoFil base_fee,
                   const MessageSelectionLimits& limits) {
    if (message.gas_limit <= 0 || message.gas_limit > limits.block_gas_limit) return false;
    if (message.gas_premium < 0 || message.gas_premium > message.gas_fee_cap) return false;
    if (message.gas_fee_cap < base_fee) return false;
    // No sender can cover more than the whole supply (the message pool checks the sender's
    // balance against GasFeeCap * GasLimit); this also keeps every tip far below 2^127.
    return message.gas_fee_cap <= chain::kTotalFilSupply / message.gas_limit;
}

std::vector<BlockMessages> select_messages(const MempoolSnapshot& mempool, std::size_t block_count,
                                           const MessageSelectionLimits& limits) {
    MINERX_ASSERT(mempool.base_fee >= 0);
    MINERX_ASSERT(limits.block_gas_limit > 0 && limits.block_message_count_max > 0);
    require_distinct_ids(mempool.messages);
    if (block_count == 0) return {};

    const std::vector<ChainMessage> chains = sender_chains(mempool, limits);
    std::vector<Segment> segments = segments_of(chains);
    std::sort(segments.begin(), segments.end(), greedy_before);

    BlockPacker packer(block_count, limits);
    for (const Segment& segment : segments) packer.add(segment, chains);
    return packer.take();
}

}  // namespace minerx::pool
