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
  - In check mode a member name that matches no object is taken for a computer or package an
    earlier task would create; it is listed in RV(added) with C(id) null and the task warns.
    The group itself must exist, in check mode too.
  - The current members are read once and only the missing additions and removals are sent, in one
    JSON-RPC batch.
  - Groups themselves cannot be created through the OCO API; create them in the OCO web console.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.CHANGES
attributes:
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
      - The group, by name, by path C(Parent/Child), or by id written as a number (a quoted V('12')
        is a name). A slash inside a group name is written C(\/) in a path.
    type: raw
    required: true
  members:
    description:
      - Members to add, remove or keep.
      - Computers are named by host name (compared as the server compares them, ignoring case,
        accents and surrounding spaces) or by id written as a number; a quoted V('12') is a host name.
      - Packages are named by id written as a number, by a dictionary C({family, version}), or by a family name
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

from ansible_collections.oco.oco.plugins.module_utils.ensure import MemberSet, Runner, member_plan
from ansible_collections.oco.oco.plugins.module_utils.entities import GROUP_KINDS
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

KINDS = {
    # type: (add method, remove method, member id parameter)
    "computer": ("oco.computer.add_to_group", "oco.computer.remove_from_group", "computer_id"),
    "package": ("oco.package.add_to_group", "oco.package.remove_from_group", "package_id"),
}
ARGUMENT_SPEC = dict(
    type=dict(type="str", choices=list(KINDS), required=True),
    group=dict(type="raw", required=True),
    members=dict(type="list", elements="raw", required=True),
    state=dict(type="str", choices=["present", "absent", "exact"], default="present"),
)


def members_by_id(kind, rows):
    """``{id: {id, name}}``: members as the result shows them (a computer's host name, a package's family and version)."""
    entries = ({"id": to_int(row.get("id")), "name": row.get("hostname") if kind == "computer" else
                "%s %s" % (row.get("package_family_name"), row.get("version"))} for row in as_list(rows))
    return dict((entry["id"], entry) for entry in entries)


def resolve_members(module, kind, refs, current):
    """Every reference resolved to a member entry, in order; a package id already a member needs no read.

    Keyed by id; a member an earlier task would create (check mode only, id None) by its name.
    """
    known = [ref for ref in refs if kind == "package" and isinstance(ref, int) and ref in current]
    rows = iter(module.resolver.resolve_many("members", kind, [ref for ref in refs if ref not in known]))
    entries = [current[ref] if ref in known else members_by_id(kind, [next(rows)]).popitem()[1] for ref in refs]
    return dict((entry["name"] if entry["id"] is None else entry["id"], entry) for entry in entries)


def member_set(module, kind, group):
    (add_method, remove_method, member_param), (method, id_param, _parent, member_key) = KINDS[kind], GROUP_KINDS[kind]
    return MemberSet(
        "%s group %r (id %d)" % (kind, group["path"], group["id"]),
        add=lambda member_id: (add_method, {member_param: member_id, id_param: group["id"]}),
        remove=lambda member_id: (remove_method, {member_param: member_id, id_param: group["id"]}),
        read=lambda: members_by_id(kind, (module.client.call(method, {id_param: group["id"]}) or {}).get(member_key)))


def labels(members):
    return ["%s (id %d)" % (m["name"], m["id"]) if m["id"] is not None else "%s (to be created)" % m["name"] for m in members]


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC)
    kind, state, refs = module.params["type"], module.params["state"], module.params["members"]
    module.check_references("members", kind, refs)
    module.check_references("group", "group", [module.params["group"]])
    with module.errors():
        tree = module.resolver.tree(kind)
        group = tree.resolve(module.params["group"])
        current = members_by_id(kind, tree.members.get(group["id"], []))
        resolved = resolve_members(module, kind, refs, current)
        add, remove = member_plan(state, list(resolved), current)
        added, removed = [resolved[i] for i in add], [current[i] for i in remove]
        module.partial_result = {"group": group, "added": added, "removed": removed}
        Runner(module, None).sync_members(member_set(module, kind, group), add, remove)
        final = [m for i, m in current.items() if i not in remove] + added
        if kind == "computer":
            final.sort(key=lambda m: (str(m["name"]).casefold(), m["id"]))
        before = {"group": group["path"], "members": labels(current.values())}
        after = {"group": group["path"], "members": labels(final), "added": labels(added), "removed": labels(removed)}
        return module.finish(bool(add or remove), before, after, group=group, added=added, removed=removed, members=final)


if __name__ == "__main__":
    main()
