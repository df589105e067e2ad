#!/usr/bin/python3
"""Opens a report's index.html in headless Chromium and checks it as a reader would see it.

Passes when the page loads without a console error, an uncaught exception or an error log entry,
and every plot is shown: each PNG file of the report's directory has an <img data-plot="NAME">
in the page, and every image of the page is decoded (complete and naturalWidth > 0).

Talks to Chromium over the DevTools protocol (its WebSocket endpoint), with a minimal WebSocket
client from the standard library (RFC 6455: client frames masked, text frames, fragments joined).
Usage: html_check.py REPORT_DIR   (exit 0 pass, 1 fail; the reasons on stderr)
"""
import base64
import glob
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TIMEOUT_S = 60


class WebSocket:
    """Just enough of a WebSocket client for the DevTools protocol on localhost."""

    def __init__(self, url, timeout):
        match = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        host, port, path = match.group(1), int(match.group(2)), match.group(3)
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the connection during the handshake")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise ConnectionError(f"WebSocket handshake refused: {head[:200]!r}")

    def _exact(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("DevTools closed the connection")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])                      # FIN, text frame
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 1 << 16:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def receive(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else None
            data = self._exact(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = b0 & 0x0F
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the WebSocket")
            if opcode in (0x9, 0xA):                # ping / pong: not used by DevTools
                continue
            message += data
            if b0 & 0x80:
                return message.decode()

    def close(self):
        self.sock.close()


class DevTools:
    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.receive())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_for(self, event, deadline):
        while time.monotonic() < deadline:
            if any(e["method"] == event for e in self.events):
                return True
            message = json.loads(self.ws.receive())
            if "method" in message:
                self.events.append(message)
        return False


def _start_chromium(profile):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise FileNotFoundError("chromium not found (apt-get install chromium)")
    process = subprocess.Popen(
        [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
         "--disable-extensions", "--remote-debugging-port=0", f"--user-data-dir={profile}",
         "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + TIMEOUT_S
    for line in process.stderr:
        match = re.search(r"DevTools listening on (ws://\S+)", line)
        if match:
            # Keep reading its stderr so that chromium never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()
            return process, match.group(1)
        if time.monotonic() > deadline:
            break
    process.kill()
    raise RuntimeError("chromium did not open its DevTools endpoint")


def _page_websocket(browser_url):
    port = re.match(r"ws://[^:]+:(\d+)/", browser_url).group(1)
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
            pages = [t for t in json.load(r) if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise RuntimeError("chromium has no page target")


IMAGES_JS = """JSON.stringify(Array.from(document.images).map(img => ({
  plot: img.getAttribute('data-plot'), complete: img.complete, width: img.naturalWidth})))"""


def check(report_dir):
    """Returns a list of problems (empty when the report passes)."""
    index = os.path.abspath(os.path.join(report_dir, "index.html"))
    if not os.path.isfile(index):
        return [f"{index}: missing"]
    profile = tempfile.mkdtemp(prefix="minerx-html-check-")
    process = None
    try:
        process, browser_url = _start_chromium(profile)
        ws = WebSocket(_page_websocket(browser_url), TIMEOUT_S)
        tools = DevTools(ws)
        for domain in ("Page", "Runtime", "Log"):
            tools.call(f"{domain}.enable")
        tools.call("Page.navigate", url="file://" + index)
        if not tools.wait_for("Page.loadEventFired", time.monotonic() + TIMEOUT_S):
            return ["the page did not finish loading"]
        images = json.loads(tools.call("Runtime.evaluate", expression=IMAGES_JS,
                                       returnByValue=True)["result"]["value"])
        problems = []
        for e in tools.events:
            params = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                     "assert"):
                text = " ".join(str(a.get("value", a.get("description", "")))
                                for a in params.get("args", []))
                problems.append(f"console error: {text}")
            elif e["method"] == "Runtime.exceptionThrown":
                problems.append("uncaught exception: "
                                + params.get("exceptionDetails", {}).get("text", ""))
            elif e["method"] == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                problems.append(f"error logged: {params['entry'].get('text', '')}")
        shown = {i["plot"] for i in images if i["complete"] and i["width"] > 0}
        for i in images:
            if not (i["complete"] and i["width"] > 0):
                problems.append(f"image {i['plot']!r} is not decoded (naturalWidth {i['width']})")
        for png in sorted(glob.glob(os.path.join(report_dir, "*.png"))):
            name = os.path.basename(png)
            if name not in shown:
                problems.append(f"plot {name} is not shown in index.html")
        if not images:
            problems.append("the page has no image")
        ws.close()
        return problems
    finally:
        if process is not None:
            process.kill()
            process.wait()
            process.stderr.close()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        print("usage: html_check.py REPORT_DIR", file=sys.stderr)
        return 2
    problems = check(sys.argv[1])
    for p in problems:
        print(f"html_check: {p}", file=sys.stderr)
    if not problems:
        print(f"html_check: {sys.argv[1]}/index.html: no console error, every plot shown")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
