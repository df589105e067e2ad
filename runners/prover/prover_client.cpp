#include "runners/prover/prover_client.h"

#include <algorithm>
#include <thread>

#include "runners/chainapi/lotus_json.h"
#include "runners/net/rpc_client.h"

namespace minerx::prover {
namespace {

using rpc::Json;

// Sleeps up to `duration` in slices, returning early on stop.
void sleep_unless_stopped(std::chrono::milliseconds duration, const std::atomic<bool>& stop) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stop && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
            std::chrono::milliseconds(50),
            std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()) +
                std::chrono::milliseconds(1)));
    }
}

bool is_refusal(const net::RpcCallError& error) {
    return error.code() == rpc::error_code::kUnauthorized || error.code() == rpc::error_code::kPermissionDenied ||
           error.code() == rpc::error_code::kRequestFailed;
}

}  // namespace

ProverClient::ProverClient(ProverOptions options, const chainapi::WinningPoStBackend& backend, ProverLog log)
    : options_(std::move(options)), backend_(backend), log_(std::move(log)) {}

bool ProverClient::run(const std::atomic<bool>& stop) {
    std::chrono::milliseconds backoff = options_.min_backoff;
    while (!stop) {
        try {
            net::WebSocketRpcClient client(options_.pool_url, options_.token, options_.call_timeout);
            for (const chain::ActorId miner : options_.miners) {
                client.call("Pool.ProverHello", Json::array({chainapi::address(miner)}));
            }
            ++stats_.connections;
            backoff = options_.min_backoff;
            log_("connected to " + options_.pool_url);
            while (!stop && client.is_open()) {
                for (const Json& message : client.poll(std::chrono::milliseconds(200))) {
                    if (message.value("method", "") != "Pool.WinningPoStChallenge") continue;
                    const Json& params = message["params"];
                    if (!params.is_array() || params.empty() || !params[0].is_object()) continue;
                    const Json& challenge = params[0];
                    auto miner = chainapi::address_from_json(challenge.value("Miner", Json()));
                    auto seed = chainapi::digest_from_base64(challenge.value("Seed", ""));
                    const Json round = challenge.value("Round", Json());
                    if (!miner || !seed || !round.is_number_integer()) continue;
                    ++stats_.challenges;
                    if (options_.answer_delay.count() > 0) sleep_unless_stopped(options_.answer_delay, stop);
                    const auto proof = backend_.prove(*miner, round.get<chain::ChainEpoch>(), *seed);
                    const Json verdict = client.call(
                        "Pool.SubmitWinningPoSt",
                        Json::array({chainapi::address(*miner), round, chainapi::to_base64(proof)}));
                    const std::string result = verdict.value("Result", "");
                    if (result == "accepted") {
                        ++stats_.proofs_accepted;
                    } else {
                        ++stats_.proofs_refused;
                    }
                    log_("proof for " + chainapi::address(*miner) + " round " + std::to_string(round.get<std::int64_t>()) +
                         ": " + result);
                }
            }
            if (!stop) log_("connection lost; reconnecting");
        } catch (const net::RpcCallError& error) {
            log_(std::string("pool refused: ") + error.what());
            if (is_refusal(error)) return false;
        } catch (const net::TransportError& error) {
            log_(std::string("cannot reach the pool: ") + error.what());
        }
        sleep_unless_stopped(backoff, stop);
        backoff = std::min(backoff * 2, options_.max_backoff);
    }
    return true;
}

}  // namespace minerx::prover
