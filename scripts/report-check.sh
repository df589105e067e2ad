#!/usr/bin/env bash
# CI's report job. Runs the CI scenario (scenarios/quick.yaml for CI_DAYS days, seed 1) with an
# already built minerx-sim, writes the policy-comparison report to ci-output/report/ (kept as CI
# output; gitignored), and fails (exit 1, with a table of what moved) when a stability or fairness
# metric moved past its documented tolerance from the committed baseline
# reports/baseline/quick.json. Tolerances and how to update the baseline: docs/reports.md.
# Builds nothing. Usage: scripts/report-check.sh [BUILD_DIR]   (default: $MINERX_BUILD_DIR or build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-${MINERX_BUILD_DIR:-build}}
sim="$build_dir/sim/minerx-sim"
CI_DAYS=60   # the baseline's length: long enough for 8 weekly samples and the monthly metric
out=ci-output

if [ ! -x "$sim" ]; then
  echo "report-check: $sim not found; build it first (scripts/build.sh)" >&2
  exit 66
fi
mkdir -p "$out"
rm -rf "$out/report"
echo "report-check: $sim run scenarios/quick.yaml --days $CI_DAYS"
if ! "$sim" run scenarios/quick.yaml --days "$CI_DAYS" --out "$out/quick.db" > "$out/quick-run.log" 2>&1; then
  cat "$out/quick-run.log" >&2
  exit 1
fi
grep -E '^(digest|wall time):' "$out/quick-run.log" || true
reports/minerx-report "$out/quick.db" --out "$out/report" \
  --write-summary "$out/report/summary.json" --baseline reports/baseline/quick.json
