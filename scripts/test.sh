#!/usr/bin/env bash
# Builds minerx and runs every test (unit, golden, property, CLI, purity, benchmark smoke runs).
# Usage: scripts/test.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
ctest --test-dir "${MINERX_BUILD_DIR:-build}" --output-on-failure --parallel "$(nproc)" "$@"
