#!/usr/bin/env bash
# The simulator's throughput series reported in docs/benchmarks.md ("Simulator"):
#   1. the engine's floor: bare SimGrid, same platform, one message per block, one year;
#   2. the seed network with the incubator pool and five policies for 365 days;
#   3. scaling: the network alone at 1x, 2x, 5x and 10x the seed network's miners.
# Usage: bench/run_sim_bench.sh [BUILD_DIR] [SCALING_DAYS]
set -euo pipefail
build="${1:-build}"
days="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# floor"
/usr/bin/time -f "floor_wall_s=%e peak_rss_kib=%M" "$build/bench/simgrid_floor" 365
echo "# seed network, incubator pool, five policies, 365 days"
"$build/bench/sim_bench" --scenario scenarios/network-2021.yaml --days 365
echo "# scaling, network only, $days days"
for scale in 1 2 5 10; do
  "$build/bench/sim_bench" --scenario scenarios/network-2021.yaml --days "$days" --scale "$scale" --no-pools
done
