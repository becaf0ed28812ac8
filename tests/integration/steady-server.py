#!/usr/bin/env python3
"""steady-server.py PORT FILE [BASE_MS [COOLDOWN_MS]]: a small HTTP
server for the steady-state tests (run-baseline*.sh).

Every GET sleeps BASE_MS (the service's own latency, so that a delay
fault can make it a known multiple), then reads FILE with exactly one
read(2) call (os.read: one call, one decision of the shim) and answers
200 with what it read, or 500 when the read failed. After a failed read
it answers 503 for COOLDOWN_MS without reading: a service that takes a
while to recover. One thread, one request at a time; no log.
"""
import http.server
import os
import sys
import time

PORT = int(sys.argv[1])
FILE = sys.argv[2]
BASE = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.0
COOLDOWN = float(sys.argv[4]) / 1000 if len(sys.argv) > 4 else 0.0
broken_until = 0.0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        global broken_until
        if BASE > 0:
            time.sleep(BASE)
        if time.monotonic() < broken_until:
            code, body = 503, b"recovering\n"
        else:
            try:
                fd = os.open(FILE, os.O_RDONLY)
                try:
                    body = os.read(fd, 65536)
                finally:
                    os.close(fd)
                code = 200
            except OSError as e:
                code, body = 500, (str(e) + "\n").encode()
                broken_until = time.monotonic() + COOLDOWN
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
