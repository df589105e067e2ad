#include "sim/scenario/scenario_error.h"

#include <utility>

namespace minerx::sim {
namespace {

std::string format_message(const std::filesystem::path& file, std::size_t line, std::size_t column,
                           const std::string& key_path, const std::string& reason) {
    std::string message = file.string();
    if (line > 0) {
        message += ":" + std::to_string(line);
        if (column > 0) message += ":" + std::to_string(column);
    }
    message += ": ";
    if (!key_path.empty()) message += key_path + ": ";
    return message + reason;
}

}  // namespace

ScenarioError::ScenarioError(std::filesystem::path file, std::size_t line, std::size_t column,
                             std::string key_path, std::string reason)
    : std::runtime_error(format_message(file, line, column, key_path, reason)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      key_path_(std::move(key_path)),
      reason_(std::move(reason)) {}

}  // namespace minerx::sim
