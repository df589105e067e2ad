#pragma once

// minerx API tokens: HS256 JWTs whose payload is Venus' {name, perm} (research/venus.md §3) plus
// the registered claims iat, exp (optional) and jti (the token's row in the auth store):
//   {"name":"alice","perm":"write","iat":1764160000,"jti":"7"}
// A token carries one permission; it grants that one and every one below it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runners/rpc/permission.h"

namespace minerx::auth {

struct TokenClaims {
    std::string name;  // the user the token was issued to
    rpc::Permission permission = rpc::Permission::read;
    std::int64_t issued_at = 0;                // seconds since the Unix epoch
    std::optional<std::int64_t> expires_at;    // none: the token does not expire
    std::int64_t token_id = 0;
};

std::string issue_token(const TokenClaims& claims, std::string_view secret);

struct ClaimsCheck {
    std::optional<TokenClaims> claims;
    std::string error;
};

// Signature, header and claims: name a non-empty string, perm one of read|write|sign|admin, iat an
// integer, exp (if present) an integer later than `now`. Does not consult the store, so a disabled
// user's token still passes here (see AuthService::verify).
ClaimsCheck verify_token(std::string_view token, std::string_view secret, std::int64_t now);

}  // namespace minerx::auth
