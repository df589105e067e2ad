#include "runners/net/rpc_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <optional>

namespace minerx::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

Url require_url(const std::string& text, std::string_view scheme) {
    auto url = parse_url(text);
    if (!url || url->scheme != scheme) {
        throw TransportError("invalid URL \"" + text + "\": expected " + std::string(scheme) +
                                 "://HOST:PORT[/PATH]",
                             false);
    }
    return *url;
}

bool is_unreachable(const beast::error_code& ec) {
    return ec == asio::error::connection_refused || ec == asio::error::host_unreachable ||
           ec == asio::error::network_unreachable || ec == asio::error::host_not_found ||
           ec == asio::error::host_not_found_try_again;
}

// Runs the io_context until `done` or the deadline; on timeout closes `socket` (cancelling the
// pending operation) and throws.
void run_until(asio::io_context& io, const bool& done, Clock::time_point deadline,
               tcp::socket& socket, const std::string& what) {
    io.restart();
    while (!done && io.run_one_until(deadline) > 0) {
    }
    if (done) return;
    beast::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run();
    throw TransportError(what + ": timed out", false);
}

tcp::resolver::results_type resolve(asio::io_context& io, const Url& url) {
    tcp::resolver resolver(io);
    beast::error_code ec;
    auto results = resolver.resolve(url.host, url.port, ec);
    if (ec) throw TransportError("cannot resolve " + url.host + ": " + ec.message(), true);
    return results;
}

void connect(asio::io_context& io, tcp::socket& socket, const Url& url, Clock::time_point deadline) {
    const auto endpoints = resolve(io, url);
    bool done = false;
    beast::error_code result;
    asio::async_connect(socket, endpoints, [&](beast::error_code ec, const tcp::endpoint&) {
        result = ec;
        done = true;
    });
    run_until(io, done, deadline, socket, "connect to " + url.host + ":" + url.port);
    if (result) {
        throw TransportError("cannot connect to " + url.host + ":" + url.port + ": " + result.message(),
                             is_unreachable(result));
    }
}

}  // namespace

rpc::Json result_of(const rpc::Json& response) {
    if (!response.is_object()) throw TransportError("malformed JSON-RPC response", false);
    if (auto error = response.find("error"); error != response.end()) {
        const int code = error->is_object() && error->contains("code") && (*error)["code"].is_number_integer()
                             ? (*error)["code"].get<int>()
                             : rpc::error_code::kInternalError;
        std::string message = "error";
        if (error->is_object() && error->contains("message") && (*error)["message"].is_string()) {
            message = (*error)["message"].get<std::string>();
        }
        throw RpcCallError(code, message, error->is_object() ? error->value("data", rpc::Json()) : rpc::Json());
    }
    if (auto result = response.find("result"); result != response.end()) return *result;
    throw TransportError("malformed JSON-RPC response: neither result nor error", false);
}

HttpRpcClient::HttpRpcClient(const std::string& url, std::string token, std::chrono::milliseconds timeout)
    : url_(require_url(url, "http")), token_(std::move(token)), timeout_(timeout) {}

