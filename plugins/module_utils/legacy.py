# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Translate between the legacy (pre-1.0.3) API and the current shapes the rest of the code uses.

Servers before 1.0.3 return plain lists where current ones return objects, and older field names
(facts 9.2/9.3). Everything above the client sees the current shapes only. The other direction:
arguments a legacy server reads under another name are renamed, and options it does not know
fail here, before anything is sent, instead of being silently ignored by the server.

The legacy dialect spans servers 0.9.0 to 1.0.2, and none of them tells its version (``oco.info``
came in 1.1.3). The client therefore assumes the oldest one until an answer proves otherwise:
``evidence`` reads the minimum version off the fields an answer carries.
"""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoInvalidRequestError, OcoUnsupportedOptionError

OLDEST = (0, 9, 0)

# Field renames that apply wherever the field appears (old name -> current name).
FIELD_RENAMES = {
    "domainuser_id": "domain_user_id",
    "domainuser_username": "domain_user_username",
    "domainuser_display_name": "domain_user_display_name",
    "package_name": "package_family_name",
}
# Renames that depend on the kind of row (the same old name meant different things).
NETWORK_RENAMES = {"addr": "address", "domain": "interface"}
SOFTWARE_RENAMES = {"version": "software_version"}
PACKAGE_RENAMES = {"name": "package_family_name", "author": "created_by_system_user_username", "last_update": "updated"}
CONTAINER_RENAMES = {"author": "created_by_system_user_username", "last_update": "execution_finished"}

POST_ACTION_NONE, POST_ACTION_RESTART, POST_ACTION_SHUTDOWN = 0, 1, 2
PENDING_STATES = ("0", "1", "2", 0, 1, 2)

# A field in an answer proves the server is at least this version (facts 9.3).
EVIDENCE = {
    "install_procedure_post_action": (0, 9, 2),
    "sequence_mode": (0, 9, 2),
    "priority": (0, 10, 0),
    "shutdown_waked_after_completion": (0, 11, 0),
    "domain_user_username": (0, 12, 1),
    "package_family_name": (0, 13, 0),
    "constraint_ip_ranges": (0, 13, 0),
    "download_started": (0, 14, 3),
    "address": (0, 15, 0),
    "created_by_system_user_id": (0, 16, 1),
    "agent_ip_ranges": (1, 0, 2),
    "time_frames": (1, 0, 2),
}

# Options of the current API a legacy server may not know: option -> (first version, values that
# mean "not used"). A value outside "not used" on an older server fails instead of being ignored.
_UNUSED_LIST = (None, [], ())
_UNUSED_FLAG = (None, 0, False, "0", "")
NEWER_OPTIONS = {
    "oco.job_container.deploy": {
        "sequence_mode": ((0, 9, 2), _UNUSED_FLAG),
        "priority": ((0, 10, 0), _UNUSED_FLAG),
        "force_install_same_version": ((0, 11, 0), _UNUSED_FLAG),
        "shutdown_waked_after_completion": ((0, 11, 0), _UNUSED_FLAG),
        "computer_report_ids": ((0, 14, 3), _UNUSED_LIST),
        "package_report_ids": ((0, 14, 3), _UNUSED_LIST),
        "agent_ip_ranges": ((1, 0, 2), _UNUSED_LIST),
        "time_frames": ((1, 0, 2), _UNUSED_LIST),
    },
    "oco.job_container.uninstall": {
        "sequence_mode": ((0, 9, 2), _UNUSED_FLAG),
        "priority": ((0, 10, 0), _UNUSED_FLAG),
        "shutdown_waked_after_completion": ((0, 11, 0), _UNUSED_FLAG),
        "agent_ip_ranges": ((1, 0, 2), _UNUSED_LIST),
    },
}
# Options that select what a list returns: an old server ignores them and answers with everything.
FILTER_OPTIONS = {
    "oco.computer.list": ("computer_group_id", (0, 15, 2)),
    "oco.package.list": ("package_group_id", (0, 15, 2)),
}
# `force` arrived in 0.10.0; older servers always delete, so the client checks for pending jobs itself.
FORCE_SINCE = (0, 10, 0)
REMOVE_CHECKS = {"oco.computer.remove": "oco.computer.get", "oco.package.remove": "oco.package.get"}
DELETE_FAILED_ACTIVE_JOBS = ("The object could not be deleted because there are still active jobs referencing this object. "
                             "Please delete the corresponding jobs first, then try again.")


def version_text(version):
    return ".".join(str(part) for part in version)


def _truthy(value):
    return value not in _UNUSED_FLAG


# ------------------------------------------------------------------ requests

def translate_request(method, data, floor=OLDEST):
    """Arguments in the form a legacy server of at least version ``floor`` reads them.

    Raises OcoUnsupportedOptionError for an option the server would silently ignore.
    """
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for option, (since, unused) in NEWER_OPTIONS.get(method, {}).items():
        if option not in data:
            continue
        value = data[option]
        if value in unused or (isinstance(value, (list, tuple)) and not value):
            data.pop(option)
        elif floor < since:
            raise OcoUnsupportedOptionError(
                "%s: option %s=%r needs OCO server %s or later; this server speaks the API before 1.0.3 and would "
                "ignore it. Leave the option at its default or upgrade the server"
                % (method, option, value, version_text(since)), option=option, since=version_text(since))
    if method in ("oco.job_container.deploy",) and floor < (0, 13, 3):
        for key in ("computer_group_ids", "package_group_ids"):
            ids = data.get(key)
            if isinstance(ids, list) and len(ids) == 1:
                # Before 0.13.3 a single group id of a kind contributed nothing (facts 9.2): naming the
                # group twice makes the server expand it, and duplicates collapse there.
                data[key] = ids * 2
    if method == "oco.package.list" and "package_family_id" in data and "id" not in data:
        # Before 0.15.2 the family was `id`; sending both names serves every legacy server.
        data["id"] = data["package_family_id"]
    return data


def ignored_filter(method, data, answer):
    """OcoUnsupportedOptionError when an old server answered a filtered list with everything."""
    option, since = FILTER_OPTIONS.get(method, (None, None))
    if option and isinstance(data, dict) and data.get(option) not in (None, "", 0) and isinstance(answer, list):
        return OcoUnsupportedOptionError(
            "%s: option %s=%r needs OCO server %s or later; this server ignored it and listed everything"
            % (method, option, data[option], version_text(since)), option=option, since=version_text(since))
    return None


def remove_needs_check(method, data, floor=OLDEST):
    """The read method that tells whether a non-forced remove must be refused, or None."""
    if method in REMOVE_CHECKS and isinstance(data, dict) and floor < FORCE_SINCE and not _truthy(data.get("force", True)):
        return REMOVE_CHECKS[method]
    return None


def refuse_remove_with_pending_jobs(where, details):
    """What a server with `force` answers when ``details`` (computer.get / package.get) lists pending jobs."""
    pending = [job for job in (details or {}).get("pending_jobs") or [] if job.get("state") in PENDING_STATES]
    if pending:
        return OcoInvalidRequestError("%s: invalid request: %s" % (where, DELETE_FAILED_ACTIVE_JOBS),
                                      server_message=DELETE_FAILED_ACTIVE_JOBS)
    return None


# ------------------------------------------------------------------ answers

def evidence(data, floor=OLDEST):
    """The lowest server version the fields of ``data`` prove (at least ``floor``)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                since = EVIDENCE.get(key)
                if since is not None and since > floor:
                    floor = since
                if isinstance(item, (dict, list)):
                    stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
    return floor


