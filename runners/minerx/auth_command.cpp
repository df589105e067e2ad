#include "runners/minerx/auth_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "runners/auth/auth_service.h"
#include "runners/auth/auth_store.h"
#include "runners/net/endpoint.h"
#include "runners/net/rpc_client.h"
#include "runners/net/rpc_server.h"
#include "runners/rpc/dispatcher.h"
#include "runners/store/migrations.h"

namespace minerx::runners {
namespace {

// sysexits.h values, as the rest of the CLI uses them.
constexpr int kExitUsage = 64;
constexpr int kExitDataErr = 65;
constexpr int kExitNoInput = 66;
constexpr int kExitUnavailable = 69;
constexpr int kExitIoErr = 74;
constexpr int kExitNoPerm = 77;

constexpr const char* kDefaultApi = "http://127.0.0.1:8989";

struct RunOptions {
    std::string db_path;
    std::string listen = "127.0.0.1:8989";
    std::string admin_token_file;
    std::size_t max_body_bytes = 1 << 20;
    int read_timeout_seconds = 30;
};

struct ClientOptions {
    std::string api = kDefaultApi;
    std::string token;
};

struct CommandArgs {
    std::string name;
    std::string comment;
    std::string user;
    std::string miner;
    std::string perm = "read";
    std::int64_t expires_in = 0;
    std::string token;
    std::string db_path;  // token issue: offline, straight from the database
    bool json = false;
};

// Writes `text` to a new file readable only by its owner (it is a credential).
bool write_private_file(const std::string& path, const std::string& text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::cerr << "minerx: cannot write " << path << ": " << std::strerror(errno) << "\n";
        return false;
    }
    ::fchmod(fd, 0600);
    const ssize_t written = ::write(fd, text.data(), text.size());
    const bool ok = written == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) std::cerr << "minerx: cannot write " << path << ": " << std::strerror(errno) << "\n";
    return ok;
}

