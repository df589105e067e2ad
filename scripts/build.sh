#!/usr/bin/env bash
# Configures and builds minerx (Release with debug info) into ./build. Usage: scripts/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${MINERX_BUILD_DIR:-build}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${MINERX_BUILD_TYPE:-RelWithDebInfo}
cmake --build "$build_dir" --parallel "$(nproc)"
