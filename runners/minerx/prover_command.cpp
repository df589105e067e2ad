#include "runners/minerx/prover_command.h"

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>

#include "runners/chainapi/lotus_json.h"
#include "runners/chainapi/proof_backends.h"
#include "runners/minerx/daemon_support.h"
#include "runners/prover/prover_client.h"

namespace minerx::runners {
namespace {

std::atomic<bool> g_stop{false};

extern "C" void request_stop(int) { g_stop = true; }

struct ProverArgs {
    std::string pool = "ws://127.0.0.1:2345/rpc/v0";
    std::string token;
    std::string token_file;
    std::vector<std::string> miners;
    std::int64_t answer_delay_ms = 0;
};

int run_prover(const ProverArgs& args) {
    prover::ProverOptions options;
    options.pool_url = args.pool;
    try {
        options.token = resolve_token(args.token, args.token_file, "MINERX_PROVER_TOKEN");
    } catch (const std::exception& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitNoInput;
    }
    for (const std::string& text : args.miners) {
        auto miner = chainapi::parse_address(text);
        if (!miner) {
            std::cerr << "minerx: --miner \"" << text << "\": expected an ID address such as f01000\n";
            return kExitUsage;
        }
        options.miners.push_back(*miner);
    }
    options.answer_delay = std::chrono::milliseconds(args.answer_delay_ms);
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    const chainapi::TestbedWinningPoSt backend;
    std::cout << "minerx prover: TESTBED WinningPoSt backend (a digest of the challenge, not a real proof)" << std::endl;
    prover::ProverClient client(options, backend,
                                [](const std::string& line) { std::cout << "minerx prover: " << line << std::endl; });
    const bool ok = client.run(g_stop);
    const prover::ProverStats& stats = client.stats();
    std::cerr << "minerx prover: stopped; " << stats.connections << " connections, " << stats.challenges
              << " challenges, " << stats.proofs_accepted << " proofs accepted\n";
    return ok ? 0 : kExitNoPerm;
}

}  // namespace

std::function<int()> add_prover_command(CLI::App& app) {
    auto args = std::make_shared<ProverArgs>();
    CLI::App* prover = app.add_subcommand("prover", "the member's WinningPoSt prover");
    prover->require_subcommand(1);
    CLI::App* run = prover->add_subcommand("run", "connect to the pool and answer its challenges");
    run->add_option("--pool", args->pool, "the pool's WebSocket URL")->capture_default_str();
    run->add_option("--token", args->token, "the member's token (or MINERX_PROVER_TOKEN)");
    run->add_option("--token-file", args->token_file, "read the token from this file");
    run->add_option("--miner", args->miners, "miner to prove for (repeat for several)")->required();
    run->add_option("--answer-delay-ms", args->answer_delay_ms, "testbeds: wait before answering");
    return [args] { return run_prover(*args); };
}

}  // namespace minerx::runners
