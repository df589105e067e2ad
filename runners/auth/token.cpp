#include "runners/auth/token.h"

#include "runners/auth/jwt.h"

namespace minerx::auth {
namespace {
ClaimsCheck refuse(std::string reason) { return {std::nullopt, std::move(reason)}; }
}  // namespace

std::string issue_token(const TokenClaims& claims, std::string_view secret) {
    nlohmann::json payload = {{"name", claims.name},
                              {"perm", rpc::permission_name(claims.permission)},
                              {"iat", claims.issued_at},
                              {"jti", std::to_string(claims.token_id)}};
    if (claims.expires_at) payload["exp"] = *claims.expires_at;
    return jwt_sign_hs256(payload, secret);
}

ClaimsCheck verify_token(std::string_view token, std::string_view secret, std::int64_t now) {
    JwtCheck jwt = jwt_verify_hs256(token, secret);
    if (!jwt.payload) return refuse(jwt.error);
    const nlohmann::json& payload = *jwt.payload;
    TokenClaims claims;
    const auto name = payload.find("name");
    if (name == payload.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
        return refuse("token has no \"name\" claim");
    }
    claims.name = name->get<std::string>();
    const auto perm = payload.find("perm");
    const auto permission = perm != payload.end() && perm->is_string()
                                ? rpc::parse_token_permission(perm->get_ref<const std::string&>())
                                : std::nullopt;
    if (!permission) return refuse("token has no valid \"perm\" claim (read|write|sign|admin)");
    claims.permission = *permission;
    if (const auto iat = payload.find("iat"); iat != payload.end()) {
        if (!iat->is_number_integer()) return refuse("token \"iat\" claim is not an integer");
        claims.issued_at = iat->get<std::int64_t>();
    }
    if (const auto exp = payload.find("exp"); exp != payload.end()) {
        if (!exp->is_number_integer()) return refuse("token \"exp\" claim is not an integer");
        claims.expires_at = exp->get<std::int64_t>();
        if (*claims.expires_at <= now) return refuse("token expired");
    }
    if (const auto jti = payload.find("jti"); jti != payload.end() && jti->is_string()) {
        try {
            claims.token_id = std::stoll(jti->get<std::string>());
        } catch (const std::exception&) {
            return refuse("token \"jti\" claim is not a token number");
        }
    }
    return {std::move(claims), {}};
}

}  // namespace minerx::auth
