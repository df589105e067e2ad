// ID addresses: byte, CBOR and text forms (go-address rules; CBOR vectors from
// tests/data/derived/randomness.txt, research/election.md §2.4).

#include "core/chain/address.h"

#include <string>

#include <gtest/gtest.h>

#include "tests/test_data.h"

namespace minerx::chain {
namespace {

using testing::bytes_from_hex;
using testing::read_lines;
using testing::split_fields;

std::string hex(const std::vector<std::uint8_t>& bytes) {
    return testing::hex_from_bytes(bytes.data(), bytes.size());
}

ActorId parse_ok(const char* text) {
    IdAddressParseResult result = parse_id_address(text);
    EXPECT_TRUE(result.id.has_value()) << text << ": " << result.error;
    EXPECT_TRUE(result.error.empty()) << text;
    return result.id.value_or(0);
}

std::string parse_error(const std::string& text) {
    IdAddressParseResult result = parse_id_address(text);
    EXPECT_FALSE(result.id.has_value()) << text;
    EXPECT_NE(result.error.find("\"" + text + "\""), std::string::npos) << result.error;
    return result.error;
}

TEST(Address, CborMatchesDerivedVectors) {
    std::size_t checked = 0;
    for (const auto& line : read_lines("derived/randomness.txt")) {
        auto fields = split_fields(line, ' ');
        if (fields[0] != "cbor") continue;
        ASSERT_EQ(fields.size(), 3u) << line;
        EXPECT_EQ(hex(id_address_cbor(std::stoull(fields[1]))), fields[2]) << line;
        ++checked;
    }
    EXPECT_EQ(checked, 3u);
}

TEST(Address, BytesAreProtocolZeroThenMinimalUvarint) {
    EXPECT_EQ(hex(id_address_bytes(0)), "0000");
    EXPECT_EQ(hex(id_address_bytes(127)), "007f");
    EXPECT_EQ(hex(id_address_bytes(128)), "008001");
    EXPECT_EQ(hex(id_address_bytes(1234)), "00d209");
    EXPECT_EQ(hex(id_address_bytes(kIdAddressMaxActorId)), "00ffffffffffffffff7f");
    EXPECT_EQ(hex(id_address_cbor(kIdAddressMaxActorId)), "4a00ffffffffffffffff7f");
}

TEST(Address, BytesRoundTrip) {
    for (ActorId id : {ActorId{0}, ActorId{1}, ActorId{127}, ActorId{128}, ActorId{1234},
                       ActorId{16383}, ActorId{16384}, ActorId{123456}, kIdAddressMaxActorId}) {
        EXPECT_EQ(id_from_address_bytes(id_address_bytes(id)), id) << id;
    }
}

TEST(Address, RejectsMalformedBytes) {
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("")));
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("00")));            // no payload
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("01d209")));        // not protocol ID
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("00d2")));          // varint unfinished
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("00d20900")));      // trailing byte
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("008000")));        // not minimal
    EXPECT_FALSE(id_from_address_bytes(bytes_from_hex("00ffffffffffffffff8001")));  // > 63 bits
}

TEST(Address, FormatsTextForm) {
    EXPECT_EQ(format_id_address(1234), "f01234");
    EXPECT_EQ(format_id_address(0), "f00");
    EXPECT_EQ(format_id_address(1000, AddressNetwork::kTestnet), "t01000");
    EXPECT_EQ(format_id_address(kIdAddressMaxActorId), "f09223372036854775807");
}

TEST(Address, ParsesTextForm) {
    EXPECT_EQ(parse_ok("f01234"), 1234u);
    EXPECT_EQ(parse_ok("t01234"), 1234u);
    EXPECT_EQ(parse_ok("f00"), 0u);
    EXPECT_EQ(parse_ok("f09223372036854775807"), kIdAddressMaxActorId);
    for (ActorId id : {ActorId{0}, ActorId{7}, ActorId{1000}, ActorId{123456}}) {
        EXPECT_EQ(parse_ok(format_id_address(id).c_str()), id);
    }
}

TEST(Address, RejectsMalformedText) {
    EXPECT_NE(parse_error("").find("too short"), std::string::npos);
    EXPECT_NE(parse_error("f0").find("too short"), std::string::npos);
    EXPECT_NE(parse_error("x01234").find("network prefix"), std::string::npos);
    EXPECT_NE(parse_error("F01234").find("network prefix"), std::string::npos);
    EXPECT_NE(parse_error("f1abcdef").find("protocol 1"), std::string::npos);
    EXPECT_NE(parse_error("f3abcdef").find("protocol 3"), std::string::npos);
    EXPECT_NE(parse_error("f41234").find("unknown address protocol"), std::string::npos);
    for (const char* bad : {"f0-1", "f0+1", "f0 1", "f01 ", "f012a", "f00007", "f01_000",
                            "f09223372036854775808", "f018446744073709551616",
                            "f0123456789012345678901"}) {
        EXPECT_NE(parse_error(bad).find("decimal digits"), std::string::npos) << bad;
    }
}

}  // namespace
}  // namespace minerx::chain
