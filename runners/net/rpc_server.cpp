#include "runners/net/rpc_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <csignal>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>

#include "runners/rpc/json_rpc.h"

namespace minerx::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

class WebSocketSession;

struct ServerState {
    ServerOptions options;
    TokenVerifier verifier;
    RpcHandler handler;
    // Open WebSocket sessions by number, for server push. Guarded: push may come from any thread.
    mutable std::mutex sessions_mutex;
    std::map<std::uint64_t, std::weak_ptr<WebSocketSession>> sessions;
    std::uint64_t next_session = 1;
    std::function<void(std::uint64_t)> on_session_closed;
};

// The caller the request's credentials establish, or why they are refused.
struct Authentication {
    std::optional<rpc::Caller> caller;
    std::string error;
};

std::string_view query_parameter(std::string_view target, std::string_view name) {
    const auto question = target.find('?');
    if (question == std::string_view::npos) return {};
    std::string_view query = target.substr(question + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
            return pair.substr(name.size() + 1);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

bool starts_with_bearer(std::string_view value) {
    constexpr std::string_view kScheme = "bearer ";
    if (value.size() < kScheme.size()) return false;
    for (std::size_t i = 0; i < kScheme.size(); ++i) {
        const char c = value[i];
        if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kScheme[i]) return false;
    }
    return true;
}

Authentication authenticate(const HttpRequest& request, const TokenVerifier& verifier) {
    std::string_view token;
    const auto header = request.find(http::field::authorization);
    if (header != request.end()) {
        const std::string_view value(header->value().data(), header->value().size());
        if (!starts_with_bearer(value)) {
            return {std::nullopt, "the Authorization header must be \"Bearer <token>\""};
        }
        token = value.substr(7);
        while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    } else {
        token = query_parameter(std::string_view(request.target().data(), request.target().size()), "token");
    }
    if (token.empty()) return {rpc::Caller{}, {}};
    rpc::TokenCheck check = verifier(token);
    if (!check.caller) return {std::nullopt, "invalid token: " + check.error};
    return {std::move(check.caller), {}};
}

HttpResponse make_response(const HttpRequest& request, http::status status, std::string body,
                           std::string_view content_type = "application/json") {
    HttpResponse response{status, request.version()};
    response.set(http::field::server, "minerx");
    response.set(http::field::content_type, std::string(content_type));
    if (status == http::status::unauthorized) response.set(http::field::www_authenticate, "Bearer");
    response.keep_alive(request.keep_alive());
    response.body() = std::move(body);
    response.prepare_payload();
    return response;
}

std::string error_body(int code, std::string_view message) {
    return rpc::to_text(rpc::make_error_response(nullptr, code, message));
}

class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
public:
    WebSocketSession(tcp::socket&& socket, std::shared_ptr<ServerState> state, rpc::Caller caller)
        : ws_(std::move(socket)), state_(std::move(state)), caller_(std::move(caller)) {}

    void start(HttpRequest request) {
        {
            std::lock_guard lock(state_->sessions_mutex);
            caller_.session = state_->next_session++;
            state_->sessions[caller_.session] = weak_from_this();
        }
        // The tcp_stream's own timer is replaced by the WebSocket's idle timeout with pings.
        beast::get_lowest_layer(ws_).expires_never();
        websocket::stream_base::timeout timeout =
            websocket::stream_base::timeout::suggested(beast::role_type::server);
        // Silent for half the idle timeout: the server pings; silent for all of it: closed. A
        // client that keeps reading (answering pings) stays connected indefinitely.
        timeout.idle_timeout = state_->options.read_timeout;
        timeout.keep_alive_pings = true;
        ws_.set_option(timeout);
        ws_.read_message_max(state_->options.max_body_bytes);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& response) { response.set(http::field::server, "minerx"); }));
        ws_.async_accept(request, beast::bind_front_handler(&WebSocketSession::on_accept, shared_from_this()));
    }

    // send() from any thread: hops onto the session's strand first.
    void post_send(std::string text) {
        asio::post(ws_.get_executor(), [self = shared_from_this(), message = std::move(text)]() mutable {
            self->send(std::move(message));
        });
    }

    // Queues a message; sent after those queued before it.
    void send(std::string text) {
        if (closed_) return;
        outbox_.push_back(std::move(text));
        if (outbox_.size() == 1 && accepted_) write_next();
    }

