#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_computer_info
short_description: List computers of an OCO server, optionally with their inventory details
version_added: 1.0.0
description:
  - Lists every computer the user may read, one computer by host name or id, or the members of a
    computer group (optionally including its subgroups).
  - With O(details=true) each computer also carries the sections of C(oco.computer.get)
    (groups, logins, networks, screens, printers, filesystems, recognised software, installed
    packages, pending jobs), read with JSON-RPC batches of O(batch_size) calls.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.info_module
options:
  hostname:
    description:
      - Return only the computer with this host name (compared ignoring case and surrounding spaces).
      - An unknown host name fails the task with the closest existing names.
    type: str
  id:
    description:
      - Return only the computer with this id.
    type: int
  computer_group:
    description:
      - Return the members of this computer group, given by name, path (C(Parent/Child)) or id written
        as a number (a quoted V('12') is a name). A slash inside a group name is written C(\/) in a path.
      - A name shared by several groups fails; name the group by its path or id.
    type: raw
  recurse:
    description:
      - With O(computer_group), also return the members of every subgroup (each computer once).
    type: bool
    default: false
  details:
    description:
      - Add the sections of C(oco.computer.get) to each computer.
    type: bool
    default: false
  batch_size:
    description:
      - Number of C(oco.computer.get) calls sent in one JSON-RPC batch with O(details=true).
      - Servers before 1.0.3 know no batches; there the calls go one by one.
    type: int
    default: 100
  agent_keys:
    description:
      - Also return each computer's C(agent_key) and C(server_key).
      - They are the credentials the OCO agent and server use with each other. Left out by default; when you
        ask for them, keep the result out of logs with C(no_log=true) on the task.
    type: bool
    default: false
notes:
  - Group membership is read with one batch per level of the group tree.
  - Computers the user may not read are not listed.
"""

EXAMPLES = r"""
- name: List every computer
  oco.oco.oco_computer_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
  register: all_computers

- name: One computer with its inventory
  oco.oco.oco_computer_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    hostname: pc-accounting-07
    details: true
  register: pc

- name: Show its IP addresses
  ansible.builtin.debug:
    msg: "{{ pc.computers[0].networks | map(attribute='address') | list }}"

- name: Members of a group and of its subgroups
  oco.oco.oco_computer_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    computer_group: Berlin/Accounting
    recurse: true
  register: accounting
"""

RETURN = r"""
computers:
  description:
    - The computers, ordered by host name; C(agent_key) and C(server_key) only with O(agent_keys=true).
    - Empty when a group has no members.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 12
      hostname: pc-accounting-07
      os: Windows 11 Pro
      last_ping: "2026-12-01 09:30:00"
      networks:
        - address: 192.0.2.17
          mac: "00:11:22:33:44:55"
  contains:
    id:
      description: Id of the computer.
      type: int
    hostname:
      description: Host name.
      type: str
    os:
      description: Operating system the agent reported (empty for pre-registered computers).
      type: str
    last_ping:
      description: Last agent contact, C(null) for pre-registered computers.
      type: str
    notes:
      description: Notes of the computer.
      type: str
    created_by_system_user_username:
      description: User who created the computer; only with O(details=true).
      type: str
    groups:
      description: Groups the computer is a direct member of (id, parent_computer_group_id, name).
      returned: with O(details=true)
      type: list
      elements: dict
    logins:
      description: Domain user logins, newest first, one row per user.
      returned: with O(details=true)
      type: list
      elements: dict
    networks:
      description: Network interfaces (address, netmask, broadcast, mac, interface).
      returned: with O(details=true)
      type: list
      elements: dict
    screens:
      description: Screens.
      returned: with O(details=true)
      type: list
      elements: dict
    printers:
      description: Printers.
      returned: with O(details=true)
      type: list
      elements: dict
    filesystems:
      description: File systems.
      returned: with O(details=true)
      type: list
      elements: dict
    recognised_software:
      description: Software the agent found.
      returned: with O(details=true)
      type: list
      elements: dict
    installed_packages:
      description: Installation records; their C(id) is what M(oco.oco.oco_installation) takes.
      returned: with O(details=true)
      type: list
      elements: dict
    pending_jobs:
      description: Jobs in state 0, 1 or 2 from job containers and deployment rules.
      returned: with O(details=true)
      type: list
      elements: dict
computer_group:
  description: The group named in O(computer_group), with its path.
  returned: when O(computer_group) is set
  type: dict
  sample:
    id: 4
    name: Accounting
    parent_computer_group_id: 2
    path: Berlin/Accounting
"""

from ansible_collections.oco.oco.plugins.module_utils.client import batch_size_problem
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list

SECTIONS = ("groups", "logins", "networks", "screens", "printers", "filesystems", "recognised_software",
            "installed_packages", "pending_jobs")


def group_members(module, ref, recurse):
    tree = module.resolver.tree("computer")
    group = tree.resolve(ref)
    ids = tree.descendants(group["id"]) if recurse else [group["id"]]
    members = {}
    for gid in ids:
        for computer in tree.members.get(gid, []):
            members.setdefault(computer["id"], computer)
    return group, members.values()


def with_details(module, computers, batch_size):
    details = module.client.read_each("oco.computer.get", [computer["id"] for computer in computers], batch_size=batch_size)
    result = []
    for computer in computers:
        if computer["id"] not in details:
            continue  # removed between the list and the details: it no longer exists
        data = details[computer["id"]] or {}
        merged = dict(computer)
        merged.update(data.get("general") or {})
        for section in SECTIONS:
            merged[section] = as_list(data.get(section))
        result.append(merged)
    return result


ARGUMENT_SPEC = dict(
    hostname=dict(type="str"),
    id=dict(type="int"),
    computer_group=dict(type="raw"),
    recurse=dict(type="bool", default=False),
    details=dict(type="bool", default=False),
    batch_size=dict(type="int", default=100),
    agent_keys=dict(type="bool", default=False, no_log=False),
)


def main():
    module = OcoModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("hostname", "id", "computer_group")],
        keep_secrets=lambda params: params["agent_keys"],
    )
    params = module.params
    if batch_size_problem(params["batch_size"]):
        module.fail_option("batch_size", params["batch_size"], batch_size_problem(params["batch_size"]))
    if params["recurse"] and params["computer_group"] is None:
        module.fail_option("recurse", params["recurse"], "only valid together with computer_group")
    if params["hostname"] is not None and not params["hostname"].strip():
        module.fail_option("hostname", params["hostname"], "a host name cannot be empty")
    extra = {}
    with module.errors():
        if params["hostname"] is not None:
            computers = [module.resolver.computer(params["hostname"])]
        elif params["id"] is not None:
            computers = [module.resolver.computer(params["id"])]
        elif params["computer_group"] is not None:
            group, computers = group_members(module, params["computer_group"], params["recurse"])
            extra["computer_group"] = group
        else:
            computers = module.resolver.computers()
        computers = sorted(computers, key=lambda c: (str(c.get("hostname") or "").casefold(), c["id"]))
        if params["details"]:
            computers = with_details(module, computers, params["batch_size"])
        return module.finish(False, computers=computers, **extra)


if __name__ == "__main__":
    main()
