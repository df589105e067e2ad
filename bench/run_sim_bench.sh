#!/usr/bin/env bash
# The simulator's throughput series reported in docs/benchmarks.md ("Simulator"):
#   1. the engine's floor: bare SimGrid, same platform, one message per block, one year;
#   2. the seed network with the incubator pool and five policies for 365 days;
#   3. scaling: the network alone at 1x, 2x, 5x and 10x the seed network's miners, each run for
#      SHORT and LONG days; the difference gives the marginal cost per miner-round once most
#      block sources have their propagation rows (each row is one Dijkstra, computed once).
# Usage: bench/run_sim_bench.sh [BUILD_DIR] [SHORT_DAYS] [LONG_DAYS]
set -euo pipefail
build="${1:-build}"
short="${2:-2}"
long="${3:-5}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# floor"
/usr/bin/time -f "floor_wall_s=%e peak_rss_kib=%M" "$build/bench/simgrid_floor" 365
echo "# seed network, incubator pool, five policies, 365 days"
"$build/bench/sim_bench" --scenario scenarios/network-2021.yaml --days 365
echo "# scaling, network only, $short and $long days"
for scale in 1 2 5 10; do
  a=$("$build/bench/sim_bench" --scenario scenarios/network-2021.yaml --days "$short" --scale "$scale" --no-pools)
  b=$("$build/bench/sim_bench" --scenario scenarios/network-2021.yaml --days "$long" --scale "$scale" --no-pools)
  echo "$a"; echo "$b"
  printf '%s\n%s\n' "$a" "$b" | awk -v short="$short" -v long="$long" '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); v[NR, kv[1]] = kv[2] } }
    END { miners = v[1, "miners"]; dt = v[2, "wall_s"] - v[1, "wall_s"];
          printf "marginal scale=%s miners=%s ns_per_miner_round=%.1f rows_added=%d\n",
                 v[1, "scale"], miners, dt * 1e9 / (miners * (long - short) * 2880),
                 v[2, "propagation_rows"] - v[1, "propagation_rows"] }'
done
