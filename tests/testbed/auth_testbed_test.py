#!/usr/bin/python3
"""`minerx auth` as an operator runs it: a real daemon on a loopback port, the CLI against it,
raw HTTP for what the CLI cannot send, and kill -9 right after acknowledged writes.

Usage: auth_testbed_test.py <path-to-minerx>. Standard library only. Exits non-zero on failure.
The commands here are the ones docs/daemons.md shows.
"""
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import testbed_common
from testbed_common import check, checks, failures

MINERX = sys.argv[1] if len(sys.argv) > 1 else sys.exit("usage: auth_testbed_test.py <minerx>")


class Daemon:
    """`minerx auth run` on port 0; the port is read from its 'listening on' line."""
    started = []

    def __init__(self, db, token_file=None):
        args = [MINERX, "auth", "run", "--db", db, "--listen", "127.0.0.1:0"]
        if token_file:
            args += ["--admin-token-file", token_file]
        Daemon.started.append(self)
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.banner = []
        deadline = time.time() + 20
        self.port = None
        while time.time() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.banner.append(line)
            if "listening on" in line:
                self.port = int(line.split("listening on 127.0.0.1:")[1].split("/")[0])
                break
        if self.port is None:
            self.process.kill()
            raise RuntimeError("daemon did not start: %r %r" % (self.banner, self.process.stderr.read()))
        self.api = "http://127.0.0.1:%d" % self.port

    def alive(self):
        return self.process.poll() is None

    def kill9(self):
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def terminate(self):
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)


def post(daemon, body, token=None, headers=None):
    return testbed_common.post(daemon.port, body, token, headers)


def call(daemon, method, params, token=None):
    return testbed_common.call(daemon.port, method, params, token)


def cli(daemon, *args, token=None):
    env = dict(os.environ)
    env.pop("MINERX_AUTH_TOKEN", None)
    env["MINERX_AUTH_API"] = daemon.api if daemon else "http://127.0.0.1:1"
    if token:
        env["MINERX_AUTH_TOKEN"] = token
    result = subprocess.run([MINERX, "auth", *args], capture_output=True, text=True, env=env, timeout=30)
    return result.returncode, result.stdout, result.stderr


def version_ok(daemon):
    status, body = call(daemon, "Auth.Version", [])
    return status == 200 and body and body.get("result", {}).get("api") == "v0"


# The method list and permissions of docs/daemons.md.
METHODS = {
    "Filecoin.AuthVerify": "none", "Auth.VerifyToken": "none", "Auth.Version": "none",
    "Auth.GetUser": "read", "Auth.ListUsers": "read", "Auth.GetUserByMiner": "read",
    "Filecoin.AuthNew": "admin", "Auth.IssueToken": "admin", "Auth.AddUser": "admin",
    "Auth.DisableUser": "admin", "Auth.EnableUser": "admin", "Auth.BindMiner": "admin",
    "Auth.UnbindMiner": "admin",
}
ORDER = ["none", "read", "write", "sign", "admin"]


