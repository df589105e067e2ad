#include "runners/auth/jwt.h"

#include <sodium.h>

#include <array>

namespace minerx::auth {
namespace {

constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
using Digest = std::array<unsigned char, crypto_auth_hmacsha256_BYTES>;

const unsigned char* bytes_of(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

Digest hmac_digest(std::string_view key, std::string_view message) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, bytes_of(key), key.size());
    crypto_auth_hmacsha256_update(&state, bytes_of(message), message.size());
    Digest digest{};
    crypto_auth_hmacsha256_final(&state, digest.data());
    sodium_memzero(&state, sizeof state);
    return digest;
}

JwtCheck refuse(std::string reason) { return {std::nullopt, std::move(reason)}; }

// The header minerx writes, encoded once: a token carrying exactly these bytes needs no header
// parse (a third of the verification cost).
const std::string& canonical_header() {
    static const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
    return header;
}

bool header_names_hs256(std::string_view encoded) {
    if (encoded == canonical_header()) return true;
    const auto text = base64url_decode(encoded);
    if (!text) return false;
    const auto header = nlohmann::json::parse(*text, nullptr, false);
    if (!header.is_object()) return false;
    const auto alg = header.find("alg");
    return alg != header.end() && alg->is_string() && *alg == "HS256";
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), kVariant), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes_of(bytes), bytes.size(), kVariant);
    out.resize(out.size() - 1);  // the terminating NUL sodium writes
    return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
    std::string out(text.size() * 3 / 4 + 3, '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, nullptr, kVariant) != 0) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

std::string hmac_sha256(std::string_view key, std::string_view message) {
    const Digest digest = hmac_digest(key, message);
    return std::string(reinterpret_cast<const char*>(digest.data()), digest.size());
}

std::string jwt_sign_hs256_encoded(std::string_view signing_input, std::string_view secret) {
    return std::string(signing_input) + "." + base64url_encode(hmac_sha256(secret, signing_input));
}

std::string jwt_sign_hs256(const nlohmann::json& payload, std::string_view secret) {
    return jwt_sign_hs256_encoded(canonical_header() + "." + base64url_encode(payload.dump()), secret);
}

JwtCheck jwt_verify_hs256(std::string_view token, std::string_view secret) {
    if (token.size() > kMaxTokenBytes) return refuse("token longer than 4096 bytes");
    const std::size_t first = token.find('.');
    const std::size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
    if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
        return refuse("malformed token: expected header.payload.signature");
    }
    const std::string_view signing_input = token.substr(0, second);
    const auto signature = base64url_decode(token.substr(second + 1));
    if (!signature || signature->size() != crypto_auth_hmacsha256_BYTES) {
        return refuse("malformed token: bad signature encoding");
    }
    const Digest expected = hmac_digest(secret, signing_input);
    if (crypto_verify_32(expected.data(), bytes_of(*signature)) != 0) {
        return refuse("invalid token signature");
    }
    if (!header_names_hs256(token.substr(0, first))) return refuse("token algorithm is not HS256");
    const auto payload_text = base64url_decode(token.substr(first + 1, second - first - 1));
    if (!payload_text) return refuse("malformed token: bad base64url");
    auto payload = nlohmann::json::parse(*payload_text, nullptr, false);
    if (!payload.is_object()) return refuse("malformed token: payload is not a JSON object");
    return {std::move(payload), {}};
}

}  // namespace minerx::auth
