#include "runners/minerx/wincount_input.h"

#include <sstream>

#include "core/chain/election.h"
#include "core/math/int128.h"

namespace minerx::runners {

std::optional<std::vector<std::uint8_t>> parse_hex(const std::string& text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::vector<std::uint8_t> bytes;
    bytes.reserve(text.size() / 2);
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < text.size(); i += 2) {
        int high = nibble(text[i]);
        int low = nibble(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        bytes.push_back(static_cast<std::uint8_t>(high * 16 + low));
    }
    return bytes;
}

namespace {

constexpr std::size_t kQuotedFieldMax = 40;

// A field as it appears in an error message: non-printable bytes escaped, long fields cut, so a
// garbage line cannot flood or corrupt the terminal.
std::string quoted(const std::string& field) {
    static const char* hex = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < field.size() && i < kQuotedFieldMax; ++i) {
        const auto c = static_cast<unsigned char>(field[i]);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    if (field.size() > kQuotedFieldMax) out += "...";
    return out + "\"";
}

}  // namespace

WinCountLine evaluate_wincount_line(const std::string& line) {
    std::istringstream fields(line);
    std::string proof_hex, miner_text, network_text, extra;
    fields >> proof_hex >> miner_text >> network_text;
    if (network_text.empty()) {
        return {std::nullopt, "expected 3 fields \"<vrf-proof-hex> <miner-power> <network-power>\""};
    }
    if (fields >> extra) return {std::nullopt, "unexpected 4th field " + quoted(extra)};
    if (proof_hex.size() % 2 != 0) {
        return {std::nullopt, "VRF proof " + quoted(proof_hex) + " has an odd number of hex digits"};
    }
    auto proof = parse_hex(proof_hex);
    if (!proof) return {std::nullopt, "VRF proof " + quoted(proof_hex) + " is not hexadecimal"};
    auto miner = math::parse_uint128(miner_text);
    if (!miner) {
        return {std::nullopt, "miner power " + quoted(miner_text) +
                                  " is not a decimal byte count below 2^128 (units are not accepted here)"};
    }
    auto network = math::parse_uint128(network_text);
    if (!network) {
        return {std::nullopt, "network power " + quoted(network_text) +
                                  " is not a decimal byte count below 2^128 (units are not accepted here)"};
    }
    if (*network == 0) return {std::nullopt, "network power must be positive"};
    return {chain::compute_win_count(*proof, *miner, *network), ""};
}

}  // namespace minerx::runners
