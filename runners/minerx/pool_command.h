#pragma once

// `minerx pool run` (the pool daemon, runners/pool) and the member and operator commands that
// call its API: blocks, rounds, balance, statement, members, pause, resume, health.

#include <functional>

#include <CLI/CLI.hpp>

namespace minerx::runners {

std::function<int()> add_pool_command(CLI::App& app);

}  // namespace minerx::runners
