#pragma once

// The chain node as the pool daemon sees it: the Lotus methods it calls, parsed from Lotus'
// JSON (lotus: documentation/en/api-methods-v1-stable.md). The transport is a function, so the
// same client talks HTTP to a real node or to the devnet, or calls a devnet's dispatcher in
// process (bench/pool_epoch_bench.cpp). Malformed answers raise ChainError.

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/tipset.h"
#include "core/chain/token_amount.h"
#include "runners/rpc/json_rpc.h"

namespace minerx::pool_daemon {

using rpc::Json;

class ChainError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// (method, params) -> result; throws on transport and JSON-RPC errors.
using ChainTransport = std::function<Json(const std::string& method, Json params)>;

struct TipsetView {
    chain::ChainEpoch height = 0;
    chain::TipsetKey key;               // Cids
    chain::TipsetKey parents;           // of its blocks
    chain::ChainWeight parent_weight = 0;
    std::vector<chain::ActorId> miners;  // of its blocks, in the tipset's order
    std::int64_t timestamp_s = 0;
};

struct MinerBase {
    chain::StoragePower miner_power = 0;
    chain::StoragePower network_power = 0;
    bool eligible = false;
    std::vector<std::uint8_t> beacon_data;  // the last BeaconEntries entry (PrevBeaconEntry if none)
    chain::ChainEpoch beacon_round = 0;
};

class ChainClient {
public:
    explicit ChainClient(ChainTransport transport) : transport_(std::move(transport)) {}

    TipsetView head();
    TipsetView tipset_by_height(chain::ChainEpoch height);  // at or before `height`
    // nullopt when the node knows no such miner (Lotus returns null).
    std::optional<MinerBase> base_info(chain::ActorId miner, chain::ChainEpoch round, const chain::TipsetKey& base);
    // The reward actor's ThisEpochReward in the parent state of the tipset `at`.
    chain::AttoFil this_epoch_reward(const chain::TipsetKey& at);
    // MinerCreateBlock with the template, then SyncSubmitBlock with the block it returns.
    void create_and_submit(const Json& block_template);

    static TipsetView parse_tipset(const Json& value);

private:
    ChainTransport transport_;
};

}  // namespace minerx::pool_daemon
