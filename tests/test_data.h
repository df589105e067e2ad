#pragma once

// Reading the test vectors under tests/data (see tests/data/README.md for their sources).

#include <cstdint>
#include <string>
#include <vector>

namespace minerx::testing {

// Absolute path of a file under tests/data.
std::string test_data_path(const std::string& relative);

// The file's lines without trailing newlines. Fails the calling test (and returns {}) if the file
// cannot be read.
std::vector<std::string> read_lines(const std::string& relative);

// Splits on the separator, trimming spaces around each field.
std::vector<std::string> split_fields(const std::string& line, char separator);

std::vector<std::uint8_t> bytes_from_hex(const std::string& hex);
std::string hex_from_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace minerx::testing
