#pragma once

// The network's chain as a simulation or a testbed node resolves it: the blocks produced at each
// height, the base each winning miner builds on (what reached it by its cutoff), the canonical
// tipset of each height, and the fate of every block. It applies tipset.h's rules and nothing
// else; arrival times come from the driver (a propagation model, or a real network).
//
// Model (docs/simulator.md, "The chain"):
//   - Heights are closed in order. A miner of the open height builds on the heaviest tipset
//     formable from the blocks of the latest non-null height that reached it by its cutoff
//     (chain::base_at_cutoff). If none did, it keeps the head it had: the canonical tipset of the
//     non-null height before.
//   - The canonical tipset of a closed height is the heaviest formable from all its blocks
//     (form_heaviest_tipset): the next round's miners each pick the heaviest head they see, and a
//     well-connected node ends with the one formed from every block.
//   - A block's fate is resolve_height_inclusion's: included iff the canonical tipset of the first
//     non-null height after it names it among its parents.
//
// Sans-I/O: no clock; times are the driver's milliseconds, passed in.

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/ticket_stream.h"
#include "core/chain/tipset.h"

namespace minerx::chain {

// A produced block with where and when it entered the network.
struct ChainBlock {
    BlockHeader header;
    std::int64_t published_ms = 0;
    std::uint32_t origin = 0;  // the driver's node index, for its arrival times
};

struct BlockFateRecord {
    BlockId block{};
    ActorId miner = 0;
    ChainEpoch height = 0;
    bool included = false;
};

// The genesis a simulation or a testbed starts from: one block by f00 at height 0, its ids drawn
// from the run's ticket stream, over the initial network power (at least 1: the weight of a
// tipset needs a non-zero parent power).
Tipset seeded_genesis(const TicketStream& tickets, StoragePower network_power);

class ChainTracker {
public:
    // Starts from `genesis`; the first open height is genesis.height() + 1.
    explicit ChainTracker(Tipset genesis);

    ChainEpoch open_height() const { return open_height_; }

    // The base a miner of the open height builds on, given its cutoff and `arrival(block)`, the
    // time the block reached it. The reference stays valid until close_height().
    template <class Arrival>
    const Tipset& base_for(std::int64_t cutoff_ms, Arrival&& arrival);

    // A block of the open height. REQUIRES: block.header.height == open_height(); its parents are
    // a base this tracker gave out (the driver built it on base_for's answer).
    void add_block(ChainBlock block);

    // Closes the open height (all its blocks were added) and opens the next. Returns the fates
    // this decided: those of the latest non-null height's blocks, if the closed height is
    // non-null.
    std::vector<BlockFateRecord> close_height();

    // The canonical tipset of the latest non-null closed height.
    const Tipset& head() const { return head_; }
    // Blocks of the open height so far.
    const std::vector<ChainBlock>& open_blocks() const { return open_blocks_; }
    // Every block of a height below this has its fate decided.
    ChainEpoch undecided_from() const;

private:
    const Tipset& base_from_partial(const std::vector<BlockHeader>& received);

    ChainEpoch open_height_;
    Tipset head_;
    std::optional<Tipset> previous_head_;  // what a miner that received none of head's height has
    std::vector<ChainBlock> latest_blocks_;  // of head_'s height: fates pending
    std::vector<ChainBlock> open_blocks_;
    std::deque<Tipset> partial_bases_;       // bases of miners that missed some blocks
    std::vector<BlockHeader> scratch_;
};

template <class Arrival>
const Tipset& ChainTracker::base_for(std::int64_t cutoff_ms, Arrival&& arrival) {
    scratch_.clear();
    for (const ChainBlock& block : latest_blocks_) {
        if (arrival(block) <= cutoff_ms) scratch_.push_back(block.header);
    }
    if (scratch_.size() == latest_blocks_.size()) return head_;
    if (scratch_.empty()) return previous_head_ ? *previous_head_ : head_;
    return base_from_partial(scratch_);
}

}  // namespace minerx::chain
