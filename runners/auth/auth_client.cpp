#include "runners/auth/auth_client.h"

#include "runners/auth/token.h"
#include "runners/net/rpc_client.h"

namespace minerx::auth {

RemoteTokenCheck http_token_check(const std::string& api_url, std::chrono::milliseconds timeout) {
    return [api_url, timeout](std::string_view token) -> rpc::TokenCheck {
        net::HttpRpcClient client(api_url, "", timeout);
        rpc::Json answer;
        try {
            answer = client.call("Auth.VerifyToken", rpc::Json::array({std::string(token)}));
        } catch (const net::RpcCallError& error) {
            return {std::nullopt, error.what()};
        }
        const auto permission = answer.is_object() && answer.value("perm", rpc::Json()).is_string()
                                    ? rpc::parse_token_permission(answer["perm"].get<std::string>())
                                    : std::nullopt;
        if (!permission || !answer.value("name", rpc::Json()).is_string()) {
            return {std::nullopt, "malformed answer from the auth service"};
        }
        return {rpc::Caller{*permission, answer["name"].get<std::string>()}, {}};
    };
}

MonotonicClock steady_millis_clock() {
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now().time_since_epoch())
            .count();
    };
}

AuthClient::AuthClient(RemoteTokenCheck remote, AuthClientOptions options, MonotonicClock clock)
    : remote_(std::move(remote)), options_(options), clock_(std::move(clock)) {}

rpc::TokenCheck AuthClient::verify(std::string_view token) {
    const std::int64_t now = clock_();
    const std::string key(token);
    {
        std::lock_guard lock(mutex_);
        auto it = cache_.find(key);
        if (it != cache_.end()) {
            if (it->second.expires_at_ms > now) return {it->second.caller, {}};
            cache_.erase(it);
        }
        ++remote_calls_;
    }
    rpc::TokenCheck check;
    try {
        check = remote_(token);
    } catch (const std::exception& error) {
        return {std::nullopt, std::string("auth service unavailable: ") + error.what()};
    }
    if (check.caller) {
        std::lock_guard lock(mutex_);
        make_room(now);
        cache_[key] = Entry{*check.caller, now + options_.ttl.count()};
    }
    return check;
}

std::size_t AuthClient::cached_entries() const {
    std::lock_guard lock(mutex_);
    return cache_.size();
}

void AuthClient::make_room(std::int64_t now) {
    if (cache_.size() < options_.max_entries) return;
    std::erase_if(cache_, [now](const auto& entry) { return entry.second.expires_at_ms <= now; });
    if (cache_.size() >= options_.max_entries) cache_.clear();
}

rpc::TokenCheck LocalVerifier::verify(std::string_view token) const {
    ClaimsCheck check = verify_token(token, secret_, clock_());
    if (!check.claims) return {std::nullopt, check.error};
    return {rpc::Caller{check.claims->permission, check.claims->name}, {}};
}

}  // namespace minerx::auth
