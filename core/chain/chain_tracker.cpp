#include "core/chain/chain_tracker.h"

#include <algorithm>
#include <utility>

#include "core/util/assert.h"

namespace minerx::chain {

Tipset seeded_genesis(const TicketStream& tickets, StoragePower network_power) {
    BlockHeader header;
    header.miner = 0;
    header.height = 0;
    header.win_count = 1;
    header.id = tickets.digest(0, 0, TicketPurpose::block_id);
    header.ticket_digest = tickets.digest(0, 0, TicketPurpose::ticket);
    header.parent_network_power = network_power > 0 ? network_power : StoragePower{1};
    return *Tipset::make({header});
}

ChainTracker::ChainTracker(Tipset genesis)
    : open_height_(genesis.height() + 1), head_(std::move(genesis)) {}

ChainEpoch ChainTracker::undecided_from() const {
    return latest_blocks_.empty() ? open_height_ : head_.height();
}

void ChainTracker::add_block(ChainBlock block) {
    MINERX_ASSERT(block.header.height == open_height_);
    open_blocks_.push_back(std::move(block));
}

const Tipset& ChainTracker::base_from_partial(const std::vector<BlockHeader>& received) {
    std::optional<Tipset> base = form_heaviest_tipset(received);
    if (!base) return previous_head_ ? *previous_head_ : head_;
    partial_bases_.push_back(std::move(*base));
    return partial_bases_.back();
}

std::vector<BlockFateRecord> ChainTracker::close_height() {
    const ChainEpoch closed = open_height_++;
    partial_bases_.clear();
    std::vector<BlockHeader> headers;
    headers.reserve(open_blocks_.size());
    for (const ChainBlock& block : open_blocks_) headers.push_back(block.header);
    std::optional<Tipset> canonical = form_heaviest_tipset(headers);
    if (!canonical) {
        // Null round (or only equivocating blocks, which are never included): the pending blocks
        // wait for the next non-null height; these blocks are orphaned now.
        std::vector<BlockFateRecord> fates;
        for (const ChainBlock& block : open_blocks_) {
            fates.push_back({block.header.id, block.header.miner, closed, false});
        }
        open_blocks_.clear();
        return fates;
    }

    std::vector<BlockFateRecord> fates;
    if (!latest_blocks_.empty()) {
        std::vector<BlockHeader> produced;
        produced.reserve(latest_blocks_.size());
        for (const ChainBlock& block : latest_blocks_) produced.push_back(block.header);
        // Heights between the latest non-null one and `closed` were null.
        const auto gap = static_cast<std::size_t>(closed - head_.height() - 1);
        std::vector<std::optional<TipsetKey>> after(gap, std::nullopt);
        after.push_back(canonical->parents());
        std::optional<HeightInclusion> inclusion = resolve_height_inclusion(produced, after);
        MINERX_ASSERT(inclusion.has_value());
        for (const ChainBlock& block : latest_blocks_) {
            const bool included =
                std::find(inclusion->included.begin(), inclusion->included.end(),
                          block.header.id) != inclusion->included.end();
            fates.push_back({block.header.id, block.header.miner, block.header.height, included});
        }
    }
    previous_head_ = std::move(head_);
    head_ = std::move(*canonical);
    latest_blocks_ = std::move(open_blocks_);
    open_blocks_.clear();
    return fates;
}

}  // namespace minerx::chain
