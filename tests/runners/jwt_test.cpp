// JWT HS256: the RFC 7515 vector, and every way a token can be forged, mangled or stale.

#include <gtest/gtest.h>

#include "runners/auth/jwt.h"
#include "runners/auth/token.h"

namespace minerx::auth {
namespace {

// RFC 7515 Appendix A.1 (https://www.rfc-editor.org/rfc/rfc7515#appendix-A.1): the JWS signed
// with HMAC SHA-256, its key (JWK "k") and its complete compact serialisation.
constexpr const char* kRfcKey =
    "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";
constexpr const char* kRfcSigningInput =
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
constexpr const char* kRfcSignature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

std::string rfc_key() { return *base64url_decode(kRfcKey); }
std::string rfc_token() { return std::string(kRfcSigningInput) + "." + kRfcSignature; }

TEST(Jwt, SignsTheRfc7515A1Vector) {
    EXPECT_EQ(jwt_sign_hs256_encoded(kRfcSigningInput, rfc_key()), rfc_token());
}

TEST(Jwt, VerifiesTheRfc7515A1VectorAndReadsItsPayload) {
    const JwtCheck check = jwt_verify_hs256(rfc_token(), rfc_key());
    ASSERT_TRUE(check.payload) << check.error;
    EXPECT_EQ((*check.payload)["iss"], "joe");
    EXPECT_EQ((*check.payload)["exp"], 1300819380);
    EXPECT_EQ((*check.payload)["http://example.com/is_root"], true);
}

TEST(Jwt, Base64UrlRoundTripsAndRejectsPaddingAndStandardAlphabet) {
    const std::string bytes("\x00\xff\xfe?>", 5);
    EXPECT_EQ(base64url_encode(bytes), "AP_-Pz4");
    EXPECT_EQ(base64url_decode("AP_-Pz4"), bytes);
    EXPECT_FALSE(base64url_decode("AP/+Pz4"));
    EXPECT_FALSE(base64url_decode("AP_-Pz4="));
    EXPECT_FALSE(base64url_decode("A"));
}

TEST(Jwt, RejectsAnyChangedByte) {
    const std::string token = rfc_token();
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] == '.') continue;
        std::string tampered = token;
        tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(jwt_verify_hs256(tampered, rfc_key()).payload) << "byte " << i;
    }
}

TEST(Jwt, RejectsTheWrongKey) {
    std::string key = rfc_key();
    key[0] = static_cast<char>(key[0] ^ 1);
    const JwtCheck check = jwt_verify_hs256(rfc_token(), key);
    EXPECT_FALSE(check.payload);
    EXPECT_EQ(check.error, "invalid token signature");
}

TEST(Jwt, RejectsAlgNoneEvenWithAValidMac) {
    // Correctly MACed, but the header claims "none": only HS256 is accepted.
    const std::string input = base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(R"({"a":1})");
    const JwtCheck check = jwt_verify_hs256(jwt_sign_hs256_encoded(input, "k"), "k");
    EXPECT_FALSE(check.payload);
    EXPECT_EQ(check.error, "token algorithm is not HS256");
}

TEST(Jwt, RejectsGarbledTokens) {
    const std::string good = jwt_sign_hs256({{"name", "a"}}, "secret");
    for (const std::string& garbled :
         {std::string(), std::string("."), std::string(".."), std::string("a.b"), std::string("a.b.c.d"),
          good + ".", "x" + good, good.substr(0, good.size() - 1), std::string(5000, 'a'),
          std::string("e30.e30.") + std::string(43, 'A')}) {
        EXPECT_FALSE(jwt_verify_hs256(garbled, "secret").payload) << garbled;
    }
    EXPECT_TRUE(jwt_verify_hs256(good, "secret").payload);
}

TEST(Jwt, RejectsAPayloadThatIsNotAnObject) {
    const std::string input = base64url_encode(R"({"alg":"HS256"})") + "." + base64url_encode("[1]");
    EXPECT_EQ(jwt_verify_hs256(jwt_sign_hs256_encoded(input, "k"), "k").error,
              "malformed token: payload is not a JSON object");
}

TokenClaims claims(rpc::Permission permission, std::optional<std::int64_t> expires_at = std::nullopt) {
    return TokenClaims{"alice", permission, 1000, expires_at, 7};
}

TEST(Token, RoundTripsItsClaims) {
    const std::string token = issue_token(claims(rpc::Permission::sign, 5000), "s");
    const ClaimsCheck check = verify_token(token, "s", 4999);
    ASSERT_TRUE(check.claims) << check.error;
    EXPECT_EQ(check.claims->name, "alice");
    EXPECT_EQ(check.claims->permission, rpc::Permission::sign);
    EXPECT_EQ(check.claims->issued_at, 1000);
    EXPECT_EQ(check.claims->expires_at, 5000);
    EXPECT_EQ(check.claims->token_id, 7);
}

TEST(Token, ExpiresAtItsExpiryTime) {
    const std::string token = issue_token(claims(rpc::Permission::read, 5000), "s");
    EXPECT_TRUE(verify_token(token, "s", 4999).claims);
    EXPECT_EQ(verify_token(token, "s", 5000).error, "token expired");
    EXPECT_EQ(verify_token(token, "s", 9999).error, "token expired");
}

TEST(Token, WithoutExpiryNeverExpires) {
    const std::string token = issue_token(claims(rpc::Permission::admin), "s");
    EXPECT_TRUE(verify_token(token, "s", std::int64_t{1} << 60).claims);
}

TEST(Token, RejectsMissingOrUnknownClaims) {
    for (const nlohmann::json& payload :
         {nlohmann::json{{"perm", "read"}}, nlohmann::json{{"name", ""}, {"perm", "read"}},
          nlohmann::json{{"name", "a"}}, nlohmann::json{{"name", "a"}, {"perm", "none"}},
          nlohmann::json{{"name", "a"}, {"perm", "root"}}, nlohmann::json{{"name", "a"}, {"perm", 4}},
          nlohmann::json{{"name", 1}, {"perm", "read"}},
          nlohmann::json{{"name", "a"}, {"perm", "read"}, {"exp", "never"}},
          nlohmann::json{{"name", "a"}, {"perm", "read"}, {"iat", 1.5}}}) {
        EXPECT_FALSE(verify_token(jwt_sign_hs256(payload, "s"), "s", 0).claims) << payload;
    }
}

TEST(Permission, OrdersReadWriteSignAdmin) {
    using rpc::Permission;
    using rpc::permits;
    const Permission order[] = {Permission::none, Permission::read, Permission::write, Permission::sign,
                                Permission::admin};
    for (std::size_t held = 0; held < 5; ++held) {
        for (std::size_t required = 0; required < 5; ++required) {
            EXPECT_EQ(permits(order[held], order[required]), held >= required) << held << " " << required;
        }
    }
    EXPECT_EQ(rpc::permissions_up_to(Permission::sign), (std::vector<std::string>{"read", "write", "sign"}));
    EXPECT_TRUE(rpc::permissions_up_to(Permission::none).empty());
    EXPECT_EQ(rpc::parse_token_permission("write"), Permission::write);
    EXPECT_FALSE(rpc::parse_token_permission("none"));
    EXPECT_FALSE(rpc::parse_token_permission("Admin"));
}

}  // namespace
}  // namespace minerx::auth