def main():
    tmp = tempfile.mkdtemp(prefix="minerx-auth-testbed-")
    db = os.path.join(tmp, "auth.db")
    token_file = os.path.join(tmp, "admin.token")

    # Usage errors.
    code, _, err = cli(None, "run")
    check(code == 64 and "--db" in err, "auth run without --db is a usage error naming --db: %d %s" % (code, err))
    code, _, err = cli(None, "run", "--db", db, "--listen", "nowhere")
    check(code == 64 and "--listen" in err, "bad --listen is a usage error: %d %s" % (code, err))
    check(not os.path.exists(db), "a usage error creates no database")
    code, _, err = cli(None, "user", "list")
    check(code == 69, "unreachable service exits 69: %d %s" % (code, err))

    daemon = Daemon(db, token_file)
    admin = open(token_file).read().strip()
    check(oct(os.stat(token_file).st_mode & 0o777) == "0o600", "admin token file is 0600")
    check(oct(os.stat(db).st_mode & 0o777) == "0o600", "database file is 0600")
    check(admin not in "".join(daemon.banner), "admin token not printed when --admin-token-file is given")

    # Users, miners, tokens through the CLI.
    for name in ("alice", "bob", "carol"):
        code, out, err = cli(daemon, "user", "add", name, "--comment", name + "@example.org", token=admin)
        check(code == 0 and out.strip() == "added user " + name, "user add %s: %d %s %s" % (name, code, out, err))
    code, _, err = cli(daemon, "user", "add", "alice", token=admin)
    check(code == 65 and "already exists" in err, "duplicate user is refused with 65: %d %s" % (code, err))
    code, _, err = cli(daemon, "user", "add", "bad name", token=admin)
    check(code == 65 and "invalid user name" in err, "bad user name refused: %d %s" % (code, err))
    check(cli(daemon, "miner", "bind", "alice", "f01234", token=admin)[0] == 0, "bind f01234 to alice")
    check(cli(daemon, "miner", "bind", "bob", "f05678", token=admin)[0] == 0, "bind f05678 to bob")
    code, _, err = cli(daemon, "miner", "bind", "bob", "f01234", token=admin)
    check(code == 65 and "already bound to user alice" in err, "a miner binds to one user only: %d %s" % (code, err))
    code, out, _ = cli(daemon, "miner", "owner", "f01234", token=admin)
    check(code == 0 and out.strip() == "alice", "miner owner: %r" % out)
    code, out, _ = cli(daemon, "user", "list", token=admin)
    lines = out.strip().split("\n")
    check(code == 0 and "alice\tenabled\tf01234\talice@example.org" in lines, "user list shows alice: %r" % out)

    tokens = {"none": None}
    for perm in ("read", "write", "sign", "admin"):
        code, out, err = cli(daemon, "token", "issue", "alice", "--perm", perm, token=admin)
        check(code == 0 and out.count(".") == 2, "token issue %s: %d %s" % (perm, code, err))
        tokens[perm] = out.strip()
        code, out, _ = cli(daemon, "token", "verify", tokens[perm])
        check(code == 0 and out.strip() == "alice\t" + perm, "token verify %s: %r" % (perm, out))
    status, body = call(daemon, "Filecoin.AuthVerify", [tokens["sign"]])
    check(body.get("result") == ["read", "write", "sign"], "Filecoin.AuthVerify lists permissions: %r" % body)

    # The whole matrix of roles x methods: denied exactly when the role is below the method's.
    for method, needed in METHODS.items():
        for role in ORDER:
            status, body = call(daemon, method, [], tokens[role])
            denied = status == 200 and "error" in body and body["error"]["code"] == -32002
            check(denied == (ORDER.index(role) < ORDER.index(needed)),
                  "%s as %s: %d %r" % (method, role, status, body))
            if denied:
                check("need '%s'" % needed in body["error"]["message"], "denial names %s" % needed)
    code, _, err = cli(daemon, "user", "add", "mallory", token=tokens["write"])
    check(code == 77 and "need 'admin'" in err, "write token cannot add users: %d %s" % (code, err))
    code, _, err = cli(daemon, "user", "add", "mallory")
    check(code == 77, "no token cannot add users: %d %s" % (code, err))

    # Disabling a user revokes its tokens; enabling restores them.
    code, out, _ = cli(daemon, "token", "issue", "bob", "--perm", "write", token=admin)
    bob = out.strip()
    check(cli(daemon, "token", "verify", bob)[0] == 0, "bob's token verifies")
    check(cli(daemon, "user", "disable", "bob", token=admin)[0] == 0, "disable bob")
    code, _, err = cli(daemon, "token", "verify", bob)
    check(code == 77 and "user bob is disabled" in err, "disabled user's token refused: %d %s" % (code, err))
    status, body = call(daemon, "Auth.ListUsers", [], bob)
    check(status == 401 and body["error"]["code"] == -32001, "disabled user's token gets 401: %d" % status)
    code, _, err = cli(daemon, "user", "disable", "admin", token=admin)
    check(code == 65, "the admin user cannot be disabled: %d %s" % (code, err))

    # Malformed, oversized and wrong-typed requests: JSON-RPC errors, and the daemon stays up.
    bad_bodies = [
        (b"{", 200, -32700), (b"\xff\xfe\x00", 200, -32700), (b"", 200, -32700),
        (b'{"jsonrpc":"2.0","id":1,"method":"Auth.Version","params":"x"}', 200, -32600),
        (b'{"jsonrpc":"1.0","id":1,"method":"Auth.Version"}', 200, -32600),
        (b'{"jsonrpc":"2.0","id":[1],"method":"Auth.Version"}', 200, -32600),
        (b'{"jsonrpc":"2.0","id":1,"method":42}', 200, -32600),
        (b"[]", 200, -32600),
        (b'{"jsonrpc":"2.0","id":1,"method":"Auth.GetUser","params":[42]}', 200, -32602),
        (b'{"jsonrpc":"2.0","id":1,"method":"Auth.IssueToken","params":["alice","read",1.5]}', 200, -32602),
        (b'{"jsonrpc":"2.0","id":1,"method":"No.Such"}', 200, -32601),
        (b"[" * 5000 + b"]" * 5000, 200, -32600),
        (b"[" + b",".join([b'{"jsonrpc":"2.0","id":1,"method":"Auth.Version"}'] * 101) + b"]", 200, -32600),
        (b'{"jsonrpc":"2.0","id":1,"method":"Auth.GetUser","params":["' + b"a" * (2 << 20) + b'"]}', 413, -32600),
    ]
    for body, want_status, want_code in bad_bodies:
        status, answer = post(daemon, body, admin)
        got = answer["error"]["code"] if isinstance(answer, dict) and "error" in answer else None
        check(status == want_status and got == want_code,
              "bad body %r...: want %d/%d, got %d/%r" % (body[:40], want_status, want_code, status, answer))
    status, _ = post(daemon, b'{"jsonrpc":"2.0","method":"Auth.Version"}', admin)
    check(status == 204, "a notification gets 204 No Content: %d" % status)
    status, answer = post(daemon, b"{}", headers={"Authorization": "Basic YWxpY2U6eA=="})
    check(status == 401 and answer["error"]["code"] == -32001, "non-Bearer Authorization is 401: %d" % status)
    # Raw garbage and a half-sent request on the socket.
    for raw in (b"\x16\x03\x01\x00\xa5garbage\r\n\r\n", b"POST /rpc/v0 HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"):
        with socket.create_connection(("127.0.0.1", daemon.port), timeout=10) as sock:
            sock.sendall(raw)
    check(daemon.alive() and version_ok(daemon), "daemon up after malformed input")
    # HTTP/1.1 keep-alive: several requests on one connection.
    connection = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=20)
    for number in range(3):
        connection.request("POST", "/rpc/v0", body=json.dumps(
            {"jsonrpc": "2.0", "id": number, "method": "Auth.Version", "params": []}))
        response = connection.getresponse()
        check(response.status == 200 and json.loads(response.read())["id"] == number, "keep-alive request %d" % number)
    connection.close()

    # kill -9 right after acknowledged writes: every acknowledged write is there after a restart.
    acknowledged = []
    for round_number in range(5):
        name = "durable%d" % round_number
        status, body = call(daemon, "Auth.AddUser", [name], admin)
        check(status == 200 and body.get("result", {}).get("name") == name, "AddUser %s acknowledged" % name)
        status, body = call(daemon, "Auth.BindMiner", [name, "f0%d" % (9000 + round_number)], admin)
        check(status == 200 and "result" in body, "BindMiner acknowledged")
        daemon.kill9()
        acknowledged.append(name)
        daemon = Daemon(db)
        check(not any("admin token" in line for line in daemon.banner), "no new admin token on restart")
        status, body = call(daemon, "Auth.ListUsers", [], admin)
        names = {user["name"]: user for user in body["result"]}
        for earlier in acknowledged:
            check(earlier in names, "%s survived kill -9" % earlier)
        check(names[name]["miners"] == ["f0%d" % (9000 + round_number)], "binding survived kill -9")
    # kill -9 at an arbitrary moment during a stream of writes: whatever was acknowledged is kept.
    streamed = []

    def writer(target):
        for number in range(100000):
            try:
                status, body = call(target, "Auth.AddUser", ["stream%d" % number], admin)
            except (OSError, http.client.HTTPException):
                return
            if status == 200 and "result" in body:
                streamed.append("stream%d" % number)

    thread = threading.Thread(target=writer, args=(daemon,))
    thread.start()
    while len(streamed) < 20 and thread.is_alive():
        time.sleep(0.01)
    daemon.kill9()
    thread.join()
    daemon = Daemon(db)
    status, body = call(daemon, "Auth.ListUsers", [], admin)
    names = {user["name"] for user in body["result"]}
    lost = [name for name in streamed if name not in names]
    check(len(streamed) >= 20 and not lost, "acknowledged writes lost after kill -9 mid-stream: %r" % lost[:5])
    check(cli(daemon, "token", "verify", tokens["write"])[0] == 0, "tokens verify across restarts (secret kept)")
    check(cli(daemon, "token", "verify", bob)[0] == 77, "bob still disabled after restarts")

    # Graceful stop.
    check(daemon.terminate() == 0, "SIGTERM stops the daemon with status 0")

    # Offline issue from the database (lost admin token recovery).
    result = subprocess.run([MINERX, "auth", "token", "issue", "admin", "--perm", "admin", "--db", db],
                            capture_output=True, text=True, timeout=30)
    offline = result.stdout.strip()
    check(result.returncode == 0 and offline.count(".") == 2, "offline token issue: %s" % result.stderr)
    daemon = Daemon(db)
    check(cli(daemon, "token", "verify", offline)[0] == 0, "the offline token verifies")
    daemon.terminate()

    # A database from a newer minerx is refused with a clear error.
    newer = os.path.join(tmp, "newer.db")
    connection = sqlite3.connect(newer)
    connection.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL,"
                       " applied_at INTEGER NOT NULL)")
    connection.execute("INSERT INTO schema_version VALUES (99, 'future', 0)")
    connection.commit()
    connection.close()
    result = subprocess.run([MINERX, "auth", "run", "--db", newer, "--listen", "127.0.0.1:0"],
                            capture_output=True, text=True, timeout=20)
    check(result.returncode == 65 and "newer than this binary supports" in result.stderr,
          "newer database refused: %d %s" % (result.returncode, result.stderr))

    if failures:
        print("%d failure(s); files kept in %s" % (len(failures), tmp), file=sys.stderr)
        return 1
    print("auth testbed: all %d checks passed" % checks[0])
    subprocess.run(["rm", "-rf", tmp])
    return 0


if __name__ == "__main__":
    try:
        status = main()
    finally:
        for started in Daemon.started:  # only the daemons this script started, by their pid
            if started.alive():
                started.kill9()
    sys.exit(status)
