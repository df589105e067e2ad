#include "core/util/assert.h"

#include <cstdio>
#include <cstdlib>

namespace minerx::util {

// The one place core/ writes anything: the last words of a process that found a bug in itself.
void assertion_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "minerx: assertion failed: %s (%s:%d)\n", condition, file, line);
    std::abort();
}

}  // namespace minerx::util