def _rename(value, renames=None):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            new = (renames or {}).get(key) or FIELD_RENAMES.get(key, key)
            if new in value and new != key:
                # The current field is already there (a newer server): keep it.
                continue
            out[new] = _rename(item)
        return out
    if isinstance(value, list):
        return [_rename(item, renames) for item in value]
    return value


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _flag_post_action(row, prefix):
    """``<prefix>_restart`` / ``<prefix>_shutdown`` flags (before 0.9.2) -> ``<prefix>_post_action``."""
    restart, shutdown = row.pop(prefix + "_restart", None), row.pop(prefix + "_shutdown", None)
    if restart is None and shutdown is None:
        return
    if (prefix + "_post_action") not in row:
        if _int(restart, 0):
            row[prefix + "_post_action"] = POST_ACTION_RESTART
        elif _int(shutdown, 0):
            row[prefix + "_post_action"] = POST_ACTION_SHUTDOWN
        else:
            row[prefix + "_post_action"] = POST_ACTION_NONE


def package_row(row):
    if not isinstance(row, dict):
        return row
    row = _rename(row, PACKAGE_RENAMES)
    _flag_post_action(row, "install_procedure")
    _flag_post_action(row, "uninstall_procedure")
    return row


def job_row(row):
    """``restart``/``shutdown`` (timeout in minutes or -1) -> ``post_action`` + ``post_action_timeout``."""
    if not isinstance(row, dict):
        return row
    row = _rename(row)
    procedure = row.pop("package_procedure", None)
    if "procedure" not in row or row["procedure"] is None:
        row["procedure"] = procedure
    restart, shutdown = row.pop("restart", None), row.pop("shutdown", None)
    if "post_action" not in row and (restart is not None or shutdown is not None):
        restart, shutdown = _int(restart, -1), _int(shutdown, -1)
        if restart >= 0:
            row["post_action"], row["post_action_timeout"] = POST_ACTION_RESTART, restart
        elif shutdown >= 0:
            row["post_action"], row["post_action_timeout"] = POST_ACTION_SHUTDOWN, shutdown
        else:
            row["post_action"], row["post_action_timeout"] = POST_ACTION_NONE, None
    if "last_update" in row and "execution_finished" not in row:
        # One timestamp for the latest state change (before 0.14.3): it is the finish time once the
        # job has finished, the start of the current step before.
        stamp = row.pop("last_update")
        state = _int(row.get("state"))
        row["download_started"] = stamp if state == 1 else None
        row["execution_started"] = stamp if state == 2 else None
        row["execution_finished"] = stamp if state not in (0, 1, 2, None) else None
    return row


