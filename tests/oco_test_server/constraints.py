"""`agent_ip_ranges` and `time_frames` of job containers: syntax at deploy time, matching for agents."""

import ipaddress
import re

from . import php
from .errors import PhpFatal, ServerError

WEEKDAYS = ('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN')
_FRAME = re.compile(r'^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$')


def entries(value, name):
    """Trimmed non-blank string entries; a parameter that is not a JSON list/object is a PHP TypeError (HTTP 500)."""
    if value is None:
        return []
    if not isinstance(value, (list, dict)):
        raise PhpFatal('%s must be of type array' % name)
    found = []
    for item in (value.values() if isinstance(value, dict) else value):
        if isinstance(item, str) and not php.empty(php.trim(item)):
            found.append(php.trim(item))
    return found


def _network(entry):
    """The network an entry names; invalid addresses are -32000, broken masks crash the request."""
    address, slash, mask = entry.lstrip('!').partition('/')
    if slash and not php.is_numeric(mask):
        # PHP 8 refuses arithmetic on a non-numeric string: a TypeError, no JSON answer.
        raise PhpFatal('unsupported operand types for netmask %r' % mask)
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError as exc:
        raise ServerError('invalid_ip_address') from exc
    bits = int(float(mask)) if slash else ip.max_prefixlen
    # The mask is not range-checked by OCO; clamp only so matching below stays defined.
    bits = min(max(bits, 0), ip.max_prefixlen)
    return ipaddress.ip_network('%s/%d' % (ip, bits), strict=False)


def _weekday_rest(entry):
    """(weekday or None, remaining text) of a time frame without its `!`."""
    head, _sep, tail = entry.partition(' ')
    if head[:3].upper() in WEEKDAYS:
        return head[:3].upper(), tail.strip()
    return None, entry


def check_time_frame(entry, today):
    """OCO only looks further at an entry whose weekday (if any) is today; `today` is 'MON'..'SUN'."""
    weekday, rest = _weekday_rest(entry.lstrip('!'))
    if weekday is not None and weekday != today:
        return
    if not _FRAME.match(rest):
        raise ServerError('invalid_time_input')


def compile_ip_ranges(value):
    found = entries(value, 'agent_ip_ranges')
    for entry in found:
        _network(entry)
    return ', '.join(found) if found else None


def compile_time_frames(value, now):
    found = entries(value, 'time_frames')
    for entry in found:
        check_time_frame(entry, WEEKDAYS[now.weekday()])
    return ', '.join(found) if found else None


def _first_match(stored, matches):
    """No constraint: allowed. Otherwise the first matching entry decides; no match blocks."""
    items = [i.strip() for i in (stored or '').split(',') if i.strip()]
    if not items:
        return True
    for item in items:
        if matches(item.lstrip('!')):
            return not item.startswith('!')
    return False


def ip_allowed(stored, remote_address):
    def matches(entry):
        try:
            return ipaddress.ip_address((remote_address or '').strip()) in _network(entry)
        except (ValueError, ServerError, PhpFatal):
            return False
    return _first_match(stored, matches)


def time_allowed(stored, now):
    def matches(entry):
        weekday, rest = _weekday_rest(entry)
        found = _FRAME.match(rest)
        if found is None or (weekday is not None and weekday != WEEKDAYS[now.weekday()]):
            return False
        start_h, start_m, end_h, end_m = (int(g) for g in found.groups())
        minute = now.hour * 60 + now.minute
        return start_h * 60 + start_m <= minute <= end_h * 60 + end_m
    return _first_match(stored, matches)
