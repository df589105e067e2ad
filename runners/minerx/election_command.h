#pragma once

// `minerx election ...`: the chain core's election rules as command-line tools.

#include <functional>

#include <CLI/CLI.hpp>

namespace minerx::runners {

// Registers `election` and its subcommands on the app. The returned function runs whichever
// subcommand was parsed and returns the process exit status.
std::function<int()> add_election_command(CLI::App& app);

}  // namespace minerx::runners
