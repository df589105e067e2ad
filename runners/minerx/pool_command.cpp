#include "runners/minerx/pool_command.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_timer.hpp>

#include <iostream>
#include <memory>

#include "runners/chainapi/proof_backends.h"
#include "runners/minerx/daemon_support.h"
#include "runners/net/rpc_client.h"
#include "runners/pool/pool_api.h"
#include "runners/rpc/dispatcher.h"
#include "runners/store/migrations.h"
#include "sim/network/network_plan.h"
#include "sim/scenario/scenario_file.h"

namespace minerx::runners {
namespace {

using rpc::Json;

struct PoolRunOptions {
    std::string scenario;
    std::string pool_name;
    std::string chain = "http://127.0.0.1:1234/rpc/v0";
    std::string auth;
    std::string token;
    std::string token_file;
    std::string db_path = "pool.db";
    std::string listen = "127.0.0.1:2345";
    std::int64_t epoch_ms = 30'000;
    std::string payout = "every-epoch";
    std::int64_t confirmations = 1;
};

struct PoolClientArgs {
    std::string api = "http://127.0.0.1:2345";
    std::string token;
    std::string miner;
    std::int64_t from = 0;
    std::int64_t to = -1;
    bool misses = false;
};

// Runs the daemon's on_time at the times it asks for, on the server's thread.
class Driver {
public:
    Driver(boost::asio::io_context& io, pool_daemon::PoolDaemon& daemon) : timer_(io), daemon_(daemon) {}

