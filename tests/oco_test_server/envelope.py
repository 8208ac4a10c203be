"""Response envelope and JSON encoding of the JSON-RPC 2.0 dialect (servers >= 1.0.3).

A legacy dialect provides the same three functions with its own shapes.
"""

import json


def _bytes_to_text(value):
    # json_encode with JSON_PARTIAL_OUTPUT_ON_ERROR turns invalid UTF-8 (binary icons) into null.
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode('utf-8')
        except UnicodeDecodeError:
            return None
    raise TypeError('not JSON serializable: %r' % type(value))


def encode(obj):
    """PHP json_encode: `\\/` for slashes, `\\uXXXX` for non-ASCII, compact separators."""
    text = json.dumps(obj, ensure_ascii=True, separators=(',', ':'), default=_bytes_to_text)
    return text.replace('/', '\\/').encode('ascii')


def success(request_id, data):
    return {'jsonrpc': '2.0', 'id': request_id, 'result': {'success': True, 'data': data}}


def failure(request_id, code, message):
    return {'jsonrpc': '2.0', 'id': request_id, 'error': {'code': code, 'message': message, 'data': None}}
