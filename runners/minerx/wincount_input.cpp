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

WinCountLine evaluate_wincount_line(const std::string& line) {
    std::istringstream fields(line);
    std::string proof_hex, miner_text, network_text, extra;
    fields >> proof_hex >> miner_text >> network_text;
    if (network_text.empty()) {
        return {std::nullopt, "expected 3 fields \"<vrf-proof-hex> <miner-power> <network-power>\""};
    }
    if (fields >> extra) return {std::nullopt, "unexpected 4th field \"" + extra + "\""};
    auto proof = parse_hex(proof_hex);
    if (!proof || proof->empty()) {
        return {std::nullopt, "VRF proof \"" + proof_hex + "\" is not an even number of hex digits"};
    }
    auto miner = math::parse_uint128(miner_text);
    if (!miner) return {std::nullopt, "miner power \"" + miner_text + "\" is not a decimal byte count"};
    auto network = math::parse_uint128(network_text);
    if (!network) {
        return {std::nullopt, "network power \"" + network_text + "\" is not a decimal byte count"};
    }
    if (*network == 0) return {std::nullopt, "network power must be positive"};
    return {chain::compute_win_count(*proof, *miner, *network), ""};
}

}  // namespace minerx::runners
