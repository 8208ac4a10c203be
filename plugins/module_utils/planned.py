# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode across chained tasks: references to objects an earlier task would create.

A play that registers a computer and then puts it into a group, or publishes a package version
and then deploys it, cannot be checked task by task otherwise: in check mode the first task
creates nothing, so the second finds no object of that name. In check mode only, the resolver
therefore takes a name that matches nothing for an object still to be created: it stands for a
placeholder (what the task wrote, id None), the task plans its change around it, and the task
warns once, naming every such reference. Outside check mode the lookup error stays as it is.

What cannot be planned still fails in check mode: malformed references (checked before any
request), names that match several objects, ids that match nothing (an object still to be
created has no id a task could name), and kinds no task can create (see ``PLANNABLE_KINDS``).
"""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoNoMatchError

# The kinds of object a task of this collection creates: oco_computer creates computers, oco_package
# packages (and with the first version, their family). The OCO client API creates no computer
# groups, package groups or reports, so one of those that does not exist is missing in the real
# run as well: check mode keeps failing for it instead of hiding the error.
PLANNABLE_KINDS = ("computer", "package")


def placeholder(kind, ref):
    """The object a reference to a planned ``kind`` stands for: the name as written, id None."""
    if kind == "computer":
        return {"id": None, "hostname": str(ref).strip()}
    family, version = (ref.get("family"), ref.get("version")) if isinstance(ref, dict) else (ref, None)
    return {"id": None, "package_family_name": str(family).strip(), "version": version}


def is_planned(obj):
    """Whether ``obj`` is a placeholder for an object an earlier task would create (no id yet)."""
    return obj.get("id") is None


class PlannedReferences:
    """The references of one task that check mode took for objects still to be created."""

    def __init__(self):
        self.reasons = []     # "option members: no computer matches 'pc-9'", in the order met

    def __bool__(self):
        return bool(self.reasons)

    def assume(self, option, kind, ref, exc):
        """The placeholder for ``ref``, remembering why it was needed (``exc``: the lookup's no-match error)."""
        self.note("option %s: %s" % (option, exc))
        return placeholder(kind, ref)

    def note(self, reason):
        if reason not in self.reasons:
            self.reasons.append(reason)

    def warning(self):
        """The one warning of a task naming every reference taken for a planned object, or None."""
        if not self.reasons:
            return None
        return "in check mode, %s; assuming %s" % (
            "; ".join(self.reasons),
            "an earlier task would create it" if len(self.reasons) == 1 else "earlier tasks would create them")


def missing_installation(resolver, index, entry, computer, installed):
    """The entry ``uninstall[index]`` whose computer has no installation of its package.

    An error naming what is installed; in check mode, where the deploy of an earlier task has not
    run (or the computer or package is still to be created), a placeholder for the installation
    that deploy would record (``installation_id`` None), with the warning of the task.
    """
    have = ", ".join(sorted("%s %s" % (i.get("package_family_name"), i.get("package_version")) for i in installed))
    exc = OcoNoMatchError("uninstall[%d]: computer %r has no installation of package %r (installed: %s)" % (
        index, computer.get("hostname"), entry["package"], have or "none"))
    if not getattr(resolver.client, "check_mode", False):
        raise exc
    if not is_planned(computer):  # else the warning names the computer already
        resolver.planned.note("option %s" % exc)
    ref = entry["package"]
    by_id = isinstance(ref, int) and not isinstance(ref, bool)
    family, version = (ref.get("family"), ref.get("version")) if isinstance(ref, dict) else (None if by_id else ref, None)
    return {"installation_id": None, "computer_id": computer["id"], "hostname": computer.get("hostname"),
            "package_id": ref if by_id else None, "family": family, "version": version}
