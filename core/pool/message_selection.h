#pragma once

// Choosing the messages of the pool's blocks for one round. When several members win the same
// epoch, their blocks carry disjoint message sets: a message included twice in a tipset pays its
// tip only to the block executed first, so duplicates earn the pool nothing (venus.md §1: sophon-
// miner packs different messages into each winner's block for this reason).
//
// The miner's gain from a message is its tip (research/election.md §5.1; Lotus
// chain/vm/burn.go ComputeGasOutputs):
//
//     MinerTip = min(GasPremium, GasFeeCap - min(BaseFee, GasFeeCap)) * GasLimit      attoFIL
//
// Selection rules (see docs/block-production.md for the reasons):
//   - A message is selectable when it is valid for block inclusion (Lotus chain/types/message.go
//     ValidForBlockInclusion: 0 < GasLimit <= block gas limit, GasFeeCap >= 0, 0 <= GasPremium <=
//     GasFeeCap) and pays the base fee (GasFeeCap >= BaseFee): a message under the base fee earns
//     no tip and charges the including miner a penalty.
//   - A sender's messages form a chain: consecutive nonces from the sender's next nonce in the base
//     state (or from its lowest pending nonce when the snapshot does not give one). The first gap,
//     or the first unselectable message, ends the chain: later nonces cannot execute before it.
//   - Two pending messages with the same (sender, nonce) are replacements; the one paying the
//     larger tip is kept (ties: the smaller id).
//   - Each sender's chain is cut into segments whose tip per gas does not increase along the
//     chain: a cheap message followed by a richer one is merged with it (as Lotus
//     chain/messagepool/selection.go createMessageChains merges chains), so the greedy order
//     below never takes a later nonce before an earlier one.
//   - Segments are taken greedily by tip per gas, highest first (ties: sender, then nonce). A
//     sender's messages all go into one block, so their nonce order holds whatever the execution
//     order of the pool's blocks in the tipset; a sender new to the round goes to the block with
//     the most gas left (ties: the earlier block), which spreads tips across the winners. A segment
//     that does not fit contributes its longest fitting prefix and ends that sender's chain.
//
// Deterministic: the result depends only on the snapshot's contents, not on its order.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/token_amount.h"

namespace minerx::pool {

// A message's CID digest stands for the message.
using MessageId = chain::Digest;

// Lotus build/params_shared_vals.go: BlockGasLimit = 10_000_000_000, BlockMessageLimit = 10000.
inline constexpr std::int64_t kBlockGasLimit = 10'000'000'000;
inline constexpr std::size_t kBlockMessageLimit = 10'000;

// What selection reads from a pending message. Fee fields are attoFIL per unit of gas.
struct MempoolMessage {
    MessageId id{};
    chain::ActorId sender = 0;
    std::uint64_t nonce = 0;
    std::int64_t gas_limit = 0;
    chain::AttoFil gas_fee_cap = 0;
    chain::AttoFil gas_premium = 0;

    friend bool operator==(const MempoolMessage&, const MempoolMessage&) = default;
};

// A sender's next nonce in the base state (its actor's Nonce).
struct SenderNonce {
    chain::ActorId sender = 0;
    std::uint64_t next_nonce = 0;
};

// The pending messages as of the round's base. Senders missing from sender_nonces start at their
// lowest pending nonce; messages below a sender's next nonce were already executed and are ignored.
struct MempoolSnapshot {
    std::vector<MempoolMessage> messages{};
    chain::AttoFil base_fee = 0;  // ParentBaseFee of the block being built, attoFIL per gas
    std::vector<SenderNonce> sender_nonces{};
};

struct MessageSelectionLimits {
    std::int64_t block_gas_limit = kBlockGasLimit;
    std::size_t block_message_count_max = kBlockMessageLimit;
};

// One block's messages: each sender's messages consecutive and in nonce order.
struct BlockMessages {
    std::vector<MempoolMessage> messages{};
    std::int64_t gas_limit_total = 0;
    chain::AttoFil tips_total = 0;  // Σ MinerTip at the snapshot's base fee
};

// MinerTip of one message. REQUIRES: gas_limit >= 0, fee cap and premium >= 0, base_fee >= 0.
chain::AttoFil miner_tip(const MempoolMessage& message, chain::AttoFil base_fee);

// True if the message may be included in a block at this base fee (see the rules above).
bool is_selectable(const MempoolMessage& message, chain::AttoFil base_fee,
                   const MessageSelectionLimits& limits);

// Messages for `block_count` blocks built on the same base, no message in two blocks.
// REQUIRES: message ids are distinct, base_fee >= 0, limits are positive.
std::vector<BlockMessages> select_messages(const MempoolSnapshot& mempool, std::size_t block_count,
                                           const MessageSelectionLimits& limits = {});

}  // namespace minerx::pool
