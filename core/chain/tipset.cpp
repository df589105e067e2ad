#include "core/chain/tipset.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/util/assert.h"

namespace minerx::chain {
namespace {

// Lotus build/buildconstants/params_shared_vals.go: WRatioNum, WRatioDen; weight.go shifts by 8.
constexpr ChainWeight kWeightRatioNumerator = 1;
constexpr ChainWeight kWeightRatioDenominator = 2;
constexpr unsigned kWeightShift = 8;
// Lotus BlocksPerEpoch = specs-actors ExpectedLeadersPerEpoch.
constexpr auto kBlocksPerEpoch = static_cast<ChainWeight>(kExpectedLeadersPerEpoch);
constexpr std::int64_t kEpochDurationMs = kEpochDurationSeconds * 1000;

bool shares_parent_context(const BlockHeader& a, const BlockHeader& b) {
    return a.height == b.height && a.parents == b.parents &&
           a.parent_weight == b.parent_weight && a.parent_network_power == b.parent_network_power;
}

bool has_duplicate_ids(const std::vector<BlockHeader>& blocks) {
    std::set<BlockId> ids;
    for (const BlockHeader& block : blocks) {
        if (!ids.insert(block.id).second) return true;
    }
    return false;
}

// The first occurrence of each block id, in input order.
std::vector<BlockHeader> distinct_blocks(std::span<const BlockHeader> blocks) {
    std::set<BlockId> seen;
    std::vector<BlockHeader> distinct;
    for (const BlockHeader& block : blocks) {
        if (seen.insert(block.id).second) distinct.push_back(block);
    }
    return distinct;
}

bool key_contains(const TipsetKey& key, const BlockId& id) {
    return std::find(key.begin(), key.end(), id) != key.end();
}

}  // namespace

bool precedes_in_tipset(const BlockHeader& a, const BlockHeader& b) {
    if (a.ticket_digest != b.ticket_digest) return a.ticket_digest < b.ticket_digest;
    return a.id < b.id;
}

ChainWeight tipset_weight(ChainWeight parent_weight, StoragePower parent_network_power,
                          std::int64_t total_win_count) {
    MINERX_ASSERT(parent_network_power > 0);
    MINERX_ASSERT(total_win_count >= 0);
    auto log2_power = static_cast<ChainWeight>(math::bit_length(parent_network_power) - 1);
    ChainWeight power_term = log2_power << kWeightShift;
    // Multiply fully, then floor once: the order is part of the result.
    ChainWeight election_term = ((log2_power * kWeightRatioNumerator) << kWeightShift) *
                                static_cast<ChainWeight>(total_win_count) /
                                (kBlocksPerEpoch * kWeightRatioDenominator);
    return parent_weight + power_term + election_term;
}

std::optional<Tipset> Tipset::make(std::vector<BlockHeader> blocks) {
    if (blocks.empty()) return std::nullopt;
    for (const BlockHeader& block : blocks) {
        if (!shares_parent_context(block, blocks.front())) return std::nullopt;
    }
    if (has_duplicate_ids(blocks)) return std::nullopt;
    std::sort(blocks.begin(), blocks.end(), precedes_in_tipset);
    return Tipset(std::move(blocks));
}

Tipset::Tipset(std::vector<BlockHeader> sorted_blocks) : blocks_(std::move(sorted_blocks)) {
    MINERX_ASSERT(!blocks_.empty());
}

TipsetKey Tipset::key() const {
    TipsetKey key;
    key.reserve(blocks_.size());
    for (const BlockHeader& block : blocks_) key.push_back(block.id);
    return key;
}

bool Tipset::contains(const BlockId& id) const {
    return std::any_of(blocks_.begin(), blocks_.end(),
                       [&](const BlockHeader& block) { return block.id == id; });
}

std::int64_t Tipset::total_win_count() const {
    std::int64_t total = 0;
    for (const BlockHeader& block : blocks_) total += block.win_count;
    return total;
}

ChainWeight Tipset::weight() const {
    return tipset_weight(blocks_.front().parent_weight, blocks_.front().parent_network_power,
                         total_win_count());
}

bool wins_weight_tie(const Tipset& a, const Tipset& b) {
    std::size_t common = std::min(a.blocks().size(), b.blocks().size());
    for (std::size_t i = 0; i < common; ++i) {
        const Digest& ticket_a = a.blocks()[i].ticket_digest;
        const Digest& ticket_b = b.blocks()[i].ticket_digest;
        if (ticket_a != ticket_b) return ticket_a < ticket_b;
    }
    return false;
}

const Tipset& heaviest_tipset(std::span<const Tipset> candidates) {
    MINERX_ASSERT(!candidates.empty());
    const Tipset* best = &candidates.front();
    ChainWeight best_weight = best->weight();
    for (const Tipset& candidate : candidates.subspan(1)) {
        ChainWeight weight = candidate.weight();
        if (weight > best_weight || (weight == best_weight && wins_weight_tie(candidate, *best))) {
            best = &candidate;
            best_weight = weight;
        }
    }
    return *best;
}

std::vector<BlockHeader> without_equivocating_miners(std::span<const BlockHeader> blocks) {
    std::vector<BlockHeader> distinct = distinct_blocks(blocks);
    std::map<std::pair<ActorId, ChainEpoch>, int> blocks_per_miner_height;
    for (const BlockHeader& block : distinct) {
        ++blocks_per_miner_height[{block.miner, block.height}];
    }
    std::vector<BlockHeader> honest;
    for (const BlockHeader& block : distinct) {
        if (blocks_per_miner_height[{block.miner, block.height}] == 1) honest.push_back(block);
    }
    return honest;
}

std::optional<Tipset> form_heaviest_tipset(std::span<const BlockHeader> blocks) {
    std::map<std::pair<ChainEpoch, TipsetKey>, std::vector<BlockHeader>> groups;
    for (BlockHeader& block : without_equivocating_miners(blocks)) {
        auto group_key = std::make_pair(block.height, block.parents);
        groups[group_key].push_back(std::move(block));
    }
    std::vector<Tipset> tipsets;
    for (auto& [group_key, group] : groups) {
        std::optional<Tipset> tipset = Tipset::make(std::move(group));
        // Blocks naming the same parents agree on the parent weight and power in a valid chain.
        MINERX_ASSERT(tipset.has_value());
        tipsets.push_back(std::move(*tipset));
    }
    if (tipsets.empty()) return std::nullopt;
    return heaviest_tipset(tipsets);
}

std::int64_t base_cutoff_time_ms(ChainEpoch round, std::int64_t genesis_time_ms,
                                 std::int64_t propagation_delay_ms) {
    MINERX_ASSERT(round >= 1);
    MINERX_ASSERT(propagation_delay_ms >= 0);
    return genesis_time_ms + (round - 1) * kEpochDurationMs + propagation_delay_ms;
}

std::optional<Tipset> base_at_cutoff(std::span<const ReceivedBlock> received,
                                     std::int64_t cutoff_time_ms) {
    std::vector<BlockHeader> in_time;
    for (const ReceivedBlock& block : received) {
        if (block.arrival_time_ms <= cutoff_time_ms) in_time.push_back(block.header);
    }
    return form_heaviest_tipset(in_time);
}

std::optional<HeightInclusion> resolve_height_inclusion(
    std::span<const BlockHeader> produced,
    std::span<const std::optional<TipsetKey>> canonical_parents_after) {
    for (const BlockHeader& block : produced) {
        MINERX_ASSERT(block.height == produced.front().height);
    }
    for (const std::optional<TipsetKey>& parents : canonical_parents_after) {
        if (!parents) continue;  // a null epoch decides nothing
        HeightInclusion inclusion;
        for (const BlockHeader& block : produced) {
            bool included = key_contains(*parents, block.id);
            (included ? inclusion.included : inclusion.orphaned).push_back(block.id);
        }
        return inclusion;
    }
    return std::nullopt;
}

}  // namespace minerx::chain
