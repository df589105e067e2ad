#include "runners/pool/pool_api.h"

#include <limits>

#include "core/math/int128.h"
#include "runners/chainapi/lotus_json.h"
#include "runners/net/rpc_client.h"

namespace minerx::pool_daemon {
namespace {

using rpc::Caller;
using rpc::Permission;
using rpc::RpcError;

constexpr chain::ChainEpoch kNoEnd = std::numeric_limits<chain::ChainEpoch>::max();

chain::ActorId parse_miner(const std::string& text) {
    auto miner = chainapi::parse_address(text);
    if (!miner) throw RpcError(rpc::error_code::kInvalidParams, "param 0: expected an ID address such as \"f01000\"");
    return *miner;
}

Json optional_ms(const std::optional<std::int64_t>& value) { return value ? Json(*value) : Json(); }

Json balance_json(const pool::AccountBalance& balance) {
    return Json{{"Unvested", math::to_string(balance.unvested)},
                {"VestedUnpaid", math::to_string(balance.vested_unpaid)},
                {"Paid", math::to_string(balance.paid)},
                {"Arrears", math::to_string(balance.arrears)}};
}

Json block_json(const BlockRow& row) {
    return Json{{"Miner", chainapi::address(row.member)}, {"Round", row.round}, {"WinCount", row.win_count},
                {"State", row.state}, {"Cid", row.cid.empty() ? Json() : Json{{"/", row.cid}}},
                {"Award", math::to_string(row.award)}};
}

class Api {
public:
    explicit Api(PoolApiContext context) : c_(std::move(context)) {}

    // The miner, if the caller may act for it: admin, or the miner's owner.
    chain::ActorId authorize(const Caller& caller, const std::string& miner_text) {
        const chain::ActorId miner = parse_miner(miner_text);
        if (caller.permission == Permission::admin) return miner;
        const std::optional<std::string> owner = c_.owner(miner);
        if (!owner || *owner != caller.name) {
            throw RpcError(rpc::error_code::kPermissionDenied,
                           "miner " + miner_text + " is not bound to user " + caller.name);
        }
        return miner;
    }

    chain::ActorId member(const Caller& caller, const std::string& miner_text) {
        const chain::ActorId miner = authorize(caller, miner_text);
        if (!c_.daemon->is_member(miner)) throw RpcError(rpc::error_code::kRequestFailed, miner_text + " is not a member of this pool");
        return miner;
    }

    Json balance(chain::ActorId miner) {
        Json policies = Json::array();
        PoolBooks& books = c_.daemon->books();
        for (std::size_t i = 0; i < books.size(); ++i) {
            Json entry = balance_json(books.accounting(i).member_balance(miner));
            entry["Policy"] = books.name(i);
            policies.push_back(entry);
        }
        return Json{{"Miner", chainapi::address(miner)}, {"OpenEpoch", books.open_epoch()}, {"Policies", policies}};
    }

    Json health() {
        PoolDaemon& daemon = *c_.daemon;
        PoolBooks& books = daemon.books();
        Json policies = Json::array();
        bool balanced = true;
        for (std::size_t i = 0; i < books.size(); ++i) {
            const pool::PoolAccounting& accounting = books.accounting(i);
            const pool::LedgerInvariant invariant = accounting.ledger().check_invariant();
            chain::AttoFil paid_in_books = accounting.operator_balance().paid + accounting.reserve_balance().paid;
            for (const pool::MemberId member : accounting.ledger().members()) paid_in_books += accounting.member_balance(member).paid;
            const chain::AttoFil paid_recorded = daemon.store().paid_total(books.name(i), std::nullopt);
            const bool holds = invariant.holds() && paid_in_books == paid_recorded;
            balanced = balanced && holds;
            policies.push_back({{"Policy", books.name(i)},
                                {"InvariantHolds", invariant.holds()},
                                {"MoneyHeld", math::to_string(invariant.money_held)},
                                {"MoneyReceived", math::to_string(invariant.money_received)},
                                {"PaidInBooks", math::to_string(paid_in_books)},
                                {"PaidRecorded", math::to_string(paid_recorded)},
                                {"Balanced", holds}});
        }
        const PoolCounters& counters = daemon.counters();
        return Json{{"Round", daemon.current_round() ? Json(*daemon.current_round()) : Json()},
                    {"OpenEpoch", books.open_epoch()},
                    {"HeadHeight", daemon.head_height()},
                    {"Members", daemon.members().size()},
                    {"ProversConnected", c_.provers->connected()},
                    {"PendingFates", daemon.pending_fates()},
                    {"RoundsStarted", counters.rounds_started},
                    {"RoundsSkipped", counters.rounds_skipped},
                    {"EpochsClosed", counters.epochs_closed},
                    {"BlocksSubmitted", counters.blocks_submitted},
                    {"BlocksRefused", counters.blocks_refused},
                    {"ChainErrors", counters.chain_errors},
                    {"LastRoundStartUs", counters.last_round_start_us},
                    {"MaxRoundStartUs", counters.max_round_start_us},
                    {"LastEpochCloseUs", counters.last_epoch_close_us},
                    {"LastError", daemon.last_error()},
                    {"LedgerBalanced", balanced},
                    {"Policies", policies}};
    }

