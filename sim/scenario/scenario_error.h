#pragma once

// The error every scenario reader throws: where (file, line, column, key path) and why. Its
// message has the compiler-like form editors and people both read:
//
//   scenarios/x.yaml:12:5: pools[0].policies[2].fee_ppm: expected an integer in [0, 1000000], got
//   "12%"
//
// Lines and columns are 1-based; 0 means unknown and is left out of the message (a CSV error names
// the line only; an unreadable file names neither). An empty key path is left out too.

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace minerx::sim {

class ScenarioError : public std::runtime_error {
public:
    ScenarioError(std::filesystem::path file, std::size_t line, std::size_t column,
                  std::string key_path, std::string reason);

    const std::filesystem::path& file() const { return file_; }
    std::size_t line() const { return line_; }
    std::size_t column() const { return column_; }
    const std::string& key_path() const { return key_path_; }
    const std::string& reason() const { return reason_; }

private:
    std::filesystem::path file_;
    std::size_t line_;
    std::size_t column_;
    std::string key_path_;
    std::string reason_;
};

}  // namespace minerx::sim
