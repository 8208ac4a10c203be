#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_report_info
short_description: List the reports of an OCO server or run one
version_added: 1.0.0
description:
  - Without options, lists every report the user may read and the root report groups.
  - With O(report_group), lists the reports and the child groups of that group.
  - With O(report), returns that report; with O(execute=true) also its rows
    (C(oco.report.execute), a read-only C(SELECT) the server rolls back).
  - Report and group names are the ones the server shows, so predefined ones appear translated
    (for example C(Predefined)).
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.info_module
options:
  report:
    description:
      - The report, by name (compared as the server compares names, ignoring case and accents) or id
        written as a number (a quoted V('12') is a name).
      - An unknown name fails the task with the closest existing names.
    type: raw
  report_group:
    description:
      - The report group whose reports and child groups to list, by name, path (C(Parent/Child)) or id
        written as a number. A slash inside a group name is written C(\/) in a path.
    type: raw
  execute:
    description:
      - Run O(report) and return its rows.
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: List every report and the root report groups
  oco.oco.oco_report_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
  register: reports

- name: Reports of the predefined group
  oco.oco.oco_report_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    report_group: Predefined
  register: predefined

- name: Run a report
  oco.oco.oco_report_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    report: Pre-Registered Computers
    execute: true
  register: preregistered

- name: Show the host names it found
  ansible.builtin.debug:
    msg: "{{ preregistered.rows | map(attribute='hostname') | list }}"
"""

RETURN = r"""
reports:
  description:
    - The reports of O(report_group), all readable reports without it, or just O(report).
    - Each has C(id), C(report_group_id), C(name), C(notes) and C(query).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1000
      report_group_id: 1000
      name: Windows computers
      notes: ""
      query: SELECT id AS computer_id, hostname FROM computer WHERE os LIKE 'Windows%'
report_groups:
  description: The child groups of O(report_group), or the root groups without it.
  returned: unless O(report) is set
  type: list
  elements: dict
  sample:
    - id: 1
      name: Predefined
      parent_report_group_id: null
report_group:
  description: The group named in O(report_group), with its path.
  returned: with O(report_group)
  type: dict
report:
  description: The report named in O(report).
  returned: with O(report)
  type: dict
rows:
  description: The rows of O(report), one dict per row (column alias -> value); empty when it found nothing.
  returned: with O(execute=true)
  type: list
  elements: dict
  sample:
    - computer_id: 12
      hostname: pc-accounting-07
"""

from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list


ARGUMENT_SPEC = dict(
    report=dict(type="raw"),
    report_group=dict(type="raw"),
    execute=dict(type="bool", default=False),
)


def main():
    module = OcoModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("report", "report_group")],
        required_if=[("execute", True, ("report",))],
    )
    params = module.params
    resolver = module.resolver
    with module.errors():
        if params["report"] is not None:
            report = resolver.report(params["report"])
            extra = {}
            if params["execute"]:
                extra["rows"] = as_list(module.client.call("oco.report.execute", {"id": report["id"]}))
            return module.finish(False, report=report, reports=[report], **extra)
        if params["report_group"] is not None:
            tree = resolver.tree("report")
            group = tree.resolve(params["report_group"])
            children = [tree.groups[cid] for cid in tree.children.get(group["id"], [])]
            return module.finish(False, report_group=group, reports=tree.members.get(group["id"], []), report_groups=children)
        listing = resolver.report_list()
        return module.finish(False, reports=as_list(listing.get("reports")), report_groups=as_list(listing.get("groups")))


if __name__ == "__main__":
    main()
