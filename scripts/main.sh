#!/usr/bin/env bash
# The main job: builds minerx and runs its headline demonstration.
# For now that is the election tool on the incubator's member sizes; later issues replace it with
# the default scenario and its report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh > build.log 2>&1 || { cat build.log; exit 1; }
minerx=${MINERX_BUILD_DIR:-build}/runners/minerx/minerx
network=5.4EiB   # mainnet mid-2021 (seed document)

echo "== minerx election estimate: incubator member sizes in a ${network} network =="
for power in 5TiB 10TiB 50TiB 100TiB 500TiB 1PiB; do
  echo
  "$minerx" election estimate --power "$power" --network-power "$network" --days 7
done

echo
echo "== minerx election wincount: Lotus ComputeWinCount on sample proofs =="
echo "(VRF proofs are 8-byte counters; research/election.md §2.3 vectors V1 and V3)"
proofs=("0000000000000000 1 1" "0000000000000001 1 1" "0000000000000005 1 1"
        "0000000000000001 1 10" "0000000000000005 10995116277760 6227702590447714304")
printf '%s\n' "${proofs[@]}" | "$minerx" election wincount > wincounts.txt
printf '%s\n' "${proofs[@]}" | paste -d ' ' - wincounts.txt |
  awk '{ printf "proof %s  miner %s  network %s  ->  WinCount %s\n", $1, $2, $3, $4 }'
rm -f wincounts.txt
