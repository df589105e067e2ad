#include "core/math/big_int.h"

#include <string>

#include "core/util/assert.h"

namespace minerx::math {

BigInt IntOps<BigInt>::floor_divide(const BigInt& dividend, const BigInt& divisor) {
    MINERX_ASSERT(sgn(divisor) > 0);
    BigInt result;
    mpz_fdiv_q(result.get_mpz_t(), dividend.get_mpz_t(), divisor.get_mpz_t());
    return result;
}

BigInt IntOps<BigInt>::from_decimal(std::string_view text) {
    BigInt result;
    int status = mpz_set_str(result.get_mpz_t(), std::string(text).c_str(), 10);
    MINERX_ASSERT(status == 0);
    return result;
}

std::string IntOps<BigInt>::to_decimal(const BigInt& value) { return value.get_str(10); }

BigInt IntOps<BigInt>::from_uint128(Uint128 value) {
    const std::array<std::uint64_t, 2> words = {static_cast<std::uint64_t>(value),
                                                static_cast<std::uint64_t>(value >> 64)};
    BigInt result;
    // Least significant word first, native byte order inside a word, no nails.
    mpz_import(result.get_mpz_t(), words.size(), -1, sizeof(std::uint64_t), 0, 0, words.data());
    return result;
}

Uint128 to_uint128(const BigInt& value) {
    MINERX_ASSERT(sgn(value) >= 0);
    MINERX_ASSERT(mpz_sizeinbase(value.get_mpz_t(), 2) <= 128);
    std::array<std::uint64_t, 2> words = {0, 0};
    mpz_export(words.data(), nullptr, -1, sizeof(std::uint64_t), 0, 0, value.get_mpz_t());
    return (static_cast<Uint128>(words[1]) << 64) | words[0];
}

Int128 to_int128(const BigInt& value) {
    BigInt magnitude = abs(value);
    Uint128 bits = to_uint128(magnitude);
    MINERX_ASSERT(bits <= (~Uint128{0} >> 1) + (sgn(value) < 0 ? 1 : 0));
    return sgn(value) < 0 ? static_cast<Int128>(~bits + 1) : static_cast<Int128>(bits);
}

BigInt IntOps<BigInt>::from_big_endian(std::span<const std::uint8_t> bytes) {
    BigInt result;  // zero for an empty span, as Go's SetBytes
    if (!bytes.empty()) mpz_import(result.get_mpz_t(), bytes.size(), 1, 1, 1, 0, bytes.data());
    return result;
}

std::array<std::uint8_t, 32> IntOps<BigInt>::to_big_endian_256(const BigInt& value) {
    MINERX_ASSERT(sgn(value) >= 0);
    std::size_t size_in_bytes = (mpz_sizeinbase(value.get_mpz_t(), 2) + 7) / 8;
    MINERX_ASSERT(size_in_bytes <= 32);
    std::array<std::uint8_t, 32> out{};
    std::size_t written = 0;
    mpz_export(out.data() + (32 - size_in_bytes), &written, 1, 1, 1, 0, value.get_mpz_t());
    MINERX_ASSERT(written <= size_in_bytes);
    return out;
}

}  // namespace minerx::math
