#!/usr/bin/env bash
# `minerx election` as a user runs it: stdin/stdout/stderr and exit status.
# Usage: election_cli_test.sh <path-to-minerx>
set -uo pipefail
minerx=${1:?usage: election_cli_test.sh <path-to-minerx>}
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
expect_eq() { [ "$2" == "$3" ] || fail "$1: expected [$3], got [$2]"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# Good lines: counter proofs from research/election.md §2.3 V1 (power 1 of 1) and V3 (1 of 10).
cat > "$tmp/good.txt" <<'IN'
0000000000000000 1 1
0000000000000001 1 1
# a comment and a blank line are skipped

0000000000000002 1 1
0000000000000001 1 10
IN
out=$("$minerx" election wincount < "$tmp/good.txt" 2> "$tmp/err"); status=$?
expect_eq "good stdin status" "$status" 0
expect_eq "good stdin output" "$out" $'5\n8\n0\n2'
expect_eq "good stdin stderr" "$(cat "$tmp/err")" ""

out=$("$minerx" election wincount "$tmp/good.txt"); expect_eq "file argument" "$out" $'5\n8\n0\n2'

# Bad lines: each error names its line; good lines still print; exit status 65.
cat > "$tmp/bad.txt" <<'IN'
0000000000000000 1 1
zz 1 1
0000000000000000 1
0000000000000000 1 0
0000000000000000 -5 10
0000000000000000 1 1 extra
abc 1 1
0000000000000001 1 1
IN
out=$("$minerx" election wincount < "$tmp/bad.txt" 2> "$tmp/err"); status=$?
expect_eq "bad status" "$status" 65
expect_eq "bad output keeps good lines" "$out" $'5\n8'
err=$(cat "$tmp/err")
for n in 2 3 4 5 6 7; do
    grep -q "^minerx: stdin:$n: " <<< "$err" || fail "no error naming line $n: $err"
done
grep -q "stdin:1:\|stdin:8:" <<< "$err" && fail "good lines reported as errors: $err"
grep -q "stdin:4: network power must be positive" <<< "$err" || fail "zero network power message: $err"

"$minerx" election wincount "$tmp/missing.txt" > /dev/null 2> "$tmp/err"; status=$?
expect_eq "missing file status" "$status" 66
grep -q "cannot open" "$tmp/err" || fail "missing file message"

# estimate: a 10 TiB miner in an 8 EiB network wins 0.01717 times a day (research §5.7).
out=$("$minerx" election estimate --power 10TiB --network-power 8EiB --days 30); status=$?
expect_eq "estimate status" "$status" 0
grep -q "expected wins per day: *0.0171661" <<< "$out" || fail "estimate wins/day: $out"
grep -q "consensus minimum (10 TiB): *met" <<< "$out" || fail "estimate eligibility: $out"
grep -q "P(no win in 30 days): *0.59" <<< "$out" || fail "estimate dry spell: $out"

out=$("$minerx" election estimate --power 5TiB --network-power 5.4EiB); status=$?
expect_eq "ineligible status" "$status" 0
grep -q "NOT met" <<< "$out" || fail "ineligible not reported: $out"
grep -q "P(no win in 1 days): *1$" <<< "$out" || fail "ineligible miner can win: $out"

"$minerx" election estimate --power 10XiB --network-power 8EiB > /dev/null 2> "$tmp/err"; status=$?
expect_eq "bad unit status" "$status" 64
grep -q 'power: invalid power "10XiB": unknown unit' "$tmp/err" || fail "bad unit message: $(cat "$tmp/err")"
"$minerx" election estimate --power 9EiB --network-power 8EiB > /dev/null 2>&1
expect_eq "power above network rejected" "$?" 64
"$minerx" election estimate --power 1TiB --network-power 8EiB --days -1 > /dev/null 2>&1
expect_eq "negative days rejected" "$?" 64
"$minerx" election estimate --network-power 8EiB > /dev/null 2>&1
expect_eq "missing --power is a usage error" "$?" 64
"$minerx" election estimate --power 10TiB --raw-power 1EiB --network-power 8EiB > /dev/null 2>&1
expect_eq "raw above QA rejected" "$?" 64
"$minerx" election estimate --power 10TiB --network-power 8EiB --days 1e308 > /dev/null 2>&1
expect_eq "absurd --days rejected" "$?" 64
"$minerx" election estimate --power 340282366920938463463374607431768211456 --network-power 8EiB \
    > /dev/null 2> "$tmp/err"
expect_eq "power of 2^128 rejected" "$?" 64
grep -q "too large" "$tmp/err" || fail "2^128 power message: $(cat "$tmp/err")"

# Read and write errors are failures, not silent successes.
"$minerx" election wincount "$tmp" > /dev/null 2> "$tmp/err"; status=$?
expect_eq "directory as input" "$status" 74
if [ -w /dev/full ]; then
    "$minerx" election wincount < "$tmp/good.txt" > /dev/full 2> /dev/null
    expect_eq "wincount to a full device" "$?" 74
    "$minerx" election estimate --power 10TiB --network-power 8EiB > /dev/full 2> /dev/null
    expect_eq "estimate to a full device" "$?" 74
fi

# Error messages escape and shorten hostile fields.
printf '\x1b[31mzzz 1 1\n%s 1 1\nabc 1 1\n' "$(head -c 5000 /dev/zero | tr '\0' 'g')" |
    "$minerx" election wincount > /dev/null 2> "$tmp/err"
grep -q 'stdin:1: VRF proof "\\x1b\[31mzzz" is not hexadecimal' "$tmp/err" || fail "escape: $(cat "$tmp/err")"
grep -q 'stdin:2: VRF proof "g\{40\}\.\.\." is not hexadecimal' "$tmp/err" || fail "truncate: $(head -c 300 "$tmp/err")"
grep -q 'stdin:3: VRF proof "abc" has an odd number of hex digits' "$tmp/err" || fail "odd: $(cat "$tmp/err")"
[ "$(wc -c < "$tmp/err")" -lt 1000 ] || fail "error output not bounded"

# --help at every level answers and exits 0.
for args in "" "election" "election wincount" "election estimate"; do
    # shellcheck disable=SC2086
    "$minerx" $args --help > "$tmp/help" 2>&1 || fail "--help failed for [$args]"
    grep -qi "usage" "$tmp/help" || fail "--help for [$args] has no usage"
done
"$minerx" > /dev/null 2>&1; [ $? -ne 0 ] || fail "no subcommand should be an error"

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)" >&2; exit 1; fi
echo "election CLI: all checks passed"
