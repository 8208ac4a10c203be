"""The api-client.php processing steps of servers >= 1.0.3, in the order a real one takes them."""

import json

from . import dispatch, envelope, i18n, php
from .auth import AuthFailure, authenticate
from .errors import PhpFatal

TEAPOT = (
    "I'm a teapot.\n"
    "             ;,'\n"
    "     _o_    ;:;'\n"
    " ,-.'---`.__ ;\n"
    "((j`=====',-'\n"
    " `-\\     /\n"
    "    `-=-'\n"
)


# PHP's default_mimetype: every answer OCO does not give a type of its own (400, 405, 500) carries it.
PHP_CONTENT_TYPE = 'text/html; charset=UTF-8'


class Response:
    """What the transport sends. `drop` closes the connection without any answer."""

    def __init__(self, status=200, reason=None, body=b'', content_type=PHP_CONTENT_TYPE, drop=False):
        self.status = status
        self.reason = reason
        self.body = body
        self.content_type = content_type
        self.drop = drop


DROP = Response(drop=True)


def _reject_constant(name):
    raise ValueError(name)


def decode_body(body):
    """json_decode(assoc): None for anything PHP could not decode."""
    try:
        return json.loads(body.decode('utf-8'), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def valid_request(item):
    return (isinstance(item, dict) and bool(item) and php.loose_equals_20(item.get('jsonrpc'))
            and item.get('method') is not None and item.get('id') is not None)


def _methods_of(decoded):
    items = decoded if isinstance(decoded, list) else [decoded]
    return [item.get('method') for item in items if isinstance(item, dict)]


def process(server, http_method, headers, body):
    store = server.store
    if not php.truthy(store.setting('client-api-enabled', '0')):
        return Response(405, 'API Disabled')
    if http_method.upper() == 'BREW':
        return Response(418, "I'm a teapot", TEAPOT.encode('utf-8'), 'text/plain')
    if headers.get('Content-Type') != 'application/json':
        return Response(400, 'Content Type Mismatch')
    lang = i18n.language(headers.get('Accept-Language'))
    try:
        user, perms = authenticate(server, headers.get('Authorization'))
    except AuthFailure as exc:
        return Response(401, 'Client Not Authorized', exc.body(lang).encode('utf-8'))
    decoded = decode_body(body)
    if php.empty(decoded):
        return Response(400, 'Payload Corrupt')
    if not isinstance(decoded, (list, dict)):
        raise PhpFatal('scalar JSON body')

    fault = server.faults.take(_methods_of(decoded))
    if fault is not None:
        early = fault.before()
        if early is not None:
            return early

    if isinstance(decoded, list):
        answers = []
        for item in decoded:
            if not valid_request(item):
                # Earlier elements already ran and committed; their output is lost.
                return Response(400, 'Payload Corrupt')
            answers.append(dispatch.execute(server, user, perms, lang, item))
        result = answers
    else:
        if not valid_request(decoded):
            return Response(400, 'Payload Corrupt')
        result = dispatch.execute(server, user, perms, lang, decoded)
    if fault is not None:
        fault.hold_answer()
        if fault.drops_after():
            return DROP
    return Response(200, 'OK', envelope.encode(result), 'application/json')
