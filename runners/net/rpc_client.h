#pragma once

// Blocking JSON-RPC clients for command-line tools, tests and daemons talking to each other:
//   - HttpRpcClient: one HTTP POST per call (a fresh connection; CLIs make a handful of calls).
//   - WebSocketRpcClient: one long-lived connection, opened from the client side, so a member's
//     prover behind NAT keeps a channel to the pool without a public address. Calls are
//     sequential; server-initiated notifications (server push) that arrive while waiting for a
//     response are passed to the notification handler, and poll() waits for them between calls.
//     A read is always pending, but the connection is only serviced inside call() and poll(): a
//     client that neither calls nor polls for longer than the server's read timeout misses its
//     pings and is disconnected (is_open() turns false; reconnect).
// Every operation has a deadline. Errors are exceptions: TransportError (cannot connect, timeout,
// HTTP error without a JSON-RPC body) and RpcCallError (the server answered with a JSON-RPC error).

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "runners/net/endpoint.h"
#include "runners/rpc/json_rpc.h"

namespace minerx::net {

class TransportError : public std::runtime_error {
public:
    TransportError(const std::string& message, bool unavailable)
        : std::runtime_error(message), unavailable_(unavailable) {}
    // The service could not be reached at all (connection refused, no route, resolution failed).
    bool unavailable() const { return unavailable_; }

private:
    bool unavailable_;
};

class RpcCallError : public std::runtime_error {
public:
    RpcCallError(int code, const std::string& message, rpc::Json data = nullptr)
        : std::runtime_error(message), code_(code), data_(std::move(data)) {}
    int code() const { return code_; }
    const rpc::Json& data() const { return data_; }

private:
    int code_;
    rpc::Json data_;
};

struct HttpReply {
    int status = 0;
    std::string body;
};

class HttpRpcClient {
public:
    // url: http://host:port[/path] (path defaults to /rpc/v0). token may be empty.
    HttpRpcClient(const std::string& url, std::string token,
                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

    // Calls a method with positional params and returns its result.
    rpc::Json call(const std::string& method, rpc::Json params = rpc::Json::array());

    // Posts a raw body (tests of malformed requests) and returns status and body as received.
    HttpReply post(const std::string& body);

private:
    Url url_;
    std::string token_;
    std::chrono::milliseconds timeout_;
    std::int64_t next_id_ = 1;
};

// Interprets a JSON-RPC response object: its result, or RpcCallError.
rpc::Json result_of(const rpc::Json& response);

class WebSocketRpcClient {
public:
    using NotificationHandler = std::function<void(const rpc::Json& notification)>;

    // Connects and upgrades; the token goes in the Authorization header.
    WebSocketRpcClient(const std::string& url, const std::string& token,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10));
    ~WebSocketRpcClient();
    WebSocketRpcClient(const WebSocketRpcClient&) = delete;
    WebSocketRpcClient& operator=(const WebSocketRpcClient&) = delete;

    rpc::Json call(const std::string& method, rpc::Json params = rpc::Json::array());
    // Services the connection for up to `wait` and returns the notifications received (also
    // those queued during earlier calls when no handler was set), oldest first. Returns early
    // once one has arrived; returns empty on timeout or when the connection is lost (is_open()).
    std::vector<rpc::Json> poll(std::chrono::milliseconds wait);
    void set_notification_handler(NotificationHandler handler);
    bool is_open() const;
    void close();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace minerx::net
