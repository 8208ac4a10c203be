"""One JSON-RPC request: API key, method lookup, counters, transaction, error mapping."""

import sqlite3

from . import envelope, i18n, registry
from .context import CallContext
from .errors import InvalidRequest, PermissionDenied, PhpFatal, RpcError

# Used when the setting row is missing, exactly like the PHP default.
DEFAULT_API_KEY = '<randomly-generated-by-setup>'


def api_key_ok(store, params):
    configured = store.setting('client-api-key', DEFAULT_API_KEY)
    if configured == '':
        return True
    given = params.get('api_key', '') if isinstance(params, dict) else ''
    return isinstance(given, str) and given == configured


def php_array(value):
    """json_decode(assoc) makes every JSON object a PHP array: echoed back, an empty one is `[]`."""
    if isinstance(value, dict):
        return {key: php_array(item) for key, item in value.items()} if value else []
    if isinstance(value, list):
        return [php_array(item) for item in value]
    return value


def execute(server, user, perms, lang, request):
    """Run one validated request dict and return its response object. PhpFatal propagates (HTTP 500)."""
    request_id = php_array(request.get('id'))
    params = request.get('params')
    params = params if isinstance(params, dict) else {}
    data = params.get('data')
    data = data if isinstance(data, dict) else {}
    translate = i18n.translator(lang)
    try:
        if not api_key_ok(server.store, params):
            raise PermissionDenied()
        name = request.get('method')
        spec = registry.lookup(name)
        server.counters.call(name if isinstance(name, str) else repr(name), None if spec is None else spec.write)
        if spec is None:
            raise InvalidRequest('unknown_method')
        # A stepped agent clock (agent.py) advances here, so the call already sees the step.
        registry.before_call(server, name)
        ctx = CallContext(server, user, perms, lang)
        with server.store.transaction():
            payload = spec.func(ctx, data)
        return envelope.success(request_id, payload)
    except RpcError as exc:
        return envelope.failure(request_id, exc.code, exc.message(translate))
    except PhpFatal:
        raise
    except sqlite3.Error as exc:
        # PDOException text reaches the client verbatim.
        return envelope.failure(request_id, -32000, str(exc))
