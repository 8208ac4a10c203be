# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one JSON-RPC client of the collection: modules, the inventory plugin and the lookup use it.

It owns the transport (one ``requests.Session``, pre-emptive Basic auth, exact content type), the
envelope (``params.api_key`` + ``params.data``), batches, the two dialects (JSON-RPC 2.0 since
server 1.0.3, the legacy envelope before), retries of reads, the check-mode guard for writes and
the translation of every failure into a typed error with a message a person can act on.
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import re
import tempfile
import time
import traceback
import uuid
from collections import namedtuple
from contextlib import contextmanager

try:
    import requests
    from requests import exceptions as rexc
except ImportError:  # pragma: no cover - exercised through missing_required_lib
    requests = None
    rexc = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

from ansible_collections.oco.oco.plugins.module_utils import answer_shapes, errors
from ansible_collections.oco.oco.plugins.module_utils.methods import is_write, legacy_name, since, since_text
from ansible_collections.oco.oco.plugins.module_utils.normalize import normalize
from ansible_collections.oco.oco.plugins.module_utils import legacy
from ansible_collections.oco.oco.plugins.module_utils.package_payload import temp_space_error
from ansible_collections.oco.oco.plugins.module_utils.validation import check_retries, check_timeout

HAS_REQUESTS = requests is not None

DIALECT_JSONRPC = "jsonrpc"
DIALECT_LEGACY = "legacy"

RETRYABLE_STATUS = (502, 503, 504)
# Read size for streaming file contents as base64: a multiple of 3, so chunks encode without padding.
UPLOAD_CHUNK = 3 * 256 * 1024
_UNKNOWN_METHOD_TEXTS = ("unknown method", "unbekannte methode", "méthode inconnue")

# The outcome of one call, single or in a batch: normalised ``data`` or an OcoError in ``error``.
CallResult = namedtuple("CallResult", ["method", "data", "error"])


def vanished(error):
    """The one rule for a read of a listed object: not found or permission denied means it is gone.

    Lists leave out what the user may not read without a word, and an object listed a moment ago
    that is not found now was removed meanwhile (by a user or the server's housekeeping). Either
    way, for this reader the object is not there; every other error is a real failure.
    """
    return isinstance(error, (errors.OcoNotFoundError, errors.OcoPermissionError))


def batch_size_problem(value):
    """Why ``value`` cannot be a batch size, or None."""
    return None if value >= 1 else "use a number of calls >= 1"


_USER_INFO = re.compile(r"^(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?P<user_info>[^/?#]*)@")
# Secrets shorter than this are only masked where they stand alone: masked inside ordinary words
# ("o********ject") they would reveal themselves.
SHORT_SECRET = 8


def split_user_info(url):
    """``(url without user:password@, the user info or None)``; the user info is never printed."""
    if not isinstance(url, str):
        return url, None
    match = _USER_INFO.match(url.strip())
    if not match:
        return url, None
    return match.group("scheme") + url.strip()[match.end():], match.group("user_info")


def url_secrets(url):
    """The parts of ``user:password@`` in ``url`` that must never be shown."""
    user_info = split_user_info(url)[1]
    if not user_info:
        return []
    # The user name alone is no secret, and masking a short one would garble every message.
    return [part for part in (user_info, user_info.partition(":")[2]) if part]


def endpoint_url(url):
    """``url`` may be the server's base URL or the full ``.../api-client.php`` address."""
    if not isinstance(url, str) or not url.strip():
        raise errors.OcoValidationError("invalid option url: a base URL such as https://oco.example.com is required")
    url = split_user_info(url)[0].strip()
    if not url.lower().startswith(("http://", "https://")):
        raise errors.OcoValidationError(
            "invalid option url %r: it must start with https:// (or http://), e.g. https://oco.example.com" % url)
    if url.lower().endswith(".php"):
        return url
    return url.rstrip("/") + "/api-client.php"


def basic_auth_header(username, password):
    # requests encodes Basic credentials as Latin-1, which cannot carry emoji and makes the server
    # fail with HTTP 500 for non-ASCII names; OCO reads them as UTF-8.
    token = base64.b64encode(("%s:%s" % (username, password)).encode("utf-8")).decode("ascii")
    return "Basic " + token


