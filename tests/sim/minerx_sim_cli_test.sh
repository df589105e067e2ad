#!/usr/bin/env bash
# minerx-sim as a user runs it: the digest is a function of (scenario, seed, version); `network`
# prints the generated miners; bad scenarios get a message naming file:line:key and status 65; a
# missing file status 66; --help works everywhere.
set -uo pipefail
sim="$1"
source_dir="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

digest_of() { grep '^digest: ' "$1" | cut -d' ' -f2; }

"$sim" run "$source_dir/scenarios/quick.yaml" --days 2 --out "$work/a.db" >"$work/a.out" 2>"$work/a.err" \
  || fail "run a exited $?"
"$sim" run "$source_dir/scenarios/quick.yaml" --days 2 --out "$work/b.db" >"$work/b.out" 2>/dev/null \
  || fail "run b exited $?"
"$sim" run "$source_dir/scenarios/quick.yaml" --days 2 --seed 2 --out "$work/c.db" >"$work/c.out" 2>/dev/null \
  || fail "run c exited $?"
a=$(digest_of "$work/a.out"); b=$(digest_of "$work/b.out"); c=$(digest_of "$work/c.out")
[[ "$a" =~ ^[0-9a-f]{64}$ ]] || fail "no digest line: $(tail -1 "$work/a.out")"
[ "$(tail -1 "$work/a.out" | cut -d' ' -f1)" = "digest:" ] || fail "digest is not the last line"
[ "$a" = "$b" ] || fail "same scenario and seed gave different digests: $a vs $b"
[ "$a" != "$c" ] || fail "a different seed gave the same digest"
[ "$(sqlite3 "$work/a.db" "select value from run where key='digest'")" = "$a" ] \
  || fail "the database does not record the printed digest"
grep -q 'progress: day 2/2' "$work/a.err" || fail "no progress lines on stderr: $(cat "$work/a.err")"
[ ! -e "$work/a.db.partial" ] || fail "the partial results file was left behind"

# network: a CSV with a header and one row per miner.
"$sim" network "$source_dir/scenarios/quick.yaml" >"$work/net.csv" || fail "network exited $?"
head -1 "$work/net.csv" | grep -q '^miner,actor_id,host,continent,power_bytes' || fail "bad CSV header"
[ "$(($(wc -l <"$work/net.csv") - 1))" -eq 292 ] || fail "expected 292 miners, got $(wc -l <"$work/net.csv")"

# A bad scenario: the message names the file, line and key; status 65.
sed 's/^duration_days: 3/duration_days: three/' "$source_dir/scenarios/quick.yaml" >"$work/bad.yaml"
"$sim" run "$work/bad.yaml" --out "$work/bad.db" 2>"$work/bad.err"; status=$?
[ $status -eq 65 ] || fail "bad scenario: expected status 65, got $status"
line=$(grep -n '^duration_days:' "$work/bad.yaml" | cut -d: -f1)
grep -q "bad.yaml:$line:16: duration_days: expected an integer" "$work/bad.err" || fail "bad scenario message: $(cat "$work/bad.err")"
[ ! -e "$work/bad.db" ] || fail "a failed run left a results file"

"$sim" run "$work/missing.yaml" --out "$work/m.db" 2>"$work/m.err"; status=$?
[ $status -eq 66 ] || fail "missing scenario: expected status 66, got $status ($(cat "$work/m.err"))"

"$sim" run 2>/dev/null; status=$?
[ $status -eq 64 ] || fail "missing arguments: expected status 64, got $status"
for command in "" run network validate-propagation; do
  "$sim" $command --help >/dev/null || fail "$command --help failed"
done

# A sweep: grid x seeds into one database with run ids, the same digests as single runs.
"$sim" sweep "$source_dir/scenarios/quick.yaml" --seeds 2 --grid fee_ppm=0,50000 --days 2 \
  --out "$work/sweep.db" >"$work/sweep.out" 2>"$work/sweep.err" || fail "sweep exited $?: $(cat "$work/sweep.err")"
[ "$(sqlite3 "$work/sweep.db" 'select count(*) from sweep_runs')" = 4 ] || fail "sweep: expected 4 runs"
[ "$(sqlite3 "$work/sweep.db" "select parameters from sweep_runs where run_id = 3")" = '{"fee_ppm": 50000}' ] \
  || fail "sweep: parameters of run 3: $(sqlite3 "$work/sweep.db" 'select parameters from sweep_runs where run_id = 3')"
[ "$(sqlite3 "$work/sweep.db" "select digest from sweep_runs where seed = 1 and parameters like '%50000%'")" = "$a" ] \
  || fail "sweep: the quick scenario's own point (fee 5 %, seed 1) should reproduce the single run's digest"
[ "$(sqlite3 "$work/sweep.db" 'select count(distinct run_id) from miner_daily')" = 4 ] || fail "sweep: run_id column"
"$sim" sweep "$source_dir/scenarios/quick.yaml" --seeds 1 --grid fee_ppm=2000000 --out "$work/bad-sweep.db" 2>"$work/bs.err"; status=$?
[ $status -eq 64 ] || fail "sweep with a bad grid value: expected status 64, got $status"
grep -q 'fee_ppm: expected an integer in \[0, 1000000\]' "$work/bs.err" || fail "bad grid message: $(cat "$work/bs.err")"

if [ $failures -ne 0 ]; then echo "$failures check(s) failed"; exit 1; fi
echo "minerx-sim CLI: all checks passed"
