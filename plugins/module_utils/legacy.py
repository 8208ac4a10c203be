# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Translate between the legacy (pre-1.0.3) API and the current shapes the rest of the code uses.

Servers before 1.0.3 return plain lists where current ones return objects, and older field names
(docs/guides/legacy_servers.rst). Everything above the client sees the current shapes only. The other direction:
arguments a legacy server reads under another name are renamed, and options it does not know
fail here, before anything is sent, instead of being silently ignored by the server.

The legacy dialect spans servers 0.9.0 to 1.0.2, and none of them tells its version (``oco.info``
came in 1.1.3). An ``Era`` narrows the release down from the answers (the shape of a list, the fields
of a kind of row, the HTTP status of an error, whether a method name exists); a request whose form
depends on a release the answers have not settled is sent in a form every candidate reads, or
refused before it is sent, naming the first version that has the feature.
"""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoInvalidRequestError, OcoUnsupportedOptionError

OLDEST = (0, 9, 0)
# The first release with the JSON-RPC 2.0 envelope; every legacy server is older.
CURRENT_ENVELOPE = (1, 0, 3)
# The method names of today exist since 0.15.0 (oco.deploy -> oco.job_container.deploy, ...).
CURRENT_NAMES = (0, 15, 0)
GROUP_LISTS = (0, 15, 2)
FILES_ARGUMENT = (0, 15, 5)
FAMILY_NAME_ARGUMENT = (0, 13, 0)
IP_RANGES_AS_CONSTRAINT = (0, 13, 0)
IP_RANGES_AS_AGENT = (1, 0, 2)

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

# What a row of one kind proves about the release (read from the model classes of each release,
# whose every declared property is in every row): (field, first release that has it, whether its
# absence proves an older release). A field is only read in the kind of row it belongs to: the same
# name in another kind of row may have come at another time.
ROW_EVIDENCE = {
    "computer": (("domain", (0, 9, 2), True), ("force_update", (0, 10, 0), True), ("remote_address", (0, 11, 0), True),
                 ("created_by_system_user_id", (0, 16, 1), False)),
    "network": (("interface", (0, 9, 2), True), ("address", (0, 15, 0), True)),
    "login": (("domain_user_id", (0, 12, 1), True),),
    "installation": (("package_family_name", (0, 11, 0), True),),
    "package": (("install_procedure_post_action", (0, 9, 2), True), ("package_family_name", (0, 13, 0), True),
                ("created_by_system_user_id", (0, 16, 1), True), ("upgrade_behavior", (0, 16, 3), True)),
    "job": (("post_action", (0, 9, 2), True), ("package_family_name", (0, 11, 0), True),
            ("execution_started", (0, 14, 3), True), ("procedure", (0, 15, 0), False)),
    "container": (("agent_ip_ranges", (0, 13, 0), True), ("execution_finished", (0, 14, 3), True),
                  ("created_by_system_user_id", (0, 16, 1), True), ("time_frames", (1, 0, 2), True)),
}
# Fields whose presence proves a release older than the one that removed them: (field, release that
# removed it, whether its absence proves that release).
ROW_REMOVED = {
    "job": (("package_procedure", (0, 15, 0), False),),
    "rule": (("auto_uninstall", (1, 0, 2), True),),
}


def version_text(version):
    return ".".join(str(part) for part in version)


class Era:
    """What the answers of one legacy server have proven about its release.

    No legacy server tells its version (``oco.info`` came in 1.1.3): every answer narrows it down.
    ``floor`` is the oldest release it can be, ``below`` the release it is known to be older than.
    Each bound keeps the reason that proved it, for messages.
    """

    def __init__(self, floor=OLDEST, below=CURRENT_ENVELOPE):
        self.floor = tuple(floor)
        self.below = tuple(below)
        self.floor_why = None
        self.below_why = "it answers in the envelope of the releases before %s" % version_text(CURRENT_ENVELOPE)

    def at_least(self, version, why):
        version = tuple(version)
        if self.floor < version < self.below:
            self.floor, self.floor_why = version, why

    def older_than(self, version, why):
        version = tuple(version)
        if self.floor < version < self.below:
            self.below, self.below_why = version, why

    def has(self, version):
        """True when proven to be at least ``version``, False when proven older, None when unknown."""
        version = tuple(version)
        if self.floor >= version:
            return True
        if self.below <= version:
            return False
        return None

    def describe(self):
        """The release range the answers prove, with the reasons."""
        text = "it speaks the legacy API of the releases before %s" % version_text(CURRENT_ENVELOPE)
        if self.floor > OLDEST or self.below < CURRENT_ENVELOPE:
            text += "; its answers show version %s or later, older than %s" % (version_text(self.floor), version_text(self.below))
            reasons = [why for why in (self.floor_why, self.below_why if self.below < CURRENT_ENVELOPE else None) if why]
            if reasons:
                text += " (%s)" % "; ".join(reasons)
        return text

    def lacks(self, version, feature):
        """The leading sentence for a feature of ``version`` this server is older than or not proven to have."""
        known = self.has(version)
        if known is False:
            lead = "The OCO server is older than version %s, the first version with %s" % (version_text(version), feature)
        else:
            lead = ("The OCO server may predate version %s, the first version with %s: its answers do not prove it has "
                    "it" % (version_text(version), feature))
        return "%s (%s)" % (lead, self.describe())

    def learn(self, method, data):
        """Narrow the release down from the answer ``data`` (raw, before translation) to ``method``."""
        if method in ("oco.computer.list", "oco.package.list"):
            if isinstance(data, list):
                self.older_than(GROUP_LISTS, "its %s answered a plain list" % method)
            elif isinstance(data, dict):
                self.at_least(GROUP_LISTS, "its %s answered an object with groups" % method)
        if method == "oco.computer.list":
            self._rows("computer", data.get("computers") if isinstance(data, dict) else data, method)
        elif method == "oco.computer.get" and isinstance(data, dict):
            if "groups" in data:
                self.at_least(GROUP_LISTS, "its computer.get lists groups")
            elif data:
                self.older_than(GROUP_LISTS, "its computer.get lists no groups")
            self._rows("computer", [data.get("general")], method)
            for key, kind in (("networks", "network"), ("logins", "login"), ("installed_packages", "installation")):
                self._rows(kind, data.get(key), method)
        elif method == "oco.package.list":
            self._rows("package", data.get("packages") if isinstance(data, dict) else data, method)
        elif method == "oco.package.get" and isinstance(data, dict):
            self._rows("package", [data.get("general")], method)
        elif method == "oco.job_container.list":
            self._rows("container", data, method)
        elif method == "oco.job_container.job.list":
            self._rows("job", data, method)
        elif method == "oco.deployment_rule.list":
            self._rows("rule", data, method)

    def _rows(self, kind, rows, method):
        for row in rows if isinstance(rows, list) else []:
            if not isinstance(row, dict):
                continue
            for field, since, absent_proves in ROW_EVIDENCE.get(kind, ()):
                if field in row:
                    self.at_least(since, "its %s rows have %s" % (method, field))
                elif absent_proves:
                    self.older_than(since, "its %s rows lack %s" % (method, field))
            for field, removed, absent_proves in ROW_REMOVED.get(kind, ()):
                if field in row:
                    self.older_than(removed, "its %s rows have %s" % (method, field))
                elif absent_proves:
                    self.at_least(removed, "its %s rows lack %s" % (method, field))


def as_era(era=None, floor=OLDEST):
    """An Era from an Era, or from a bare ``floor`` version (nothing else known)."""
    if isinstance(era, Era):
        return era
    return Era(floor=floor)


# Options of the current API a legacy server may not know: option -> (first version, values that
# mean "not used"). A value outside "not used" on an older server fails instead of being ignored.
_UNUSED_LIST = (None, [], ())
_UNUSED_FLAG = (None, 0, False, "0", "")
_UNUSED_TEXT = (None, "")
NEWER_OPTIONS = {
    "oco.job_container.deploy": {
        "sequence_mode": ((0, 9, 2), _UNUSED_FLAG),
        "priority": ((0, 10, 0), _UNUSED_FLAG),
        "force_install_same_version": ((0, 11, 0), _UNUSED_FLAG),
        "shutdown_waked_after_completion": ((0, 11, 0), _UNUSED_FLAG),
        "computer_report_ids": ((0, 14, 3), _UNUSED_LIST),
        "package_report_ids": ((0, 14, 3), _UNUSED_LIST),
        "agent_ip_ranges": (IP_RANGES_AS_CONSTRAINT, _UNUSED_LIST),
        "time_frames": ((1, 0, 2), _UNUSED_LIST),
    },
    "oco.job_container.uninstall": {
        "sequence_mode": ((0, 9, 2), _UNUSED_FLAG),
        "priority": ((0, 10, 0), _UNUSED_FLAG),
        "shutdown_waked_after_completion": ((0, 11, 0), _UNUSED_FLAG),
        "agent_ip_ranges": (IP_RANGES_AS_CONSTRAINT, _UNUSED_LIST),
    },
    "oco.package.create": {
        "upgrade_behavior": ((0, 16, 3), _UNUSED_FLAG),
        "license_count": ((1, 1, 1), _UNUSED_TEXT),
        "compatible_architecture": ((1, 1, 10), _UNUSED_TEXT),
        "line_endings": ((1, 1, 13), _UNUSED_TEXT),
    },
}
# Options that select what a list returns: an old server ignores them and answers with everything.
FILTER_OPTIONS = {
    "oco.computer.list": ("computer_group_id", GROUP_LISTS),
    "oco.package.list": ("package_group_id", GROUP_LISTS),
}
# `force` arrived in 0.10.0; older servers always delete, so the client checks for pending jobs itself.
FORCE_SINCE = (0, 10, 0)
REMOVE_CHECKS = {"oco.computer.remove": "oco.computer.get", "oco.package.remove": "oco.package.get"}
DELETE_FAILED_ACTIVE_JOBS = ("The object could not be deleted because there are still active jobs referencing this object. "
                             "Please delete the corresponding jobs first, then try again.")

FIRST_FAMILY = "first family"
# Reads that settle a version boundary when a request depends on it: the HTTP status of a "not
# found" (0.13.0), whether the current name of a method exists (0.15.0), the fields of computer,
# job container and deployment rule rows.
PROBES = (
    ((0, 11, 0), "oco.computer.list", {}),
    ((0, 13, 0), "oco.computer.get", {"id": 0}),
    ((0, 15, 0), "oco.job_container.job.list", {"id": 0}),
    ((0, 15, 2), "oco.computer.list", {}),
    ((0, 16, 3), "oco.job_container.list", {}),
    ((1, 0, 2), "oco.job_container.list", {}),
    ((1, 0, 2), "oco.deployment_rule.list", {}),
    # The packages of the first family (its id comes from the family list): author until 0.16.1,
    # upgrade_behavior from 0.16.3.
    ((0, 16, 3), "oco.package.list", {"package_family_id": FIRST_FAMILY}),
)


def _truthy(value):
    return value not in _UNUSED_FLAG


def _used(value, unused):
    return not (value in unused or (isinstance(value, (list, tuple)) and not value))


# ------------------------------------------------------------------ requests

def boundaries(method, data):
    """The versions the translation of this request depends on (for probing them first)."""
    wanted = []
    if isinstance(data, dict):
        for option, (since, unused) in NEWER_OPTIONS.get(method, {}).items():
            if option in data and _used(data[option], unused):
                wanted.append(since)
                if option == "agent_ip_ranges":
                    wanted.append(IP_RANGES_AS_AGENT)
    return wanted


def unsupported_option(method, option, value, since, era):
    return OcoUnsupportedOptionError(
        "%s: option %s=%r needs OCO server %s or later; it would be ignored there. Leave the option at its default or "
        "upgrade the server" % (era.lacks(since, "option %s of %s" % (option, method)), option, value, version_text(since)),
        option=option, since=version_text(since))


def translate_request(method, data, floor=OLDEST, era=None):
    """Arguments in the form the legacy server reads them, as far as its answers tell its release.

    Raises OcoUnsupportedOptionError for an option the server would silently ignore, or could.
    """
    era = as_era(era, floor)
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for option, (since, unused) in NEWER_OPTIONS.get(method, {}).items():
        if option not in data:
            continue
        value = data[option]
        if not _used(value, unused):
            data.pop(option)
        elif era.has(since) is not True:
            raise unsupported_option(method, option, value, since, era)
    if "agent_ip_ranges" in data and method in ("oco.job_container.deploy", "oco.job_container.uninstall"):
        # The parameter was `constraint_ip_ranges` from 0.13.0 until 1.0.2; a server that may be either
        # gets both names and reads the one it knows.
        agent = era.has(IP_RANGES_AS_AGENT)
        if agent is not True:
            data["constraint_ip_ranges"] = data["agent_ip_ranges"]
        if agent is False:
            data.pop("agent_ip_ranges")
    if method == "oco.job_container.deploy" and era.has((0, 13, 3)) is not True:
        for key in ("computer_group_ids", "package_group_ids"):
            ids = data.get(key)
            if isinstance(ids, list) and len(ids) == 1:
                # Before 0.13.3 a single group id of a kind contributed nothing: naming the
                # group twice makes the server expand it, and duplicates collapse there.
                data[key] = ids * 2
    if method == "oco.package.list" and "package_family_id" in data and "id" not in data and era.has(GROUP_LISTS) is not True:
        # Before 0.15.2 the family was `id`; sending both names serves every legacy server.
        data["id"] = data["package_family_id"]
    if method == "oco.package.create" and "package_family_name" in data:
        # `name` until 0.13.0: a server that may be older gets both.
        named = era.has(FAMILY_NAME_ARGUMENT)
        if named is not True:
            data["name"] = data["package_family_name"]
        if named is False:
            data.pop("package_family_name")
    return data


def upload_arguments(data, files, files_key, era):
    """``(data, {key: "list" | "single"})`` for a package upload: ``files`` since 0.15.5, before one
    base64 ``file`` with its ``file_name``; a server that may be either gets both (the same payload)."""
    data = dict(data)
    kinds = {}
    has_files = era.has(FILES_ARGUMENT)
    if has_files is not False:
        kinds[files_key] = "list"
    if has_files is not True and files:
        kinds["file"] = "single"
        data["file_name"] = files[0][0]
    return data, kinds


def method_name(method, legacy_name, era):
    """The name to send: today's since 0.15.0, the old one before; when unknown, the likelier one
    (answers of a release before 0.15.2 most likely come from one before 0.15.0)."""
    if legacy_name in (None, method):
        return method
    known = era.has(CURRENT_NAMES)
    if known is None:
        known = era.has(GROUP_LISTS) is not False
    return method if known else legacy_name


def ignored_filter(method, data, answer):
    """OcoUnsupportedOptionError when an old server answered a filtered list with everything."""
    option, since = FILTER_OPTIONS.get(method, (None, None))
    if option and isinstance(data, dict) and data.get(option) not in (None, "", 0) and isinstance(answer, list):
        era = Era(below=since)
        era.below_why = "its %s answered a plain list" % method
        return OcoUnsupportedOptionError(
            "%s: option %s=%r needs OCO server %s or later; this server ignored it and listed everything"
            % (era.lacks(since, "option %s of %s" % (option, method)), option, data[option], version_text(since)),
            option=option, since=version_text(since))
    return None


def remove_needs_check(method, data, floor=OLDEST, era=None):
    """The read method that tells whether a non-forced remove must be refused, or None."""
    era = as_era(era, floor)
    if method in REMOVE_CHECKS and isinstance(data, dict) and era.has(FORCE_SINCE) is not True \
            and not _truthy(data.get("force", True)):
        return REMOVE_CHECKS[method]
    return None


def refuse_remove_with_pending_jobs(where, details):
    """What a server with `force` answers when ``details`` (computer.get / package.get) lists pending jobs."""
    pending = [job for job in (details or {}).get("pending_jobs") or [] if job.get("state") in PENDING_STATES]
    if pending:
        return OcoInvalidRequestError("%s: invalid request: %s" % (where, DELETE_FAILED_ACTIVE_JOBS),
                                      server_message=DELETE_FAILED_ACTIVE_JOBS)
    return None


def server_info(era):
    """What ``oco_info`` reports of a legacy server: no version, the release range its answers prove."""
    return {"version": None, "version_at_least": version_text(era.floor), "version_older_than": version_text(era.below),
            "version_evidence": era.describe()}


def no_groups(kind, era):
    """Why a server lists no groups of ``kind``: None unless it may predate group lists."""
    if era.has(GROUP_LISTS) is True:
        return None
    return "%s; upgrade the server to use %s groups" % (era.lacks(GROUP_LISTS, "%s groups in the API" % kind), kind)


# ------------------------------------------------------------------ answers

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


def _details(data, converters):
    """A ``*.get`` answer with its sections converted; servers before 0.15.2 send no ``groups``."""
    data = _sections(data, converters)
    if isinstance(data, dict):
        data.setdefault("groups", [])
    return data


def _computer_get(data):
    return _details(data, {
        "networks": lambda rows: _rows(rows, lambda r: _rename(r, NETWORK_RENAMES)),
        "recognised_software": lambda rows: _rows(rows, lambda r: _rename(r, SOFTWARE_RENAMES)),
        "logins": lambda rows: _rows(rows, _rename),
        "installed_packages": lambda rows: _rows(rows, _rename),
        "pending_jobs": lambda rows: _rows(rows, job_row),
    })


def _package_get(data):
    return _details(data, {
        "general": package_row,
        "installations": lambda rows: _rows(rows, _rename),
        "pending_jobs": lambda rows: _rows(rows, job_row),
    })


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
