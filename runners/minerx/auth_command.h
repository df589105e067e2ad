#pragma once

// `minerx auth ...`: the auth service daemon (`auth run`) and its administration client
// (`auth user|miner|token ...`). docs/daemons.md is the operator's guide.

#include <functional>

#include <CLI/CLI.hpp>

namespace minerx::runners {

// Registers `auth` and its subcommands on the app. The returned function runs whichever
// subcommand was parsed and returns the process exit status.
std::function<int()> add_auth_command(CLI::App& app);

}  // namespace minerx::runners
