#!/usr/bin/env bash
# core/ is compiled into both the daemons and the simulator, so it may not do I/O, read clocks or
# the environment, own threads, or touch SimGrid, sockets or databases. This scans its sources.
# Usage: core_purity_test.sh <core-dir>
set -euo pipefail
core=${1:?usage: core_purity_test.sh <core-dir>}
pattern='#include *<(simgrid/|thread>|mutex>|condition_variable>|future>|atomic>|filesystem>|fstream>|iostream>|cstdio>|stdio\.h>|ctime>|time\.h>|sqlite3\.h>|boost/asio|boost/beast|sys/socket|netinet/|unistd\.h>|chrono>)|std::chrono::(system|steady|high_resolution)_clock|std::random_device|\bgetenv\(|\btime\(nullptr|\bstd::rand\(|\bsleep_for\b|\bstd::thread\b'
# The assertion reporter is the one sanctioned writer (a dying process's last words).
allowed='^core/util/assert\.cpp:'
hits=$(cd "$core/.." && grep -rnE "$pattern" core --include='*.h' --include='*.cpp' | grep -vE "$allowed" || true)
if [ -n "$hits" ]; then
    echo "core purity violated (move this to runners/ or sim/, or pass the value in):" >&2
    echo "$hits" >&2
    exit 1
fi
echo "core purity: ok ($(find "$core" -name '*.cpp' -o -name '*.h' | wc -l) files scanned)"
