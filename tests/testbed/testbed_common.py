"""What the testbed scripts share: a tally of checks, and raw JSON-RPC over HTTP to a daemon."""

import http.client
import json
import sys

failures = []
checks = [0]


def check(condition, what):
    """Counts a check; a failed one is reported at once and kept for the summary."""
    checks[0] += 1
    if not condition:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def post(port, body, token=None, headers=None):
    """Raw HTTP POST to 127.0.0.1:port/rpc/v0; returns (status, parsed JSON or None)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    all_headers = {"Content-Type": "application/json"}
    if token:
        all_headers["Authorization"] = "Bearer " + token
    all_headers.update(headers or {})
    connection.request("POST", "/rpc/v0", body=body, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    try:
        return response.status, json.loads(data) if data else None
    except ValueError:
        return response.status, None


def call(port, method, params, token=None):
    """A JSON-RPC 2.0 request with id 1."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
    return post(port, body.encode(), token)
