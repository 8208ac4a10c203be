"""The api-client.php of the legacy releases 0.9.0 to 1.0.2 (README.md, "Legacy mode").

`server.era` (eras.py) says which release; v0.9.0, the first published client API, is the default.
Differences from `pipeline.py` (servers >= 1.0.3), in processing order:
- the body is validated *before* authentication and must be one JSON object with `jsonrpc` "2.0",
  `method`, `params` (present and not null) and `id`; a JSON array (batch) is a corrupt payload;
- before 0.13.0 any valid system user may use the API: no role, no `Special\\ClientApi`, no
  per-object checks; since 0.13.0 the role decides, as on current servers;
- since 0.9.2 a configured API key must be given: a wrong one is answered (after login) with HTTP 200
  and `"error": "Invalid API Key"`;
- the envelope is `{"id", "error": null|"<message>", "result": {"success", "data"}}` without
  `jsonrpc`; before 0.13.0 HTTP 200 for every method outcome and "Unknown Method" carries no
  `data`; since 0.13.0 not found, permission and invalid request are HTTP 404, 403 and 400 with
  `"result": {"success": false}`; from 0.15.2 a successful package.list has no `error` key;
- every value is a string (PHP 7) unless the server runs with `legacy_ints` (PHP 8), and before
  0.11.0 a value json_encode cannot encode (binary icon bytes) makes the whole answer an empty
  HTTP 200 body.

The methods themselves live in `methods_legacy.py`; they run on the same store as the current ones.
"""

import json
import sqlite3

from . import i18n, methods_legacy, php
from .auth import AuthFailure, login
from .auth import authenticate as authenticate_with_role
from .context import CallContext
from .dispatch import api_key_ok
from .errors import InvalidRequest, NotFound, PermissionDenied, RpcError
from .pipeline import DROP, Response, decode_body

VERSION = '0.9.0'
# Method errors with their own HTTP status since 0.13.0.
ERROR_STATUS = ((NotFound, 404, 'Not Found'), (PermissionDenied, 403, 'Forbidden'), (InvalidRequest, 400, 'Invalid Request'))


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
    """(user, permissions); a failure raises AuthFailure (401 text body). Roles came with 0.13.0."""
    if server.era.has('permissions'):
        return authenticate_with_role(server, header)
    # Before roles, any system user who can log in may use the API.
    return login(server, header), AllowAll()


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


def _null_bytes(value):
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode('utf-8')
        except UnicodeDecodeError:
            return None
    raise TypeError('not JSON serializable')


def encode(answer, partial=False):
    """json_encode; without JSON_PARTIAL_OUTPUT_ON_ERROR (before 0.11.0) one undecodable byte string
    empties the answer, with it (since 0.11.0) the value becomes null."""
    try:
        text = json.dumps(answer, ensure_ascii=True, separators=(',', ':'), default=_null_bytes if partial else _no_bytes)
    except TypeError:
        return b''
    return text.replace('/', '\\/').encode('ascii')


def values(server, data):
    """PHP 7 answers every value as a string; a legacy server on PHP 8 (`legacy_ints`) keeps numbers."""
    return data if server.legacy_ints else stringify(data)


def success(request_id, data):
    return {'id': request_id, 'error': None, 'result': {'success': True, 'data': stringify(data)}}


def failure(request_id, message):
    return {'id': request_id, 'error': message, 'result': {'success': False, 'data': []}}


def unknown_method(request_id):
    # Hard-coded English in v0.9.0, and without `data`.
    return {'id': request_id, 'error': 'Unknown Method', 'result': {'success': False}}


def invalid_api_key(request_id):
    return {'id': request_id, 'error': 'Invalid API Key', 'result': {'success': False, 'data': []}}


def execute(server, user, perms, lang, request):
    """(HTTP status, reason, answer) of one request."""
    era = server.era
    request_id = request.get('id')
    name = request.get('method')
    func, write = methods_legacy.lookup(name, era)
    server.counters.call(name if isinstance(name, str) else repr(name), None if func is None else write)
    translate = i18n.translator(lang)
    if func is None and not era.has('http_error_status'):
        return 200, 'OK', unknown_method(request_id)
    ctx = CallContext(server, user, perms, lang)
    try:
        if func is None:
            raise InvalidRequest('unknown_method')
        with server.store.transaction():
            payload = func(ctx, arguments(request.get('params')), era)
        answer = {'id': request_id, 'error': None, 'result': {'success': True, 'data': values(server, payload)}}
        if name == 'oco.package.list' and era.has('group_lists'):
            # The rewritten package.list of 0.15.2 forgot to set `error` on success (until 1.0.3).
            del answer['error']
        return 200, 'OK', answer
    except RpcError as exc:
        message = exc.message(translate)
        if era.has('http_error_status'):
            for kind, status, reason in ERROR_STATUS:
                if isinstance(exc, kind):
                    return status, reason, {'id': request_id, 'error': message, 'result': {'success': False}}
            return 200, 'OK', {'id': request_id, 'error': message, 'result': {'success': False}}
        return 200, 'OK', failure(request_id, message)
    except sqlite3.Error as exc:
        return 200, 'OK', failure(request_id, str(exc))


def process(server, http_method, headers, body):  # pylint: disable=unused-argument
    era = server.era
    if not php.truthy(server.store.setting('client-api-enabled', '0')):
        return Response(405, 'API Disabled')
    if headers.get('Content-Type') != 'application/json':
        return Response(400, 'Content Type Mismatch')
    request = decode_body(body)
    if not valid_request(request):
        return Response(400, 'Payload Corrupt')
    lang = i18n.language(headers.get('Accept-Language'))
    try:
        user, perms = authenticate(server, headers.get('Authorization'))
    except AuthFailure as exc:
        return Response(401, 'Client Not Authorized', exc.body(lang).encode('utf-8'), 'text/html; charset=UTF-8')

    fault = server.faults.take([request.get('method')])
    if fault is not None:
        early = fault.before()
        if early is not None:
            return early
    if era.has('api_key') and not api_key_ok(server.store, request.get('params')):
        status, reason, answer = 200, 'OK', invalid_api_key(request.get('id'))
    else:
        status, reason, answer = execute(server, user, perms, lang, request)
    if fault is not None and fault.drops_after():
        return DROP
    return Response(status, reason, encode(answer, partial=era.has('partial_json')), 'application/json')
