"""PHP value semantics the real server applies to request parameters.

The OCO server reads parameters with `??`, `empty()`, `intval()` and loose comparisons; a faithful
double has to reproduce exactly those conversions, including the surprising ones (the string
"false" is truthy, "0" is empty).
"""

import math
import re

from .errors import PhpFatal

# ASCII digits only, as PHP: Python's \d would also take other scripts' digits.
_NUMERIC = re.compile(r'^[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*$')
_LEADING_INT = re.compile(r'^[ \t\n\r\v\f]*([+-]?\d+)')
_TRIM = ' \t\n\r\0\x0b'


def arg(data, key, default=None):
    """`$data[key] ?? default`: the default applies to a missing key and to JSON null."""
    value = data.get(key) if isinstance(data, dict) else None
    return default if value is None else value


def empty(value):
    """PHP `empty()`."""
    if value is None or value is False:
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value == 0
    if isinstance(value, str):
        return value in ('', '0')
    if isinstance(value, (list, dict)):
        return not value
    return False


def truthy(value):
    """PHP boolean conversion (`if ($x)`)."""
    return not empty(value)


def is_numeric(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value))


def intval(value):
    """PHP `intval()`."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    if isinstance(value, str):
        if is_numeric(value):
            try:
                return int(float(value))
            except (ValueError, OverflowError):
                return 0
        match = _LEADING_INT.match(value)
        return int(match.group(1)) if match else 0
    return 1 if value else 0


def loose_equals_20(value):
    """`$request['jsonrpc'] == '2.0'` under PHP 8 comparison rules."""
    if value is True:
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == 2
    if isinstance(value, str):
        return value == '2.0' or (is_numeric(value) and float(value) == 2.0)
    return False


def strval(value):
    """String conversion as PHP does it when a parameter reaches a string function or SQL."""
    if value is None or value is False:
        return ''
    if value is True:
        return '1'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        # trim()/base64_decode() on an array is a TypeError in PHP 8: the request dies with 500.
        raise PhpFatal('string expected, array given')
    return str(value)


def trim(value):
    return strval(value).strip(_TRIM)


def id_like(value):
    """Ids are bound to SQL as given; values SQL cannot bind never match a row."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, float, str)):
        return value
    return None
