#pragma once

// `minerx prover run`: the member's prover (runners/prover), connected out to the pool.

#include <functional>

#include <CLI/CLI.hpp>

namespace minerx::runners {

std::function<int()> add_prover_command(CLI::App& app);

}  // namespace minerx::runners
