#!/usr/bin/env python3
"""Loopback HTTP receiver for the end-to-end benchmark: counts NDJSON lines POSTed to any path.

usage: ndjson-sink.py N DIR   -- listens on 127.0.0.1 (free port written to DIR/port); writes DIR/done with
"epoch_seconds count requests" once N lines arrived, DIR/progress about once a second, DIR/final on SIGTERM.
"""
import gzip, os, signal, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

n = int(sys.argv[1]); d = sys.argv[2]
lock = threading.Lock(); state = {"count": 0, "requests": 0, "done": False, "last": 0.0}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        lines = body.count(b"\n") + (0 if body.endswith(b"\n") or not body else 1)
        with lock:
            state["count"] += lines; state["requests"] += 1
            if not state["done"] and state["count"] >= n:
                state["done"] = True
                open(d + "/done", "w").write("%.6f %d %d\n" % (time.time(), state["count"], state["requests"]))
            if time.time() - state["last"] > 1:
                open(d + "/progress", "w").write("%d\n" % state["count"]); state["last"] = time.time()
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
open(d + "/port.tmp", "w").write(str(server.server_address[1])); os.rename(d + "/port.tmp", d + "/port")
def stop(*_):
    open(d + "/final", "w").write("%d %d\n" % (state["count"], state["requests"])); os._exit(0)
signal.signal(signal.SIGTERM, stop)
server.serve_forever()
