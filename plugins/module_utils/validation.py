# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local checks of values the server would accept and then misbehave on (dates, priorities, IP ranges,
time frames).

Each function returns the value in the form the server wants, or raises OcoValidationError naming
the option and the value, so that nothing is sent when the input is wrong.
"""

from __future__ import annotations

import ipaddress
import math
import re
from datetime import datetime

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoValidationError

SERVER_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
# Signed INT columns of the server's MariaDB schema (job post_action_timeout, package license_count):
# a larger value makes the server's insert fail after parts of the request were carried out.
INT_MIN, INT_MAX = -2 ** 31, 2 ** 31 - 1
# Agents report exit codes as signed or unsigned 32-bit numbers (Windows uses both, e.g. 3010, -2147024891).
RETURN_CODE_MIN, RETURN_CODE_MAX = -2 ** 31, 2 ** 32 - 1
_TIME_FRAME = re.compile(
    # OCO splits a weekday prefix off at the first space: "MON8:00-9:00" is no time frame there.
    r"^(?P<neg>!)?(?:(?P<day>(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*) \s*)?"
    r"(?P<h1>[0-9]{1,2}):(?P<m1>[0-9]{2})-(?P<h2>[0-9]{1,2}):(?P<m2>[0-9]{2})$", re.IGNORECASE)


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
        try:
            parsed = parsed.astimezone().replace(tzinfo=None)
        except (OverflowError, ValueError, OSError):
            parsed = None
    if parsed is None or not 1000 <= parsed.year <= 9999:
        raise invalid(option, value, "the server stores dates from the year 1000 to 9999")
    # strftime("%Y") drops the leading zeros of early years on some platforms: format by hand.
    return "%04d-%02d-%02d %02d:%02d:%02d" % (parsed.year, parsed.month, parsed.day,
                                              parsed.hour, parsed.minute, parsed.second)


def check_timeout(value, option="timeout"):
    """Seconds per HTTP request: a finite number above 0 (0 would fail every request at once)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise invalid(option, value, "must be a number of seconds") from None
    if not math.isfinite(number) or number <= 0:
        raise invalid(option, value, "must be more than 0 seconds")
    return int(number) if number == int(number) else number


def check_retries(value, option="retries"):
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise invalid(option, value, "must be a whole number, 0 or more") from None
    if number < 0 or number != value and not isinstance(value, str):
        raise invalid(option, value, "must be a whole number, 0 or more")
    return number


def number_range(option, value, low=INT_MIN, high=INT_MAX, why=None):
    """``value`` when it is a finite number from ``low`` to ``high``; None stays None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise invalid(option, value, "must be a finite number")
    if not low <= value <= high:
        raise invalid(option, value, why or "must be from %s to %s" % (low, high))
    return value


def positive_seconds(option, value):
    """A wait between polls: a finite number of seconds above 0 (``nan`` or ``inf`` would crash or hang)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise invalid(option, value, "must be a finite number of seconds, more than 0")
    return value


def restart_timeout(value, option="restart_timeout"):
    if value is None:
        return None
    if value == 0:
        raise invalid(option, value, "the server rejects 0; use minutes >= 1, or a negative value to skip the restart")
    return number_range(option, value, why="the server stores it in a 32-bit column (%d to %d minutes): with more it "
                                           "creates the job container without any job" % (INT_MIN, INT_MAX))


def license_count(value, option="license_count"):
    return number_range(option, value, 0, INT_MAX, why="must be from 0 to %d (the server stores a negative count as "
                                                       "no count, and a larger one does not fit its column)" % INT_MAX)


def return_codes(option, value):
    for code in value or []:
        number_range(option, code, RETURN_CODE_MIN, RETURN_CODE_MAX,
                     why="%s is not a 32-bit exit code (%d to %d)" % (code, RETURN_CODE_MIN, RETURN_CODE_MAX))
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
        day = match.group("day")
        if day and len(day) != 3:
            # The server cuts three letters off and reads the rest as the time: on that weekday the
            # agents' job polling fails, on the others the frame is taken without being checked.
            raise invalid(option, entry, "the server reads only the first three letters of the weekday %r and fails on "
                                         "the rest (on that day agents cannot fetch their jobs, on other days the frame "
                                         "is not checked at all); write %s %s"
                                         % (day, day[:3].upper(), entry.split(None, 1)[1].strip()))
        minutes = []
        for hour, minute in (("h1", "m1"), ("h2", "m2")):
            hours, mins = int(match.group(hour)), int(match.group(minute))
            if hours > 24 or mins > 59 or (hours == 24 and mins):
                raise invalid(option, entry, "times run from 0:00 to 24:00")
            minutes.append(hours * 60 + mins)
        if minutes[0] >= minutes[1]:
            start, end = entry.lstrip("!").rsplit(None, 1)[-1].split("-")
            raise invalid(option, entry, "the start is not before the end, and the server never matches such a frame "
                                         "(the jobs would never run); a frame cannot cross midnight: split it into two, "
                                         "%s-24:00 and 0:00-%s" % (start, end))
    return value


def package_numbers(params, present=True):
    """The number options of a package to create, each within what the server's columns hold."""
    if not present:
        return
    license_count(params["license_count"])
    for option in ("install_procedure_success_return_codes", "uninstall_procedure_success_return_codes"):
        return_codes(option, params[option])
