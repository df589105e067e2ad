#pragma once

// Tipsets, chain weight, the base a miner builds on, and which blocks of a height end up in the
// canonical chain (research/election.md §4).
//
// - A tipset is the set of blocks of one height with identical parents, ordered by ticket digest
//   BLAKE2b-256(Ticket.VRFProof), ties broken by block CID bytes (Lotus chain/types/tipset.go
//   NewTipSet, Ticket.Less).
// - A miner that produced more than one block at a height (equivocation) has all of them left out
//   (Lotus chain/store/store.go FormHeaviestTipSetForHeight).
// - Weight (Lotus chain/consensus/filcns/weight.go), with P = TotalQualityAdjPower in the tipset's
//   parent state and W = the sum of its blocks' WinCounts:
//       log2P  = bitlen(P) - 1
//       weight = parentWeight + (log2P << 8) + ((log2P * WRatioNum) << 8) * W / (5 * WRatioDen)
//   evaluated left to right in integers (the last term is floored once, after the product),
//   WRatioNum = 1, WRatioDen = 2 (Lotus build/buildconstants/params_shared_vals.go).
// - The heaviest tipset wins; equal weights go to the tipset whose sorted ticket list is smaller at
//   the first difference (Lotus store.go breakWeightTie).
//
// The block header here is a stand-in holding only what these rules read. Block ids stand for CIDs:
// Lotus compares CID bytes, and every block CID shares the same prefix (CIDv1, dag-cbor,
// blake2b-256), so comparing the 32-byte digests orders blocks the same way.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/chain/chain_types.h"

namespace minerx::chain {

using BlockId = Digest;
// The ids of a tipset's blocks in tipset order (Lotus TipSetKey).
using TipsetKey = std::vector<BlockId>;
// Lotus big.Int; never negative. An epoch adds at most ~2^15 * (1 + WinCount / 10), so 128 bits
// are far more than any chain needs.
using ChainWeight = math::Uint128;

struct BlockHeader {
    ActorId miner = 0;
    ChainEpoch height = 0;
    TipsetKey parents;
    Digest ticket_digest{};  // BLAKE2b-256(Ticket.VRFProof): the tipset order
    std::int64_t win_count = 0;  // ElectionProof.WinCount, >= 1 in a valid block
    BlockId id{};
    ChainWeight parent_weight = 0;  // ParentWeight, as in the Lotus header
    // TotalQualityAdjPower in the parent state. Lotus reads it from ParentStateRoot; the stand-in
    // carries the value (a driver takes it from PowerTable::network_power_at(parent height)).
    StoragePower parent_network_power = 0;

    friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

// Tipset order: ticket digest, then block id (bytewise, ascending).
bool precedes_in_tipset(const BlockHeader& a, const BlockHeader& b);

// The weight of a tipset from its parent weight, the total QA power of its parent state and the
// sum of its WinCounts. REQUIRES: parent_network_power > 0 (Lotus fails: "all power in the net is
// gone"), total_win_count >= 0.
ChainWeight tipset_weight(ChainWeight parent_weight, StoragePower parent_network_power,
                          std::int64_t total_win_count);

// Immutable: a non-empty list of blocks in tipset order.
class Tipset {
public:
    // Sorts the blocks into tipset order. nullopt unless the blocks are non-empty, distinct (by
    // id) and share height, parents, parent weight and parent network power.
    static std::optional<Tipset> make(std::vector<BlockHeader> blocks);

    const std::vector<BlockHeader>& blocks() const { return blocks_; }
    ChainEpoch height() const { return blocks_.front().height; }
    const TipsetKey& parents() const { return blocks_.front().parents; }
    TipsetKey key() const;
    bool contains(const BlockId& id) const;
    std::int64_t total_win_count() const;
    ChainWeight weight() const;

private:
    explicit Tipset(std::vector<BlockHeader> sorted_blocks);

