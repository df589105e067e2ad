#pragma once

// Upper bounds on configured durations, and an addition that cannot overflow.
//
// Configurations come from scenario files and operators, so a duration such as 2^63 - 1 must be
// refused with a message, not wrap around when added to an epoch or a time and so invert its
// meaning ("warm up for ever" becoming "share at once"). Every *_config_error / profile_error
// check bounds its epoch and millisecond fields by kMaxConfiguredYears; the state machines add
// them with saturating_add, so that even an epoch near 2^63 supplied by a request cannot wrap.

#include <cstdint>
#include <limits>

namespace minerx::util {

// 100 years: far beyond any real warm-up, cool-down, window, fault age, task duration or retry
// delay, and small enough that adding it to any epoch or time a run meets stays far from 2^63.
inline constexpr std::int64_t kMaxConfiguredYears = 100;
// 100 years of 30-second epochs (365-day years): 105,120,000.
inline constexpr std::int64_t kMaxConfiguredEpochs = kMaxConfiguredYears * 365 * 2880;
// 100 years in milliseconds: 3,153,600,000,000.
inline constexpr std::int64_t kMaxConfiguredMs = kMaxConfiguredYears * 365 * 86'400'000;

// a + b, clamped to the int64 range instead of wrapping (an epoch or a time "at the end of
// time" stays there).
constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
    std::int64_t sum = 0;
    if (!__builtin_add_overflow(a, b, &sum)) return sum;
    return b > 0 ? std::numeric_limits<std::int64_t>::max()
                 : std::numeric_limits<std::int64_t>::min();
}

static_assert(kMaxConfiguredEpochs == 105'120'000);
static_assert(kMaxConfiguredMs == 3'153'600'000'000);
static_assert(saturating_add(std::numeric_limits<std::int64_t>::max(), 1) ==
              std::numeric_limits<std::int64_t>::max());
static_assert(saturating_add(std::numeric_limits<std::int64_t>::min(), -1) ==
              std::numeric_limits<std::int64_t>::min());

}  // namespace minerx::util
