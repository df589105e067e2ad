#include "runners/minerx/daemon_support.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "runners/auth/auth_client.h"

namespace minerx::runners {

std::int64_t unix_millis_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string resolve_token(const std::string& value, const std::string& file, const char* env) {
    if (!value.empty()) return value;
    if (!file.empty()) {
        std::ifstream in(file);
        std::string line;
        if (!in || !std::getline(in, line)) throw std::runtime_error("cannot read token file " + file);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        return line;
    }
    const char* from_env = std::getenv(env);
    return from_env != nullptr ? std::string(from_env) : std::string();
}

net::TokenVerifier make_token_verifier(const std::string& auth_url, rpc::Permission open_permission) {
    if (auth_url.empty()) {
        return [open_permission](std::string_view) -> rpc::TokenCheck {
            return {rpc::Caller{open_permission, "anyone", 0}, {}};
        };
    }
    auto client = std::make_shared<auth::AuthClient>(auth::http_token_check(auth_url));
    return [client](std::string_view token) { return client->verify(token); };
}

}  // namespace minerx::runners
