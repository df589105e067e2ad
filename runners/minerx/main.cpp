// minerx: the command-line entry point for the production tools (and, later, the daemons).
// It never links SimGrid; the simulator is a separate program under sim/.

#include <CLI/CLI.hpp>
#include <sodium.h>

#include "runners/minerx/auth_command.h"
#include "runners/minerx/devnet_command.h"
#include "runners/minerx/pool_command.h"
#include "runners/minerx/prover_command.h"
#include "runners/minerx/election_command.h"

int main(int argc, char** argv) {
    // Selects libsodium's vectorised BLAKE2b; the core works without it, only slower.
    if (sodium_init() < 0) return 70;

    CLI::App app{"minerx: tools for Filecoin distributed mining pools (election, rewards, luck, auth, devnet, pool, prover)"};
    app.set_version_flag("--version", "minerx 0.1.0");
    app.require_subcommand(1);
    app.fallthrough(false);

    auto run_election = minerx::runners::add_election_command(app);
    auto run_auth = minerx::runners::add_auth_command(app);
    auto run_devnet = minerx::runners::add_devnet_command(app);
    auto run_pool = minerx::runners::add_pool_command(app);
    auto run_prover = minerx::runners::add_prover_command(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version exit 0; every usage error exits 64 (EX_USAGE), as the tool's own.
        return app.exit(error) == 0 ? 0 : 64;
    }
    if (app.got_subcommand("auth")) return run_auth();
    if (app.got_subcommand("devnet")) return run_devnet();
    if (app.got_subcommand("pool")) return run_pool();
    if (app.got_subcommand("prover")) return run_prover();
    return run_election();
}
