#pragma once

// The Lotus API subset the devnet serves (docs/daemons.md "Chain API" has each method's request
// and response, after lotus: documentation/en/api-methods-v1-stable.md), with Lotus' permissions:
// reads need `read`, MinerCreateBlock and SyncSubmitBlock need `write`.
//
//   Filecoin.ChainHead, Filecoin.ChainGetTipSetByHeight, Filecoin.MinerGetBaseInfo,
//   Filecoin.MinerCreateBlock, Filecoin.SyncSubmitBlock, Filecoin.StateMinerPower,
//   Filecoin.StateReadState (the reward actor f02 only: ThisEpochReward),
//   Devnet.Info (public), Devnet.MemberWins (read; minerx's testbed extension).

#include <cstdint>
#include <functional>

#include "runners/devnet/devnet_chain.h"
#include "runners/rpc/method_registry.h"

namespace minerx::devnet {

using UnixMillisClock = std::function<std::int64_t()>;
// Called with each member block the devnet accepted, before SyncSubmitBlock answers (the
// devnet's --db keeps them).
using AcceptedBlockHook = std::function<void(const BlockTemplate& block, std::int64_t published_unix_ms)>;

// Lotus' block header JSON for a stored block.
rpc::Json header_json(const DevnetChain& chain, const StoredBlock& block);
rpc::Json tipset_json(const DevnetChain& chain, const chain::Tipset& tipset);

// Registers the methods; `chain` and `clock` must outlive the registry's use. Handlers run on one
// thread (the server's), as the chain is not thread-safe.
void register_devnet_methods(rpc::MethodRegistry& registry, DevnetChain& chain, UnixMillisClock clock,
                             AcceptedBlockHook on_accepted = {});

}  // namespace minerx::devnet
