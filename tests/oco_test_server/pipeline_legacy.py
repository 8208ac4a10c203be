"""The api-client.php of OCO server v0.9.0, the first published client API (facts 9.2, spec seed 000).

Differences from `pipeline.py` (servers >= 1.0.3), in processing order:
- the body is validated *before* authentication and must be one JSON object with `jsonrpc` "2.0",
  `method`, `params` (present and not null) and `id`; a JSON array (batch) is a corrupt payload;
- any valid system user may use the API: no role, no `Special\\ClientApi`, no per-object checks,
  no API key;
- the envelope is `{"id", "error": null|"<message>", "result": {"success", "data"}}` without
  `jsonrpc`, HTTP 200 for every method outcome; "Unknown Method" carries no `data`;
- every value is a string (PHP 7), and a value json_encode cannot encode (binary icon bytes) makes
  the whole answer an empty HTTP 200 body.

The methods themselves live in `methods_legacy.py`; they run on the same store as the current ones.
"""

import json
import sqlite3
import time

from . import i18n, methods_legacy, php
from .auth import AuthFailure, basic_credentials, check_password
from .context import CallContext
from .errors import RpcError
from .pipeline import DROP, Response, decode_body

VERSION = '0.9.0'


class AllowAll:
    """v0.9.0 had no permission system: every authenticated user may do everything."""

    def special(self, name):  # pylint: disable=unused-argument
        return True

    def may_create(self, obj_type):  # pylint: disable=unused-argument
        return True

    def may(self, obj_type, method, obj):  # pylint: disable=unused-argument
        return True


def valid_request(item):
    return (isinstance(item, dict) and bool(item) and php.loose_equals_20(item.get('jsonrpc'))
            and item.get('method') is not None and item.get('params') is not None and item.get('id') is not None)


def authenticate(server, header):
    """Login against system users only; a failure raises AuthFailure (401 text body)."""
    username, password = basic_credentials(header)
    if username == '' or password == '':
        raise AuthFailure('username_cannot_be_empty')
    store = server.store
    user = store.row('SELECT id, username, password, locked FROM system_user WHERE username = ?', (username,))
    delay = float(server.auth_failure_delay or 0)
    if user is None:
        time.sleep(delay)
        raise AuthFailure('user_does_not_exist')
    if str(user['locked']) not in ('0', ''):
        time.sleep(delay / 2)
        raise AuthFailure('user_locked')
    if not check_password(user['password'], password):
        time.sleep(delay)
        raise AuthFailure('login_failed')
    return user


def arguments(params):
    """The code read `params.data`, the v0.9.0 document showed the arguments in `params`: both work, `data` wins."""
    if not isinstance(params, dict):
        return {}
    merged = {key: value for key, value in params.items() if key not in ('data', 'api_key')}
    data = params.get('data')
    if isinstance(data, dict):
        merged.update(data)
    return merged


def stringify(value):
    """PHP 7 PDO: every non-null value is a string."""
    if isinstance(value, dict):
        return {key: stringify(item) for key, item in value.items()}
    if isinstance(value, list):
        return [stringify(item) for item in value]
    if isinstance(value, bool):
        return '1' if value else ''
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _no_bytes(value):
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode('utf-8')
        except UnicodeDecodeError:
            pass
    raise TypeError('not JSON serializable')


def encode(answer):
    """json_encode without JSON_PARTIAL_OUTPUT_ON_ERROR: one undecodable byte string empties the answer."""
    try:
        text = json.dumps(answer, ensure_ascii=True, separators=(',', ':'), default=_no_bytes)
    except TypeError:
        return b''
    return text.replace('/', '\\/').encode('ascii')


def success(request_id, data):
    return {'id': request_id, 'error': None, 'result': {'success': True, 'data': stringify(data)}}


def failure(request_id, message):
    return {'id': request_id, 'error': message, 'result': {'success': False, 'data': []}}


def unknown_method(request_id):
    # Hard-coded English in v0.9.0, and without `data`.
    return {'id': request_id, 'error': 'Unknown Method', 'result': {'success': False}}


def execute(server, user, lang, request):
    request_id = request.get('id')
    name = request.get('method')
    func, write = methods_legacy.lookup(name)
    server.counters.call(name if isinstance(name, str) else repr(name), None if func is None else write)
    if func is None:
        return unknown_method(request_id)
    ctx = CallContext(server, user, AllowAll(), lang)
    try:
        with server.store.transaction():
            payload = func(ctx, arguments(request.get('params')))
        return success(request_id, payload)
    except RpcError as exc:
        return failure(request_id, exc.message(i18n.translator(lang)))
    except sqlite3.Error as exc:
        return failure(request_id, str(exc))


def process(server, http_method, headers, body):  # pylint: disable=unused-argument
    if not php.truthy(server.store.setting('client-api-enabled', '0')):
        return Response(405, 'API Disabled')
    if headers.get('Content-Type') != 'application/json':
        return Response(400, 'Content Type Mismatch')
    request = decode_body(body)
    if not valid_request(request):
        return Response(400, 'Payload Corrupt')
    lang = i18n.language(headers.get('Accept-Language'))
    try:
        user = authenticate(server, headers.get('Authorization'))
    except AuthFailure as exc:
        return Response(401, 'Client Not Authorized', exc.body(lang).encode('utf-8'), 'text/html; charset=UTF-8')

    fault = server.faults.take([request.get('method')])
    if fault is not None:
        early = fault.before()
        if early is not None:
            return early
    answer = execute(server, user, lang, request)
    if fault is not None and fault.drops_after():
        return DROP
    return Response(200, 'OK', encode(answer), 'application/json')
