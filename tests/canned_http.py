"""A tiny HTTP server that answers with queued canned responses and records the requests.

Used where the OCO test server cannot produce a case (HTML error pages, truncated JSON, a proxy
mixing up batch ids...).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CannedServer:
    def __init__(self):
        self.responses = []
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep pytest output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                server.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                status, reason, headers, payload = server.responses.pop(0) if server.responses else (200, "OK", {}, b"")
                if status is None:
                    # close without answering
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if callable(payload):
                    payload = payload(json.loads(body))
                if not isinstance(payload, bytes):
                    payload = json.dumps(payload).encode()
                self.send_response(status, reason)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def queue(self, status=200, payload=b"", reason=None, headers=None):
        self.responses.append((status, reason, headers or {}, payload))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def ok(data):
    """A JSON-RPC 2.0 success answer echoing the request id."""
    return lambda request: {"jsonrpc": "2.0", "id": request["id"], "result": {"success": True, "data": data}}


def rpc_error(code, message):
    return lambda request: {"jsonrpc": "2.0", "id": request["id"], "error": {"code": code, "message": message, "data": None}}
