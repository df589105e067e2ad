#pragma once

// The daemons' JSON-RPC server: HTTP/1.1 POST and WebSocket on the same path (/rpc/v0, as Lotus
// and Venus serve it), on Boost.Beast with one io_context thread.
//
// Per request: the bearer token is taken from `Authorization: Bearer <jwt>` (or, for browsers and
// WebSocket clients that cannot set headers, a `token` query parameter) and checked through the
// pluggable TokenVerifier before anything is dispatched:
//   - no token: the caller holds Permission::none and reaches only public methods; any other
//     method answers the JSON-RPC error kPermissionDenied naming the permission it needs;
//   - a token the verifier refuses, or a malformed Authorization header: HTTP 401 with a
//     JSON-RPC kUnauthorized error in the body (a WebSocket upgrade is refused the same way);
//   - a valid token: its permission, checked per method by the dispatcher.
// Limits: request bodies and WebSocket messages above max_body_bytes get HTTP 413 / a close;
// a connection that sends nothing for read_timeout is closed (idle keep-alive included).
//
// The handler runs on the io_context thread; a handler that writes to a database commits before
// it returns, so a response is only ever sent for a durable write.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runners/net/endpoint.h"
#include "runners/rpc/permission.h"

namespace boost::asio {
class io_context;
}

namespace minerx::net {

using TokenVerifier = std::function<rpc::TokenCheck(std::string_view token)>;
// A JSON-RPC body in, the response text out (nullopt: nothing to send, e.g. notifications).
using RpcHandler = std::function<std::optional<std::string>(std::string_view body, const rpc::Caller&)>;

struct ServerOptions {
    std::string path = std::string(kRpcPath);
    std::size_t max_body_bytes = 1 << 20;
    std::chrono::milliseconds read_timeout{30'000};
};

class RpcServer {
public:
    RpcServer(boost::asio::io_context& io, ServerOptions options, TokenVerifier verifier,
              RpcHandler handler);
    ~RpcServer();
    RpcServer(const RpcServer&) = delete;
    RpcServer& operator=(const RpcServer&) = delete;

    // Binds and starts accepting. Throws std::runtime_error naming the address and the reason.
    void listen(const ListenAddress& address);
    // The bound port (useful after listening on port 0).
    std::uint16_t port() const;
    // Stops accepting; open connections are closed when the io_context stops.
    void stop();

    // Server push: queues `text` (a JSON-RPC notification) on WebSocket session `session`
    // (rpc::Caller::session of a request that came over it). Messages to one session are sent in
    // order, interleaved with responses but never inside one. Returns false if the session is
    // closed or unknown. Callable from any thread.
    bool push(std::uint64_t session, std::string text);
    // Called (on the io_context thread) when a WebSocket session ends, with its number.
    void set_session_closed_handler(std::function<void(std::uint64_t session)> handler);
    std::size_t open_sessions() const;

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// Runs the io_context until SIGINT or SIGTERM, then stops the server and the io_context: pending
// handlers have completed (each request is handled to completion before the next event), so no
// acknowledged write is lost. Returns the signal number.
int run_until_signal(boost::asio::io_context& io, RpcServer& server);

}  // namespace minerx::net
