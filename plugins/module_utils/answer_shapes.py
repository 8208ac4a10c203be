# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape of the ``data`` each read method answers with (as a real server sends it), checked once in the client.

An answer of another shape (a list where an object belongs, a string for an id, rows that are not
objects) comes from a proxy, another application or a broken server. Checked here, it fails with
one message naming the method and what was wrong, instead of a Python error deep in a module,
the inventory plugin or the lookup. ``null`` passes wherever a list or an object is expected: the
server sends it for empty values, and every reader treats it as empty. An empty list passes as an
empty object (PHP sends an empty array for both).
"""

from __future__ import annotations

ROWS = "rows"          # a list of objects, each with an integer id when it has one
OBJECT = "object"      # an object (or PHP's empty array), with an integer id when it has one
CREATED = "created"    # an object with the integer id of what was created (null for an uninstall)

_GET_COMPUTER = {"general": OBJECT, "groups": ROWS, "logins": ROWS, "networks": ROWS, "screens": ROWS,
                 "printers": ROWS, "filesystems": ROWS, "recognised_software": ROWS, "installed_packages": ROWS,
                 "pending_jobs": ROWS}

SHAPES = {
    "oco.info": OBJECT,
    "oco.computer.list": {"computers": ROWS, "groups": ROWS},
    "oco.computer.get": _GET_COMPUTER,
    "oco.computer.create": CREATED,
    "oco.package_family.list": ROWS,
    "oco.package.list": {"packages": ROWS, "groups": ROWS},
    "oco.package.get": {"general": OBJECT, "groups": ROWS, "installations": ROWS, "pending_jobs": ROWS},
    "oco.package.create": CREATED,
    "oco.job_container.list": ROWS,
    "oco.job_container.job.list": ROWS,
    "oco.job_container.deploy": CREATED,
    "oco.job_container.uninstall": CREATED,
    "oco.deployment_rule.list": ROWS,
    "oco.deployment_rule.job.list": ROWS,
    "oco.report.list": {"reports": ROWS, "groups": ROWS},
    "oco.report.execute": ROWS,
}


def _kind(value):
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string (%r)" % value[:40]
    return "%s (%r)" % (type(value).__name__, value)


def _check_id(where, row):
    # null ids are real: aggregated login rows and the answer to an uninstall carry them.
    value = row.get("id")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return "%s has %s as its id, not a number" % (where, _kind(value))
    return None


def _check(where, value, shape):
    if value is None:
        return None
    if isinstance(shape, dict):
        if value == []:
            return None
        if not isinstance(value, dict):
            return "%s is %s where an object belongs" % (where, _kind(value))
        for key, inner in shape.items():
            problem = _check("%s.%s" % (where, key), value.get(key), inner)
            if problem:
                return problem
        return None
    if shape == ROWS:
        if not isinstance(value, list):
            return "%s is %s where a list belongs" % (where, _kind(value))
        for index, row in enumerate(value):
            if not isinstance(row, dict):
                return "%s[%d] is %s where an object belongs" % (where, index, _kind(row))
            problem = _check_id("%s[%d]" % (where, index), row)
            if problem:
                return problem
        return None
    if value == []:
        return None if shape == OBJECT else "%s is an empty list where an object with an id belongs" % where
    if not isinstance(value, dict):
        return "%s is %s where an object belongs" % (where, _kind(value))
    return _check_id(where, value)


def problem(method, data):
    """Why ``data`` (normalised) is not what ``method`` answers, or None. Unknown methods pass."""
    shape = SHAPES.get(method)
    if shape is None:
        return None
    return _check("data", data, shape)
