#include "runners/auth/auth_service.h"

#include <sodium.h>

#include <chrono>
#include <vector>

#include "runners/auth/jwt.h"
#include "runners/auth/token.h"

namespace minerx::auth {
namespace {

using rpc::Caller;
using rpc::Json;
using rpc::Permission;
using rpc::RpcError;

[[noreturn]] void refuse(const std::string& message) {
    throw RpcError(rpc::error_code::kRequestFailed, message);
}

// Runs a store operation, turning the store's refusals into JSON-RPC errors.
template <class F> auto guarded(F&& f) -> decltype(f()) {
    try {
        return f();
    } catch (const AuthError& error) {
        refuse(error.what());
    }
}

Permission require_permission(const std::string& text) {
    auto permission = rpc::parse_token_permission(text);
    if (!permission) {
        throw RpcError(rpc::error_code::kInvalidParams,
                       "unknown permission \"" + text + "\": use read, write, sign or admin");
    }
    return *permission;
}

// Lotus returns []byte as standard base64 in JSON.
std::string to_base64(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

}  // namespace

UnixClock system_unix_clock() {
    return [] {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
}

Json user_to_json(const User& user) {
    return {{"name", user.name},
            {"comment", user.comment},
            {"enabled", user.enabled},
            {"created_at", user.created_at},
            {"miners", user.miners}};
}

AuthService::AuthService(AuthStore& store, std::string secret, UnixClock clock)
    : store_(store), secret_(std::move(secret)), clock_(std::move(clock)) {}

rpc::TokenCheck AuthService::verify(std::string_view token) {
    ClaimsCheck check = verify_token(token, secret_, clock_());
    if (!check.claims) return {std::nullopt, check.error};
    if (!store_.is_user_enabled(check.claims->name)) {
        return {std::nullopt, store_.find_user(check.claims->name)
                                  ? "user " + check.claims->name + " is disabled"
                                  : "token user " + check.claims->name + " does not exist"};
    }
    return {Caller{check.claims->permission, std::move(check.claims->name)}, {}};
}

std::string AuthService::issue(std::string_view user, Permission permission,
                               std::optional<std::int64_t> ttl_seconds) {
    if (permission == Permission::none) throw AuthError("a token needs a permission");
    const auto found = store_.find_user(user);
    if (!found) throw AuthError("no such user: " + std::string(user));
    if (!found->enabled) throw AuthError("user " + found->name + " is disabled");
    TokenClaims claims;
    claims.name = found->name;
    claims.permission = permission;
    claims.issued_at = clock_();
    if (ttl_seconds && *ttl_seconds > 0) claims.expires_at = claims.issued_at + *ttl_seconds;
    claims.token_id = store_.record_token(found->name, permission, claims.issued_at, claims.expires_at);
    return issue_token(claims, secret_);
}

std::string AuthService::bootstrap_admin() {
    if (!store_.find_user(kAdminUser)) store_.add_user(kAdminUser, "bootstrap administrator", clock_());
    store_.set_user_enabled(kAdminUser, true);
    return issue(kAdminUser, Permission::admin);
}

void AuthService::register_methods(rpc::MethodRegistry& registry) {
    // Lotus-compatible: the permissions a token grants. Public: holding the token is the proof.
    registry.add_typed("Filecoin.AuthVerify", Permission::none,
                       [this](const Caller&, const std::string& token) {
                           const rpc::TokenCheck check = verify(token);
                           if (!check.caller) {
                               throw RpcError(rpc::error_code::kUnauthorized, "invalid token: " + check.error);
                           }
                           return Json(rpc::permissions_up_to(check.caller->permission));
                       });
    // Lotus-compatible: a token for the caller's own user with the highest permission listed,
    // returned as base64 bytes.
    registry.add_typed("Filecoin.AuthNew", Permission::admin,
                       [this](const Caller& caller, const std::vector<std::string>& perms) {
                           if (perms.empty()) {
                               throw RpcError(rpc::error_code::kInvalidParams, "no permission listed");
                           }
                           Permission highest = Permission::read;
                           for (const std::string& perm : perms) {
                               highest = std::max(highest, require_permission(perm));
                           }
                           return to_base64(guarded([&] { return issue(caller.name, highest); }));
                       });
    registry.add_typed("Auth.VerifyToken", Permission::none,
                       [this](const Caller&, const std::string& token) {
                           const rpc::TokenCheck check = verify(token);
                           if (!check.caller) {
                               throw RpcError(rpc::error_code::kUnauthorized, "invalid token: " + check.error);
                           }
                           return Json{{"name", check.caller->name},
                                       {"perm", rpc::permission_name(check.caller->permission)},
                                       {"allow", rpc::permissions_up_to(check.caller->permission)}};
                       });
    registry.add_typed("Auth.IssueToken", Permission::admin,
                       [this](const Caller&, const std::string& user, const std::string& perm,
                              std::optional<std::int64_t> ttl_seconds) {
                           if (ttl_seconds && *ttl_seconds < 0) {
                               throw RpcError(rpc::error_code::kInvalidParams,
                                              "param 2: expires_in_seconds must be >= 0");
                           }
                           const Permission permission = require_permission(perm);
                           return guarded([&] { return issue(user, permission, ttl_seconds); });
                       });
    registry.add_typed("Auth.AddUser", Permission::admin,
                       [this](const Caller&, const std::string& name, std::optional<std::string> comment) {
                           return user_to_json(
                               guarded([&] { return store_.add_user(name, comment.value_or(""), clock_()); }));
                       });
    registry.add_typed("Auth.DisableUser", Permission::admin, [this](const Caller&, const std::string& name) {
        if (name == kAdminUser) refuse("the admin user cannot be disabled");
        return user_to_json(guarded([&] { return store_.set_user_enabled(name, false); }));
    });
    registry.add_typed("Auth.EnableUser", Permission::admin, [this](const Caller&, const std::string& name) {
        return user_to_json(guarded([&] { return store_.set_user_enabled(name, true); }));
    });
    registry.add_typed("Auth.GetUser", Permission::read, [this](const Caller&, const std::string& name) {
        const auto user = store_.find_user(name);
        if (!user) refuse("no such user: " + name);
        return user_to_json(*user);
    });
    registry.add_typed("Auth.ListUsers", Permission::read, [this](const Caller&) {
        Json users = Json::array();
        for (const User& user : store_.list_users()) users.push_back(user_to_json(user));
        return users;
    });
    registry.add_typed("Auth.BindMiner", Permission::admin,
                       [this](const Caller&, const std::string& user, const std::string& miner) {
                           guarded([&] { store_.bind_miner(user, miner); });
                           return user_to_json(*store_.find_user(user));
                       });
    registry.add_typed("Auth.UnbindMiner", Permission::admin, [this](const Caller&, const std::string& miner) {
        return store_.unbind_miner(miner);
    });
    registry.add_typed("Auth.GetUserByMiner", Permission::read, [this](const Caller&, const std::string& miner) {
        const auto user = store_.user_by_miner(miner);
        if (!user) refuse("miner " + miner + " is not bound to any user");
        return user_to_json(*user);
    });
    registry.add_typed("Auth.Version", Permission::none, [](const Caller&) {
        return Json{{"version", "0.1.0"}, {"api", "v0"}};
    });
}

}  // namespace minerx::auth
