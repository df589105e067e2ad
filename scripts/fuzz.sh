#!/usr/bin/env bash
# Coverage-guided fuzzing of minerx's parsers with clang's libFuzzer (+ASan, +UBSan).
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 60). Needs clang and its runtime:
#   apt-get install clang libclang-rt-14-dev Crashes are written to build-fuzz/crashes/; replay one with
#   build-fuzz/tests/fuzz/<target>_fuzz <crash-file>
# ctest runs the same targets on every build through a deterministic replay driver.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMINERX_LIBFUZZER=ON -DMINERX_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="$flags" > /dev/null
targets=(power_units_fuzz int128_fuzz wincount_line_fuzz jsonrpc_request_fuzz)
cmake --build build-fuzz --target "${targets[@]}"
mkdir -p build-fuzz/crashes
for target in "${targets[@]}"; do
  echo "== $target for ${seconds}s"
  mkdir -p "build-fuzz/corpus/$target"
  "build-fuzz/tests/fuzz/$target" -max_total_time="$seconds" -max_len=256 \
    -artifact_prefix="build-fuzz/crashes/$target-" "build-fuzz/corpus/$target" 2>&1 | tail -3
done
