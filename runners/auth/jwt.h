#pragma once

// JSON Web Tokens signed with HMAC-SHA-256 (RFC 7519, JWS compact serialisation RFC 7515 with
// alg "HS256"), the token format of Lotus and Venus' sophon-auth (research/venus.md §3). Only
// HS256 is accepted: a token whose header names any other algorithm ("none" included) is refused,
// and the signature is checked before the payload is parsed.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace minerx::auth {

// RFC 4648 §5 base64url without padding, the JWS encoding.
std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

// HMAC-SHA-256 of `message` under a key of any length (32 raw bytes).
std::string hmac_sha256(std::string_view key, std::string_view message);

// Tokens longer than this are refused unread.
inline constexpr std::size_t kMaxTokenBytes = 4096;

// header.payload.signature with header {"alg":"HS256","typ":"JWT"}.
std::string jwt_sign_hs256(const nlohmann::json& payload, std::string_view secret);

// Signs an already-encoded "header.payload" (for test vectors whose header bytes are fixed).
std::string jwt_sign_hs256_encoded(std::string_view signing_input, std::string_view secret);

struct JwtCheck {
    std::optional<nlohmann::json> payload;  // an object, when the token is genuine
    std::string error;                      // why not, otherwise
};

// Checks the form, the signature and the header's alg; returns the payload object. Does not
// interpret claims (see token.h).
JwtCheck jwt_verify_hs256(std::string_view token, std::string_view secret);

}  // namespace minerx::auth
