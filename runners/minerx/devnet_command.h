#pragma once

// `minerx devnet run`: the testbed chain node (runners/devnet), serving the Lotus API subset.

#include <functional>

#include <CLI/CLI.hpp>

namespace minerx::runners {

std::function<int()> add_devnet_command(CLI::App& app);

}  // namespace minerx::runners
