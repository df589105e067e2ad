#pragma once

// Addresses as operators write them: "127.0.0.1:1234" for a listener, "http://host:port/path" or
// "ws://host:port/path" for a client (the path defaults to /rpc/v0, the Lotus endpoint).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace minerx::net {

inline constexpr std::string_view kRpcPath = "/rpc/v0";

struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;  // 0: any free port (the server reports the one it got)
};

// "HOST:PORT" with HOST an IPv4 address or name and PORT in [0, 65535]; "[v6]:PORT" for IPv6.
std::optional<ListenAddress> parse_listen_address(std::string_view text);

struct Url {
    std::string scheme;  // "http" or "ws"
    std::string host;
    std::string port;
    std::string target;  // path and query, starting with '/'
};

// http:// and ws:// only (TLS belongs in a reverse proxy in front of the daemon).
std::optional<Url> parse_url(std::string_view text);

}  // namespace minerx::net
