#!/usr/bin/python3
"""The pool's shared services and members' provers as real processes on loopback: `minerx auth
run`, `minerx devnet run` (1 s epochs), `minerx pool run` and three `minerx prover run`, started
with the commands docs/daemons.md and docs/running-a-pool.md show. The devnet is killed and
restarted too, and resumes its chain from its database.

Checks: after K epochs every member win the devnet saw is a published block or a recorded miss
with its reason; the ledger balances to the attoFIL under every policy; kill -9 of the pool at
random moments loses no acknowledged record and pays nothing twice; provers reconnect; a member's
token cannot read or act on another member's data (the whole role x method matrix); malformed,
oversized and wrong-typed requests get JSON-RPC errors, never a crash.

Usage: pool_testbed_test.py <path-to-minerx>. Standard library only. Exits non-zero on failure.
"""
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

from testbed_common import call, check, checks, failures, post

MINERX = sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: pool_testbed_test.py <minerx>")
SCENARIO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pool_testbed.yaml")
EPOCH_MS = 1000
RNG = random.Random(20261126)  # kill moments: random, but the same on every run


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Process:
    """A daemon started by this script; `listening on HOST:PORT` is read from its stdout."""
    started = []

    def __init__(self, name, args, log_dir, wait_for_port=True):
        self.name = name
        self.log = open(os.path.join(log_dir, name + ".log"), "a")
        Process.started.append(self)
        self.process = subprocess.Popen([MINERX, *args], stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.port = None
        if not wait_for_port:
            return
        deadline = time.time() + 20
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.log.write(line)
            if "listening on" in line:
                self.port = int(line.split("listening on 127.0.0.1:")[1].split("/")[0])
                break
        if self.port is None:
            self.process.kill()
            raise RuntimeError("%s did not start; see %s" % (name, self.log.name))
        self.url = "http://127.0.0.1:%d" % self.port

    def alive(self):
        return self.process.poll() is None

    def kill9(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def terminate(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)


def result(port, method, params, token):
    status, body = call(port, method, params, token)
    if status != 200 or not body or "result" not in body:
        raise RuntimeError("%s failed: %s %s" % (method, status, body))
    return body["result"]


def error_code(reply):
    status, body = reply
    return (body or {}).get("error", {}).get("code") if isinstance(body, dict) else None


def auth_cli(auth, admin, *args):
    env = dict(os.environ, MINERX_AUTH_API=auth.url, MINERX_AUTH_TOKEN=admin)
    out = subprocess.run([MINERX, "auth", *args], capture_output=True, text=True, env=env, timeout=30)
    if out.returncode != 0:
        raise RuntimeError("minerx auth %s: %s" % (" ".join(args), out.stderr))
    return out.stdout.strip()


def wait_until(predicate, timeout, step=0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if predicate():
                return True
        except (OSError, RuntimeError):
            pass
        time.sleep(step)
    return False


MEMBERS = {"alice": ["f01005", "f01006"], "bob": ["f01007"], "carol": ["f01008"]}
OWNER = {miner: user for user, miners in MEMBERS.items() for miner in miners}
MISS_OUTCOMES = {"proof_timed_out", "proof_invalid", "missed"}


def snapshot(pool_port, admin):
    """Everything the pool has acknowledged so far, per member: rounds, blocks, payments."""
    state = {}
    for miner in OWNER:
        rounds = result(pool_port, "Pool.MemberRounds", [miner], admin)
        blocks = result(pool_port, "Pool.MemberBlocks", [miner], admin)
        statement = result(pool_port, "Pool.MemberStatement", [miner], admin)
        state[miner] = {
            "rounds": {(r["Round"], r["Outcome"]): r for r in rounds},
            "blocks": {b["Round"]: b for b in blocks},
            "payments": [(p["Policy"], p["Epoch"], p["Amount"]) for p in statement["Payments"]],
        }
    return state


def check_nothing_lost(before, after, when):
    for miner, old in before.items():
        new = after[miner]
        lost = [key for key in old["rounds"] if key not in new["rounds"]]
        check(not lost, "%s: acknowledged round records of %s survive: lost %s" % (when, miner, lost[:5]))
        changed = [key for key, row in old["rounds"].items()
                   if key in new["rounds"] and new["rounds"][key] != row]
        check(not changed, "%s: acknowledged round records of %s unchanged: %s" % (when, miner, changed[:5]))
        lost_blocks = [r for r in old["blocks"] if r not in new["blocks"]]
        check(not lost_blocks, "%s: blocks of %s survive: lost %s" % (when, miner, lost_blocks))
        check(new["payments"][:len(old["payments"])] == old["payments"],
              "%s: payments of %s are kept and not repeated" % (when, miner))
        keys = [(policy, epoch) for policy, epoch, _ in new["payments"]]
        check(len(keys) == len(set(keys)), "%s: no payment to %s twice in one epoch and policy" % (when, miner))


def check_health(pool_port, admin, when):
    health = result(pool_port, "Pool.Health", [], admin)
    check(health["LedgerBalanced"], "%s: ledger balanced: %s" % (when, health["Policies"]))
    for policy in health["Policies"]:
        check(policy["InvariantHolds"] and policy["MoneyHeld"] == policy["MoneyReceived"],
              "%s: %s invariant to the attoFIL" % (when, policy["Policy"]))
        check(policy["PaidInBooks"] == policy["PaidRecorded"],
              "%s: %s payments recorded = paid in the books" % (when, policy["Policy"]))
    return health


def main():
    tmp = tempfile.mkdtemp(prefix="minerx-pool-testbed-")
    admin_file = os.path.join(tmp, "admin.token")

    # --- shared services: auth, devnet, pool (docs/running-a-pool.md) ---
    auth = Process("auth", ["auth", "run", "--db", os.path.join(tmp, "auth.db"), "--listen", "127.0.0.1:0",
                            "--admin-token-file", admin_file], tmp)
    admin = open(admin_file).read().strip()
    tokens = {}
    auth_cli(auth, admin, "user", "add", "pool", "--comment", "the pool daemon")
    tokens["pool"] = auth_cli(auth, admin, "token", "issue", "pool", "--perm", "write")
    for user, miners in MEMBERS.items():
        auth_cli(auth, admin, "user", "add", user)
        for miner in miners:
            auth_cli(auth, admin, "miner", "bind", user, miner)
        tokens[user] = auth_cli(auth, admin, "token", "issue", user, "--perm", "write")
    tokens["alice-read"] = auth_cli(auth, admin, "token", "issue", "alice", "--perm", "read")
    pool_token_file = os.path.join(tmp, "pool.token")
    with open(pool_token_file, "w") as out:
        out.write(tokens["pool"] + "\n")

    devnet_args = ["devnet", "run", "--scenario", SCENARIO, "--epoch-ms", str(EPOCH_MS),
                   "--listen", "127.0.0.1:%d" % free_port(), "--auth", auth.url, "--db", os.path.join(tmp, "devnet.db")]
    devnet = Process("devnet", devnet_args, tmp)
    pool_port = free_port()
    pool_db = os.path.join(tmp, "pool.db")
    pool_args = ["pool", "run", "--scenario", SCENARIO, "--chain", devnet.url, "--auth", auth.url,
                 "--token-file", pool_token_file, "--db", pool_db, "--listen", "127.0.0.1:%d" % pool_port,
                 "--epoch-ms", str(EPOCH_MS)]
    pool = Process("pool", pool_args, tmp)
    ws = "ws://127.0.0.1:%d/rpc/v0" % pool_port
    provers = [Process("prover-" + user, ["prover", "run", "--pool", ws, "--token", tokens[user]]
                       + sum((["--miner", m] for m in miners), []), tmp, wait_for_port=False)
               for user, miners in MEMBERS.items()]

    check(wait_until(lambda: result(pool_port, "Pool.Health", [], admin)["ProversConnected"] == 4, 15),
          "all four members' provers connect")

    # --- run, killing the pool with -9 at random moments; restart on the same port ---
    time.sleep(6)
    kills = 0
    for _ in range(3):
        time.sleep(RNG.uniform(0.5, 3.0))
        before = snapshot(pool_port, admin)
        pool.kill9()
        kills += 1
        time.sleep(RNG.uniform(0.0, 2.0))
        pool = Process("pool", pool_args, tmp)
        after = snapshot(pool_port, admin)
        check_nothing_lost(before, after, "after kill -9 #%d" % kills)
        check_health(pool_port, admin, "after kill -9 #%d" % kills)
    check(wait_until(lambda: result(pool_port, "Pool.Health", [], admin)["ProversConnected"] == 4, 15),
          "provers reconnect after the pool restarts")

    # The devnet dies too, and resumes the same chain from its --db on the same port; the pool
    # records the rounds it could not start and carries on.
    chain_before = [result(devnet.port, "Filecoin.ChainGetTipSetByHeight", [h, []], admin)["Cids"] for h in range(1, 8)]
    devnet.kill9()
    time.sleep(RNG.uniform(1.2, 2.0))  # at least one round start falls in the outage
    devnet = Process("devnet", devnet_args, tmp)
    chain_after = [result(devnet.port, "Filecoin.ChainGetTipSetByHeight", [h, []], admin)["Cids"] for h in range(1, 8)]
    check(chain_before == chain_after, "the devnet resumes the same chain from its database")
    time.sleep(2.5)  # the pool closes the outage's epochs (their reasons live in memory until then)

    # An acknowledged pause survives kill -9 too.
    check(result(pool_port, "Pool.PauseMember", ["f01008"], admin)["Paused"] is True, "operator pauses carol")
    pool.kill9()
    pool = Process("pool", pool_args, tmp)
    paused = {m["Miner"]: m["Paused"] for m in result(pool_port, "Pool.Members", [], admin)}
    check(paused.get("f01008") is True and paused.get("f01005") is False, "pause survives kill -9: %s" % paused)
    time.sleep(2.5)
    check(result(pool_port, "Pool.ResumeMember", ["f01008"], admin)["Paused"] is False, "operator resumes carol")
    time.sleep(5)

    # --- every member win is a block or a recorded miss with its reason ---
    first_epoch = int(sqlite3.connect("file:%s?mode=ro" % pool_db, uri=True)
                      .execute("SELECT value FROM meta WHERE key = 'first_epoch'").fetchone()[0])
    health = check_health(pool_port, admin, "at the end")
    closed_until = health["OpenEpoch"] - 1
    check(closed_until - first_epoch >= 15, "at least 15 epochs closed: %d..%d" % (first_epoch, closed_until))
    wins = result(devnet.port, "Devnet.MemberWins", [first_epoch, closed_until], admin)
    check(len(wins) >= 15, "the members won often: %d wins" % len(wins))
    rounds = {m: result(pool_port, "Pool.MemberRounds", [m, first_epoch, closed_until], admin) for m in OWNER}
    by_key = {}
    for miner, rows in rounds.items():
        for row in rows:
            by_key.setdefault((miner, row["Round"]), []).append(row)
    published = included = misses = 0
    reasons = set()
    orphan_reasons = set()
    for win in wins:
        rows = by_key.get((win["Miner"], win["Epoch"]), [])
        outcomes = {row["Outcome"]: row for row in rows}
        if "published" in outcomes:
            published += 1
            check(outcomes["published"]["WinCount"] == win["WinCount"], "WinCount agrees for %s" % win)
            check("included" in outcomes or "orphaned" in outcomes, "published block has a fate: %s" % win)
            if "included" in outcomes:
                included += 1
                tipset = result(devnet.port, "Filecoin.ChainGetTipSetByHeight", [win["Epoch"], []], admin)
                check(tipset["Height"] == win["Epoch"] and win["Miner"] in [b["Miner"] for b in tipset["Blocks"]],
                      "an included block is in the devnet's canonical tipset: %s" % win)
            if "orphaned" in outcomes:
                check(outcomes["orphaned"]["Reason"] != "", "an orphan says why: %s" % win)
                orphan_reasons.add(outcomes["orphaned"]["Reason"])
        else:
            missed = [row for name, row in outcomes.items() if name in MISS_OUTCOMES]
            check(len(missed) == 1 and missed[0]["Reason"] != "" and missed[0]["WinCount"] == win["WinCount"],
                  "a win without a block is a miss with a reason: %s -> %s" % (win, rows))
            misses += len(missed)
            reasons.update(row["Reason"] for row in missed)
    # And the converse: every block the pool published was a win.
    win_keys = {(w["Miner"], w["Epoch"]) for w in wins}
    for key, rows in by_key.items():
        if any(r["Outcome"] == "published" for r in rows):
            check(key in win_keys, "a published block was a devnet win: %s" % (key,))
    check(included >= 10, "blocks were included: %d of %d published" % (included, published))
    check(misses >= 1, "the kills caused recorded misses: %d (%s)" % (misses, sorted(reasons)))
    outage = [row for rows in rounds.values() for row in rows
              if row["Reason"].startswith("the pool could not start the round: chain:")]
    check(len(outage) >= len(OWNER), "the rounds lost to the devnet's outage say so: %d records" % len(outage))
    print("pool testbed: epochs %d..%d, %d member wins, %d published, %d included, %d misses, reasons %s; "
          "orphans: %s" % (first_epoch, closed_until, len(wins), published, included, misses, sorted(reasons),
                           sorted(orphan_reasons)))

    # --- the role x method matrix ---
    roles = {"admin": admin, "alice": tokens["alice"], "alice-read": tokens["alice-read"], "bob": tokens["bob"],
             "anonymous": None}
    member_methods = {
        "Pool.MemberBlocks": lambda m: [m], "Pool.MemberRounds": lambda m: [m],
        "Pool.MemberBalance": lambda m: [m], "Pool.MemberStatement": lambda m: [m],
    }
    for method, params in member_methods.items():
        for role, token in roles.items():
            for miner in ("f01005", "f01007"):
                reply = call(pool_port, method, params(miner), token)
                allowed = role == "admin" or (role.split("-")[0] == OWNER[miner])
                if allowed:
                    check(reply[0] == 200 and "result" in reply[1], "%s %s(%s) is allowed: %s" % (role, method, miner, reply))
                else:
                    check(error_code(reply) == -32002, "%s %s(%s) is refused with -32002: %s" % (role, method, miner, reply))
    for method in ("Pool.Members", "Pool.Health", "Pool.PauseMember", "Pool.ResumeMember"):
        params = [] if method in ("Pool.Members", "Pool.Health") else ["f01007"]
        for role, token in roles.items():
            reply = call(pool_port, method, params, token)
            if role == "admin":
                check("result" in reply[1], "admin %s is allowed: %s" % (method, reply))
            else:
                check(error_code(reply) == -32002, "%s %s is refused: %s" % (role, method, reply))
    result(pool_port, "Pool.ResumeMember", ["f01007"], admin)
    for role, token in roles.items():
        for miner in ("f01005", "f01007"):
            hello = call(pool_port, "Pool.ProverHello", [miner], token)
            submit = call(pool_port, "Pool.SubmitWinningPoSt", [miner, 1, "AAAA"], token)
            owner = role == "admin" or role == OWNER[miner]
            if owner:
                check(error_code(hello) == -32000, "%s ProverHello(%s) over HTTP needs a WebSocket: %s" % (role, miner, hello))
                check("result" in submit[1] and submit[1]["result"]["Result"] != "accepted",
                      "%s SubmitWinningPoSt(%s) of a junk proof is not accepted: %s" % (role, miner, submit))
            else:
                check(error_code(hello) == -32002 and error_code(submit) == -32002,
                      "%s cannot prove for %s: %s %s" % (role, miner, hello, submit))
    check(call(pool_port, "Pool.Version", [], None)[0] == 200, "Pool.Version is public")
    status, body = call(pool_port, "Pool.Version", [], "forged.token.here")
    check(status == 401 and error_code((status, body)) == -32001, "a forged token gets 401: %s" % status)
    check(error_code(call(pool_port, "Pool.MemberBalance", ["f09999"], admin)) == -32000, "a non-member is refused")
    # The devnet: reads need read, submitting needs write.
    check("result" in call(devnet.port, "Filecoin.ChainHead", [], tokens["alice-read"])[1], "devnet: read token reads")
    check(error_code(call(devnet.port, "Filecoin.ChainHead", [], None)) == -32002, "devnet: anonymous cannot read")
    check(error_code(call(devnet.port, "Filecoin.SyncSubmitBlock", [{}], tokens["alice-read"])) == -32002,
          "devnet: a read token cannot submit")
    check(error_code(call(devnet.port, "Filecoin.MinerCreateBlock", [{}], tokens["alice-read"])) == -32002,
          "devnet: a read token cannot create blocks")

    # --- malformed, oversized, wrong-typed requests: JSON-RPC errors, never a crash ---
    for name, port, token in (("pool", pool_port, admin), ("devnet", devnet.port, admin)):
        bad = [
            (b"this is not json", -32700), (b'{"jsonrpc":"2.0"}', -32600), (b"[]", -32600),
            (b'{"jsonrpc":"2.0","id":1,"method":"No.Such","params":[]}', -32601),
            (b"[" * 100 + b"]" * 100, -32600),
            (json.dumps([{"jsonrpc": "2.0", "id": i, "method": "Pool.Version"} for i in range(101)]).encode(), -32600),
            (b'{"jsonrpc":"2.0","id":1,"method":"Pool.MemberBlocks","params":[123]}',
             -32602 if name == "pool" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Pool.MemberRounds","params":["f01005","x"]}',
             -32602 if name == "pool" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Pool.MemberBalance","params":["bafy"]}',
             -32602 if name == "pool" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Pool.SubmitWinningPoSt","params":["f01005",1,"%%%"]}',
             -32602 if name == "pool" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Filecoin.ChainGetTipSetByHeight","params":["a"]}',
             -32602 if name == "devnet" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Filecoin.ChainGetTipSetByHeight","params":[1,[{"/":"bad"}]]}',
             -32602 if name == "devnet" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Filecoin.MinerGetBaseInfo","params":[5,1,[]]}',
             -32602 if name == "devnet" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Filecoin.MinerCreateBlock","params":[{"Miner":"f01005"}]}',
             -32602 if name == "devnet" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Filecoin.SyncSubmitBlock","params":[{"Header":{"Miner":7}}]}',
             -32602 if name == "devnet" else -32601),
            (b'{"jsonrpc":"2.0","id":1,"method":"Filecoin.StateMinerPower","params":["f01005",{}]}',
             -32602 if name == "devnet" else -32601),
        ]
        for body, code in bad:
            reply = post(port, body, token)
            check(error_code(reply) == code, "%s: %r... gets %d: %s" % (name, body[:60], code, reply))
        status, reply = post(port, b'{"jsonrpc":"2.0","id":1,"method":"x","params":["' + b"a" * (2 << 20) + b'"]}', token)
        check(status == 413 and error_code((status, reply)) == -32600, "%s: an oversized body gets 413" % name)
    check(pool.alive() and devnet.alive() and auth.alive(), "no daemon crashed")

    # --- the member and operator CLI against the live pool ---
    env = dict(os.environ, MINERX_POOL_API=pool.url, MINERX_POOL_TOKEN=tokens["alice"])
    out = subprocess.run([MINERX, "pool", "balance", "f01005"], capture_output=True, text=True, env=env, timeout=20)
    check(out.returncode == 0 and "power_proportional" in out.stdout, "minerx pool balance works for the owner")
    out = subprocess.run([MINERX, "pool", "rounds", "f01007"], capture_output=True, text=True, env=env, timeout=20)
    check(out.returncode == 77, "minerx pool rounds of another member's miner exits 77: %d" % out.returncode)
    env["MINERX_POOL_TOKEN"] = admin
    out = subprocess.run([MINERX, "pool", "health"], capture_output=True, text=True, env=env, timeout=20)
    check(out.returncode == 0 and '"LedgerBalanced": true' in out.stdout, "minerx pool health shows a balanced ledger")

    # --- clean shutdown ---
    for prover in provers:
        check(prover.terminate() == 0, "prover %s stops cleanly on SIGTERM" % prover.name)
    check(pool.terminate() == 0 and devnet.terminate() == 0 and auth.terminate() == 0, "daemons stop on SIGTERM")

    if failures:
        print("%d failure(s) of %d checks; files kept in %s" % (len(failures), checks[0], tmp), file=sys.stderr)
        return 1
    print("pool testbed: all %d checks passed" % checks[0])
    subprocess.run(["rm", "-rf", tmp])
    return 0


if __name__ == "__main__":
    status = 1
    try:
        status = main()
    finally:
        for started in Process.started:  # only the processes this script started, by their pid
            if started.alive():
                started.kill9()
    sys.exit(status)
