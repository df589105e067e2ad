#pragma once

// What the daemon commands (devnet, pool, prover) share: exit statuses, the wall clock, reading
// a token from a flag, a file or the environment, and building a token verifier.

#include <cstdint>
#include <string>

#include "runners/net/rpc_server.h"

namespace minerx::runners {

// sysexits.h values, as the rest of the CLI uses them.
inline constexpr int kExitUsage = 64;
inline constexpr int kExitDataErr = 65;
inline constexpr int kExitNoInput = 66;
inline constexpr int kExitUnavailable = 69;
inline constexpr int kExitSoftware = 70;
inline constexpr int kExitIoErr = 74;
inline constexpr int kExitNoPerm = 77;

std::int64_t unix_millis_now();

// The token: `value` if set, else the first line of `file` if set, else the environment
// variable `env`; empty if none. Throws std::runtime_error if the file cannot be read.
std::string resolve_token(const std::string& value, const std::string& file, const char* env);

// Verifies callers' tokens with the auth service at `auth_url` (AuthClient, 10 s cache), or, if
// `auth_url` is empty, grants every caller `open_permission` (testbeds only; the daemon says so).
net::TokenVerifier make_token_verifier(const std::string& auth_url, rpc::Permission open_permission);

// Without an auth service (testbeds), callers without a token hold `open_permission` too.
inline rpc::Caller open_caller(rpc::Caller caller, bool open, rpc::Permission open_permission) {
    if (open && caller.permission == rpc::Permission::none) caller.permission = open_permission;
    return caller;
}

}  // namespace minerx::runners
