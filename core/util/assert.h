#pragma once

// Assertions that stay on in every build type, as the simulator relies on them to catch a broken
// invariant at the step that broke it (TigerBeetle's rule: assert pre/postconditions generously).
// A failed assertion is a bug in minerx, never a user error: user input is validated and reported
// with an error message before it reaches code guarded by these.

namespace minerx::util {

[[noreturn]] void assertion_failed(const char* condition, const char* file, int line);

}  // namespace minerx::util

#define MINERX_ASSERT(condition)                                               \
    do {                                                                       \
        if (!(condition)) [[unlikely]] {                                       \
            ::minerx::util::assertion_failed(#condition, __FILE__, __LINE__);  \
        }                                                                      \
    } while (false)
