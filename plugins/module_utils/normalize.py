# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn what the server sends into one predictable shape.

Servers on PHP <= 8.0 send every database value as a string and ids from create calls are always
strings; empty objects arrive as ``[]`` (PHP empty array). Computers carry ``agent_key`` and
``server_key``, which are credentials of the agent and never belong in a task result.
"""

from __future__ import annotations

import re

SECRET_FIELDS = frozenset(("agent_key", "server_key"))

# Integer columns besides "id" and "*_id" (a server on PHP before 8.1 sends them as strings). TEXT columns that look numeric
# (ram, secure_boot, os_license, os_locale, dpi, screen size, version, *_success_return_codes)
# are deliberately absent: the server itself keeps them strings.
INT_FIELDS = frozenset((
    "uptime", "force_update", "battery_status", "state", "return_code", "sequence", "priority",
    "enabled", "wol_sent", "sequence_mode", "self_service", "shutdown_waked_after_completion",
    "is_uninstall", "download", "post_action", "post_action_timeout", "upgrade_behavior",
    "install_procedure_post_action", "uninstall_procedure_post_action", "download_for_uninstall",
    "license_count", "package_count", "install_count", "logon_amount", "nic_number", "active",
    "package_group_member_sequence", "license_computers", "license_expiration", "wol_shutdown_set_flag",
    "job_container_enabled", "job_container_priority", "job_container_self_service",
    "job_container_sequence_mode", "deployment_rule_enabled", "deployment_rule_priority",
    "deployment_rule_sequence_mode", "installed_procedure_post_action", "encrypted",
))
FLOAT_FIELDS = frozenset(("battery_level", "agent_timestamp", "download_progress"))

# ASCII digits to the very end: \d and $ would also take other scripts' digits and a trailing newline.
_INT_RE = re.compile(r"\A-?[0-9]+\Z")
_FLOAT_RE = re.compile(r"\A-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?\Z")


def _is_int_field(key):
    return key == "id" or key.endswith("_id") or key in INT_FIELDS


def _convert(key, value):
    if isinstance(value, str):
        if _is_int_field(key) and _INT_RE.match(value):
            return int(value)
        if key in FLOAT_FIELDS and _FLOAT_RE.match(value):
            return float(value)
    return value


def normalize(value, keep_secrets=False):
    """Return a copy of ``value`` with integer fields as ints and agent secrets removed."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            if not keep_secrets and key in SECRET_FIELDS:
                continue
            if isinstance(item, (dict, list)):
                result[key] = normalize(item, keep_secrets)
            else:
                result[key] = _convert(key, item)
        return result
    if isinstance(value, list):
        return [normalize(item, keep_secrets) for item in value]
    return value


def as_object(value):
    """PHP serialises an empty associative array as ``[]``: read it as an empty object."""
    if value is None or value == []:
        return {}
    return value


def as_list(value):
    if value is None or value == {}:
        return []
    return value


def to_int(value, default=None):
    """An id as int, whatever type the server used; ``default`` when there is none."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT_RE.match(value.strip()):
        return int(value.strip())
    return default
