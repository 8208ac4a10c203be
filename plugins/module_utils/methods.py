# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OCO client API methods: which ones write, what they were called before 1.0.3, since when.

The client consults this table to refuse writes in check mode, to decide what may be retried and
to translate method names for servers that speak the legacy (pre-1.0.3) dialect.
"""

from __future__ import annotations

from collections import namedtuple

Method = namedtuple("Method", ["name", "write", "legacy_name", "since"])

# since: first server release that has the method; (0, 9, 0) = the first API.
_TABLE = (
    ("oco.info", False, None, (1, 1, 3)),
    ("oco.computer.list", False, "oco.computer.list", (0, 9, 0)),
    ("oco.computer.get", False, "oco.computer.get", (0, 9, 0)),
    ("oco.computer.create", True, "oco.computer.create", (0, 9, 0)),
    ("oco.computer.wol", True, "oco.computer.wol", (0, 9, 0)),
    ("oco.computer.remove", True, "oco.computer.remove", (0, 9, 0)),
    ("oco.computer.add_to_group", True, "oco.computer.add_to_group", (0, 15, 2)),
    ("oco.computer.remove_from_group", True, "oco.computer.remove_from_group", (0, 15, 2)),
    ("oco.package_family.list", False, "oco.package_family.list", (0, 9, 0)),
    ("oco.package.list", False, "oco.package.list", (0, 9, 0)),
    ("oco.package.get", False, "oco.package.get", (0, 9, 0)),
    ("oco.package.create", True, "oco.package.create", (0, 9, 2)),
    ("oco.package.remove", True, "oco.package.remove", (0, 9, 0)),
    ("oco.package.add_to_group", True, "oco.package.add_to_group", (0, 15, 2)),
    ("oco.package.remove_from_group", True, "oco.package.remove_from_group", (0, 15, 2)),
    ("oco.job_container.list", False, "oco.job_container.list", (0, 9, 0)),
    ("oco.job_container.job.list", False, "oco.job.list", (0, 9, 0)),
    ("oco.job_container.deploy", True, "oco.deploy", (0, 9, 0)),
    ("oco.job_container.uninstall", True, "oco.uninstall", (0, 9, 0)),
    ("oco.remove_installation_assignment", True, "oco.remove_installation_assignment", (0, 9, 0)),
    ("oco.job_container.remove", True, "oco.job_container.remove", (0, 9, 0)),
    ("oco.job_container.job.remove", True, "oco.job.remove", (0, 9, 0)),
    ("oco.deployment_rule.list", False, None, (0, 15, 2)),
    ("oco.deployment_rule.job.list", False, None, (0, 15, 2)),
    ("oco.report.list", False, None, (0, 15, 2)),
    ("oco.report.execute", False, "oco.report.execute", (0, 9, 0)),
)

METHODS = {row[0]: Method(*row) for row in _TABLE}
# The same methods under the names servers before 1.0.3 know them by (oco.deploy, oco.job.remove...).
LEGACY_METHODS = {row[2]: Method(*row) for row in _TABLE if row[2] is not None}


def lookup(method):
    """The Method for a current or a legacy name; None for a method this table does not know."""
    return METHODS.get(method) or LEGACY_METHODS.get(method)


def is_write(method, read_only_methods=()):
    """A method is a write unless the table says otherwise or the caller declared it read-only.

    Unknown methods (server extensions) count as writes: sending one in check mode could change
    something we know nothing about.
    """
    if method in read_only_methods:
        return False
    known = lookup(method)
    return True if known is None else known.write


def legacy_name(method):
    """The name a pre-1.0.3 server knows the method by, or None when it has no such method."""
    known = METHODS.get(method)
    if known is None:
        return method
    return known.legacy_name


def since_text(method):
    known = METHODS.get(method)
    if known is None:
        return None
    return ".".join(str(part) for part in known.since)


def since(method):
    """The first release that has the method, or None for a method the table does not know."""
    known = METHODS.get(method)
    return None if known is None else known.since