HttpReply HttpRpcClient::post(const std::string& body) {
    asio::io_context io;
    tcp::socket socket(io);
    const auto deadline = Clock::now() + timeout_;
    connect(io, socket, url_, deadline);

    http::request<http::string_body> request{http::verb::post, url_.target, 11};
    request.set(http::field::host, url_.host);
    request.set(http::field::content_type, "application/json");
    request.set(http::field::user_agent, "minerx");
    if (!token_.empty()) request.set(http::field::authorization, "Bearer " + token_);
    request.keep_alive(false);
    request.body() = body;
    request.prepare_payload();

    bool done = false;
    beast::error_code result;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::async_write(socket, request, [&](beast::error_code ec, std::size_t) {
        if (ec) {
            result = ec;
            done = true;
            return;
        }
        http::async_read(socket, buffer, parser, [&](beast::error_code read_ec, std::size_t) {
            result = read_ec;
            done = true;
        });
    });
    const std::string where = url_.host + ":" + url_.port;
    run_until(io, done, deadline, socket, "request to " + where);
    if (result) throw TransportError("request to " + where + " failed: " + result.message(), false);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

rpc::Json HttpRpcClient::call(const std::string& method, rpc::Json params) {
    const rpc::Json request = {{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", std::move(params)}};
    const HttpReply reply = post(rpc::to_text(request));
    const rpc::Json response = rpc::Json::parse(reply.body, nullptr, false);
    if (response.is_object() && (response.contains("error") || response.contains("result"))) {
        return result_of(response);
    }
    throw TransportError("HTTP " + std::to_string(reply.status) + " from " + url_.host + ":" + url_.port +
                             " without a JSON-RPC response",
                         false);
}

struct WebSocketRpcClient::Impl {
    asio::io_context io;
    websocket::stream<tcp::socket> ws{io};
    std::chrono::milliseconds timeout{};
    NotificationHandler on_notification;
    std::int64_t next_id = 1;
    bool open = false;
    std::string where;
    // One read is always pending once connected; its messages land in `inbox`.
    beast::flat_buffer read_buffer;
    std::deque<rpc::Json> inbox;
    std::deque<rpc::Json> notifications;  // unhandled, for poll()
    beast::error_code read_error;

    void run(const bool& done, Clock::time_point deadline, const std::string& what) {
        try {
            run_until(io, done, deadline, beast::get_lowest_layer(ws), what);
        } catch (const TransportError&) {
            open = false;
            throw;
        }
    }

    void start_read() {
        read_buffer.clear();
        ws.async_read(read_buffer, [this](beast::error_code ec, std::size_t) {
            if (ec) {
                read_error = ec;
                open = false;
                return;
            }
            inbox.push_back(rpc::Json::parse(beast::buffers_to_string(read_buffer.data()), nullptr, false));
            start_read();
        });
    }

    // Moves notifications out of the inbox (to the handler, or to `notifications`); returns the
    // response with `id`, if it arrived.
    std::optional<rpc::Json> sort_inbox(std::optional<std::int64_t> id) {
        std::optional<rpc::Json> response;
        while (!inbox.empty()) {
            rpc::Json message = std::move(inbox.front());
            inbox.pop_front();
            if (message.is_object() && !message.contains("id") && message.contains("method")) {
                if (on_notification) {
                    on_notification(message);
                } else {
                    notifications.push_back(std::move(message));
                }
                continue;
            }
            if (!id || response) continue;  // a stray response (another id): ignored
            if (message.is_object() && message.value("id", rpc::Json()) == *id) {
                response = std::move(message);
            } else if (message.is_object() && message.contains("error") && message["id"].is_null()) {
                response = std::move(message);
            }
        }
        return response;
    }
};

WebSocketRpcClient::WebSocketRpcClient(const std::string& url, const std::string& token,
                                       std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
    const Url parsed = require_url(url, "ws");
    impl_->timeout = timeout;
    impl_->where = parsed.host + ":" + parsed.port;
    const auto deadline = Clock::now() + timeout;
    connect(impl_->io, beast::get_lowest_layer(impl_->ws), parsed, deadline);
    impl_->ws.set_option(websocket::stream_base::decorator([token](websocket::request_type& request) {
        request.set(http::field::user_agent, "minerx");
        if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    }));
    bool done = false;
    beast::error_code result;
    impl_->ws.async_handshake(parsed.host + ":" + parsed.port, parsed.target, [&](beast::error_code ec) {
        result = ec;
        done = true;
    });
    impl_->run(done, deadline, "WebSocket handshake with " + impl_->where);
    if (result) {
        throw TransportError("WebSocket handshake with " + impl_->where + " failed: " + result.message(),
                             false);
    }
    impl_->open = true;
    impl_->start_read();
}

WebSocketRpcClient::~WebSocketRpcClient() {
    try {
        close();
    } catch (...) {
    }
}

void WebSocketRpcClient::set_notification_handler(NotificationHandler handler) {
    impl_->on_notification = std::move(handler);
}

bool WebSocketRpcClient::is_open() const { return impl_->open; }

rpc::Json WebSocketRpcClient::call(const std::string& method, rpc::Json params) {
    if (!impl_->open) throw TransportError("WebSocket to " + impl_->where + " is closed", true);
    const std::int64_t id = impl_->next_id++;
    const std::string text =
        rpc::to_text({{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
    const auto deadline = Clock::now() + impl_->timeout;
    bool done = false;
    beast::error_code result;
    impl_->ws.text(true);
    impl_->ws.async_write(asio::buffer(text), [&](beast::error_code ec, std::size_t) {
        result = ec;
        done = true;
    });
    impl_->run(done, deadline, "call " + method);
    if (result) {
        impl_->open = false;
        throw TransportError("WebSocket write to " + impl_->where + " failed: " + result.message(), false);
    }
    // Run until the response with our id; notifications in between go to the handler.
    for (;;) {
        if (auto response = impl_->sort_inbox(id)) return result_of(*response);
        if (!impl_->open) {
            throw TransportError("WebSocket read from " + impl_->where + " failed: " +
                                     impl_->read_error.message(),
                                 false);
        }
        impl_->io.restart();
        if (impl_->io.run_one_until(deadline) == 0 && Clock::now() >= deadline) {
            impl_->open = false;
            beast::error_code ignored;
            beast::get_lowest_layer(impl_->ws).close(ignored);
            impl_->io.restart();
            impl_->io.run();
            throw TransportError("call " + method + ": timed out", false);
        }
    }
}

std::vector<rpc::Json> WebSocketRpcClient::poll(std::chrono::milliseconds wait) {
    const auto deadline = Clock::now() + wait;
    for (;;) {
        impl_->sort_inbox(std::nullopt);
        if (!impl_->notifications.empty() || !impl_->open || Clock::now() >= deadline) break;
        impl_->io.restart();
        if (impl_->io.run_one_until(deadline) == 0) break;
    }
    impl_->sort_inbox(std::nullopt);
    std::vector<rpc::Json> out(std::make_move_iterator(impl_->notifications.begin()),
                               std::make_move_iterator(impl_->notifications.end()));
    impl_->notifications.clear();
    return out;
}

void WebSocketRpcClient::close() {
    if (!impl_->open) return;
    impl_->open = false;
    bool done = false;
    impl_->ws.async_close(websocket::close_code::normal, [&](beast::error_code) { done = true; });
    try {
        run_until(impl_->io, done, Clock::now() + impl_->timeout, beast::get_lowest_layer(impl_->ws), "close");
    } catch (const TransportError&) {
        // The peer did not answer the close; the socket is closed anyway.
    }
}

}  // namespace minerx::net
