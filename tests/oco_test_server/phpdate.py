"""Date handling of deploy/uninstall: PHP `strtotime` for validation, MariaDB DATETIME for storage.

OCO validates `date_start`/`date_end` with `strtotime` but stores the strings verbatim; values PHP
understands and MariaDB rejects (`now`, `tomorrow`, ISO with `Z`) therefore fail as SQL errors.
"""

import re
from datetime import datetime, timedelta, timezone

from .errors import ServerError

FORMAT = '%Y-%m-%d %H:%M:%S'
_ABSOLUTE = re.compile(r'^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?'
                       r'\s*(Z|[+-]\d{2}:?\d{2})?$', re.IGNORECASE)
_MARIADB = re.compile(r'^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.\d+)?)?)?$')
_RELATIVE = re.compile(r'([+-]?\d+)\s*(sec|second|min|minute|hour|day|week)s?\b', re.IGNORECASE)
_UNITS = {'sec': 1, 'second': 1, 'min': 60, 'minute': 60, 'hour': 3600, 'day': 86400, 'week': 604800}
_WORDS = {'now': 0, 'today': None, 'midnight': None, 'tomorrow': 1, 'yesterday': -1}


def now():
    return datetime.now().replace(microsecond=0)


def _absolute(match):
    year, month, day, hour, minute, second, zone = match.groups()
    value = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if zone:
        offset = timedelta(0) if zone.upper() == 'Z' else timedelta(
            hours=int(zone[1:3]), minutes=int(zone[-2:])) * (1 if zone[0] == '+' else -1)
        value = value.replace(tzinfo=timezone(offset)).astimezone().replace(tzinfo=None)
    return value


def _relative(lowered, base):
    """`now`, `today`, `tomorrow`, `yesterday`, `midnight` and `+N unit` sequences."""
    if lowered in _WORDS:
        days = _WORDS[lowered]
        if days == 0:
            return base
        return base.replace(hour=0, minute=0, second=0) + timedelta(days=days or 0)
    rest = _RELATIVE.sub('', lowered).strip()
    if rest in ('', 'now') and _RELATIVE.search(lowered):
        return base + timedelta(seconds=sum(int(n) * _UNITS[u.lower()] for n, u in _RELATIVE.findall(lowered)))
    return None


def strtotime(text, base=None):
    """A datetime for what PHP's strtotime accepts in practice here, else None (strtotime === false)."""
    if not isinstance(text, str):
        text = '' if text is None or isinstance(text, (list, dict, bool)) else str(text)
    text = text.strip()
    match = _ABSOLUTE.match(text)
    if match:
        try:
            return _absolute(match)
        except (ValueError, OverflowError):
            return None
    if text.startswith('@') and text[1:].lstrip('-').isdigit():
        return datetime.fromtimestamp(int(text[1:]))
    return _relative(text.lower(), base or now()) if text else None


def to_column(text, column):
    """The DATETIME value MariaDB stores for `text` (strict mode: anything else is an SQL error)."""
    match = _MARIADB.match(text.strip()) if isinstance(text, str) else None
    try:
        if match is None:
            raise ValueError(text)
        year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
        return datetime(year, month, day, hour, minute, second).strftime(FORMAT)
    except ValueError as exc:
        raise ServerError(text="SQLSTATE[22007]: Invalid datetime format: 1292 Incorrect datetime value: '%s' for column "
                               "`oco`.`job_container`.`%s` at row 1" % (text, column)) from exc


def parse_column(value):
    """A stored DATETIME string as datetime (None stays None)."""
    return None if value is None else datetime.strptime(str(value)[:19], FORMAT)


def at(value=None):
    """`value` (a DATETIME string or None for the wall clock) as datetime: housekeeping and agents take a fake now."""
    if value is None:
        return now()
    parsed = strtotime(value)
    if parsed is None:
        raise ValueError('unparseable time %r' % (value,))
    return parsed
