#include "runners/minerx/devnet_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>

#include <iostream>
#include <memory>
#include <optional>

#include "runners/chainapi/proof_backends.h"
#include "runners/devnet/devnet_api.h"
#include "runners/devnet/devnet_store.h"
#include "runners/minerx/daemon_support.h"
#include "runners/rpc/dispatcher.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario_file.h"

namespace minerx::runners {
namespace {

struct DevnetOptions {
    std::string scenario;
    std::int64_t epoch_ms = 30'000;
    std::string listen = "127.0.0.1:1234";
    std::string auth;
    bool open = false;
    std::int64_t genesis_in_ms = 2'000;
    std::string db_path;
};

// Runs round after round at each cutoff on the io_context's thread (the server's, so handlers
// and rounds never run at once).
class RoundClock {
public:
    RoundClock(boost::asio::io_context& io, devnet::DevnetChain& chain) : timer_(io), chain_(chain) {}
    void start(chain::ChainEpoch next_round) {
        next_round_ = next_round;
        arm();
    }

private:
    void arm() {
        const std::int64_t at = chain_.cutoff_ms(next_round_);
        timer_.expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(at)));
        timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            // Catch up if the process was descheduled past several cutoffs.
            while (chain_.cutoff_ms(next_round_) <= unix_millis_now()) chain_.run_round(next_round_++);
            arm();
        });
    }

    boost::asio::system_timer timer_;
    devnet::DevnetChain& chain_;
    chain::ChainEpoch next_round_ = 1;
};

int run_devnet(const DevnetOptions& options) {
    const auto listen = net::parse_listen_address(options.listen);
    if (!listen) {
        std::cerr << "minerx: --listen \"" << options.listen << "\": expected HOST:PORT\n";
        return kExitUsage;
    }
    if (options.epoch_ms < 100 || options.epoch_ms > 3'600'000) {
        std::cerr << "minerx: --epoch-ms must be in [100, 3600000]\n";
        return kExitUsage;
    }
    if (options.auth.empty() && !options.open) {
        std::cerr << "minerx: give --auth URL (tokens checked by the auth service) or --open (testbeds: "
                     "every caller may read and submit)\n";
        return kExitUsage;
    }
    sim::Scenario scenario;
    try {
        scenario = sim::load_scenario_file(options.scenario);
    } catch (const std::exception& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitDataErr;
    }
    const sim::NetworkPlan plan = sim::plan_network(scenario, scenario.seed);
    devnet::DevnetTiming timing;
    timing.epoch_ms = options.epoch_ms;
    // Δ scales with the epoch so the round keeps the mainnet proportions (6 s of 30 s).
    timing.propagation_delay_ms = scenario.propagation.propagation_delay_ms * options.epoch_ms / 30'000;
    timing.genesis_unix_ms = (unix_millis_now() + options.genesis_in_ms) / 1000 * 1000 + 1000;

    std::optional<devnet::DevnetStore> store;
    std::vector<devnet::StoredMemberBlock> stored_blocks;
    try {
        if (!options.db_path.empty()) {
            store.emplace(options.db_path);
            if (auto genesis = store->meta_int("genesis_unix_ms")) {
                if (store->meta_int("epoch_ms") != options.epoch_ms || store->meta_int("seed") != static_cast<std::int64_t>(scenario.seed)) {
                    std::cerr << "minerx: " << options.db_path << " holds a chain with another --epoch-ms or scenario seed\n";
                    return kExitUsage;
                }
                timing.genesis_unix_ms = *genesis;
                stored_blocks = store->member_blocks();
            } else {
                store->set_meta_int("genesis_unix_ms", timing.genesis_unix_ms);
                store->set_meta_int("epoch_ms", options.epoch_ms);
                store->set_meta_int("seed", static_cast<std::int64_t>(scenario.seed));
            }
        }
    } catch (const store::StoreError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitNoInput;
    }

    const chainapi::TestbedVrf vrf(scenario.seed);
    const chainapi::TestbedWinningPoSt post;
    devnet::DevnetChain chain(scenario, plan, timing, vrf, post);
    const chain::ChainEpoch next_round = devnet::replay_devnet(chain, stored_blocks, unix_millis_now());

    rpc::MethodRegistry registry;
    devnet::AcceptedBlockHook keep_block;
    if (store) {
        keep_block = [&store](const devnet::BlockTemplate& block, std::int64_t published_ms) {
            store->add_member_block(block, published_ms);
        };
    }
    devnet::register_devnet_methods(registry, chain, unix_millis_now, keep_block);
    rpc::Dispatcher dispatcher(registry);
    boost::asio::io_context io;
    net::RpcServer server(io, net::ServerOptions{}, make_token_verifier(options.auth, rpc::Permission::write),
                          [&](std::string_view body, const rpc::Caller& caller) {
                              return dispatcher.handle(body, open_caller(caller, options.auth.empty(), rpc::Permission::write));
                          });
    try {
        server.listen(*listen);
    } catch (const std::runtime_error& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitUnavailable;
    }
    std::cout << "minerx devnet: TESTBED chain: VRF and WinningPoSt are stand-ins, no real Filecoin proof is "
                 "verified\n"
              << "minerx devnet: " << plan.solo_count << " background miners, " << plan.member_count
              << " pool members; epoch " << timing.epoch_ms << " ms, propagation delay "
              << timing.propagation_delay_ms << " ms; genesis at " << timing.genesis_unix_ms << " ms\n";
    if (options.auth.empty()) std::cout << "minerx devnet: --open: every caller holds write\n";
    std::cout << "minerx devnet: listening on " << listen->host << ":" << server.port() << net::kRpcPath << std::endl;
    if (next_round > 1) {
        std::cout << "minerx devnet: resumed the chain of " << options.db_path << " at height " << next_round - 1
                  << " (" << stored_blocks.size() << " member blocks replayed)" << std::endl;
    }
    RoundClock clock(io, chain);
    clock.start(next_round);
    const int signal_number = net::run_until_signal(io, server);
    const devnet::DevnetTotals& totals = chain.totals();
    std::cerr << "minerx devnet: stopped (signal " << signal_number << ") after " << totals.rounds << " rounds, "
              << totals.null_rounds << " null, " << totals.solo_blocks << " background blocks, "
              << totals.member_wins << " member wins, " << totals.member_blocks_accepted << " member blocks\n";
    return 0;
}

}  // namespace

std::function<int()> add_devnet_command(CLI::App& app) {
    auto options = std::make_shared<DevnetOptions>();
    CLI::App* devnet = app.add_subcommand("devnet", "a local chain node for testbeds (Lotus API subset)");
    devnet->require_subcommand(1);
    CLI::App* run = devnet->add_subcommand("run", "run the devnet chain node");
    run->add_option("--scenario", options->scenario, "scenario file (network and pool members)")->required();
    run->add_option("--epoch-ms", options->epoch_ms, "epoch length in milliseconds (mainnet: 30000)");
    run->add_option("--listen", options->listen, "HOST:PORT to serve the API on (port 0: any)");
    run->add_option("--auth", options->auth, "auth service URL that checks callers' tokens");
    run->add_flag("--open", options->open, "no token checks: every caller may read and submit (testbeds)");
    run->add_option("--genesis-in-ms", options->genesis_in_ms, "start the chain this long after startup");
    run->add_option("--db", options->db_path, "keep the chain (genesis, member blocks) here and resume it on restart");
    return [options] { return run_devnet(*options); };
}

}  // namespace minerx::runners
