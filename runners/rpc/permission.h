#pragma once

// API permissions, ordered as Lotus and Venus order them: read < write < sign < admin, each
// including the ones below it (research/venus.md §3; Lotus api.AllPermissions). `none` is what a
// caller without a token holds; a method that requires `none` is public. Tokens are never issued
// with `none`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minerx::rpc {

enum class Permission : std::uint8_t { none = 0, read = 1, write = 2, sign = 3, admin = 4 };

// "none", "read", "write", "sign", "admin".
std::string_view permission_name(Permission permission);

// The inverse of permission_name for the four token permissions; nullopt for anything else
// (including "none": it is not a permission one can hold through a token).
std::optional<Permission> parse_token_permission(std::string_view text);

// Lotus' AuthVerify shape: every permission the holder has, lowest first ("write" gives
// ["read", "write"]).
std::vector<std::string> permissions_up_to(Permission permission);

constexpr bool permits(Permission held, Permission required) {
    return static_cast<std::uint8_t>(held) >= static_cast<std::uint8_t>(required);
}

// Who is calling, as established by the transport from the bearer token (name is the token's
// user; empty for an anonymous caller).
struct Caller {
    Permission permission = Permission::none;
    std::string name;
    // The WebSocket connection the request came on (RpcServer numbers them from 1), 0 for HTTP:
    // a handler that registers the caller for server push (RpcServer::push) keeps this.
    std::uint64_t session = 0;
};

// The outcome of checking a bearer token: a caller, or why the token is refused.
struct TokenCheck {
    std::optional<Caller> caller;
    std::string error;  // set exactly when caller is empty
};

}  // namespace minerx::rpc