    std::vector<BlockHeader> blocks_;
};

// Lotus breakWeightTie as of 2026 (chain/store/store.go): true if `a` has the smaller ticket at the
// first position where the two sorted ticket lists differ; false when one list is a prefix of the
// other. Lotus in 2021 and Venus' chain selector used an older loop that returned true if `a`'s
// ticket was smaller at ANY position (so it could favour both tipsets of a pair, depending on the
// argument order); minerx implements the current, order-independent rule for every scenario.
bool wins_weight_tie(const Tipset& a, const Tipset& b);

// The heaviest of the candidates, ties broken by wins_weight_tie; a tie left unbroken keeps the
// earlier candidate (Lotus keeps whichever its map iteration met first). REQUIRES: non-empty.
const Tipset& heaviest_tipset(std::span<const Tipset> candidates);

// The blocks without every block of a miner that has two or more distinct blocks at one height.
// The same block (same id) seen twice counts once. Keeps the input order.
std::vector<BlockHeader> without_equivocating_miners(std::span<const BlockHeader> blocks);

// The heaviest tipset that can be formed from the blocks: equivocators removed, the rest grouped by
// (height, parents), the heaviest group chosen. For blocks of a single height this is Lotus
// FormHeaviestTipSetForHeight. nullopt if no block remains.
// REQUIRES: blocks with the same height and parents agree on parent_weight and
// parent_network_power (they describe the same parent state); a driver that takes headers from
// the network validates that before calling, as Lotus validates blocks before tracking them.
std::optional<Tipset> form_heaviest_tipset(std::span<const BlockHeader> blocks);

// ---- Late blocks and orphans ----

// A block as one miner received it. Times are milliseconds on the same axis as the genesis time.
struct ReceivedBlock {
    BlockHeader header;
    std::int64_t arrival_time_ms = 0;
};

// When a miner of `round` fixes its base: T(round - 1) + PropagationDelay, where T(h) = genesis
// + 30 s * h is the timestamp of height-h blocks (Lotus miner/miner.go: the mining loop sleeps
// until the base's timestamp + PropagationDelaySecs, and after N null rounds until
// T(base) + 30 s * N + PropagationDelaySecs, which is the same instant). Lotus adds a random
// ±0.5 s to this; a driver adds it if it wants it.
std::int64_t base_cutoff_time_ms(ChainEpoch round, std::int64_t genesis_time_ms,
                                 std::int64_t propagation_delay_ms);

// The tipset a miner builds on: the heaviest formable from the blocks that arrived by its cutoff
// (arrival_time_ms <= cutoff_time_ms). Later blocks are left out: they are still valid, just not
// in this miner's base (specs: mining cycle "epoch cutoff"). nullopt if nothing arrived; the miner
// then keeps the base it had (a driver's state, not this function's).
std::optional<Tipset> base_at_cutoff(std::span<const ReceivedBlock> received,
                                     std::int64_t cutoff_time_ms);

// The fate of the blocks produced at one height N.
struct HeightInclusion {
    std::vector<BlockId> included;  // in the canonical chain: their rewards are paid
    std::vector<BlockId> orphaned;  // valid but left out: no reward, no tips
};

// The orphan rule over a small chain model. `produced` are the blocks of height N;
// `canonical_parents_after` holds, for epochs N+1, N+2, ... in order, the parent key of the
// canonical tipset at that epoch, or nullopt for a null epoch. A block of height N is included iff
// the first non-null epoch after N names it among its parents: a block missing from N+1's parents
// is orphaned, but if N+1 is null, a miner of N+2 (whose cutoff is 30 s later) can still include
// it. nullopt while every given epoch is null (undecided). Lists keep the order of `produced`.
std::optional<HeightInclusion> resolve_height_inclusion(
    std::span<const BlockHeader> produced,
    std::span<const std::optional<TipsetKey>> canonical_parents_after);

}  // namespace minerx::chain
