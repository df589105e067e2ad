#include "runners/net/endpoint.h"

#include <charconv>

namespace minerx::net {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
    unsigned value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

// Splits "host:port" or "[v6]:port"; the host loses its brackets.
std::optional<std::pair<std::string, std::string_view>> split_host_port(std::string_view text) {
    std::string host;
    std::string_view rest;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = std::string(text.substr(1, close - 1));
        rest = text.substr(close + 1);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        host = std::string(text.substr(0, colon));
        rest = text.substr(colon);
    }
    if (host.empty() || rest.size() < 2 || rest.front() != ':') return std::nullopt;
    return std::make_pair(host, rest.substr(1));
}

}  // namespace

std::optional<ListenAddress> parse_listen_address(std::string_view text) {
    const auto parts = split_host_port(text);
    if (!parts) return std::nullopt;
    const auto port = parse_port(parts->second);
    if (!port) return std::nullopt;
    return ListenAddress{parts->first, *port};
}

std::optional<Url> parse_url(std::string_view text) {
    Url url;
    const auto scheme_end = text.find("://");
    if (scheme_end == std::string_view::npos) return std::nullopt;
    url.scheme = std::string(text.substr(0, scheme_end));
    if (url.scheme != "http" && url.scheme != "ws") return std::nullopt;
    std::string_view rest = text.substr(scheme_end + 3);
    const auto slash = rest.find('/');
    const std::string_view authority = rest.substr(0, slash);
    url.target = slash == std::string_view::npos ? std::string(kRpcPath) : std::string(rest.substr(slash));
    if (authority.find(':') == std::string_view::npos && authority.find('[') == std::string_view::npos) {
        if (authority.empty()) return std::nullopt;
        url.host = std::string(authority);
        url.port = "80";
        return url;
    }
    const auto parts = split_host_port(authority);
    if (!parts || !parse_port(parts->second)) return std::nullopt;
    url.host = parts->first;
    url.port = std::string(parts->second);
    return url;
}

}  // namespace minerx::net
