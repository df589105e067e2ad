#pragma once

// The devnet's optional database (`minerx devnet run --db FILE`): the chain's genesis time and
// epoch, and every member block the devnet accepted. Background miners' blocks are not stored:
// they follow from the scenario's seed. On restart the devnet replays its rounds from genesis up
// to the current time, re-adding the stored member blocks at their heights, and reaches the
// same chain (same tipsets, same CIDs); heights that passed while it was down have no member
// blocks. Schema v1: meta(key PRIMARY KEY, value); member_blocks(height, miner, published_ms,
// body JSON, PRIMARY KEY(height, miner)).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runners/devnet/devnet_chain.h"
#include "runners/store/sqlite_database.h"

namespace minerx::devnet {

struct StoredMemberBlock {
    BlockTemplate block;
    std::int64_t published_unix_ms = 0;
};

class DevnetStore {
public:
    explicit DevnetStore(const std::string& path);

    std::optional<std::int64_t> meta_int(const std::string& key);
    void set_meta_int(const std::string& key, std::int64_t value);

    void add_member_block(const BlockTemplate& block, std::int64_t published_unix_ms);
    std::vector<StoredMemberBlock> member_blocks();  // by height, then miner

private:
    store::Database db_;
};

// Replays rounds 1, 2, ... whose cutoffs are at or before `now_unix_ms`, adding `blocks` at
// their heights. Returns the next round to run.
chain::ChainEpoch replay_devnet(DevnetChain& chain, const std::vector<StoredMemberBlock>& blocks,
                                std::int64_t now_unix_ms);

}  // namespace minerx::devnet
