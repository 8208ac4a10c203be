# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local checks of values the server would accept and then misbehave on (facts 4.2, 4.5).

Each function returns the value in the form the server wants, or raises OcoValidationError naming
the option and the value, so that nothing is sent when the input is wrong.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoValidationError

SERVER_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_TIME_FRAME = re.compile(
    # OCO splits a weekday prefix off at the first space: "MON8:00-9:00" is no time frame there.
    r"^(?P<neg>!)?(?:(?P<day>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*) \s*)?"
    r"(?P<h1>\d{1,2}):(?P<m1>\d{2})-(?P<h2>\d{1,2}):(?P<m2>\d{2})$", re.IGNORECASE)


def invalid(option, value, why):
    return OcoValidationError("invalid option %s=%r: %s" % (option, value, why))


def server_date(option, value):
    """``YYYY-MM-DD HH:MM:SS`` or ISO 8601 -> the server's ``YYYY-MM-DD HH:MM:SS``.

    A value with a UTC offset is converted to the local time of the machine running the module,
    because the server stores and compares dates without a zone.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        raise invalid(option, value, "a date is required, as YYYY-MM-DD HH:MM:SS or ISO 8601")
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise invalid(option, value, "not a date; use YYYY-MM-DD HH:MM:SS or ISO 8601 such as 2026-12-24T18:00:00+01:00") from None
    if len(text) == 10:
        parsed = parsed.replace(hour=0, minute=0, second=0)
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone().replace(tzinfo=None)
    return parsed.strftime(SERVER_DATE_FORMAT)


def restart_timeout(value, option="restart_timeout"):
    if value is None:
        return None
    if value == 0:
        raise invalid(option, value, "the server rejects 0; use minutes >= 1, or a negative value to skip the restart")
    return value


def priority(value, option="priority"):
    if value is None:
        return None
    if not -100 <= value <= 100:
        raise invalid(option, value, "must be between -100 and 100")
    return value


def string_list(option, value):
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise invalid(option, value, "must be a list of strings, not a single string")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise invalid(option, value, "every entry must be a non-empty string (%r is not)" % (item,))
    return [item.strip() for item in value]


def ip_ranges(value, option="agent_ip_ranges"):
    """``[!]address[/bits]`` entries, IPv4 or IPv6."""
    value = string_list(option, value)
    if value is None:
        return None
    for entry in value:
        body = entry[1:] if entry.startswith("!") else entry
        address, _slash, mask = body.partition("/")
        try:
            parsed = ipaddress.ip_address(address.strip())
        except ValueError:
            raise invalid(option, entry, "not an IP address or range like 10.0.0.0/8 or !192.168.1.10") from None
        if _slash:
            limit = 32 if parsed.version == 4 else 128
            if not re.fullmatch(r"[0-9]+", mask) or int(mask) > limit:
                raise invalid(option, entry, "the prefix length after / must be a number from 0 to %d" % limit)
    return value


def time_frames(value, option="time_frames"):
    """``[!][WEEKDAY ]H:MM-H:MM`` entries without spaces around the dash."""
    value = string_list(option, value)
    if value is None:
        return None
    for entry in value:
        match = _TIME_FRAME.match(entry)
        if not match:
            raise invalid(option, entry, "use [!][MON..SUN ]H:MM-H:MM, e.g. 8:00-17:30 or !SAT 0:00-23:59 (no spaces around -)")
        for hour, minute in (("h1", "m1"), ("h2", "m2")):
            hours, minutes = int(match.group(hour)), int(match.group(minute))
            if hours > 24 or minutes > 59 or (hours == 24 and minutes):
                raise invalid(option, entry, "times run from 0:00 to 24:00")
    return value
