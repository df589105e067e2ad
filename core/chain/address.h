#pragma once

// ID addresses (f0<id>): the only kind of address a block's miner may have (Lotus
// chain/consensus/filcns/filecoin.go, blockSanityChecks). The three forms follow
// filecoin-project/go-address:address.go:
//
//   bytes = 0x00 (protocol ID) ‖ uvarint(id)     unsigned LEB128, minimal, at most 9 bytes
//   CBOR  = CBOR byte-string header ‖ bytes      0x40 | length, since length <= 10 < 24
//   text  = network prefix ‖ '0' ‖ decimal id    'f' on mainnet, 't' on test networks
//
// CBOR(miner address) is the entropy of the election, ticket and WinningPoSt randomness
// (research/election.md §3.2); tests/data/derived/randomness.txt holds vectors.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/chain/chain_types.h"

namespace minerx::chain {

// go-address NewIDAddress refuses ids >= 2^63; go-varint reads at most 9 varint bytes (63 bits).
inline constexpr ActorId kIdAddressMaxActorId = (ActorId{1} << 63) - 1;

enum class AddressNetwork : char { kMainnet = 'f', kTestnet = 't' };

// REQUIRES: id <= kIdAddressMaxActorId (for all three).
std::vector<std::uint8_t> id_address_bytes(ActorId id);
std::vector<std::uint8_t> id_address_cbor(ActorId id);
std::string format_id_address(ActorId id, AddressNetwork network = AddressNetwork::kMainnet);

struct IdAddressParseResult {
    std::optional<ActorId> id;  // set on success
    std::string error;          // why not, on failure (quotes the offending text)
};

// Accepts "f0<id>" and "t0<id>" with a canonical decimal id: digits only, no sign, no spaces, no
// leading zero except the id 0 itself ("f00"), at most kIdAddressMaxActorId. go-address also
// accepts leading zeros ("f0007"); minerx rejects them so that text and id map one to one.
IdAddressParseResult parse_id_address(std::string_view text);

// The inverse of id_address_bytes: nullopt unless the bytes are protocol 0 followed by exactly one
// minimal uvarint of at most 9 bytes (go-address newAddress with go-varint FromUvarint).
std::optional<ActorId> id_from_address_bytes(std::span<const std::uint8_t> bytes);

}  // namespace minerx::chain
