// Deterministic replay driver for the fuzz targets: feeds the seeds, then seeded random mutations
// of them (byte flips, insertions of interesting bytes and digit runs, truncations, splices).
// Usage: <target>_replay [iterations] [seed]

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/util/random.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using minerx::util::Random;

const std::string kInteresting[] = {"0", "9", " ", "\t", ".", "-", "#", "\n", "\r", "TiB", "EiB",
                                    "ff", "00", "340282366920938463463374607431768211456",
                                    "170141183460469231731687303715884105727", "99999999999999999999"};

std::string mutate(std::string input, Random& random) {
    const int edits = 1 + static_cast<int>(random.below(4));
    for (int e = 0; e < edits; ++e) {
        const std::size_t position = input.empty() ? 0 : random.below(input.size() + 1);
        switch (random.below(5)) {
            case 0:
                if (!input.empty() && position < input.size()) {
                    input[position] = static_cast<char>(random.below(256));
                }
                break;
            case 1: input.insert(position, kInteresting[random.below(std::size(kInteresting))]); break;
            case 2: input.erase(position, random.below(8)); break;
            case 3: input.insert(position, std::string(random.below(40), static_cast<char>('0' + random.below(10)))); break;
            default: {
                const char* other = minerx::fuzz::kSeedInputs[random.below(minerx::fuzz::kSeedInputCount)];
                input.insert(position, other);
            }
        }
    }
    return input;
}

void run(const std::string& input) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(input.data()), input.size());
}

}  // namespace

int main(int argc, char** argv) {
    const long iterations = argc > 1 ? std::atol(argv[1]) : 100000;
    const unsigned long long seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
    Random random(seed);
    for (std::size_t i = 0; i < minerx::fuzz::kSeedInputCount; ++i) run(minerx::fuzz::kSeedInputs[i]);
    for (long i = 0; i < iterations; ++i) {
        run(mutate(minerx::fuzz::kSeedInputs[random.below(minerx::fuzz::kSeedInputCount)], random));
    }
    std::printf("%ld mutated inputs, no contract violation (seed %llu)\n", iterations, seed);
    return 0;
}