    void arm(std::int64_t at_unix_ms) {
        timer_.expires_at(std::chrono::system_clock::time_point(std::chrono::milliseconds(at_unix_ms)));
        timer_.async_wait([this](const boost::system::error_code& ec) {
            if (ec) return;
            arm(daemon_.on_time(unix_millis_now()));
        });
    }
    void kick() { arm(unix_millis_now()); }

private:
    boost::asio::system_timer timer_;
    pool_daemon::PoolDaemon& daemon_;
};

const sim::PoolSpec* find_pool(const sim::Scenario& scenario, const std::string& name) {
    for (const sim::PoolSpec& spec : scenario.pools) {
        if (name.empty() || spec.name == name) return &spec;
    }
    return nullptr;
}

int run_pool(const PoolRunOptions& options) {
    const auto listen = net::parse_listen_address(options.listen);
    if (!listen) {
        std::cerr << "minerx: --listen \"" << options.listen << "\": expected HOST:PORT\n";
        return kExitUsage;
    }
    if (options.payout != "every-epoch" && options.payout != "on-request") {
        std::cerr << "minerx: --payout must be every-epoch or on-request\n";
        return kExitUsage;
    }
    if (options.epoch_ms < 100 || options.confirmations < 1) {
        std::cerr << "minerx: --epoch-ms must be at least 100 and --confirmations at least 1\n";
        return kExitUsage;
    }
    sim::Scenario scenario;
    try {
        scenario = sim::load_scenario_file(options.scenario);
    } catch (const std::exception& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitDataErr;
    }
    const sim::PoolSpec* spec = find_pool(scenario, options.pool_name);
    if (spec == nullptr) {
        std::cerr << "minerx: the scenario has no pool " << (options.pool_name.empty() ? "" : options.pool_name) << "\n";
        return kExitDataErr;
    }
    const std::size_t pool_index = static_cast<std::size_t>(spec - scenario.pools.data());
    std::string token;
    try {
        token = resolve_token(options.token, options.token_file, "MINERX_POOL_SERVICE_TOKEN");
    } catch (const std::exception& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitNoInput;
    }

    pool_daemon::PoolDaemonConfig config;
    config.epoch_ms = options.epoch_ms;
    config.producer.propagation_delay_ms = scenario.propagation.propagation_delay_ms;
    config.producer.publish_margin_ms = spec->publish_margin_ms;
    if (auto error = pool::validate_block_producer_config(config.producer)) {
        std::cerr << "minerx: " << *error << "\n";
        return kExitDataErr;
    }
    config.policies = spec->policies;
    config.membership = spec->membership;
    config.payout = options.payout == "every-epoch" ? pool::PayoutSchedule::every_epoch : pool::PayoutSchedule::on_request;
    config.confirmations = options.confirmations;
    config.start_slack_ms = std::max<std::int64_t>(10, options.epoch_ms / 50);
    const sim::NetworkPlan plan = sim::plan_network(scenario, scenario.seed);
    for (const sim::MinerPlan& miner : plan.miners) {
        if (miner.pool == pool_index) config.members.push_back(miner.actor_id);
    }

    net::HttpRpcClient chain_http(options.chain, token, std::chrono::seconds(5));
    pool_daemon::ChainClient chain([&chain_http](const std::string& method, Json params) {
        return chain_http.call(method, std::move(params));
    });
    try {
        config.genesis_unix_ms = chain.tipset_by_height(0).timestamp_s * 1000;
    } catch (const net::TransportError& error) {
        std::cerr << "minerx: chain node at " << options.chain << ": " << error.what() << "\n";
        return kExitUnavailable;
    } catch (const std::exception& error) {
        std::cerr << "minerx: chain node at " << options.chain << ": " << error.what() << "\n";
        return kExitNoPerm;
    }

    const chainapi::TestbedVrf vrf(scenario.seed);
    const chainapi::TestbedWinningPoSt post;
    try {
        pool_daemon::PoolStore store(options.db_path);
        boost::asio::io_context io;
        pool_daemon::ProverRegistry provers;
        net::RpcServer* server_ptr = nullptr;
        pool_daemon::PoolDaemon daemon(config, chain, store, vrf, post, [&](chain::ActorId miner, const Json& message) {
            const auto session = provers.session_of(miner);
            return session && server_ptr != nullptr && server_ptr->push(*session, rpc::to_text(message));
        });
        const std::size_t replayed = daemon.recover(unix_millis_now());
        Driver driver(io, daemon);

        rpc::MethodRegistry registry;
        pool_daemon::PoolApiContext context;
        context.daemon = &daemon;
        context.provers = &provers;
        context.clock = unix_millis_now;
        context.kick = [&driver] { driver.kick(); };
        if (options.auth.empty()) {
            context.owner = [](chain::ActorId) -> std::optional<std::string> { return std::nullopt; };
        } else {
            auto lookup = std::make_shared<pool_daemon::AuthOwnerLookup>(options.auth, token);
            context.owner = [lookup](chain::ActorId miner) { return (*lookup)(miner); };
        }
        pool_daemon::register_pool_methods(registry, context);
        rpc::Dispatcher dispatcher(registry);
        net::RpcServer server(io, net::ServerOptions{}, make_token_verifier(options.auth, rpc::Permission::admin),
                              [&](std::string_view body, const rpc::Caller& caller) {
                                  return dispatcher.handle(body, open_caller(caller, options.auth.empty(), rpc::Permission::admin));
                              });
        server_ptr = &server;
        server.set_session_closed_handler([&provers](std::uint64_t session) { provers.session_closed(session); });
        try {
            server.listen(*listen);
        } catch (const std::runtime_error& error) {
            std::cerr << "minerx: " << error.what() << "\n";
            return kExitUnavailable;
        }
        std::cout << "minerx pool: " << spec->name << ", " << config.members.size() << " members, "
                  << config.policies.size() << " policies; replayed " << replayed << " events; open epoch "
                  << daemon.books().open_epoch() << "\n";
        if (options.auth.empty()) std::cout << "minerx pool: no --auth: every caller is admin (testbeds only)\n";
        std::cout << "minerx pool: listening on " << listen->host << ":" << server.port() << net::kRpcPath << std::endl;
        driver.kick();
        const int signal_number = net::run_until_signal(io, server);
        std::cerr << "minerx pool: stopped (signal " << signal_number << ")\n";
        return 0;
    } catch (const store::SchemaTooNew& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitDataErr;
    } catch (const store::StoreError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitNoInput;
    }
}

int with_pool_client(const PoolClientArgs& args, const std::string& method, Json params) {
    try {
        net::HttpRpcClient client(args.api, args.token);
        std::cout << client.call(method, std::move(params)).dump(2) << std::endl;
        return 0;
    } catch (const net::RpcCallError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return error.code() == rpc::error_code::kPermissionDenied || error.code() == rpc::error_code::kUnauthorized
                   ? kExitNoPerm
                   : kExitDataErr;
    } catch (const net::TransportError& error) {
        std::cerr << "minerx: pool at " << args.api << ": " << error.what() << "\n";
        return error.unavailable() ? kExitUnavailable : kExitIoErr;
    }
}

}  // namespace

std::function<int()> add_pool_command(CLI::App& app) {
    auto run_options = std::make_shared<PoolRunOptions>();
    auto client = std::make_shared<PoolClientArgs>();
    auto chosen = std::make_shared<std::function<int()>>();
    CLI::App* pool = app.add_subcommand("pool", "the pool daemon and its member and operator commands");
    pool->require_subcommand(1);

    CLI::App* run = pool->add_subcommand("run", "run the pool's block producer and reward ledger");
    run->add_option("--scenario", run_options->scenario, "scenario file: the pool's members, policies, timing")->required();
    run->add_option("--pool", run_options->pool_name, "which pool of the scenario (default: the first)");
    run->add_option("--chain", run_options->chain, "the chain node's Lotus API URL")->capture_default_str();
    run->add_option("--auth", run_options->auth, "auth service URL (tokens, miner bindings)");
    run->add_option("--token", run_options->token, "the pool's service token for the chain and auth (or MINERX_POOL_SERVICE_TOKEN)");
    run->add_option("--token-file", run_options->token_file, "read the service token from this file");
    run->add_option("--db", run_options->db_path, "the pool's SQLite database")->capture_default_str();
    run->add_option("--listen", run_options->listen, "HOST:PORT for the pool API")->capture_default_str();
    run->add_option("--epoch-ms", run_options->epoch_ms, "the chain's epoch length (30000 on mainnet)");
    run->add_option("--payout", run_options->payout, "every-epoch or on-request")->capture_default_str();
    run->add_option("--confirmations", run_options->confirmations, "heights above an epoch before its fates are read");
    run->callback([chosen, run_options] { *chosen = [run_options] { return run_pool(*run_options); }; });

    struct ClientCommand {
        const char* name;
        const char* help;
        const char* method;
        bool miner;
        bool range;
    };
    static const ClientCommand kCommands[] = {
        {"blocks", "a member's blocks and their fates", "Pool.MemberBlocks", true, true},
        {"rounds", "a member's rounds: wins, misses and why", "Pool.MemberRounds", true, true},
        {"balance", "a member's balance under each policy", "Pool.MemberBalance", true, false},
        {"statement", "a member's statement: blocks, payments, balance", "Pool.MemberStatement", true, true},
        {"members", "operator: the members", "Pool.Members", false, false},
        {"pause", "operator: stop mining for a member", "Pool.PauseMember", true, false},
        {"resume", "operator: mine for a member again", "Pool.ResumeMember", true, false},
        {"health", "operator: rounds, provers, ledger invariant", "Pool.Health", false, false},
    };
    for (const ClientCommand& command : kCommands) {
        CLI::App* sub = pool->add_subcommand(command.name, command.help);
        sub->add_option("--api", client->api, "the pool API (or MINERX_POOL_API)")->envname("MINERX_POOL_API")->capture_default_str();
        sub->add_option("--token", client->token, "your token (or MINERX_POOL_TOKEN)")->envname("MINERX_POOL_TOKEN");
        if (command.miner) sub->add_option("miner", client->miner, "the miner, e.g. f01000")->required();
        if (command.range) {
            sub->add_option("--from", client->from, "first epoch");
            sub->add_option("--to", client->to, "last epoch");
        }
        if (std::string(command.name) == "rounds") sub->add_flag("--misses", client->misses, "only misses");
        sub->callback([chosen, client, command] {
            *chosen = [client, command] {
                Json params = Json::array();
                if (command.miner) params.push_back(client->miner);
                if (command.range) {
                    params.push_back(client->from);
                    params.push_back(client->to >= 0 ? Json(client->to) : Json());
                }
                if (std::string(command.name) == "rounds") params.push_back(client->misses);
                return with_pool_client(*client, command.method, params);
            };
        });
    }
    return [chosen] { return *chosen ? (*chosen)() : kExitUsage; };
}

}  // namespace minerx::runners
