#pragma once

// Explicit, seeded randomness. Every random choice in minerx comes from a Random passed in by the
// caller, so a simulation is a function of (scenario, seed, version) and a failing run replays from
// its seed. The generator is xoshiro256** (Blackman & Vigna, public domain reference design),
// seeded through splitmix64; every distribution below is written out here rather than taken from
// <random>, whose distributions differ between standard libraries.

#include <array>
#include <cmath>
#include <cstdint>

#include "core/util/assert.h"

namespace minerx::util {

class Random {
public:
    explicit Random(std::uint64_t seed) {
        std::uint64_t x = seed;
        for (auto& word : state_) word = splitmix64(x);
    }

    // A child generator for an independent stream (e.g. one per miner), derived from this one.
    Random fork() { return Random(next_u64()); }

    std::uint64_t next_u64() {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

    // Uniform in [low, high). REQUIRES: low <= high.
    double uniform(double low, double high) {
        MINERX_ASSERT(low <= high);
        return low + (high - low) * uniform();
    }

    // Uniform integer in [0, bound), without modulo bias (Lemire's method). REQUIRES: bound > 0.
    std::uint64_t below(std::uint64_t bound) {
        MINERX_ASSERT(bound > 0);
        __extension__ using u128 = unsigned __int128;
        u128 product = static_cast<u128>(next_u64()) * bound;
        auto low = static_cast<std::uint64_t>(product);
        if (low < bound) {
            const std::uint64_t threshold = (0 - bound) % bound;
            while (low < threshold) {
                product = static_cast<u128>(next_u64()) * bound;
                low = static_cast<std::uint64_t>(product);
            }
        }
        return static_cast<std::uint64_t>(product >> 64);
    }

    bool bernoulli(double probability) { return uniform() < probability; }

    // Exponential with the given mean. REQUIRES: mean > 0.
    double exponential(double mean) {
        MINERX_ASSERT(mean > 0);
        return -mean * std::log1p(-uniform());
    }

    // Standard normal by Box-Muller (one of the pair; simple and deterministic).
    double normal(double mean, double deviation) {
        const double u1 = 1.0 - uniform();  // (0, 1]
        const double u2 = uniform();
        return mean + deviation * std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
    }

private:
    static constexpr double kTwoPi = 6.283185307179586476925286766559;

    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitmix64(std::uint64_t& x) {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }

    std::array<std::uint64_t, 4> state_{};
};

}  // namespace minerx::util
