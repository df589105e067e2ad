// The auth store's rules (users, 1:1 miner binding, tokens, the secret) and the auth service's
// JSON-RPC methods, including the permission of each.

#include <gtest/gtest.h>
#include <sodium.h>

#include <map>

#include "runners/auth/auth_client.h"
#include "runners/auth/auth_service.h"
#include "runners/auth/token.h"
#include "runners/rpc/dispatcher.h"

namespace minerx::auth {
namespace {

using rpc::Caller;
using rpc::Json;
using rpc::Permission;

class AuthStoreTest : public ::testing::Test {
protected:
    store::Database db_ = store::Database::open_in_memory();
    AuthStore store_{db_};
};

TEST_F(AuthStoreTest, AddsAndFindsUsers) {
    const User alice = store_.add_user("alice", "member 1", 100);
    EXPECT_EQ(alice.name, "alice");
    EXPECT_TRUE(alice.enabled);
    EXPECT_EQ(alice.created_at, 100);
    EXPECT_EQ(store_.find_user("alice")->comment, "member 1");
    EXPECT_FALSE(store_.find_user("bob"));
    EXPECT_THROW(store_.add_user("alice", "", 1), AuthError);
}

TEST_F(AuthStoreTest, RejectsBadUserNames) {
    for (const char* name : {"", "a b", "a/b", "ä", "x;DROP TABLE users"}) {
        EXPECT_THROW(store_.add_user(name, "", 1), AuthError) << name;
    }
    EXPECT_THROW(store_.add_user(std::string(65, 'a'), "", 1), AuthError);
    EXPECT_NO_THROW(store_.add_user(std::string(64, 'a'), "", 1));
    EXPECT_NO_THROW(store_.add_user("A.b-c_9", "", 1));
}

TEST_F(AuthStoreTest, DisablesAndEnablesUsers) {
    store_.add_user("alice", "", 1);
    EXPECT_FALSE(store_.set_user_enabled("alice", false).enabled);
    EXPECT_FALSE(store_.find_user("alice")->enabled);
    EXPECT_TRUE(store_.set_user_enabled("alice", true).enabled);
    EXPECT_THROW(store_.set_user_enabled("bob", false), AuthError);
}

TEST_F(AuthStoreTest, BindsEachMinerToOneUser) {
    store_.add_user("alice", "", 1);
    store_.add_user("bob", "", 1);
    store_.bind_miner("alice", "f01234");
    store_.bind_miner("alice", "f05678");
    store_.bind_miner("alice", "f01234");  // idempotent
    EXPECT_EQ(store_.find_user("alice")->miners, (std::vector<std::string>{"f01234", "f05678"}));
    EXPECT_EQ(store_.user_by_miner("f05678")->name, "alice");
    try {
        store_.bind_miner("bob", "f01234");
        FAIL() << "a miner was bound to two users";
    } catch (const AuthError& error) {
        EXPECT_STREQ(error.what(), "miner f01234 is already bound to user alice");
    }
    EXPECT_TRUE(store_.unbind_miner("f01234"));
    EXPECT_FALSE(store_.unbind_miner("f01234"));
    store_.bind_miner("bob", "f01234");
    EXPECT_EQ(store_.user_by_miner("f01234")->name, "bob");
    EXPECT_THROW(store_.bind_miner("carol", "f09"), AuthError);
}

TEST_F(AuthStoreTest, RejectsMinerAddressesThatAreNotActorIds) {
    store_.add_user("alice", "", 1);
    for (const char* miner : {"", "f0", "f1abc", "f01x", "F01234", "f0123456789012345678901", "01234"}) {
        EXPECT_THROW(store_.bind_miner("alice", miner), AuthError) << miner;
    }
    EXPECT_NO_THROW(store_.bind_miner("alice", "t01000"));
}

TEST_F(AuthStoreTest, ListsUsersByNameWithTheirMiners) {
    store_.add_user("carol", "", 1);
    store_.add_user("alice", "", 1);
    store_.bind_miner("carol", "f02");
    const auto users = store_.list_users();
    ASSERT_EQ(users.size(), 2u);
    EXPECT_EQ(users[0].name, "alice");
    EXPECT_EQ(users[1].miners, std::vector<std::string>{"f02"});
}

TEST_F(AuthStoreTest, CreatesTheSecretOnceAndKeepsIt) {
    bool created = false;
    const std::string secret = store_.signing_secret(&created);
    EXPECT_TRUE(created);
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(store_.signing_secret(&created), secret);
    EXPECT_FALSE(created);
}

class AuthServiceTest : public ::testing::Test {
protected:
    AuthServiceTest() {
        service_.register_methods(registry_);
        admin_token_ = service_.bootstrap_admin();
    }

    Json call(const std::string& method, Json params, Permission permission, const std::string& name = "admin") {
        const Json request = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
        return Json::parse(*dispatcher_.handle(request.dump(), Caller{permission, name}));
    }
    Json result(const std::string& method, Json params) {
        const Json response = call(method, std::move(params), Permission::admin);
        EXPECT_FALSE(response.contains("error")) << response;
        return response["result"];
    }

