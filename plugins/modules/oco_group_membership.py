#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_group_membership
short_description: Manage the members of an OCO computer group or package group
version_added: 1.0.0
description:
  - Adds members to, removes members from, or sets the exact member list of one computer group or
    package group.
  - Every member reference is resolved before anything is sent; one that matches no object (or
    more than one) fails the task with the closest existing names.
  - The current members are read once and only the missing additions and removals are sent, in one
    JSON-RPC batch.
  - Groups themselves cannot be created through the OCO API; create them in the OCO web console.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
attributes:
  check_mode:
    support: full
    description: Reports the members that would be added and removed and sends no write request.
  diff_mode:
    support: full
    description: Shows the member list before and after, and the members added and removed.
options:
  type:
    description:
      - Kind of group.
    type: str
    choices: [computer, package]
    required: true
  group:
    description:
      - The group, by name, by path C(Parent/Child), or by integer id.
    type: str
    required: true
  members:
    description:
      - Members to add, remove or keep.
      - Computers are named by host name (compared ignoring case, as the server does) or integer id.
      - Packages are named by integer id, by a dictionary C({family, version}), or by a family name
        alone, which means the newest package of that family.
      - With O(state=exact), an empty list removes every member.
    type: list
    elements: raw
    required: true
  state:
    description:
      - V(present) adds the members that are missing.
      - V(absent) removes the listed members that are in the group.
      - V(exact) adds the missing members and removes every other member.
    type: str
    choices: [present, absent, exact]
    default: present
notes:
  - Adding needs the C(write) right on the group and on each member; removing needs C(write) on the
    group.
  - New package group members are appended at the end of the group's deploy order.
"""

EXAMPLES = r"""
- name: Put two computers into the group Berlin/Office
  oco.oco.oco_group_membership:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    type: computer
    group: Berlin/Office
    members:
      - pc-accounting-07
      - 12                                     # a computer id

- name: The standard software group holds exactly these packages
  oco.oco.oco_group_membership:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    type: package
    group: Standard software
    state: exact
    members:
      - Firefox                                # the newest Firefox package
      - {family: LibreOffice, version: "24.2"}
  register: standard

- name: Show what changed
  ansible.builtin.debug:
    msg: >-
      added {{ standard.added | map(attribute='name') | join(', ') }},
      removed {{ standard.removed | map(attribute='name') | join(', ') }}

- name: Take a computer out of a group
  oco.oco.oco_group_membership:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    type: computer
    group: 7
    members: [pc-old-01]
    state: absent
"""

RETURN = r"""
group:
  description: The group.
  returned: always
  type: dict
  contains:
    id:
      description: Group id.
      type: int
    name:
      description: Group name.
      type: str
    path:
      description: Path of the group from its root group, names joined by C(/).
      type: str
  sample: {id: 4, name: Office, path: Berlin/Office, parent_computer_group_id: 2}
added:
  description: Members added (in check mode, that would be added).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the computer or package.
      type: int
    name:
      description: Host name of the computer, or C(family version) of the package.
      type: str
  sample: [{id: 12, name: pc-accounting-07}]
removed:
  description: Members removed (in check mode, that would be removed), same form as RV(added).
  returned: always
  type: list
  elements: dict
  sample: [{id: 31, name: Firefox 120.0}]
members:
  description: Members of the group afterwards, same form as RV(added).
  returned: always
  type: list
  elements: dict
  sample: [{id: 12, name: pc-accounting-07}, {id: 14, name: pc-accounting-08}]
