"""OcoTestServer: storage, HTTP transport, admin door and in-memory side channels in one object."""

import os
import shutil
import ssl
import subprocess
import tempfile
import threading

from . import pipeline, registry
from .admin import AdminDoor
from .eras import era_of
from .faults import Counters, Faults
from .seed import USERS, seed
from .store import Store
from .transport import OcoHTTPServer

PASSWORDS = {username: password for username, password, _role in USERS}


class OcoTestServer:
    """A stateful stand-in for the OCO server's client API on 127.0.0.1.

    `url` is the base URL; the API is `url + "/api-client.php"`, the admin door `url + "/admin/<command>"`.
    """

    version = '1.2.2'

    def __init__(self, db=':memory:', api_key=None, https=False, legacy=False, port=0, stringify=False,
                 auth_failure_delay=0.0, verbose=False, legacy_ints=False):
        registry.load_methods()
        self.store = Store(db, stringify=stringify)
        seed(self.store, api_key)
        self.https = https
        # legacy: False (current dialect), True (v0.9.0) or a release before 1.0.3 such as '0.15.5'.
        self.era = era_of(legacy)
        self.legacy = legacy
        # A legacy server on PHP 8 answers numbers as numbers; the PHP 7 ones of the time, as strings.
        self.legacy_ints = legacy_ints
        self.port = port
        self.auth_failure_delay = auth_failure_delay
        self.verbose = verbose
        self.counters = Counters()
        self.faults = Faults()
        self.pipeline = self._dialect(self.era)
        # The server release the dialect stands for.
        if self.era is not None:
            self.version = self.era.text
        self.admin = AdminDoor(self)
        self.ca_path = None
        self._wol_log = []
        self._wol_lock = threading.Lock()
        self._httpd = None
        self._thread = None
        self._tmpdir = None

    @staticmethod
    def _dialect(legacy):
        if not legacy:
            return pipeline
        # The pre-1.0.3 dialect lives in its own module with the same `process` entry point.
        from . import pipeline_legacy  # pylint: disable=import-outside-toplevel,no-name-in-module
        return pipeline_legacy

    @property
    def url(self):
        if self._httpd is None:
            raise RuntimeError('server not started')
        return '%s://127.0.0.1:%d' % ('https' if self.https else 'http', self._httpd.server_address[1])

    @property
    def api_url(self):
        return self.url + '/api-client.php'

    def connection(self, username='admin'):
        """Connection options of the oco.oco modules for one of the seeded users (`admin` or `reader`)."""
        options = {'url': self.url, 'username': username, 'password': PASSWORDS[username]}
        api_key = self.store.setting('client-api-key')
        if api_key:
            options['api_key'] = api_key
        if self.https:
            options['ca_path'] = self.ca_path
        return options

    def environment(self, username='admin'):
        """The same as OCO_* environment variables (modules, inventory plugin and lookup read them)."""
        return {'OCO_' + key.upper(): str(value) for key, value in self.connection(username).items()}

    def start(self):
        self._httpd = OcoHTTPServer(('127.0.0.1', self.port), self)
        if self.https:
            self._httpd.socket = self._tls_context().wrap_socket(self._httpd.socket, server_side=True)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={'poll_interval': 0.05},
                                        name='oco-test-server', daemon=True)
        self._thread.start()
        return self

    def _tls_context(self):
        # No `cryptography` here: a throw-away self-signed certificate from the openssl binary.
        self._tmpdir = tempfile.mkdtemp(prefix='oco-test-server-')
        cert = os.path.join(self._tmpdir, 'cert.pem')
        key = os.path.join(self._tmpdir, 'key.pem')
        subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
                        '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
                       check=True, capture_output=True)
        self.ca_path = cert
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        return context

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def serve_forever(self):
        """Blocking variant for the command line."""
        if self._httpd is None:
            self._httpd = OcoHTTPServer(('127.0.0.1', self.port), self)
            if self.https:
                self._httpd.socket = self._tls_context().wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.serve_forever()

    def close(self):
        self.stop()
        self.store.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def record_wol(self, macs, computer_id=None, source='api'):
        """Magic packets are never sent; the MACs are remembered for the admin door."""
        with self._wol_lock:
            for mac in macs:
                self._wol_log.append({'mac': mac, 'computer_id': computer_id, 'source': source})

    def wol_log(self):
        with self._wol_lock:
            return list(self._wol_log)

    def clear_wol_log(self):
        with self._wol_lock:
            self._wol_log = []