def container_row(row):
    return _rename(row, CONTAINER_RENAMES) if isinstance(row, dict) else row


def _rows(value, convert):
    return [convert(row) for row in value] if isinstance(value, list) else value


def _sections(data, converters):
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key, convert in converters.items():
        if key in data:
            data[key] = convert(data[key])
    return data


def _computer_get(data):
    data = _sections(data, {
        "networks": lambda rows: _rows(rows, lambda r: _rename(r, NETWORK_RENAMES)),
        "recognised_software": lambda rows: _rows(rows, lambda r: _rename(r, SOFTWARE_RENAMES)),
        "logins": lambda rows: _rows(rows, _rename),
        "installed_packages": lambda rows: _rows(rows, _rename),
        "pending_jobs": lambda rows: _rows(rows, job_row),
    })
    if isinstance(data, dict):
        data.setdefault("groups", [])
    return data


def _package_get(data):
    data = _sections(data, {
        "general": package_row,
        "installations": lambda rows: _rows(rows, _rename),
        "pending_jobs": lambda rows: _rows(rows, job_row),
    })
    if isinstance(data, dict):
        data.setdefault("groups", [])
    return data


def _package_list(data):
    if isinstance(data, list):
        packages = _rows(data, package_row)
        name = packages[0].get("package_family_name") if packages and isinstance(packages[0], dict) else None
        return {"name": name, "packages": packages, "groups": []}
    return _sections(data, {"packages": lambda rows: _rows(rows, package_row)})


def normalize_legacy(method, data):
    """Current shape and field names of a legacy answer (raw values; the client normalises types after)."""
    if method == "oco.computer.list":
        if isinstance(data, list):
            return {"computers": data, "groups": []}
        return data
    if method == "oco.computer.get":
        return _computer_get(data)
    if method == "oco.package.list":
        return _package_list(data)
    if method == "oco.package.get":
        return _package_get(data)
    if method == "oco.job_container.list":
        return _rows(data, container_row)
    if method == "oco.job_container.job.list":
        return _rows(data, job_row)
    if method == "oco.report.list" and isinstance(data, list):
        return {"reports": data, "groups": []}
    return _rename(data)