bool file_exists(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

int run_service(const RunOptions& options) {
    const auto listen = net::parse_listen_address(options.listen);
    if (!listen) {
        std::cerr << "minerx: --listen \"" << options.listen << "\": expected HOST:PORT, e.g. 127.0.0.1:8989\n";
        return kExitUsage;
    }
    if (options.read_timeout_seconds <= 0 || options.max_body_bytes < 1024) {
        std::cerr << "minerx: --read-timeout must be positive and --max-body-bytes at least 1024\n";
        return kExitUsage;
    }
    try {
        store::Database db = store::Database::open(options.db_path);
        auth::AuthStore store(db);
        bool first_run = false;
        const std::string secret = store.signing_secret(&first_run);
        auth::AuthService service(store, secret, auth::system_unix_clock());
        if (first_run) {
            const std::string admin_token = service.bootstrap_admin();
            if (!options.admin_token_file.empty()) {
                if (!write_private_file(options.admin_token_file, admin_token + "\n")) return kExitIoErr;
                std::cout << "minerx auth: created " << options.db_path << "; admin token written to "
                          << options.admin_token_file << "\n";
            } else {
                std::cout << "minerx auth: created " << options.db_path
                          << "; admin token (shown once, keep it secret):\n"
                          << admin_token << "\n";
            }
        }

        rpc::MethodRegistry registry;
        service.register_methods(registry);
        rpc::RequestLimits limits;
        limits.max_body_bytes = options.max_body_bytes;
        rpc::Dispatcher dispatcher(registry, limits);

        boost::asio::io_context io;
        net::ServerOptions server_options;
        server_options.max_body_bytes = options.max_body_bytes;
        server_options.read_timeout = std::chrono::seconds(options.read_timeout_seconds);
        net::RpcServer server(
            io, server_options, [&](std::string_view token) { return service.verify(token); },
            [&](std::string_view body, const rpc::Caller& caller) { return dispatcher.handle(body, caller); });
        try {
            server.listen(*listen);
        } catch (const std::runtime_error& error) {
            std::cerr << "minerx: " << error.what() << "\n";
            return kExitUnavailable;
        }
        std::cout << "minerx auth: listening on " << listen->host << ":" << server.port() << net::kRpcPath
                  << std::endl;
        const int signal_number = net::run_until_signal(io, server);
        std::cerr << "minerx auth: stopped (signal " << signal_number << ")\n";
        return 0;
    } catch (const store::SchemaTooNew& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitDataErr;
    } catch (const store::StoreError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitNoInput;
    }
}

// Runs one client call, mapping failures to exit statuses with a message naming the cause.
template <class Action> int with_client(const ClientOptions& options, Action action) {
    try {
        net::HttpRpcClient client(options.api, options.token);
        return action(client);
    } catch (const net::RpcCallError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        if (error.code() == rpc::error_code::kPermissionDenied || error.code() == rpc::error_code::kUnauthorized) {
            return kExitNoPerm;
        }
        return kExitDataErr;
    } catch (const net::TransportError& error) {
        std::cerr << "minerx: auth service at " << options.api << ": " << error.what() << "\n";
        return error.unavailable() ? kExitUnavailable : kExitIoErr;
    }
}

void print_user_line(const rpc::Json& user) {
    std::string miners;
    for (const auto& miner : user["miners"]) miners += (miners.empty() ? "" : ",") + miner.get<std::string>();
    std::cout << user["name"].get<std::string>() << '\t' << (user["enabled"].get<bool>() ? "enabled" : "disabled")
              << '\t' << (miners.empty() ? "-" : miners) << '\t' << user["comment"].get<std::string>() << '\n';
}

int finish_output() {
    std::cout.flush();
    if (!std::cout) {
        std::cerr << "minerx: write error on standard output\n";
        return kExitIoErr;
    }
    return 0;
}

int issue_offline(const CommandArgs& args) {
    if (!file_exists(args.db_path)) {
        std::cerr << "minerx: cannot open " << args.db_path << ": no such file (start `minerx auth run` first)\n";
        return kExitNoInput;
    }
    const auto permission = rpc::parse_token_permission(args.perm);
    try {
        store::Database db = store::Database::open(args.db_path);
        auth::AuthStore store(db);
        auth::AuthService service(store, store.signing_secret(), auth::system_unix_clock());
        std::cout << service.issue(args.user, *permission, args.expires_in) << '\n';
        return finish_output();
    } catch (const auth::AuthError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitDataErr;
    } catch (const store::StoreError& error) {
        std::cerr << "minerx: " << error.what() << "\n";
        return kExitNoInput;
    }
}

CLI::App* add_client_command(CLI::App* parent, const std::string& name, const std::string& help,
                             ClientOptions& client) {
    auto* command = parent->add_subcommand(name, help);
    command->add_option("--api", client.api, "Auth service URL (default " + std::string(kDefaultApi) + ")")
        ->envname("MINERX_AUTH_API");
    command->add_option("--token", client.token, "Bearer token (admin for changes)")->envname("MINERX_AUTH_TOKEN");
    return command;
}

}  // namespace