class OcoClient:
    """Talks JSON-RPC to one OCO server. Not thread-safe; build one per worker."""

    def __init__(self, url, username, password, api_key=None, validate_certs=True, ca_path=None, timeout=30,
                 check_mode=False, warn=None, retries=3, retry_backoff=0.5, batch_size=100,
                 read_only_methods=(), keep_secrets=False):
        if not HAS_REQUESTS:
            raise errors.OcoError("the Python library 'requests' is required on the machine that runs oco.oco plugins")
        self.endpoint = endpoint_url(url)
        self.username = username
        self._password = password
        self._api_key = api_key or ""
        user_info = split_user_info(url)[1]
        self._secrets = [s for s in (password, api_key) if s] + url_secrets(url)
        self._auth_header = basic_auth_header(username or "", password or "")
        self._secrets.append(self._auth_header.split(" ", 1)[1])
        # HTTP reason phrases and headers are read as Latin-1: a UTF-8 secret echoed there looks so.
        self._secrets.extend(secret.encode("utf-8").decode("latin-1") for secret in list(self._secrets)
                             if not secret.isascii())
        self.validate_certs = validate_certs
        self.ca_path = ca_path
        self.timeout = check_timeout(timeout)
        self.check_mode = check_mode
        self.retries = check_retries(retries)
        self.retry_backoff = retry_backoff
        self.batch_size = max(1, int(batch_size))
        self.read_only_methods = tuple(read_only_methods)
        self.keep_secrets = keep_secrets
        self.dialect = None
        # Legacy servers do not tell their version: what their answers have proven about it.
        self.era = legacy.Era()
        self._probed = set()
        self._ids = itertools.count(1)
        self._info = None
        self._location = None
        self._warn = warn or (lambda message: None)
        self.session = requests.Session()
        # requests would otherwise take credentials from ~/.netrc or the URL over the configured
        # ones, and REQUESTS_CA_BUNDLE over ca_path; proxies and the CA bundle from the
        # environment are applied explicitly instead (see _proxies and _verify).
        self.session.trust_env = False
        if user_info:
            self._warn("url contains credentials (user:password@); they are ignored: the options username and "
                       "password are used")
        if self.endpoint.lower().startswith("http://"):
            self._warn("url %s uses plain http: the password and API key travel unencrypted; use https" % self.endpoint)
        if not validate_certs and self.endpoint.lower().startswith("https://"):
            self._warn("validate_certs is false: the identity of %s is not checked" % self.endpoint)

    @property
    def legacy_floor(self):
        """The oldest release a legacy server can be, by its answers."""
        return self.era.floor

    # ------------------------------------------------------------------ public API

    def is_write(self, method):
        return is_write(method, self.read_only_methods)

    def call(self, method, data=None):
        """Call one method and return its normalised ``data`` payload; raise OcoError on failure."""
        self._guard_write(method)
        with self._scrubbed():
            result = self._call_once(method, data)
        if result.error is not None:
            raise self._scrub_error(result.error)
        return result.data

    def batch(self, calls, batch_size=None):
        """Send ``[(method, data), ...]`` as JSON-RPC batches; one CallResult per call, in order.

        Servers before 1.0.3 know no batches: there the calls go one by one.
        """
        calls = list(calls)
        for method, _data in calls:
            self._guard_write(method)
        results = []
        size = max(1, int(batch_size or self.batch_size))
        with self._scrubbed():
            for start in range(0, len(calls), size):
                chunk = calls[start:start + size]
                if self.dialect == DIALECT_LEGACY or len(chunk) == 1:
                    results.extend(self._call_once(method, data) for method, data in chunk)
                else:
                    results.extend(self._send_batch(chunk))
        return [result._replace(error=self._scrub_error(result.error)) if result.error is not None else result
                for result in results]

    def read_each(self, method, ids, batch_size=None):
        """``{id: data}`` of ``method`` called with each id (``{"id": id}``), in batches.

        Objects that vanished (see ``vanished``) are left out; the caller sees which by the ids
        missing from the answer. Any other error is raised.
        """
        ids = list(ids)
        found = {}
        for object_id, result in zip(ids, self.batch([(method, {"id": i}) for i in ids], batch_size=batch_size)):
            if result.error is not None:
                if vanished(result.error):
                    continue
                raise result.error
            found[object_id] = result.data
        return found

    def call_with_files(self, method, data, files, files_key="files"):
        """Call a write method whose ``data[files_key]`` is ``[{"name", "content": base64}]``.

        ``files`` is ``[(name, path)]``. The request body is written to a temporary file (the JSON
        envelope with each file's content base64-encoded chunk by chunk) and streamed from there,
        so an installer of several GB never sits in memory, not even once. Sent at most once.
        """
        self._guard_write(method)
        if self.dialect is None:
            # The envelope differs between dialects: learn it with a read first.
            self.info()
        kinds = {files_key: "list"}
        if self.dialect == DIALECT_LEGACY:
            refusal = self._legacy_refusal(method, data)
            if refusal is not None:
                raise refusal
            data, kinds = legacy.upload_arguments(data, files, files_key, self.era)
        with self._scrubbed():
            with self._temporary_body() as body:
                try:
                    length = self._write_upload(body, method, data, files, kinds)
                except OSError as exc:
                    raise temp_space_error(exc, tempfile.gettempdir(), "preparing the upload") from None
                status, reason, answer_body = self._send(body, True, method, length=length)
            answer = self._decode(status, reason, answer_body, method)
            if not isinstance(answer, dict):
                raise errors.OcoProtocolError(self._where(method) + ": the answer is not a JSON-RPC object")
            result = self._result(answer, method, status, self._sent_name(method))
        if result.error is not None:
            raise self._scrub_error(result.error)
        return result.data

    @contextmanager
    def _temporary_body(self):
        try:
            body = tempfile.TemporaryFile(prefix="oco-upload-")
        except OSError as exc:
            raise temp_space_error(exc, tempfile.gettempdir(), "preparing the upload") from None
        with body:
            yield body

    def _write_upload(self, out, method, data, files, kinds):
        """``kinds`` maps each argument that carries the payload to ``list`` (``[{name, content}]``,
        servers since 0.15.5) or ``single`` (the one file's base64 content, servers before)."""
        markers = {}
        data = dict(data or {})
        for key in kinds:
            markers[key] = "oco-upload-%s" % uuid.uuid4().hex
            data[key] = markers[key]
        envelope = self._envelope(method, data)
        params = envelope["params"]
        for key, marker in markers.items():
            if params.get("data") is not data and isinstance(params.get("data"), dict):
                params["data"][key] = marker
            if params.get(key) == marker:
                # Legacy envelopes repeat the arguments beside params.data; the server reads only
                # params.data, so the payload goes there alone instead of twice.
                del params[key]
        text = json.dumps(envelope, separators=(",", ":"))
        for key, marker in markers.items():
            head, text = text.split(json.dumps(marker), 1)
            out.write(head.encode("utf-8"))
            if kinds[key] == "single":
                out.write(b'"')
                self._write_base64(out, files[0][1])
                out.write(b'"')
                continue
            out.write(b"[")
            for index, (name, path) in enumerate(files):
                if index:
                    out.write(b",")
                out.write(('{"name":%s,"content":"' % json.dumps(name)).encode("utf-8"))
                self._write_base64(out, path)
                out.write(b'"}')
            out.write(b"]")
        out.write(text.encode("utf-8"))
        length = out.tell()
        out.flush()
        return length

    @staticmethod
    def _write_base64(out, path):
        with open(path, "rb") as source:
            while True:
                chunk = source.read(UPLOAD_CHUNK)
                while chunk and len(chunk) % 3:
                    more = source.read(3 - len(chunk) % 3)
                    if not more:
                        break
                    chunk += more
                if not chunk:
                    break
                out.write(base64.b64encode(chunk))

    def info(self):
        """``oco.info`` once per client; None where the server predates it (before 1.1.3)."""
        if self._info is None:
            try:
                self._info = self.call("oco.info")
            except errors.OcoUnsupportedMethodError:
                self._info = {}
        return self._info or None

    @property
    def server_version(self):
        info = self.info()
        if info and info.get("version"):
            return str(info["version"])
        return None

    def scrub(self, text):
        """Remove the password, the API key and the auth token from any text."""
        if not isinstance(text, str):
            text = str(text)
        for secret in sorted(self._secrets, key=len, reverse=True):
            if not secret:
                continue
            if len(secret) < SHORT_SECRET:
                # Only where it stands alone, not inside a longer word that it would then reveal.
                text = re.sub(r"(?<![^\W_])%s(?![^\W_])" % re.escape(secret), "********", text)
            else:
                text = text.replace(secret, "********")
        return text

    def _scrub_error(self, exc):
        """``exc`` with the secrets removed from its message and the server's text: every error leaves scrubbed."""
        exc.message = self.scrub(exc.message)
        exc.args = (exc.message,) + tuple(exc.args[1:])
        if getattr(exc, "server_message", None) is not None:
            exc.server_message = self.scrub(exc.server_message)
        return exc

    @contextmanager
    def _scrubbed(self):
        try:
            yield
        except errors.OcoError as exc:
            self._scrub_error(exc)
            raise

    # ------------------------------------------------------------------ internals

    def _guard_write(self, method):
        if self.check_mode and self.is_write(method):
            raise errors.OcoCheckModeError(
                "refused to send %s in check mode: it changes the server" % method)

    def _envelope(self, method, data, raw=False):
        data = {} if data is None else data
        params = {"api_key": self._api_key, "data": data}
        if self.dialect == DIALECT_LEGACY and isinstance(data, dict):
            # The first published API document shows the arguments directly in params, while the
            # server code always read params.data: send both so either reading works.
            if not raw:
                data = legacy.translate_request(method, data, era=self.era)
                method = self._sent_name(method)
            params = dict(data, api_key=self._api_key, data=data)
        return {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}

    def _sent_name(self, method):
        if self.dialect != DIALECT_LEGACY:
            return method
        return legacy.method_name(method, legacy_name(method), self.era)

    def _call_once(self, method, data, tried=()):
        refusal = self._legacy_remove_check(method, data)
        if refusal is not None:
            return refusal
        if self.dialect is None and self.is_write(method) and self._legacy_form_differs(method, data):
            # Sent blindly, a legacy server would read some arguments under other names and drop
            # them: learn the dialect with a read first.
            self.info()
        if self.dialect == DIALECT_LEGACY:
            refusal = self._legacy_refusal(method, data)
            if refusal is not None:
                return CallResult(method, None, refusal)
        dialect_before = self.dialect
        envelope = self._envelope(method, data)
        status, reason, body = self._post(envelope, self.is_write(method), method)
        answer = self._decode(status, reason, body, method)
        if not isinstance(answer, dict):
            raise errors.OcoProtocolError(self._where(method) + ": the answer is not a JSON-RPC object")
        result = self._result(answer, method, status, envelope["method"])
        if self.dialect == DIALECT_LEGACY and self._ask_again(method, data, envelope, result, dialect_before, tried):
            # The answer told more about the server (its dialect, or which name it knows the method
            # by) than was known when the request was sent: ask again the way it reads it.
            return self._call_once(method, data, tuple(tried) + (envelope["method"],))
        if self.dialect == DIALECT_LEGACY and result.error is None:
            raw = answer.get("result")
            ignored = legacy.ignored_filter(method, data, raw.get("data") if isinstance(raw, dict) else raw)
            if ignored is not None:
                raise ignored
        return result

    def _ask_again(self, method, data, envelope, result, dialect_before, tried):
        if isinstance(result.error, errors.OcoUnsupportedMethodError):
            # Nothing ran: the method may be known by its other name (renamed in 0.15.0).
            other = legacy_name(method) if envelope["method"] == method else method
            return other not in (None, envelope["method"]) and other not in tried and self._sent_name(method) == other
        if dialect_before is not None:
            return False
        # A read whose arguments a legacy server reads under other names is safe to repeat.
        return not self.is_write(method) and legacy.translate_request(method, data, era=self.era) != data

    @staticmethod
    def _legacy_form_differs(method, data):
        """Whether a legacy server would read this write differently (defaults it lacks do not count)."""
        try:
            translated = legacy.translate_request(method, data)
        except errors.OcoUnsupportedOptionError:
            return True
        if not isinstance(data, dict) or not isinstance(translated, dict):
            return False
        return bool(legacy.boundaries(method, data)) or any(data.get(key) != value for key, value in translated.items())

    def _legacy_refusal(self, method, data):
        """Why a legacy server cannot do this request, found before anything is sent; None if it can.

        Probes first (cheap reads) when the form of the request depends on a release the answers
        have not settled yet.
        """
        first = since(method)
        if first is not None and self.era.has(first) is False and self.is_write(method):
            # A read may go: the server's own answer says the same. A write is not sent at all.
            return self._unsupported_method(method, first)
        needed = [version for version in legacy.boundaries(method, data) if self.era.has(version) is None]
        if needed:
            self._settle(needed)
        try:
            legacy.translate_request(method, data, era=self.era)
        except errors.OcoUnsupportedOptionError as exc:
            return exc
        return None

    def _settle(self, versions):
        """Send the probing reads (each once per client) until the release is settled for ``versions``."""
        for _boundary, probe, probe_data in legacy.PROBES:
            if all(self.era.has(version) is not None for version in versions):
                return
            key = (probe, json.dumps(probe_data, sort_keys=True))
            if key in self._probed:
                continue
            self._probed.add(key)
            if legacy.FIRST_FAMILY in probe_data.values():
                families = self.call("oco.package_family.list") or []
                if not families:
                    continue
                family = families[0].get("id")
                probe_data = {"package_family_id": family, "id": family}
            envelope = self._envelope(probe, probe_data, raw=True)
            status, reason, body = self._post(envelope, False, probe)
            answer = self._decode(status, reason, body, probe)
            if isinstance(answer, dict):
                self._result(answer, probe, status, probe)

    def settle_era(self):
        """Every probe a legacy server answers, for reporting its release as closely as possible."""
        if self.dialect == DIALECT_LEGACY:
            self._settle([version for version, _probe, _data in legacy.PROBES])
        return self.era

    def _legacy_remove_check(self, method, data):
        """Servers before 0.10.0 have no ``force`` and always delete: refuse as newer servers do."""
        if self.dialect == DIALECT_JSONRPC or legacy.remove_needs_check(method, data, era=self.era) is None:
            return None
        if self.dialect is None:
            # Sent blindly, the remove would delete even with pending jobs on such a server.
            self.info()
        check = legacy.remove_needs_check(method, data, era=self.era) if self.dialect == DIALECT_LEGACY else None
        if check is None:
            return None
        details = self._call_once(check, {"id": data.get("id")})
        if details.error is not None:
            return CallResult(method, None, details.error)
        refusal = legacy.refuse_remove_with_pending_jobs(self._where(method), details.data)
        return None if refusal is None else CallResult(method, None, refusal)

    def _send_batch(self, chunk):
        envelopes = [self._envelope(method, data) for method, data in chunk]
        write = any(self.is_write(method) for method, _data in chunk)
        label = "a batch of %d calls" % len(chunk)
        try:
            status, reason, body = self._post(envelopes, write, label)
            answers = self._decode(status, reason, body, label)
        except errors.OcoBadRequestError:
            if self.dialect is None:
                # A server before 1.0.3 rejects a JSON array as a corrupt payload without running
                # anything: switch to single calls.
                self.dialect = DIALECT_LEGACY
                return [self._call_once(method, data) for method, data in chunk]
            raise
        if isinstance(answers, dict) and self.dialect in (None, DIALECT_LEGACY) and "jsonrpc" not in answers:
            self.dialect = DIALECT_LEGACY
            return [self._call_once(method, data) for method, data in chunk]
        if not isinstance(answers, list):
            raise errors.OcoProtocolError(self._where(label) + ": expected a JSON array in answer to a batch")
        by_id = {}
        for answer in answers:
            if isinstance(answer, dict):
                by_id[answer.get("id")] = answer
        results = []
        for envelope, (method, _data) in zip(envelopes, chunk):
            answer = by_id.get(envelope["id"])
            if answer is None:
                raise errors.OcoProtocolError(
                    self._where(label) + ": the answer has no response with id %s (for %s); the server or a proxy "
                    "mixed up the batch" % (envelope["id"], method))
            results.append(self._result(answer, method, status, envelope["method"]))
        return results

    def _where(self, method):
        return "OCO request %s to %s" % (method, self.endpoint)

    def _verify(self):
        # Passing the CA file explicitly per request keeps REQUESTS_CA_BUNDLE from replacing it;
        # validate_certs: false wins over any CA file, as its warning says.
        if not self.validate_certs:
            return False
        return self.ca_path or self._environment_ca_bundle() or True

    @staticmethod
    def _environment_ca_bundle():
        """REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE, as requests reads them; empty values mean unset."""
        for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
            value = os.environ.get(name, "").strip()
            if value:
                return value
        return None

    def _ca_source(self):
        """Which CA bundle a failed verification used, for the message."""
        if self.ca_path:
            return "the CA bundle %s (ca_path) did not sign the server's certificate, or the certificate does not " \
                   "name this host" % self.ca_path
        env = self._environment_ca_bundle()
        if env:
            return "the CA bundle %s (from REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE) did not sign the server's " \
                   "certificate, or the certificate does not name this host" % env
        return "no CA of the system's trust store signed the server's certificate, or the certificate does not " \
               "name this host"

    def _proxies(self):
        # Proxies still come from the environment (HTTPS_PROXY, NO_PROXY...), which trust_env=False drops.
        try:
            return requests.utils.get_environ_proxies(self.endpoint) or {}
        except Exception:  # pylint: disable=broad-except
            return {}

    def _post(self, payload, write, label):
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        return self._send(body, write, label)

    def _send(self, body, write, label, length=None):
        """POST ``body`` (bytes, or a file object streamed from its start with ``length`` bytes)."""
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Language": "en",
            "Authorization": self._auth_header,
        }
        if length is not None:
            headers["Content-Length"] = str(length)
        attempts = 1 + self.retries
        for attempt in range(attempts):
            last = attempt == attempts - 1
            if hasattr(body, "seek"):
                body.seek(0)
            try:
                response = self.session.post(self.endpoint, data=body, headers=headers, timeout=self.timeout,
                                             verify=self._verify(), allow_redirects=False, proxies=self._proxies())
            except (rexc.RequestException, OSError) as exc:
                # Only transport failures: a programming error must surface as one, not as "the connection broke".
                error, sent = self._transport_error(exc, label)
                # A certificate does not change by asking again: fail at once instead of backing off.
                if last or (write and sent) or isinstance(error, errors.OcoTLSError):
                    if write and sent:
                        # timed_out: the server may still be carrying it out, so its effect can show up later.
                        raise errors.OcoAmbiguousWriteError(
                            self.scrub("%s: the answer was lost after the request was sent (%s); the server may "
                                       "have carried it out" % (self._where(label), error.message)),
                            timed_out=isinstance(error, errors.OcoTimeoutError)) from None
                    raise error from None
                self._sleep(attempt)
                continue
            if response.status_code in RETRYABLE_STATUS and write:
                # Even with retries: 0 a proxy's 502/503/504 leaves a write undecided, never simply failed.
                raise errors.OcoAmbiguousWriteError(
                    "%s: HTTP %d from the server or a proxy; the server may have carried it out"
                    % (self._where(label), response.status_code))
            if response.status_code in RETRYABLE_STATUS and not last:
                self._sleep(attempt)
                continue
            self._location = response.headers.get("Location")
            return response.status_code, response.reason or "", response.content
        raise errors.OcoConnectionError(self._where(label) + ": no answer")  # pragma: no cover

    def _sleep(self, attempt):
        time.sleep(min(self.retry_backoff * (2 ** attempt), 8.0))

    def _transport_error(self, exc, label):
        """Map a requests exception to (OcoError, request_may_have_been_sent)."""
        where = self._where(label)
        text = self.scrub(str(exc))
        if isinstance(exc, rexc.SSLError):
            if "certificate verify failed" not in text.lower() and "hostname" not in text.lower():
                return errors.OcoTLSError(
                    "%s: the TLS handshake failed (%s); check that url points at the server's HTTPS port" % (where, text)), False
            return errors.OcoTLSError(
                "%s: TLS certificate verification failed: %s (%s). Set ca_path to the CA bundle that signed the server "
                "certificate, or validate_certs: false to skip the check (not recommended)"
                % (where, self._ca_source(), text)), False
        if isinstance(exc, OSError) and not isinstance(exc, rexc.RequestException) and "CA certificate bundle" in text:
            # requests refuses a CA bundle path that does not exist before connecting.
            return errors.OcoTLSError("%s: %s; set ca_path (or REQUESTS_CA_BUNDLE) to an existing CA bundle file"
                                      % (where, text)), False
        if isinstance(exc, rexc.ConnectTimeout):
            return errors.OcoTimeoutError(
                "%s: no connection within %s seconds; check url and the network, or raise timeout" % (where, self.timeout)), False
        if isinstance(exc, rexc.Timeout):
            return errors.OcoTimeoutError(
                "%s: no answer within %s seconds; raise timeout if the server is slow" % (where, self.timeout)), True
        if isinstance(exc, rexc.ConnectionError):
            lowered = text.lower()
            if "name or service not known" in lowered or "nodename nor servname" in lowered or "failed to resolve" in lowered \
                    or "name resolution" in lowered or "getaddrinfo" in lowered:
                return errors.OcoConnectionError("%s: the host name does not resolve (%s); check url" % (where, text)), False
            if "refused" in lowered or "newconnectionerror" in lowered or "no route" in lowered:
                return errors.OcoConnectionError(
                    "%s: connection refused (%s); check url and that the OCO server is running" % (where, text)), False
            return errors.OcoConnectionError("%s: the connection broke (%s)" % (where, text)), True
        return errors.OcoConnectionError("%s: %s" % (where, text)), True

    def _decode(self, status, reason, body, label):
        where = self._where(label)
        text = body.decode("utf-8", errors="replace") if body else ""
        if status == 200:
            if not text.strip():
                raise errors.OcoProtocolError(
                    "%s: the server sent an empty answer (HTTP 200); old servers do this when a value cannot be "
                    "encoded as JSON" % where)
            try:
                return json.loads(text)
            except ValueError:
                raise errors.OcoProtocolError(
                    "%s: the answer is not JSON (starts with %r); check that url points at the OCO server's "
                    "api-client.php" % (where, self.scrub(text[:80]))) from None
            except RecursionError:
                raise self._too_deep(label) from None
        legacy_answer = self._legacy_error_body(status, text)
        if legacy_answer is not None:
            return legacy_answer
        if status == 405:
            raise errors.OcoApiDisabledError(
                "%s: the client API is disabled on the server (HTTP 405); enable it in the OCO web console "
                "(Settings, client API)" % where, status=status)
        if status == 400:
            lowered = reason.lower()
            if "content" in lowered:
                why = "the server rejected the content type (HTTP 400 %s)" % reason
            else:
                why = ("the server rejected the request body as corrupt (HTTP 400 %s); an upload larger than the "
                       "server's PHP post_max_size also ends this way" % reason).replace(" )", ")")
            raise errors.OcoBadRequestError("%s: %s" % (where, why), status=status)
        if status == 401:
            message = text.strip()
            if message.lower().startswith("http basic auth:"):
                message = message.split(":", 1)[1].strip()
            raise errors.OcoAuthError(self.scrub(
                "%s: login as %r refused (HTTP 401): %s. Check username and password, and that the user's role "
                "allows the client API" % (where, self.username, message or reason or "not authorised")), status=status)
        if status in (301, 302, 303, 307, 308):
            location = self._location
            raise errors.OcoHTTPError(
                "%s: the server redirects (HTTP %d %s) to %s; redirects are not followed (the credentials would go "
                "along): if that is the OCO server, set url to it" % (
                    where, status, reason, split_user_info(location)[0] if location else "no address (no Location header)"),
                status=status)
        if status >= 500:
            raise errors.OcoServerFailure(
                "%s: the server failed with HTTP %d%s; this happens when the server hits an internal error (for "
                "example a PHP type error from a malformed value); see the server's error log"
                % (where, status, (" (%s)" % reason) if reason else ""), status=status)
        raise errors.OcoHTTPError("%s: unexpected HTTP %d %s" % (where, status, reason), status=status)

    @staticmethod
    def _legacy_error_body(status, text):
        """Servers 0.13 to 1.0.2 answer method errors with HTTP 400/403/404 and a JSON body."""
        if status not in (400, 403, 404) or not text.strip().startswith("{"):
            return None
        try:
            answer = json.loads(text)
        except ValueError:
            return None
        if isinstance(answer, dict) and "error" in answer and "jsonrpc" not in answer:
            answer["_http_status"] = status
            return answer
        return None

    def _result(self, answer, method, status, sent=None):
        sent = sent or method
        if not any(key in answer for key in ("jsonrpc", "result", "error")):
            # Not even a legacy answer (those carry result and error): "{}" must not pass for "nothing to say".
            return CallResult(method, None, errors.OcoProtocolError(
                "%s: the answer is a JSON object without result or error (%s); check that url points at the OCO "
                "server's api-client.php and that no proxy rewrites the answers"
                % (self._where(method), self.scrub(json.dumps(answer)[:80]))))
        if "jsonrpc" in answer:
            if self.dialect is None:
                self.dialect = DIALECT_JSONRPC
            error = answer.get("error")
            if isinstance(error, dict):
                return CallResult(method, None, self._rpc_error(method, error.get("code"), error.get("message")))
            if "result" not in answer:
                return CallResult(method, None, errors.OcoProtocolError(
                    self._where(method) + ": the answer has neither result nor error"))
            return self._shaped(method, lambda: self._payload(answer["result"]))
        if self.dialect is None:
            self.dialect = DIALECT_LEGACY
        error = answer.get("error")
        http_status = answer.get("_http_status", status)
        if "_http_status" in answer:
            self.era.at_least((0, 13, 0), "it answers method errors with HTTP %d" % http_status)
        if error:
            code = {404: -32003, 403: -32002}.get(http_status)
            message = str(error)
            if code is None:
                lowered = message.lower()
                if lowered in ("not found", "nicht gefunden"):
                    code = -32003
                elif "api key" in lowered or "permission" in lowered:
                    code = -32002
                elif lowered in _UNKNOWN_METHOD_TEXTS or http_status == 400:
                    code = -32001
                else:
                    code = -32000
                if http_status == 200 and code in (-32003, -32001) and "api key" not in lowered:
                    self.era.older_than((0, 13, 0), "it answers %r with HTTP 200" % message)
            if code == -32001 and message.strip().lower() in _UNKNOWN_METHOD_TEXTS:
                self._learn_method(method, sent, known=False)
            elif code != -32002:
                # Not found, invalid arguments: the method ran, so the server knows it.
                self._learn_method(method, sent, known=True)
            return CallResult(method, None, self._rpc_error(method, code, message, sent))
        self._learn_method(method, sent, known=True)
        result = answer.get("result")
        if isinstance(result, dict) and "success" in result:
            result = result.get("data")
        self.era.learn(method, result)
        return self._shaped(method, lambda: normalize(legacy.normalize_legacy(method, result), keep_secrets=self.keep_secrets))

    def _too_deep(self, label):
        return errors.OcoProtocolError(
            "%s: the answer is JSON nested too deeply to read; no OCO server answers this way, check that url points "
            "at the OCO server's api-client.php" % self._where(label))

    def _shaped(self, method, read):
        """The CallResult of ``read()`` (the normalised data), or the error saying what is wrong with it."""
        try:
            data = read()
        except RecursionError:
            return CallResult(method, None, self._too_deep(method))
        problem = answer_shapes.problem(method, data)
        if problem is None:
            return CallResult(method, data, None)
        return CallResult(method, None, errors.OcoProtocolError(
            "%s: the answer is not what the OCO server sends: %s; check that url points at the OCO server's "
            "api-client.php and that no proxy rewrites the answers" % (self._where(method), self.scrub(problem))))

    def _learn_method(self, method, sent, known):
        """A method name the server knows, or does not, tells about its release."""
        if legacy_name(method) not in (None, method):
            # Renamed in 0.15.0: the old name is gone there, the current one new.
            current = sent == method
            if known == current:
                self.era.at_least(legacy.CURRENT_NAMES, "it %s the method name %s" % ("knows" if known else "does not know", sent))
            else:
                self.era.older_than(legacy.CURRENT_NAMES, "it %s the method name %s" % ("knows" if known else "does not know", sent))
            return
        first = since(method)
        if first is None:
            return
        if known:
            self.era.at_least(first, "it knows the method %s" % sent)
        else:
            self.era.older_than(first, "it does not know the method %s" % sent)

    def _unsupported_method(self, method, first):
        return errors.OcoUnsupportedMethodError(
            "%s; upgrade the server to use it (%s)" % (self.era.lacks(first, "the API method %s" % method), self._where(method)),
            method=method, code=-32001)

    def _payload(self, result):
        # Extension methods put their value straight into result, without success/data.
        if isinstance(result, dict) and "success" in result:
            result = result.get("data")
        return normalize(result, keep_secrets=self.keep_secrets)

    def _rpc_error(self, method, code, message, sent=None):
        message = self.scrub(message if message is not None else "")
        where = self._where(method)
        if code == -32001 and message.strip().lower() in _UNKNOWN_METHOD_TEXTS:
            first = since(method)
            if self.dialect == DIALECT_LEGACY and first is not None and (sent in (None, method) or not self.era.has(first)):
                error = self._unsupported_method(method, first)
                error.server_message = message
                return error
            version = since_text(method)
            era = "a server before 1.0.3" if self.dialect == DIALECT_LEGACY else "this server version"
            text = "%s: the server does not know the method (%s)" % (where, era)
            if version:
                text += "; it appeared in OCO server version %s, upgrade the server to use it" % version
            return errors.OcoUnsupportedMethodError(text, method=method, server_message=message, code=-32001)
        if code == -32002:
            return errors.OcoPermissionError(
                "%s: permission denied (%s). The user's role lacks the right for this object or action, or the "
                "api_key is wrong (the server reports both the same way)" % (where, message),
                method=method, server_message=message)
        if code == -32003:
            return errors.OcoNotFoundError("%s: not found (%s)" % (where, message), method=method, server_message=message)
        if code == -32001:
            return errors.OcoInvalidRequestError("%s: invalid request: %s" % (where, message),
                                                 method=method, server_message=message)
        if code == -32000:
            return errors.OcoServerError("%s: the server reported an error: %s" % (where, message),
                                         method=method, server_message=message)
        return errors.OcoRpcError("%s: error %s: %s" % (where, code, message), method=method, server_message=message, code=code)
