// Token verification throughput of the auth service (issue 6: "auth verifies at least 100,000
// tokens a second"). Numbers: docs/daemons.md.
//
//   Auth/jwt_verify_hs256       HS256 check of a typical minerx token: base64url, HMAC-SHA-256,
//                               constant-time compare, header and payload JSON parse
//   Auth/verify_token_claims    the above plus the claims (name, perm, iat, exp, jti)
//   Auth/service_verify         AuthService::verify: claims plus the user's enabled flag from
//                               SQLite (a file database in WAL mode, page cache warm)
//   Auth/dispatch_verify_token  a whole Auth.VerifyToken JSON-RPC body through the dispatcher
//                               (parse, permission check, handler, response text), no socket
//   Auth/auth_client_cached     what another daemon pays per request once the token is cached
//
// Each reports items_per_second = tokens verified per second on one thread.

#include <benchmark/benchmark.h>
#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "runners/auth/auth_client.h"
#include "runners/auth/auth_service.h"
#include "runners/auth/jwt.h"
#include "runners/auth/token.h"
#include "runners/rpc/dispatcher.h"

namespace {

using namespace minerx;

constexpr std::int64_t kNow = 1'764'000'000;

void require(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "benchmark self-check failed: %s\n", what);
        std::abort();
    }
}

std::string secret() { return std::string(32, '\x5a'); }

std::string typical_token() {
    return auth::issue_token({"member-0042", rpc::Permission::write, kNow, kNow + 86'400, 12345}, secret());
}

void jwt_verify_hs256(benchmark::State& state) {
    const std::string token = typical_token();
    const std::string key = secret();
    require(auth::jwt_verify_hs256(token, key).payload.has_value(), "token verifies");
    for (auto _ : state) benchmark::DoNotOptimize(auth::jwt_verify_hs256(token, key));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(jwt_verify_hs256)->Name("Auth/jwt_verify_hs256");

void verify_token_claims(benchmark::State& state) {
    const std::string token = typical_token();
    const std::string key = secret();
    require(auth::verify_token(token, key, kNow).claims.has_value(), "claims verify");
    for (auto _ : state) benchmark::DoNotOptimize(auth::verify_token(token, key, kNow));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(verify_token_claims)->Name("Auth/verify_token_claims");

// A file database as the daemon uses it (WAL, synchronous=FULL; reads do not sync).
struct ServiceFixture {
    ServiceFixture()
        : path((std::filesystem::temp_directory_path() /
                ("minerx-auth-bench-" + std::to_string(::getpid()) + ".db"))
                   .string()),
          db((std::filesystem::remove(path), store::Database::open(path))),
          store(db),
          service(store, secret(), [] { return kNow; }) {
        store.add_user("member-0042", "", kNow);
        token = service.issue("member-0042", rpc::Permission::write);
    }
    ~ServiceFixture() {
        std::filesystem::remove(path);
        std::filesystem::remove(path + "-wal");
        std::filesystem::remove(path + "-shm");
    }
    std::string path;
    store::Database db;
    auth::AuthStore store;
    auth::AuthService service;
    std::string token;
};

void service_verify(benchmark::State& state) {
    ServiceFixture fixture;
    require(fixture.service.verify(fixture.token).caller.has_value(), "service verifies");
    for (auto _ : state) benchmark::DoNotOptimize(fixture.service.verify(fixture.token));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(service_verify)->Name("Auth/service_verify");

void dispatch_verify_token(benchmark::State& state) {
    ServiceFixture fixture;
    rpc::MethodRegistry registry;
    fixture.service.register_methods(registry);
    const rpc::Dispatcher dispatcher(registry);
    const std::string body = rpc::to_text(
        {{"jsonrpc", "2.0"}, {"id", 1}, {"method", "Auth.VerifyToken"}, {"params", {fixture.token}}});
    const auto reply = dispatcher.handle(body, rpc::Caller{});
    require(reply && reply->find("\"perm\":\"write\"") != std::string::npos, "dispatch verifies");
    for (auto _ : state) benchmark::DoNotOptimize(dispatcher.handle(body, rpc::Caller{}));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(dispatch_verify_token)->Name("Auth/dispatch_verify_token");

void auth_client_cached(benchmark::State& state) {
    const std::string key = secret();
    auth::LocalVerifier authority(key, [] { return kNow; });
    auth::AuthClient client([&](std::string_view token) { return authority.verify(token); });
    const std::string token = typical_token();
    require(client.verify(token).caller.has_value(), "client verifies");
    for (auto _ : state) benchmark::DoNotOptimize(client.verify(token));
    require(client.remote_calls() == 1, "cache hit after the first call");
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(auth_client_cached)->Name("Auth/auth_client_cached");

}  // namespace

int main(int argc, char** argv) {
    if (sodium_init() < 0) return 1;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