"""

from ansible_collections.oco.oco.plugins.module_utils.entities import GROUP_KINDS
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoAmbiguousWriteError, OcoError, OcoLookupError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

KINDS = {
    # type: (add method, remove method, member id parameter)
    "computer": ("oco.computer.add_to_group", "oco.computer.remove_from_group", "computer_id"),
    "package": ("oco.package.add_to_group", "oco.package.remove_from_group", "package_id"),
}


def invalid_member(kind, ref):
    """Why ``ref`` cannot name a member of this kind, or None."""
    if isinstance(ref, bool) or ref is None or isinstance(ref, (float, list)):
        return "not a %s reference" % kind
    if isinstance(ref, int):
        return None if ref > 0 else "an id must be a positive integer"
    if isinstance(ref, str):
        return None if ref.strip() else "an empty name"
    if isinstance(ref, dict):
        if kind != "package":
            return "computers are named by host name or id"
        unknown = sorted(set(ref) - {"family", "version"})
        if unknown:
            return "unknown key%s %s; a package is {family: NAME, version: VERSION}" % (
                "" if len(unknown) == 1 else "s", ", ".join(unknown))
        if not isinstance(ref.get("family"), str) or not ref["family"].strip():
            return "a package dictionary needs a family name"
        if not isinstance(ref.get("version"), (str, int, type(None))) or isinstance(ref.get("version"), bool):
            return "the version must be a string (quote versions such as \"1.10\")"
        return None
    return "not a %s reference" % kind


def entry(kind, row):
    """A member as the result shows it."""
    if kind == "computer":
        name = row.get("hostname")
    else:
        name = "%s %s" % (row.get("package_family_name"), row.get("version"))
    return {"id": to_int(row.get("id")), "name": name}


def resolve_members(module, kind, refs, current):
    """Every reference resolved to a member entry; fails naming each one that does not resolve."""
    resolved, problems = {}, []
    for ref in refs:
        if kind == "package" and isinstance(ref, int) and ref in current:
            resolved[ref] = current[ref]
            continue
        try:
            row = module.resolver.computer(ref) if kind == "computer" else module.resolver.package(ref)
        except OcoLookupError as exc:
            problems.append(str(exc))
            continue
        member = entry(kind, row)
        resolved[member["id"]] = member
    if problems:
        raise OcoLookupError("option members: %s" % "; ".join(problems))
    return resolved


def read_members(module, kind, group_id):
    method, id_param, _parent, member_key = GROUP_KINDS[kind]
    data = module.client.call(method, {id_param: group_id}) or {}
    return dict((m["id"], m) for m in (entry(kind, row) for row in as_list(data.get(member_key))))


def plan(state, desired, current):
    """(ids to add, ids to remove)."""
    if state == "absent":
        return [], [i for i in desired if i in current]
    add = [i for i in desired if i not in current]
    remove = [i for i in current if i not in desired] if state == "exact" else []
    return add, remove


def send(module, kind, group, add, remove):
    """Add and remove in one batch; a failure names the group and keeps what succeeded in the result."""
    add_method, remove_method, member_param = KINDS[kind]
    id_param = GROUP_KINDS[kind][1]
    calls = [(add_method, {member_param: i, id_param: group["id"]}) for i in add]
    calls += [(remove_method, {member_param: i, id_param: group["id"]}) for i in remove]
    if not calls:
        return
    failures, done = [], {"added": [], "removed": []}
    for (_method, data), result in zip(calls, module.client.batch(calls)):
        if result.error is None:
            done["added" if result.method == add_method else "removed"].append(data[member_param])
        elif str(result.error) not in failures:
            failures.append(str(result.error))
    if failures:
        module.partial_result["changed"] = bool(done["added"] or done["removed"])
        module.partial_result["added"] = [m for m in module.partial_result["added"] if m["id"] in done["added"]]
        module.partial_result["removed"] = [m for m in module.partial_result["removed"] if m["id"] in done["removed"]]
        raise OcoError("changing the members of %s group %r (id %d) failed: %s" % (
            kind, group["path"], group["id"], "; ".join(failures)))


def labels(members):
    return ["%s (id %d)" % (m["name"], m["id"]) for m in members]


def main():
    module = OcoModule(
        argument_spec=dict(
            type=dict(type="str", choices=list(KINDS), required=True),
            group=dict(type="str", required=True),
            members=dict(type="list", elements="raw", required=True),
            state=dict(type="str", choices=["present", "absent", "exact"], default="present"),
        ),
    )
    kind, state, refs = module.params["type"], module.params["state"], module.params["members"]
    for ref in refs:
        why = invalid_member(kind, ref)
        if why:
            module.fail_option("members", ref, why)
    if not module.params["group"].strip():
        module.fail_option("group", module.params["group"], "a group name, path or id is required")

    with module.errors():
        tree = module.resolver.tree(kind)
        group = tree.resolve(module.params["group"])
        gid = group["id"]
        current = dict((m["id"], m) for m in (entry(kind, row) for row in tree.members.get(gid, [])))
        resolved = resolve_members(module, kind, refs, current)
        add, remove = plan(state, list(resolved), current)
        added = [resolved[i] for i in add]
        removed = [current[i] for i in remove]
        module.partial_result = {"group": group, "added": added, "removed": removed}
        if (add or remove) and not module.check_mode:
            try:
                send(module, kind, group, add, remove)
            except OcoAmbiguousWriteError:
                # Adding and removing are idempotent on the server: what is still missing after a
                # fresh read can be sent once more without doubling anything.
                now = read_members(module, kind, gid)
                send(module, kind, group, [i for i in add if i not in now], [i for i in remove if i in now])
        final = [m for i, m in current.items() if i not in remove] + added
        if kind == "computer":
            final.sort(key=lambda m: (str(m["name"]).casefold(), m["id"]))
        before = {"group": group["path"], "members": labels(current.values())}
        after = {"group": group["path"], "members": labels(final), "added": labels(added), "removed": labels(removed)}
        module.finish(bool(add or remove), before=before, after=after, group=group, added=added, removed=removed,
                      members=final)


if __name__ == "__main__":
    main()
