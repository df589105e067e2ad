#pragma once

// Lotus' JSON conventions for the chain API the devnet serves and the pool calls
// (lotus: documentation/en/api-methods-v1-stable.md; docs/daemons.md "Chain API"):
//   - CIDs are {"/": "<CIDv1 text>"}; a block's CID here is CIDv1, codec dag-cbor (0x71),
//     multihash BLAKE2b-256 (0xb220), multibase base32 lower case ("bafy2bzace..."), the form of
//     every Lotus block CID. minerx block ids (chain::BlockId, a BLAKE2b-256 digest) are the
//     multihash digest, so ids and CIDs convert both ways without loss;
//   - big integers (power, attoFIL, weights) are decimal strings;
//   - bytes are standard base64 with padding (Go's encoding/json for []byte);
//   - addresses are "f0<id>" (ID addresses; t0 accepted).
// Parsers return nullopt for anything malformed; callers turn that into a -32602 error.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/chain/chain_types.h"
#include "core/chain/tipset.h"
#include "core/chain/token_amount.h"
#include "runners/rpc/json_rpc.h"

namespace minerx::chainapi {

using rpc::Json;

std::string block_cid(const chain::BlockId& id);
std::optional<chain::BlockId> parse_block_cid(std::string_view text);

Json cid_json(const chain::BlockId& id);
std::optional<chain::BlockId> cid_from_json(const Json& value);

// A tipset key as Lotus sends it: an array of CIDs. null and [] are the empty key ("the head").
Json tipset_key_json(const chain::TipsetKey& key);
std::optional<chain::TipsetKey> tipset_key_from_json(const Json& value);

std::string to_base64(std::span<const std::uint8_t> bytes);
std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text);

// Digests travel as base64 of their 32 bytes.
std::string digest_base64(const chain::Digest& digest);
std::optional<chain::Digest> digest_from_base64(std::string_view text);

std::string address(chain::ActorId id);
std::optional<chain::ActorId> parse_address(std::string_view text);
std::optional<chain::ActorId> address_from_json(const Json& value);

// Decimal strings of non-negative big integers.
std::optional<chain::StoragePower> power_from_json(const Json& value);
std::optional<chain::AttoFil> attofil_from_json(const Json& value);

}  // namespace minerx::chainapi
