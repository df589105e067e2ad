#include "runners/chainapi/lotus_json.h"

#include <sodium.h>

#include <array>
#include <cstring>

#include "core/chain/address.h"
#include "core/math/int128.h"

namespace minerx::chainapi {
namespace {

// CIDv1 prefix: version 1, codec dag-cbor (0x71), multihash blake2b-256 (code 0xb220 as the
// varint a0 e4 02), digest length 32 (multiformats/multicodec table.csv).
constexpr std::array<std::uint8_t, 6> kCidPrefix = {0x01, 0x71, 0xa0, 0xe4, 0x02, 0x20};
constexpr std::string_view kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

std::string base32_lower(std::span<const std::uint8_t> bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const std::uint8_t byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 31u]);
            bits -= 5;
        }
    }
    if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 31u]);
    return out;
}

std::optional<std::vector<std::uint8_t>> from_base32_lower(std::string_view text) {
    std::vector<std::uint8_t> out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const char c : text) {
        const auto position = kBase32Alphabet.find(c);
        if (position == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(position);
        bits += 5;
        if (bits >= 8) {
            out.push_back(static_cast<std::uint8_t>((buffer >> (bits - 8)) & 0xffu));
            bits -= 8;
        }
    }
    return out;
}

}  // namespace

std::string block_cid(const chain::BlockId& id) {
    std::vector<std::uint8_t> bytes(kCidPrefix.begin(), kCidPrefix.end());
    bytes.insert(bytes.end(), id.begin(), id.end());
    return "b" + base32_lower(bytes);
}

std::optional<chain::BlockId> parse_block_cid(std::string_view text) {
    if (text.size() < 2 || text.front() != 'b') return std::nullopt;
    const auto bytes = from_base32_lower(text.substr(1));
    if (!bytes || bytes->size() != kCidPrefix.size() + 32) return std::nullopt;
    if (!std::equal(kCidPrefix.begin(), kCidPrefix.end(), bytes->begin())) return std::nullopt;
    chain::BlockId id{};
    std::memcpy(id.data(), bytes->data() + kCidPrefix.size(), id.size());
    if (block_cid(id) != text) return std::nullopt;  // non-canonical trailing bits
    return id;
}

Json cid_json(const chain::BlockId& id) { return Json{{"/", block_cid(id)}}; }

std::optional<chain::BlockId> cid_from_json(const Json& value) {
    if (!value.is_object() || value.size() != 1 || !value.contains("/") || !value["/"].is_string()) {
        return std::nullopt;
    }
    return parse_block_cid(value["/"].get<std::string>());
}

Json tipset_key_json(const chain::TipsetKey& key) {
    Json out = Json::array();
    for (const chain::BlockId& id : key) out.push_back(cid_json(id));
    return out;
}

std::optional<chain::TipsetKey> tipset_key_from_json(const Json& value) {
    chain::TipsetKey key;
    if (value.is_null()) return key;
    if (!value.is_array()) return std::nullopt;
    for (const Json& element : value) {
        auto id = cid_from_json(element);
        if (!id) return std::nullopt;
        key.push_back(*id);
    }
    return key;
}

std::string to_base64(std::span<const std::uint8_t> bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text) {
    std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

std::string digest_base64(const chain::Digest& digest) { return to_base64(digest); }

std::optional<chain::Digest> digest_from_base64(std::string_view text) {
    const auto bytes = from_base64(text);
    if (!bytes || bytes->size() != 32) return std::nullopt;
    chain::Digest digest{};
    std::memcpy(digest.data(), bytes->data(), digest.size());
    return digest;
}

std::string address(chain::ActorId id) { return chain::format_id_address(id); }

std::optional<chain::ActorId> parse_address(std::string_view text) {
    const chain::IdAddressParseResult parsed = chain::parse_id_address(text);
    if (!parsed.id) return std::nullopt;
    return *parsed.id;
}

std::optional<chain::ActorId> address_from_json(const Json& value) {
    if (!value.is_string()) return std::nullopt;
    return parse_address(value.get<std::string>());
}

std::optional<chain::StoragePower> power_from_json(const Json& value) {
    if (!value.is_string()) return std::nullopt;
    return math::parse_uint128(value.get<std::string>());
}

std::optional<chain::AttoFil> attofil_from_json(const Json& value) {
    if (!value.is_string()) return std::nullopt;
    auto parsed = math::parse_int128(value.get<std::string>());
    if (!parsed || *parsed < 0) return std::nullopt;
    return parsed;
}

}  // namespace minerx::chainapi
