#include "tests/test_data.h"

#include <cstdint>
#include <fstream>

#include <gtest/gtest.h>

namespace minerx::testing {

std::string test_data_path(const std::string& relative) {
    return std::string(MINERX_TEST_DATA_DIR) + "/" + relative;
}

std::vector<std::string> read_lines(const std::string& relative) {
    std::ifstream in(test_data_path(relative));
    EXPECT_TRUE(in.good()) << "cannot open test data " << test_data_path(relative);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> split_fields(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::string field;
    auto flush = [&] {
        auto begin = field.find_first_not_of(' ');
        auto end = field.find_last_not_of(' ');
        fields.push_back(begin == std::string::npos ? "" : field.substr(begin, end - begin + 1));
        field.clear();
    };
    for (char c : line) {
        if (c == separator) {
            flush();
        } else {
            field.push_back(c);
        }
    }
    flush();
    return fields;
}

std::vector<std::uint8_t> bytes_from_hex(const std::string& hex) {
    EXPECT_EQ(hex.size() % 2, 0u) << hex;
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    }
    return bytes;
}

std::string hex_from_bytes(const std::uint8_t* data, std::size_t size) {
    static const char* digits = "0123456789abcdef";
    std::string hex;
    for (std::size_t i = 0; i < size; ++i) {
        hex.push_back(digits[data[i] >> 4]);
        hex.push_back(digits[data[i] & 0xf]);
    }
    return hex;
}

}  // namespace minerx::testing