std::function<int()> add_auth_command(CLI::App& app) {
    auto* auth = app.add_subcommand(
        "auth",
        "The auth service: users, miners bound to users, and API tokens (JWT HS256 with\n"
        "permissions read < write < sign < admin). See docs/daemons.md.");
    auth->require_subcommand(1);

    auto run_options = std::make_shared<RunOptions>();
    auto* run = auth->add_subcommand(
        "run",
        "Run the auth service (JSON-RPC 2.0 over HTTP POST and WebSocket at /rpc/v0).\n"
        "On first run it creates the database and its signing secret, and prints the admin\n"
        "token once (or writes it to --admin-token-file). Stops cleanly on SIGINT/SIGTERM.");
    run->add_option("--db", run_options->db_path, "SQLite database file (created if absent, mode 0600)")
        ->required();
    run->add_option("--listen", run_options->listen, "HOST:PORT to listen on (default 127.0.0.1:8989; port 0: any)");
    run->add_option("--admin-token-file", run_options->admin_token_file,
                    "On first run, write the admin token to this file (mode 0600) instead of stdout");
    run->add_option("--max-body-bytes", run_options->max_body_bytes, "Largest request body (default 1048576)");
    run->add_option("--read-timeout", run_options->read_timeout_seconds,
                    "Seconds a connection may stay silent (default 30)");

    auto client = std::make_shared<ClientOptions>();
    auto args = std::make_shared<CommandArgs>();

    auto* user = auth->add_subcommand("user", "Add, disable, enable and list users");
    user->require_subcommand(1);
    auto* user_add = add_client_command(user, "add", "Add a user (admin)", *client);
    user_add->add_option("name", args->name, "User name: 1-64 of A-Z a-z 0-9 _ . -")->required();
    user_add->add_option("--comment", args->comment, "Free text, e.g. the member's contact");
    auto* user_disable = add_client_command(
        user, "disable", "Disable a user: all of its tokens stop verifying (admin)", *client);
    user_disable->add_option("name", args->name, "User name")->required();
    auto* user_enable = add_client_command(user, "enable", "Enable a disabled user again (admin)", *client);
    user_enable->add_option("name", args->name, "User name")->required();
    auto* user_list = add_client_command(
        user, "list", "List users: name, state, miners, comment (tab-separated; read)", *client);
    user_list->add_flag("--json", args->json, "Print the JSON array instead");

    auto* miner = auth->add_subcommand("miner", "Bind miners to users (one user per miner)");
    miner->require_subcommand(1);
    auto* miner_bind = add_client_command(miner, "bind", "Bind a miner to a user (admin)", *client);
    miner_bind->add_option("user", args->user, "User name")->required();
    miner_bind->add_option("miner", args->miner, "Miner actor ID, e.g. f01234")->required();
    auto* miner_unbind = add_client_command(miner, "unbind", "Remove a miner's binding (admin)", *client);
    miner_unbind->add_option("miner", args->miner, "Miner actor ID")->required();
    auto* miner_owner = add_client_command(miner, "owner", "Print the user a miner is bound to (read)", *client);
    miner_owner->add_option("miner", args->miner, "Miner actor ID")->required();

    auto* token = auth->add_subcommand("token", "Issue and verify tokens");
    token->require_subcommand(1);
    auto* token_issue = add_client_command(
        token, "issue",
        "Issue a token for a user and print it (admin). With --db, issue offline from the\n"
        "database file instead (e.g. to recover a lost admin token).",
        *client);
    token_issue->add_option("user", args->user, "User name")->required();
    token_issue->add_option("--perm", args->perm, "read, write, sign or admin (default read)")
        ->check(CLI::IsMember({"read", "write", "sign", "admin"}));
    token_issue->add_option("--expires-in", args->expires_in, "Lifetime in seconds (default 0: no expiry)")
        ->check(CLI::NonNegativeNumber);
    token_issue->add_option("--db", args->db_path, "Issue offline from this auth database");
    auto* token_verify = add_client_command(
        token, "verify", "Verify a token; print its user and permission (exit 77 if refused)", *client);
    token_verify->add_option("token", args->token, "The token to check")->required();

    return [=]() -> int {
        if (run->parsed()) return run_service(*run_options);
        if (token_issue->parsed() && !args->db_path.empty()) return issue_offline(*args);
        return with_client(*client, [&](net::HttpRpcClient& api) -> int {
            if (user_add->parsed()) {
                rpc::Json params = {args->name};
                if (!args->comment.empty()) params.push_back(args->comment);
                api.call("Auth.AddUser", params);
                std::cout << "added user " << args->name << '\n';
            } else if (user_disable->parsed()) {
                api.call("Auth.DisableUser", {args->name});
                std::cout << "disabled user " << args->name << '\n';
            } else if (user_enable->parsed()) {
                api.call("Auth.EnableUser", {args->name});
                std::cout << "enabled user " << args->name << '\n';
            } else if (user_list->parsed()) {
                const rpc::Json users = api.call("Auth.ListUsers");
                if (args->json) {
                    std::cout << users.dump(2) << '\n';
                } else {
                    for (const auto& one : users) print_user_line(one);
                }
            } else if (miner_bind->parsed()) {
                api.call("Auth.BindMiner", {args->user, args->miner});
                std::cout << "bound " << args->miner << " to " << args->user << '\n';
            } else if (miner_unbind->parsed()) {
                const bool removed = api.call("Auth.UnbindMiner", {args->miner}).get<bool>();
                std::cout << (removed ? "unbound " : "was not bound: ") << args->miner << '\n';
            } else if (miner_owner->parsed()) {
                std::cout << api.call("Auth.GetUserByMiner", {args->miner})["name"].get<std::string>() << '\n';
            } else if (token_issue->parsed()) {
                rpc::Json params = {args->user, args->perm};
                if (args->expires_in > 0) params.push_back(args->expires_in);
                std::cout << api.call("Auth.IssueToken", params).get<std::string>() << '\n';
            } else if (token_verify->parsed()) {
                const rpc::Json who = api.call("Auth.VerifyToken", {args->token});
                std::cout << who["name"].get<std::string>() << '\t' << who["perm"].get<std::string>() << '\n';
            } else {
                return kExitUsage;
            }
            return finish_output();
        });
    };
}

}  // namespace minerx::runners
