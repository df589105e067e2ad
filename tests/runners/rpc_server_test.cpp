// The HTTP/WebSocket server and the blocking clients over loopback: token extraction and the
// 401 / permission errors, body limits, notifications, keep-alive, and that malformed input never
// stops the server.

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "runners/net/rpc_client.h"
#include "runners/net/rpc_server.h"
#include "runners/rpc/dispatcher.h"

namespace minerx::net {
namespace {

using rpc::Caller;
using rpc::Json;
using rpc::Permission;

class RpcServerTest : public ::testing::Test {
protected:
    RpcServerTest() {
        registry_.add_typed("Test.WhoAmI", Permission::read, [](const Caller& caller) {
            return Json{{"name", caller.name}, {"perm", rpc::permission_name(caller.permission)}};
        });
        registry_.add_typed("Test.Echo", Permission::none, [](const Caller&, const Json& value) { return value; });
        registry_.add_typed("Test.Admin", Permission::admin, [](const Caller&) { return true; });
        registry_.add_typed("Test.Session", Permission::none,
                            [](const Caller& caller) { return caller.session; });
        ServerOptions options;
        options.max_body_bytes = 8192;
        server_ = std::make_unique<RpcServer>(
            io_, options,
            [](std::string_view token) -> rpc::TokenCheck {
                if (token == "read-token") return {Caller{Permission::read, "reader"}, {}};
                if (token == "admin-token") return {Caller{Permission::admin, "boss"}, {}};
                return {std::nullopt, "unknown token"};
            },
            [this](std::string_view body, const Caller& caller) { return dispatcher_.handle(body, caller); });
        server_->listen({"127.0.0.1", 0});
        thread_ = std::thread([this] { io_.run(); });
    }
    ~RpcServerTest() override {
        io_.stop();
        thread_.join();
    }

    std::string http_url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/rpc/v0"; }
    std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(server_->port()) + "/rpc/v0"; }

