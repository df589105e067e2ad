#pragma once

// The pool daemon's JSON-RPC API (docs/daemons.md "Pool API"):
//   provers (write, own miner, WebSocket): Pool.ProverHello, Pool.SubmitWinningPoSt;
//   members (read, own miner):             Pool.MemberBlocks, Pool.MemberRounds,
//                                          Pool.MemberBalance, Pool.MemberStatement;
//   operator (admin):                      Pool.Members, Pool.PauseMember, Pool.ResumeMember,
//                                          Pool.Health;
//   public:                                Pool.Version.
// A member token reaches only miners bound to its user in the auth service
// (Auth.GetUserByMiner); an admin token reaches every miner. Any other miner is refused with
// -32002 before the pool says whether it is a member, so tokens cannot probe other members.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "runners/pool/pool_daemon.h"
#include "runners/rpc/method_registry.h"

namespace minerx::pool_daemon {

// The user a miner is bound to, or nullopt if none.
using OwnerLookup = std::function<std::optional<std::string>(chain::ActorId miner)>;

// OwnerLookup through the auth service's Auth.GetUserByMiner, with positive answers cached for
// `ttl` (a rebinding reaches the pool within one TTL, as revocation does).
class AuthOwnerLookup {
public:
    AuthOwnerLookup(std::string auth_url, std::string token, std::chrono::milliseconds ttl = std::chrono::seconds(10));
    std::optional<std::string> operator()(chain::ActorId miner);

private:
    std::string auth_url_;
    std::string token_;
    std::chrono::milliseconds ttl_;
    std::mutex mutex_;
    std::map<chain::ActorId, std::pair<std::string, std::chrono::steady_clock::time_point>> cache_;
};

// Which WebSocket session proves for which miner (the latest Pool.ProverHello wins).
class ProverRegistry {
public:
    void hello(chain::ActorId miner, std::uint64_t session);
    void session_closed(std::uint64_t session);
    std::optional<std::uint64_t> session_of(chain::ActorId miner) const;
    std::size_t connected() const { return by_miner_.size(); }

private:
    std::map<chain::ActorId, std::uint64_t> by_miner_;
};

struct PoolApiContext {
    PoolDaemon* daemon = nullptr;
    OwnerLookup owner;
    ProverRegistry* provers = nullptr;
    std::function<std::int64_t()> clock;  // unix ms
    // Called after a handler changed what the driver must do next (re-arms its timer).
    std::function<void()> kick;
};

void register_pool_methods(rpc::MethodRegistry& registry, PoolApiContext context);

}  // namespace minerx::pool_daemon
