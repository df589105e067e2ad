#pragma once

// A 256-bit unsigned integer that only knows how to compare: the election's fast path compares a
// ticket against precomputed thresholds and needs nothing else. Words are most significant first,
// so the comparison usually ends at the first word.

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <span>

namespace minerx::math {

struct Uint256 {
    std::array<std::uint64_t, 4> words{};  // words[0] is the most significant

    static Uint256 from_big_endian(std::span<const std::uint8_t, 32> bytes) {
        Uint256 value;
        for (std::size_t i = 0; i < 4; ++i) {
            std::uint64_t word = 0;
            std::memcpy(&word, bytes.data() + 8 * i, sizeof(word));
            if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
            value.words[i] = word;
        }
        return value;
    }

    std::array<std::uint8_t, 32> to_big_endian() const {
        std::array<std::uint8_t, 32> bytes{};
        for (std::size_t i = 0; i < 4; ++i) {
            std::uint64_t word = words[i];
            if constexpr (std::endian::native == std::endian::little) word = __builtin_bswap64(word);
            std::memcpy(bytes.data() + 8 * i, &word, sizeof(word));
        }
        return bytes;
    }

    friend bool operator<(const Uint256& a, const Uint256& b) {
        if (a.words[0] != b.words[0]) return a.words[0] < b.words[0];
        if (a.words[1] != b.words[1]) return a.words[1] < b.words[1];
        if (a.words[2] != b.words[2]) return a.words[2] < b.words[2];
        return a.words[3] < b.words[3];
    }
    friend bool operator==(const Uint256& a, const Uint256& b) = default;
};

}  // namespace minerx::math