    std::int64_t now_ = 1'000'000;
    store::Database db_ = store::Database::open_in_memory();
    AuthStore store_{db_};
    AuthService service_{store_, store_.signing_secret(), [this] { return now_; }};
    rpc::MethodRegistry registry_;
    rpc::Dispatcher dispatcher_{registry_};
    std::string admin_token_;
};

TEST_F(AuthServiceTest, TheBootstrapTokenIsAnAdminToken) {
    const rpc::TokenCheck check = service_.verify(admin_token_);
    ASSERT_TRUE(check.caller) << check.error;
    EXPECT_EQ(check.caller->permission, Permission::admin);
    EXPECT_EQ(check.caller->name, "admin");
}

TEST_F(AuthServiceTest, IssuedTokensCarryUserAndPermission) {
    store_.add_user("alice", "", now_);
    const rpc::TokenCheck check = service_.verify(service_.issue("alice", Permission::write));
    ASSERT_TRUE(check.caller);
    EXPECT_EQ(check.caller->name, "alice");
    EXPECT_EQ(check.caller->permission, Permission::write);
    EXPECT_THROW(service_.issue("nobody", Permission::read), AuthError);
}

TEST_F(AuthServiceTest, DisablingAUserRevokesItsTokens) {
    store_.add_user("alice", "", now_);
    const std::string token = service_.issue("alice", Permission::sign);
    ASSERT_TRUE(service_.verify(token).caller);
    result("Auth.DisableUser", {"alice"});
    EXPECT_EQ(service_.verify(token).error, "user alice is disabled");
    EXPECT_THROW(service_.issue("alice", Permission::read), AuthError);
    result("Auth.EnableUser", {"alice"});
    EXPECT_TRUE(service_.verify(token).caller);
}

TEST_F(AuthServiceTest, TokensFromAnotherSecretOrExpiredAreRefused) {
    store_.add_user("alice", "", now_);
    EXPECT_EQ(service_.verify(issue_token({"alice", Permission::admin, now_, std::nullopt, 1}, "other")).error,
              "invalid token signature");
    const std::string short_lived = service_.issue("alice", Permission::read, 60);
    EXPECT_TRUE(service_.verify(short_lived).caller);
    now_ += 60;
    EXPECT_EQ(service_.verify(short_lived).error, "token expired");
}

TEST_F(AuthServiceTest, AdminUserCannotBeDisabled) {
    const Json response = call("Auth.DisableUser", {"admin"}, Permission::admin);
    EXPECT_EQ(response["error"]["code"], rpc::error_code::kRequestFailed);
    EXPECT_TRUE(service_.verify(admin_token_).caller);
}

TEST_F(AuthServiceTest, MethodsRoundTrip) {
    EXPECT_EQ(result("Auth.AddUser", {"alice", "first member"})["comment"], "first member");
    EXPECT_EQ(result("Auth.BindMiner", {"alice", "f01234"})["miners"], Json({"f01234"}));
    EXPECT_EQ(result("Auth.GetUserByMiner", {"f01234"})["name"], "alice");
    EXPECT_EQ(result("Auth.GetUser", {"alice"})["enabled"], true);
    EXPECT_EQ(result("Auth.ListUsers", Json::array()).size(), 2u);  // admin and alice
    const std::string token = result("Auth.IssueToken", {"alice", "write"}).get<std::string>();
    EXPECT_EQ(result("Auth.VerifyToken", {token}),
              Json::parse(R"({"name":"alice","perm":"write","allow":["read","write"]})"));
    EXPECT_EQ(result("Filecoin.AuthVerify", {token}), Json({"read", "write"}));
    EXPECT_EQ(result("Auth.UnbindMiner", {"f01234"}), true);
    EXPECT_EQ(call("Auth.GetUserByMiner", {"f01234"}, Permission::admin)["error"]["message"],
              "miner f01234 is not bound to any user");
}

TEST_F(AuthServiceTest, AuthNewIssuesForTheCallerAsLotusDoes) {
    const std::string base64 = result("Filecoin.AuthNew", Json::array({Json::array({"read", "sign"})})).get<std::string>();
    std::string token(base64.size(), '\0');
    std::size_t length = 0;
    ASSERT_EQ(sodium_base642bin(reinterpret_cast<unsigned char*>(token.data()), token.size(), base64.data(),
                                base64.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL),
              0);
    token.resize(length);
    const rpc::TokenCheck check = service_.verify(token);
    ASSERT_TRUE(check.caller);
    EXPECT_EQ(check.caller->name, "admin");
    EXPECT_EQ(check.caller->permission, Permission::sign);
    EXPECT_EQ(call("Filecoin.AuthNew", Json::array({Json::array({"root"})}), Permission::admin)["error"]["code"], rpc::error_code::kInvalidParams);
}

TEST_F(AuthServiceTest, RefusalsAreJsonRpcErrors) {
    EXPECT_EQ(call("Auth.AddUser", {"bad name"}, Permission::admin)["error"]["code"], rpc::error_code::kRequestFailed);
    EXPECT_EQ(call("Auth.AddUser", {42}, Permission::admin)["error"]["code"], rpc::error_code::kInvalidParams);
    EXPECT_EQ(call("Auth.IssueToken", {"admin", "root"}, Permission::admin)["error"]["code"],
              rpc::error_code::kInvalidParams);
    EXPECT_EQ(call("Auth.IssueToken", {"admin", "read", -5}, Permission::admin)["error"]["code"],
              rpc::error_code::kInvalidParams);
    EXPECT_EQ(call("Auth.VerifyToken", {"garbage"}, Permission::none)["error"]["code"],
              rpc::error_code::kUnauthorized);
}

// Every method × every role: allowed exactly when the role is at least the method's permission.
TEST_F(AuthServiceTest, PermissionMatrix) {
    const std::map<std::string, Permission> required = {
        {"Filecoin.AuthVerify", Permission::none}, {"Auth.VerifyToken", Permission::none},
        {"Auth.Version", Permission::none},        {"Auth.GetUser", Permission::read},
        {"Auth.ListUsers", Permission::read},      {"Auth.GetUserByMiner", Permission::read},
        {"Filecoin.AuthNew", Permission::admin},   {"Auth.IssueToken", Permission::admin},
        {"Auth.AddUser", Permission::admin},       {"Auth.DisableUser", Permission::admin},
        {"Auth.EnableUser", Permission::admin},    {"Auth.BindMiner", Permission::admin},
        {"Auth.UnbindMiner", Permission::admin}};
    ASSERT_EQ(registry_.methods().size(), required.size());
    for (const rpc::Method* method : registry_.methods()) {
        ASSERT_TRUE(required.count(method->name)) << method->name;
        EXPECT_EQ(method->required, required.at(method->name)) << method->name;
        for (Permission role : {Permission::none, Permission::read, Permission::write, Permission::sign,
                                Permission::admin}) {
            const Json response = call(method->name, Json::array(), role);
            const bool denied = response.contains("error") &&
                                response["error"]["code"] == rpc::error_code::kPermissionDenied;
            EXPECT_EQ(denied, !rpc::permits(role, method->required))
                << method->name << " as " << rpc::permission_name(role) << ": " << response;
        }
    }
}

TEST(AuthClient, CachesPositiveAnswersForTheTtl) {
    std::int64_t now_ms = 0;
    int remote_calls = 0;
    bool revoked = false;
    AuthClient client(
        [&](std::string_view token) -> rpc::TokenCheck {
            ++remote_calls;
            if (token != "good" || revoked) return {std::nullopt, "refused"};
            return {Caller{Permission::write, "alice"}, {}};
        },
        AuthClientOptions{std::chrono::milliseconds(1000), 100}, [&] { return now_ms; });
    EXPECT_EQ(client.verify("good").caller->name, "alice");
    EXPECT_TRUE(client.verify("good").caller);
    EXPECT_EQ(remote_calls, 1);
    revoked = true;
    now_ms = 999;
    EXPECT_TRUE(client.verify("good").caller);  // still cached
    now_ms = 1000;
    EXPECT_EQ(client.verify("good").error, "refused");  // TTL over: asks again, sees the revocation
    EXPECT_EQ(remote_calls, 2);
    EXPECT_FALSE(client.verify("bad").caller);
    EXPECT_FALSE(client.verify("bad").caller);
    EXPECT_EQ(remote_calls, 4);  // refusals are not cached
}

TEST(AuthClient, AnUnreachableServiceRefusesWithoutCaching) {
    AuthClient client([](std::string_view) -> rpc::TokenCheck { throw std::runtime_error("connection refused"); });
    const rpc::TokenCheck check = client.verify("x");
    EXPECT_FALSE(check.caller);
    EXPECT_EQ(check.error, "auth service unavailable: connection refused");
    EXPECT_EQ(client.cached_entries(), 0u);
}

TEST(AuthClient, BoundsItsCache) {
    std::int64_t now_ms = 0;
    AuthClient client([](std::string_view) -> rpc::TokenCheck { return {Caller{Permission::read, "a"}, {}}; },
                      AuthClientOptions{std::chrono::milliseconds(1000), 10}, [&] { return now_ms; });
    for (int i = 0; i < 25; ++i) client.verify("t" + std::to_string(i));
    EXPECT_LE(client.cached_entries(), 10u);
}

TEST(LocalVerifier, ChecksSignatureAndClaimsOnly) {
    const LocalVerifier verifier("secret", [] { return std::int64_t{100}; });
    const rpc::TokenCheck ok = verifier.verify(issue_token({"bob", Permission::read, 1, 200, 1}, "secret"));
    ASSERT_TRUE(ok.caller);
    EXPECT_EQ(ok.caller->name, "bob");
    EXPECT_FALSE(verifier.verify(issue_token({"bob", Permission::read, 1, 50, 1}, "secret")).caller);
    EXPECT_FALSE(verifier.verify(issue_token({"bob", Permission::read, 1, 200, 1}, "other")).caller);
}

}  // namespace
}  // namespace minerx::auth