private:
    void on_accept(beast::error_code ec) {
        if (ec) return end();
        accepted_ = true;
        if (!outbox_.empty()) write_next();
        read();
    }

    void read() {
        buffer_.clear();
        ws_.async_read(buffer_, beast::bind_front_handler(&WebSocketSession::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == websocket::error::message_too_big) {
            end();
            ws_.async_close(websocket::close_code::too_big, [self = shared_from_this()](beast::error_code) {});
            return;
        }
        if (ec) return end();  // closed, timed out or broken: the session ends
        const std::string body = beast::buffers_to_string(buffer_.data());
        std::optional<std::string> response = state_->handler(body, caller_);
        if (response) send(std::move(*response));
        read();
    }

    void write_next() {
        ws_.text(true);
        ws_.async_write(asio::buffer(outbox_.front()),
                        beast::bind_front_handler(&WebSocketSession::on_write, shared_from_this()));
    }

    void on_write(beast::error_code ec, std::size_t) {
        if (ec) return end();
        outbox_.pop_front();
        if (!outbox_.empty()) write_next();
    }

    // Unregisters the session (once) and tells the owner.
    void end() {
        if (closed_) return;
        closed_ = true;
        outbox_.clear();
        {
            std::lock_guard lock(state_->sessions_mutex);
            state_->sessions.erase(caller_.session);
        }
        if (state_->on_session_closed) state_->on_session_closed(caller_.session);
    }

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> outbox_;
    bool accepted_ = false;
    bool closed_ = false;
    std::shared_ptr<ServerState> state_;
    rpc::Caller caller_;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& socket, std::shared_ptr<ServerState> state)
        : stream_(std::move(socket)), state_(std::move(state)) {}

    void start() { read(); }

private:
    void read() {
        parser_.emplace();
        parser_->header_limit(16 * 1024);
        parser_->body_limit(state_->options.max_body_bytes);
        stream_.expires_after(state_->options.read_timeout);
        http::async_read(stream_, buffer_, *parser_,
                         beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
            ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
            return close();
        }
        if (ec == http::error::body_limit) {
            return reply_and_close(http::status::payload_too_large,
                                   error_body(rpc::error_code::kInvalidRequest,
                                              "invalid request: body exceeds the limit of " +
                                                  std::to_string(state_->options.max_body_bytes) + " bytes"));
        }
        if (ec) {
            return reply_and_close(http::status::bad_request,
                                   error_body(rpc::error_code::kInvalidRequest,
                                              "invalid HTTP request: " + ec.message()));
        }
        handle(parser_->release());
    }

    void handle(HttpRequest request) {
        const std::string_view target(request.target().data(), request.target().size());
        if (path_of(target) != state_->options.path) {
            return send(make_response(request, http::status::not_found,
                                      error_body(rpc::error_code::kMethodNotFound,
                                                 "no JSON-RPC endpoint here; use " + state_->options.path)));
        }
        const bool upgrade = websocket::is_upgrade(request);
        if (!upgrade && request.method() != http::verb::post) {
            HttpResponse response = make_response(
                request, http::status::method_not_allowed,
                error_body(rpc::error_code::kInvalidRequest, "use POST or a WebSocket upgrade"));
            response.set(http::field::allow, "POST");
            return send(std::move(response));
        }
        Authentication auth = authenticate(request, state_->verifier);
        if (!auth.caller) {
            return send(make_response(request, http::status::unauthorized,
                                      error_body(rpc::error_code::kUnauthorized, auth.error)));
        }
        if (upgrade) {
            stream_.expires_never();
            std::make_shared<WebSocketSession>(stream_.release_socket(), state_, std::move(*auth.caller))
                ->start(std::move(request));
            return;
        }
        std::optional<std::string> body = state_->handler(request.body(), *auth.caller);
        if (!body) {
            HttpResponse response = make_response(request, http::status::no_content, {});
            response.erase(http::field::content_type);
            return send(std::move(response));
        }
        send(make_response(request, http::status::ok, std::move(*body)));
    }

    // For a request the server stops reading (too large, malformed): the reply, then a lingering
    // close, so the client still receives the reply while it is sending the rest of its body.
    void reply_and_close(http::status status, std::string body) {
        HttpRequest dummy;
        dummy.version(11);
        dummy.keep_alive(false);
        response_ = std::make_shared<HttpResponse>(make_response(dummy, status, std::move(body)));
        stream_.expires_after(state_->options.read_timeout);
        http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            beast::error_code ignored;
            self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
            self->stream_.expires_after(std::chrono::seconds(2));
            self->discard_rest();
        });
    }

    // Reads and drops what the client still sends, up to a bound or two seconds, then closes:
    // closing with unread data would make the kernel reset the connection and lose the reply.
    void discard_rest() {
        discard_.resize(64 * 1024);
        stream_.async_read_some(asio::buffer(discard_), [self = shared_from_this()](beast::error_code ec,
                                                                                     std::size_t size) {
            self->discarded_ += size;
            if (ec || self->discarded_ > 4 * self->state_->options.max_body_bytes + (1 << 20)) {
                return self->stream_.close();
            }
            self->discard_rest();
        });
    }

    void send(HttpResponse response) {
        response_ = std::make_shared<HttpResponse>(std::move(response));
        stream_.expires_after(state_->options.read_timeout);
        http::async_write(stream_, *response_,
                          beast::bind_front_handler(&HttpSession::on_write, shared_from_this(),
                                                    response_->need_eof()));
    }

    void on_write(bool close_after, beast::error_code ec, std::size_t) {
        if (ec || close_after) return close();
        response_.reset();
        read();
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<HttpResponse> response_;
    std::shared_ptr<ServerState> state_;
    std::string discard_;
    std::size_t discarded_ = 0;
};

}  // namespace

