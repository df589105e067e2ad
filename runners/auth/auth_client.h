#pragma once

// How a daemon other than the auth service checks the bearer tokens it receives.
//
// Chosen default: AuthClient asks the auth service (Auth.VerifyToken) and caches each positive
// answer for a short TTL. The service is the only component that knows whether a user is still
// enabled, so this keeps revocation working everywhere: disabling a user takes effect in every
// daemon within one TTL (default 10 s). Refusals and transport failures are not cached (a flood of
// garbage tokens cannot evict good entries, and an outage of the auth service does not outlive
// itself), so while the service is down only cached tokens verify.
//
// LocalVerifier checks the signature and claims with the shared secret and never calls out; it
// cannot see a disabled user. It is meant for the auth service itself and for a daemon deployed
// with the service's secret that accepts revocation only at token expiry.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "runners/auth/auth_service.h"
#include "runners/rpc/permission.h"

namespace minerx::auth {

// Asks the authority about one token. Throws (e.g. net::TransportError) when it cannot be asked.
using RemoteTokenCheck = std::function<rpc::TokenCheck(std::string_view token)>;

// The remote check over HTTP JSON-RPC: Auth.VerifyToken at `api_url` (http://host:port).
RemoteTokenCheck http_token_check(const std::string& api_url,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(5));

// Monotonic milliseconds; injected so the TTL is testable.
using MonotonicClock = std::function<std::int64_t()>;
MonotonicClock steady_millis_clock();

struct AuthClientOptions {
    std::chrono::milliseconds ttl{10'000};
    std::size_t max_entries = 100'000;  // the cache is cleared of expired entries, then wholly, above this
};

class AuthClient {
public:
    AuthClient(RemoteTokenCheck remote, AuthClientOptions options = {},
               MonotonicClock clock = steady_millis_clock());

    // Thread-safe. A transport failure on a cache miss gives a refusal saying the service is
    // unavailable.
    rpc::TokenCheck verify(std::string_view token);

    std::size_t cached_entries() const;
    std::uint64_t remote_calls() const { return remote_calls_; }

private:
    struct Entry {
        rpc::Caller caller;
        std::int64_t expires_at_ms;
    };
    void make_room(std::int64_t now);

    RemoteTokenCheck remote_;
    AuthClientOptions options_;
    MonotonicClock clock_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> cache_;
    std::uint64_t remote_calls_ = 0;
};

class LocalVerifier {
public:
    LocalVerifier(std::string secret, UnixClock clock = system_unix_clock())
        : secret_(std::move(secret)), clock_(std::move(clock)) {}
    rpc::TokenCheck verify(std::string_view token) const;

private:
    std::string secret_;
    UnixClock clock_;
};

}  // namespace minerx::auth
