#!/usr/bin/env bash
# Installs everything minerx needs to build, test and run on Debian 12 (bookworm), by package name.
# Idempotent; uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libgmp-dev            # big integers for the consensus arithmetic (GMP)
  libboost-dev          # Boost.Multiprecision (benchmarked alternative), later Asio/Beast, Graph
  libsodium-dev         # BLAKE2b-256
  libcli11-dev          # command-line parsing
  nlohmann-json3-dev    # JSON (scenario files, JSON-RPC)
  libeigen3-dev         # linear algebra for statistics and reward splits
  libsqlite3-dev        # the daemons' embedded store and the simulator's results
  sqlite3               # the sqlite3 shell, for tests and for reading results by hand
  libsimgrid-dev        # the discrete-event simulator (sim/ only; never linked by core/)
  libyaml-cpp-dev       # scenario files (YAML, with line numbers for errors)
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-pandas python3-matplotlib python3-numpy   # reports/ (minerx-report), Debian's python3
  chromium              # tests/reports: the HTML report opened headless (no console errors)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