struct RpcServer::Impl : std::enable_shared_from_this<RpcServer::Impl> {
    Impl(asio::io_context& context, std::shared_ptr<ServerState> server_state)
        : io(context), acceptor(context), state(std::move(server_state)) {}

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [self = shared_from_this()](beast::error_code ec,
                                                                                  tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !self->acceptor.is_open()) return;
            if (!ec) std::make_shared<HttpSession>(std::move(socket), self->state)->start();
            self->accept();
        });
    }

    asio::io_context& io;
    tcp::acceptor acceptor;
    std::shared_ptr<ServerState> state;
};

RpcServer::RpcServer(asio::io_context& io, ServerOptions options, TokenVerifier verifier,
                     RpcHandler handler)
    : impl_(std::make_shared<Impl>(
          io, std::make_shared<ServerState>())) {
    impl_->state->options = std::move(options);
    impl_->state->verifier = std::move(verifier);
    impl_->state->handler = std::move(handler);
    if (!impl_->state->verifier || !impl_->state->handler) {
        throw std::invalid_argument("RpcServer needs a token verifier and a handler");
    }
}

RpcServer::~RpcServer() { stop(); }

void RpcServer::listen(const ListenAddress& address) {
    const std::string where = address.host + ":" + std::to_string(address.port);
    try {
        tcp::resolver resolver(impl_->io);
        const auto results = resolver.resolve(address.host, std::to_string(address.port),
                                              tcp::resolver::passive | tcp::resolver::numeric_service);
        const tcp::endpoint endpoint = *results.begin();
        impl_->acceptor.open(endpoint.protocol());
        impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
        impl_->acceptor.bind(endpoint);
        impl_->acceptor.listen(asio::socket_base::max_listen_connections);
    } catch (const boost::system::system_error& error) {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
        throw std::runtime_error("cannot listen on " + where + ": " + error.code().message());
    }
    impl_->accept();
}

std::uint16_t RpcServer::port() const {
    beast::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? 0 : endpoint.port();
}

void RpcServer::stop() {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

bool RpcServer::push(std::uint64_t session, std::string text) {
    std::shared_ptr<WebSocketSession> target;
    {
        std::lock_guard lock(impl_->state->sessions_mutex);
        const auto found = impl_->state->sessions.find(session);
        if (found == impl_->state->sessions.end()) return false;
        target = found->second.lock();
    }
    if (!target) return false;
    target->post_send(std::move(text));
    return true;
}

void RpcServer::set_session_closed_handler(std::function<void(std::uint64_t)> handler) {
    impl_->state->on_session_closed = std::move(handler);
}

std::size_t RpcServer::open_sessions() const {
    std::lock_guard lock(impl_->state->sessions_mutex);
    return impl_->state->sessions.size();
}

int run_until_signal(asio::io_context& io, RpcServer& server) {
    asio::signal_set signals(io, SIGINT, SIGTERM);
    int received = 0;
    signals.async_wait([&](beast::error_code ec, int signal_number) {
        if (ec) return;
        received = signal_number;
        server.stop();
        io.stop();
    });
    io.run();
    return received;
}

}  // namespace minerx::net