    PoolApiContext c_;
};

}  // namespace

AuthOwnerLookup::AuthOwnerLookup(std::string auth_url, std::string token, std::chrono::milliseconds ttl)
    : auth_url_(std::move(auth_url)), token_(std::move(token)), ttl_(ttl) {}

std::optional<std::string> AuthOwnerLookup::operator()(chain::ActorId miner) {
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        auto found = cache_.find(miner);
        if (found != cache_.end() && found->second.second > now) return found->second.first;
    }
    try {
        net::HttpRpcClient client(auth_url_, token_, std::chrono::seconds(5));
        const Json user = client.call("Auth.GetUserByMiner", Json::array({chainapi::address(miner)}));
        if (!user.is_object() || !user.value("enabled", false)) return std::nullopt;
        const std::string name = user.value("name", "");
        std::lock_guard lock(mutex_);
        if (cache_.size() > 100'000) cache_.clear();
        cache_[miner] = {name, now + ttl_};
        return name;
    } catch (const net::RpcCallError&) {
        return std::nullopt;  // unbound (or the pool's token is refused: nobody passes)
    } catch (const net::TransportError&) {
        throw RpcError(rpc::error_code::kRequestFailed, "the auth service is unavailable; try again");
    }
}

void ProverRegistry::hello(chain::ActorId miner, std::uint64_t session) { by_miner_[miner] = session; }

void ProverRegistry::session_closed(std::uint64_t session) {
    for (auto it = by_miner_.begin(); it != by_miner_.end();) it = it->second == session ? by_miner_.erase(it) : std::next(it);
}

std::optional<std::uint64_t> ProverRegistry::session_of(chain::ActorId miner) const {
    auto found = by_miner_.find(miner);
    if (found == by_miner_.end()) return std::nullopt;
    return found->second;
}

void register_pool_methods(rpc::MethodRegistry& registry, PoolApiContext context) {
    auto api = std::make_shared<Api>(std::move(context));

    registry.add_typed("Pool.Version", Permission::none, [](const Caller&) {
        return Json{{"Version", "minerx-pool 0.1.0"}, {"APIVersion", "v0"}};
    });

    registry.add_typed("Pool.ProverHello", Permission::write, [api](const Caller& caller, const std::string& miner_text) {
        const chain::ActorId miner = api->member(caller, miner_text);
        if (caller.session == 0) {
            throw RpcError(rpc::error_code::kRequestFailed, "Pool.ProverHello needs a WebSocket connection");
        }
        api->c_.provers->hello(miner, caller.session);
        api->c_.daemon->prover_connected(miner);
        return Json{{"Miner", miner_text}, {"Round", api->c_.daemon->current_round() ? Json(*api->c_.daemon->current_round()) : Json()}};
    });

    registry.add_typed("Pool.SubmitWinningPoSt", Permission::write,
                       [api](const Caller& caller, const std::string& miner_text, std::int64_t round, const std::string& proof) {
                           const chain::ActorId miner = api->member(caller, miner_text);
                           auto bytes = chainapi::from_base64(proof);
                           if (!bytes) throw RpcError(rpc::error_code::kInvalidParams, "param 2: expected base64 proof bytes");
                           const std::string result = api->c_.daemon->proof_received(miner, round, *bytes, api->c_.clock());
                           api->c_.kick();
                           return Json{{"Miner", miner_text}, {"Round", round}, {"Result", result}};
                       });

    registry.add_typed("Pool.MemberBlocks", Permission::read,
                       [api](const Caller& caller, const std::string& miner_text, std::optional<std::int64_t> from,
                             std::optional<std::int64_t> to) {
                           const chain::ActorId miner = api->member(caller, miner_text);
                           Json out = Json::array();
                           for (const BlockRow& row : api->c_.daemon->store().blocks(miner, from.value_or(0), to.value_or(kNoEnd))) {
                               out.push_back(block_json(row));
                           }
                           return out;
                       });

    registry.add_typed("Pool.MemberRounds", Permission::read,
                       [api](const Caller& caller, const std::string& miner_text, std::optional<std::int64_t> from,
                             std::optional<std::int64_t> to, std::optional<bool> misses_only) {
                           const chain::ActorId miner = api->member(caller, miner_text);
                           Json out = Json::array();
                           for (const OutcomeRow& row : api->c_.daemon->store().outcomes(
                                    miner, from.value_or(0), to.value_or(kNoEnd), misses_only.value_or(false))) {
                               out.push_back({{"Round", row.round}, {"Outcome", row.outcome}, {"WinCount", row.win_count},
                                              {"Reason", row.reason}, {"ProofRequestedMs", optional_ms(row.proof_requested_ms)},
                                              {"ProofReceivedMs", optional_ms(row.proof_received_ms)},
                                              {"PublishedMs", optional_ms(row.published_ms)}});
                           }
                           return out;
                       });

    registry.add_typed("Pool.MemberBalance", Permission::read, [api](const Caller& caller, const std::string& miner_text) {
        return api->balance(api->member(caller, miner_text));
    });

    registry.add_typed("Pool.MemberStatement", Permission::read,
                       [api](const Caller& caller, const std::string& miner_text, std::optional<std::int64_t> from,
                             std::optional<std::int64_t> to) {
                           const chain::ActorId miner = api->member(caller, miner_text);
                           const chain::ChainEpoch first = from.value_or(0);
                           const chain::ChainEpoch last = to.value_or(kNoEnd);
                           Json blocks = Json::array();
                           for (const BlockRow& row : api->c_.daemon->store().blocks(miner, first, last)) {
                               if (row.state == "included") blocks.push_back(block_json(row));
                           }
                           Json payments = Json::array();
                           for (const PaymentRow& row : api->c_.daemon->store().payments(beneficiary_text(miner), first, last)) {
                               payments.push_back({{"Policy", row.policy}, {"Epoch", row.epoch}, {"Amount", math::to_string(row.amount)}});
                           }
                           Json out = api->balance(miner);
                           out["From"] = first;
                           out["To"] = to ? Json(*to) : Json();
                           out["Blocks"] = blocks;
                           out["Payments"] = payments;
                           return out;
                       });

    registry.add_typed("Pool.Members", Permission::admin, [api](const Caller&) {
        Json out = Json::array();
        for (const chain::ActorId miner : api->c_.daemon->members()) {
            out.push_back({{"Miner", chainapi::address(miner)},
                           {"Paused", api->c_.daemon->is_paused(miner)},
                           {"ProverConnected", api->c_.provers->session_of(miner).has_value()}});
        }
        return out;
    });

    const auto pause_method = [api](bool paused) {
        return [api, paused](const Caller& caller, const std::string& miner_text) {
            const chain::ActorId miner = api->member(caller, miner_text);
            api->c_.daemon->set_paused(miner, paused);
            return Json{{"Miner", miner_text}, {"Paused", paused}};
        };
    };
    registry.add_typed("Pool.PauseMember", Permission::admin, pause_method(true));
    registry.add_typed("Pool.ResumeMember", Permission::admin, pause_method(false));

    registry.add_typed("Pool.Health", Permission::admin, [api](const Caller&) { return api->health(); });
}

}  // namespace minerx::pool_daemon
