#pragma once

// Each fuzz target in this folder defines LLVMFuzzerTestOneInput and checks its parser's contract
// with MINERX_ASSERT (a violation aborts). The same source builds two ways:
//   - with clang's libFuzzer (scripts/fuzz.sh, option MINERX_LIBFUZZER), coverage-guided;
//   - with fuzz_replay_main.cpp, a deterministic seeded mutator that ctest runs on every build.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace minerx::fuzz {

// Inputs the replay driver starts mutating from: typical valid and invalid lines of the format.
// Defined by each target.
extern const char* const kSeedInputs[];
extern const std::size_t kSeedInputCount;

// Aborts with the offending input (escaped) when a contract is violated, so a failure replays.
inline void require(bool condition, const char* what, const std::string& input) {
    if (condition) return;
    std::fprintf(stderr, "fuzz contract violated: %s\ninput (%zu bytes): \"", what, input.size());
    for (char signed_char : input) {
        const auto c = static_cast<unsigned char>(signed_char);
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            std::fputc(c, stderr);
        } else {
            std::fprintf(stderr, "\\x%02x", c);
        }
    }
    std::fprintf(stderr, "\"\n");
    std::abort();
}

}  // namespace minerx::fuzz

#define FUZZ_REQUIRE(condition, input) ::minerx::fuzz::require((condition), #condition, (input))
