"""HTTP server: routes api-client.php to the dialect pipeline and /admin/<command> to the admin door."""

import json
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .errors import PhpFatal
from .pipeline import Response

API_PATH = '/api-client.php'
ADMIN_PREFIX = '/admin/'


class OcoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, oco):
        self.oco = oco
        super().__init__(address, OcoRequestHandler)


class OcoRequestHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # Headers and body go out in two writes; with Nagle's algorithm the body then waits for the
    # client's delayed ACK (40 ms per request on Linux), which Apache (TCP_NODELAY) never does.
    disable_nagle_algorithm = True
    server_version = 'Apache/2.4.62 (Debian)'
    sys_version = ''

    def __getattr__(self, name):
        # The real endpoint never looks at the HTTP method (except BREW, in any case).
        if name.startswith('do_'):
            return self._handle
        raise AttributeError(name)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.oco.verbose:
            super().log_message(format, *args)

    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length > 0 else b''

    def _send(self, response):
        if response.drop:
            self.close_connection = True
            return
        self.send_response(response.status, response.reason)
        if response.content_type:
            self.send_header('Content-Type', response.content_type)
        self.send_header('Content-Length', str(len(response.body)))
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(response.body)

    def _handle(self):
        oco = self.server.oco
        body = self._read_body()
        path = self.path.split('?', 1)[0]
        if path.startswith(ADMIN_PREFIX):
            self._send(self._admin(oco, path[len(ADMIN_PREFIX):], body))
            return
        if not path.endswith(API_PATH):
            self._send(Response(404, 'Not Found', b'Not Found', 'text/plain'))
            return
        oco.counters.http_request()
        try:
            response = oco.pipeline.process(oco, self.command, self.headers, body)
        except PhpFatal:
            response = Response(500, 'Internal Server Error')
        except Exception:  # pylint: disable=broad-except
            # Anything unexpected is a PHP fatal error too, but keep the trace for the developer.
            traceback.print_exc()
            response = Response(500, 'Internal Server Error')
        self._send(response)

    def _admin(self, oco, command, body):
        try:
            kwargs = json.loads(body.decode('utf-8')) if body.strip() else {}
            if not isinstance(kwargs, dict):
                raise TypeError('admin body must be a JSON object of keyword arguments')
            func = oco.admin.command(command)
        except (ValueError, TypeError, AttributeError) as exc:
            return Response(400, 'Bad Request', json.dumps({'error': str(exc)}).encode('utf-8'), 'application/json')
        try:
            result = func(**kwargs)
        except Exception as exc:  # pylint: disable=broad-except
            # The admin door reports every failure to the test that called it.
            return Response(400, 'Bad Request', json.dumps({'error': '%s: %s' % (type(exc).__name__, exc)}).encode('utf-8'),
                            'application/json')
        return Response(200, 'OK', json.dumps(result, default=_plain).encode('utf-8'), 'application/json')


def _plain(value):
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode('utf-8', 'replace')
    raise TypeError('not JSON serializable: %r' % type(value))
