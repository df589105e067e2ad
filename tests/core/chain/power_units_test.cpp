#include "core/chain/power_units.h"

#include <gtest/gtest.h>

namespace minerx::chain {
namespace {

StoragePower parse_ok(const char* text) {
    PowerParseResult result = parse_storage_power(text);
    EXPECT_TRUE(result.power.has_value()) << text << ": " << result.error;
    return result.power.value_or(0);
}

std::string parse_error(const char* text) {
    PowerParseResult result = parse_storage_power(text);
    EXPECT_FALSE(result.power.has_value()) << text;
    return result.error;
}

TEST(PowerUnits, ParsesBytesAndBinaryUnits) {
    EXPECT_EQ(parse_ok("10995116277760"), kConsensusMinerMinPower);
    EXPECT_EQ(parse_ok("10TiB"), kConsensusMinerMinPower);
    EXPECT_EQ(parse_ok("10 tib"), kConsensusMinerMinPower);
    EXPECT_EQ(parse_ok("32GiB"), StoragePower{32} << 30);
    EXPECT_EQ(parse_ok("1PiB"), StoragePower{1} << 50);
    EXPECT_EQ(parse_ok("8EiB"), StoragePower{8} << 60);
    EXPECT_EQ(parse_ok("7B"), 7u);
    EXPECT_EQ(parse_ok("0"), 0u);
}

TEST(PowerUnits, FractionsRoundDownToWholeBytes) {
    EXPECT_EQ(parse_ok("0.5KiB"), 512u);
    EXPECT_EQ(parse_ok("1.5 PiB"), (StoragePower{3} << 50) / 2);
    EXPECT_EQ(parse_ok("5.4EiB"), (StoragePower{54} << 60) / 10);
    EXPECT_EQ(parse_ok("0.001B"), 0u);
    EXPECT_EQ(parse_ok(".5KiB"), 512u);
}

TEST(PowerUnits, RejectsMalformedInputWithReason) {
    EXPECT_NE(parse_error("").find("expected a number"), std::string::npos);
    EXPECT_NE(parse_error("-5TiB").find("expected a number"), std::string::npos);
    EXPECT_NE(parse_error("TiB").find("expected a number"), std::string::npos);
    EXPECT_NE(parse_error("10XiB").find("unknown unit"), std::string::npos);
    EXPECT_NE(parse_error("10TB").find("unknown unit"), std::string::npos);
    EXPECT_NE(parse_error("1.2.3").find("unknown unit"), std::string::npos);
    EXPECT_NE(parse_error("1e9").find("unknown unit"), std::string::npos);
    EXPECT_NE(parse_error("200000000000000000000000000000000000000").find("too large"),
              std::string::npos);
    EXPECT_NE(parse_error("1000000000000000000000EiB").find("too large"), std::string::npos);
    EXPECT_NE(parse_error("1.0000000000000000001TiB").find("too many decimals"), std::string::npos);
    EXPECT_NE(parse_error("10XiB").find("\"10XiB\""), std::string::npos);  // names the input
}

// Found by tests/fuzz/power_units_fuzz.cpp: 2^127 - 1 formats as "147573952589676412928 EiB"
// (rounded up to 2^127), which must parse back; the limit is therefore inclusive.
TEST(PowerUnits, LimitIsInclusiveSoFormattedValuesParseBack) {
    const StoragePower limit = StoragePower{1} << 127;
    EXPECT_EQ(parse_ok("170141183460469231731687303715884105728"), limit);
    EXPECT_EQ(parse_ok("147573952589676412928EiB"), limit);
    EXPECT_EQ(format_storage_power(limit - 1), "147573952589676412928 EiB");
    EXPECT_NE(parse_error("170141183460469231731687303715884105729").find("too large"),
              std::string::npos);
    EXPECT_NE(parse_error("147573952589676412928.001EiB").find("too large"), std::string::npos);
}

// Found in review: the digit loop multiplied before checking, so numerals of 38-40 digits wrapped
// around 2^128 and some parsed to small wrong values (2^128 parsed as 0).
TEST(PowerUnits, NumeralsNearTwoTo128AreRejectedNotWrapped) {
    for (const char* text : {"340282366920938463463374607431768211456",   // 2^128
                             "350000000000000000000000000000000000000",   // 3.5e38
                             "1701411834604692317316873037158841057280",  // 10 * 2^127
                             "9999999999999999999999999999999999999999"}) {
        EXPECT_NE(parse_error(text).find("too large"), std::string::npos) << text;
    }
}

TEST(PowerUnits, FormatsWithLargestUnit) {
    EXPECT_EQ(format_storage_power(0), "0 B");
    EXPECT_EQ(format_storage_power(1023), "1023 B");
    EXPECT_EQ(format_storage_power(kConsensusMinerMinPower), "10 TiB");
    EXPECT_EQ(format_storage_power(StoragePower{3} << 49), "1.5 PiB");
    EXPECT_EQ(format_storage_power((StoragePower{54} << 60) / 10), "5.4 EiB");
    EXPECT_EQ(format_storage_power((StoragePower{1} << 40) - 1), "1024 GiB");  // rounds up
}

TEST(PowerUnits, FormatThenParseRoundTripsWithinRounding) {
    for (StoragePower p : {StoragePower{1} << 45, StoragePower{123456789} << 20,
                           StoragePower{999} << 50}) {
        StoragePower back = parse_ok(format_storage_power(p).c_str());
        StoragePower unit = StoragePower{1} << 40;
        EXPECT_LE(back > p ? back - p : p - back, unit) << math::to_string(p);
    }
}

}  // namespace
}  // namespace minerx::chain