    rpc::MethodRegistry registry_;
    rpc::Dispatcher dispatcher_{registry_, rpc::RequestLimits{.max_body_bytes = 8192}};
    boost::asio::io_context io_;
    std::unique_ptr<RpcServer> server_;
    std::thread thread_;
};

TEST_F(RpcServerTest, HttpCallCarriesTheCallerFromTheBearerToken) {
    HttpRpcClient client(http_url(), "read-token");
    EXPECT_EQ(client.call("Test.WhoAmI"), Json::parse(R"({"name":"reader","perm":"read"})"));
    EXPECT_EQ(client.call("Test.Echo", {{{"/", "bafy"}}}), Json::parse(R"({"/":"bafy"})"));
}

TEST_F(RpcServerTest, PermissionTooLowIsAJsonRpcErrorNamingIt) {
    HttpRpcClient client(http_url(), "read-token");
    try {
        client.call("Test.Admin");
        FAIL();
    } catch (const RpcCallError& error) {
        EXPECT_EQ(error.code(), rpc::error_code::kPermissionDenied);
        EXPECT_STREQ(error.what(), "missing permission to invoke 'Test.Admin' (need 'admin')");
    }
    EXPECT_EQ(HttpRpcClient(http_url(), "admin-token").call("Test.Admin"), true);
}

TEST_F(RpcServerTest, NoTokenReachesOnlyPublicMethods) {
    HttpRpcClient client(http_url(), "");
    EXPECT_EQ(client.call("Test.Echo", {1}), 1);
    try {
        client.call("Test.WhoAmI");
        FAIL();
    } catch (const RpcCallError& error) {
        EXPECT_EQ(error.code(), rpc::error_code::kPermissionDenied);
    }
}

TEST_F(RpcServerTest, AnInvalidTokenIsHttp401WithAJsonRpcError) {
    HttpRpcClient client(http_url(), "forged");
    const HttpReply reply = client.post(R"({"jsonrpc":"2.0","id":1,"method":"Test.Echo","params":[1]})");
    EXPECT_EQ(reply.status, 401);
    const Json body = Json::parse(reply.body);
    EXPECT_EQ(body["error"]["code"], rpc::error_code::kUnauthorized);
    EXPECT_EQ(body["error"]["message"], "invalid token: unknown token");
}

TEST_F(RpcServerTest, MalformedInputGetsErrorsAndTheServerStaysUp) {
    HttpRpcClient client(http_url(), "");
    EXPECT_EQ(Json::parse(client.post("{").body)["error"]["code"], rpc::error_code::kParseError);
    EXPECT_EQ(Json::parse(client.post(R"({"jsonrpc":"2.0","id":1,"method":7})").body)["error"]["code"],
              rpc::error_code::kInvalidRequest);
    const HttpReply big = client.post(std::string(9000, ' '));
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(Json::parse(big.body)["error"]["code"], rpc::error_code::kInvalidRequest);
    const HttpReply notification = client.post(R"({"jsonrpc":"2.0","method":"Test.Echo","params":[1]})");
    EXPECT_EQ(notification.status, 204);
    EXPECT_TRUE(notification.body.empty());
    EXPECT_EQ(client.call("Test.Echo", {"still up"}), "still up");
}

TEST_F(RpcServerTest, OtherPathsAndVerbsAreRefused) {
    const std::string base = "http://127.0.0.1:" + std::to_string(server_->port());
    EXPECT_EQ(HttpRpcClient(base + "/elsewhere", "").post("{}").status, 404);
}

TEST_F(RpcServerTest, WebSocketKeepsOneConnectionForManyCalls) {
    WebSocketRpcClient client(ws_url(), "read-token");
    for (int i = 0; i < 20; ++i) EXPECT_EQ(client.call("Test.Echo", {i}), i);
    EXPECT_EQ(client.call("Test.WhoAmI")["name"], "reader");
    EXPECT_THROW(client.call("Test.Admin"), RpcCallError);
    EXPECT_TRUE(client.is_open());
    client.close();
    EXPECT_FALSE(client.is_open());
}

TEST_F(RpcServerTest, WebSocketTakesTheTokenFromTheQueryToo) {
    WebSocketRpcClient client(ws_url() + "?token=admin-token", "");
    EXPECT_EQ(client.call("Test.WhoAmI")["name"], "boss");
}

TEST_F(RpcServerTest, WebSocketNotificationsGetNoReply) {
    // A notification sent as a call's method would never be answered; the call after it is.
    WebSocketRpcClient client(ws_url(), "");
    EXPECT_EQ(client.call("Test.Echo", {"first"}), "first");
    EXPECT_EQ(client.call("Test.Echo", {"second"}), "second");
}

TEST_F(RpcServerTest, ServerPushReachesTheWebSocketSessionInOrder) {
    std::atomic<std::uint64_t> closed{0};
    server_->set_session_closed_handler([&](std::uint64_t session) { closed = session; });
    WebSocketRpcClient client(ws_url(), "");
    const std::uint64_t session = client.call("Test.Session").get<std::uint64_t>();
    ASSERT_GT(session, 0u);
    EXPECT_EQ(HttpRpcClient(http_url(), "").call("Test.Session"), 0);  // HTTP has no session
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(server_->push(session, rpc::to_text({{"jsonrpc", "2.0"}, {"method", "Test.Tick"}, {"params", {i}}})));
    }
    std::vector<Json> received;
    for (int attempt = 0; attempt < 50 && received.size() < 3; ++attempt) {
        for (Json& message : client.poll(std::chrono::milliseconds(100))) received.push_back(message);
    }
    ASSERT_EQ(received.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(received[static_cast<std::size_t>(i)]["params"][0], i);
    // A call after pushes still gets its own response.
    EXPECT_EQ(client.call("Test.Echo", {"after"}), "after");
    EXPECT_FALSE(server_->push(session + 1000, "{}"));
    client.close();
    for (int attempt = 0; attempt < 100 && closed.load() != session; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(closed.load(), session);
    EXPECT_FALSE(server_->push(session, "{}"));
}

TEST_F(RpcServerTest, PollTimesOutWithoutNotifications) {
    WebSocketRpcClient client(ws_url(), "");
    EXPECT_TRUE(client.poll(std::chrono::milliseconds(20)).empty());
    EXPECT_TRUE(client.is_open());
    EXPECT_EQ(client.call("Test.Echo", {1}), 1);
}

TEST_F(RpcServerTest, WebSocketUpgradeWithAnInvalidTokenIsRefused) {
    EXPECT_THROW(WebSocketRpcClient(ws_url(), "forged"), TransportError);
}

TEST(RpcClient, ARefusedConnectionIsReportedAsUnavailable) {
    // Bind then close a listener so the port is (almost certainly) free and refusing.
    boost::asio::io_context io;
    std::uint16_t port = 0;
    {
        RpcServer probe(io, {}, [](std::string_view) { return rpc::TokenCheck{}; },
                        [](std::string_view, const Caller&) { return std::optional<std::string>(); });
        probe.listen({"127.0.0.1", 0});
        port = probe.port();
    }
    HttpRpcClient client("http://127.0.0.1:" + std::to_string(port), "");
    try {
        client.call("X");
        FAIL();
    } catch (const TransportError& error) {
        EXPECT_TRUE(error.unavailable()) << error.what();
    }
}

TEST(Endpoint, ParsesListenAddressesAndUrls) {
    EXPECT_EQ(parse_listen_address("127.0.0.1:8989")->port, 8989);
    EXPECT_EQ(parse_listen_address("[::1]:0")->host, "::1");
    EXPECT_FALSE(parse_listen_address("127.0.0.1"));
    EXPECT_FALSE(parse_listen_address("127.0.0.1:65536"));
    EXPECT_FALSE(parse_listen_address(":80"));
    const auto url = parse_url("http://localhost:1234");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->target, "/rpc/v0");
    EXPECT_EQ(url->port, "1234");
    EXPECT_EQ(parse_url("ws://h:1/rpc/v1?token=x")->target, "/rpc/v1?token=x");
    EXPECT_FALSE(parse_url("https://h:1"));
    EXPECT_FALSE(parse_url("http://h:99999"));
}

}  // namespace
}  // namespace minerx::net
