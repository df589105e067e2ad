#include "core/chain/address.h"

#include "core/util/assert.h"

namespace minerx::chain {
namespace {

constexpr std::uint8_t kProtocolId = 0x00;
constexpr std::uint8_t kCborByteStringMajor = 0x40;  // major type 2, length in the low 5 bits
constexpr std::size_t kCborShortLengthMax = 23;
constexpr std::size_t kUvarintBytesMax = 9;
// go-address: "20 is length of math.MaxUint64 as a string".
constexpr std::size_t kIdDigitsMax = 20;

IdAddressParseResult parse_failure(std::string_view text, std::string_view why) {
    return {std::nullopt, "invalid ID address \"" + std::string(text) + "\": " + std::string(why)};
}

bool is_network_prefix(char c) {
    return c == static_cast<char>(AddressNetwork::kMainnet) ||
           c == static_cast<char>(AddressNetwork::kTestnet);
}

// Canonical decimal: digits only, no leading zero unless the number is 0, within the ID range.
std::optional<ActorId> parse_canonical_id(std::string_view digits) {
    if (digits.empty() || digits.size() > kIdDigitsMax) return std::nullopt;
    if (digits.size() > 1 && digits.front() == '0') return std::nullopt;
    ActorId value = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        auto digit = static_cast<ActorId>(c - '0');
        if (value > (kIdAddressMaxActorId - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

// Protocol byte, then the id as an unsigned LEB128 varint (7 bits a byte, low bits first).
void append_id_address_bytes(ActorId id, std::vector<std::uint8_t>& out) {
    MINERX_ASSERT(id <= kIdAddressMaxActorId);
    out.push_back(kProtocolId);
    while (id >= 0x80) {
        out.push_back(static_cast<std::uint8_t>((id & 0x7f) | 0x80));
        id >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(id));
}

}  // namespace

std::vector<std::uint8_t> id_address_bytes(ActorId id) {
    std::vector<std::uint8_t> bytes;
    append_id_address_bytes(id, bytes);
    return bytes;
}

std::vector<std::uint8_t> id_address_cbor(ActorId id) {
    std::vector<std::uint8_t> cbor{kCborByteStringMajor};
    append_id_address_bytes(id, cbor);
    std::size_t address_size = cbor.size() - 1;
    MINERX_ASSERT(address_size <= kCborShortLengthMax);
    cbor[0] = static_cast<std::uint8_t>(kCborByteStringMajor | address_size);
    return cbor;
}

std::string format_id_address(ActorId id, AddressNetwork network) {
    MINERX_ASSERT(id <= kIdAddressMaxActorId);
    return std::string{static_cast<char>(network), '0'} + std::to_string(id);
}

IdAddressParseResult parse_id_address(std::string_view text) {
    if (text.size() < 3) return parse_failure(text, "too short, expected f0<id>");
    if (!is_network_prefix(text[0])) {
        return parse_failure(text, "network prefix must be 'f' or 't'");
    }
    if (text[1] >= '1' && text[1] <= '3') {
        return parse_failure(text, "not an ID address (protocol " + std::string(1, text[1]) + ")");
    }
    if (text[1] != '0') return parse_failure(text, "unknown address protocol");
    std::optional<ActorId> id = parse_canonical_id(text.substr(2));
    if (!id) {
        return parse_failure(
            text, "the id must be decimal digits without leading zeros, at most 2^63 - 1");
    }
    return {id, ""};
}

std::optional<ActorId> id_from_address_bytes(std::span<const std::uint8_t> bytes) {
    if (bytes.size() < 2 || bytes.size() > 1 + kUvarintBytesMax) return std::nullopt;
    if (bytes[0] != kProtocolId) return std::nullopt;
    ActorId value = 0;
    for (std::size_t i = 1; i < bytes.size(); ++i) {
        std::uint8_t byte = bytes[i];
        bool last = i + 1 == bytes.size();
        if (last != (byte < 0x80)) return std::nullopt;    // a varint ends exactly at the end
        if (last && byte == 0 && i > 1) return std::nullopt;  // not minimal
        value |= static_cast<ActorId>(byte & 0x7f) << (7 * (i - 1));
    }
    return value;
}

}  // namespace minerx::chain
