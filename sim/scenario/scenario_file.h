#pragma once

// Scenario files: YAML text in, a validated Scenario out, or a ScenarioError naming the file,
// line, column and key path of the first problem. docs/scenarios.md is the schema, key by key.
//
// Validation is complete: a Scenario returned from here is one the simulator can run. Unknown
// keys (with the closest known key suggested), wrong types, out-of-range values, empty required
// lists, duplicate pool or policy names, unknown continents and sealing profiles, malformed or
// dangling fault targets, and infeasible networks are all refused; the reward policies' and
// membership's own checks (pool::reward_policy_config_error, pool::membership_config_error) run
// on the configurations built from the file and report at the key they came from.

#include <filesystem>
#include <string_view>

#include "sim/scenario/scenario.h"
#include "sim/scenario/scenario_error.h"

namespace minerx::sim {

// `file_for_errors` names the text in error messages and anchors relative paths in it
// (network.power_distribution is read relative to its directory). Throws ScenarioError.
Scenario parse_scenario(std::string_view yaml_text, const std::filesystem::path& file_for_errors);

// Reads and parses the file. Throws ScenarioError (also when the file cannot be read).
Scenario load_scenario_file(const std::filesystem::path& file);

// The scenario files' names of policy kinds ("solo", "winner_takes_all", "power_proportional",
// "pplns", "smoothed") and fault kinds ("host_down", ...).
std::string_view policy_kind_name(const pool::RewardPolicyConfig& config);
std::string_view fault_kind_name(FaultKind kind);

}  // namespace minerx::sim
