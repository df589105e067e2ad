#pragma once

// The auth service (`minerx auth run`): verifies tokens against the store (signature, claims,
// and that the token's user exists and is enabled, so disabling a user revokes all of its tokens
// at once), issues tokens, and exposes both, with user and miner administration, as JSON-RPC
// methods. docs/daemons.md lists the methods, their permissions and JSON shapes.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "runners/auth/auth_store.h"
#include "runners/rpc/method_registry.h"
#include "runners/rpc/permission.h"

namespace minerx::auth {

// Seconds since the Unix epoch. Injected so that expiry is testable.
using UnixClock = std::function<std::int64_t()>;
UnixClock system_unix_clock();

// The user created on first run, holding the bootstrap admin token. It cannot be disabled, so the
// service can always be administered.
inline constexpr std::string_view kAdminUser = "admin";

class AuthService {
public:
    AuthService(AuthStore& store, std::string secret, UnixClock clock);

    // A caller {permission, user name} for a genuine token of an enabled user.
    rpc::TokenCheck verify(std::string_view token);

    // Issues a token to an existing, enabled user. ttl_seconds > 0 sets an expiry.
    std::string issue(std::string_view user, rpc::Permission permission,
                      std::optional<std::int64_t> ttl_seconds = std::nullopt);

    // First run: creates the admin user if absent. Returns a fresh admin token.
    std::string bootstrap_admin();

    void register_methods(rpc::MethodRegistry& registry);

private:
    AuthStore& store_;
    std::string secret_;
    UnixClock clock_;
};

// A user as JSON: {"name","comment","enabled","created_at","miners":[...]}.
rpc::Json user_to_json(const User& user);

}  // namespace minerx::auth
