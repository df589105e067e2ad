#!/usr/bin/env bash
# The main job: builds the simulator, runs the default scenario (scenarios/network-2021.yaml: the
# 2021 network of 2,702 solo miners and the incubator's 100-member pool under five reward policies,
# 180 days) and writes the policy-comparison report, then prints where to open it.
# Usage: scripts/main.sh   (after scripts/setup-debian.sh; MINERX_BUILD_DIR picks the build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${MINERX_BUILD_DIR:-build}
{
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=${MINERX_BUILD_TYPE:-RelWithDebInfo}
  cmake --build "$build_dir" --target minerx-sim --parallel "$(nproc)"
} > build.log 2>&1 || { cat build.log; exit 1; }

mkdir -p results
echo "== minerx-sim run scenarios/network-2021.yaml (about half a minute) =="
"$build_dir/sim/minerx-sim" run scenarios/network-2021.yaml --out results/network-2021.db
echo
echo "== minerx-report results/network-2021.db =="
reports/minerx-report results/network-2021.db --out results/network-2021-report
echo
echo "Open the report: $(pwd)/results/network-2021-report/index.html"
echo "(Markdown version beside it: results/network-2021-report/report.md)"
