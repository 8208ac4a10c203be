#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_installation
short_description: Remove the record that a package is installed on a computer
version_added: 1.0.0
description:
  - Removes installation records (C(oco.remove_installation_assignment)), for software that was
    removed outside OCO. Nothing happens on the computer and no job is created; use
    M(oco.oco.oco_job_container) with C(uninstall) to really uninstall a package.
  - The record is named by O(computer) and O(package), or by its O(id) (the C(id) of an entry of
    C(installed_packages) in M(oco.oco.oco_computer_info) or of C(installations) in
    M(oco.oco.oco_package_info)).
  - Removing the record makes the server re-evaluate the deployment rules of the computer's groups,
    which may create a new install job for the package.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.CHANGES
attributes:
  diff_mode:
    support: full
    description: Shows the record before and nothing after.
options:
  computer:
    description:
      - The computer, by host name or by id written as a number. Requires O(package).
    type: raw
  package:
    description:
      - The package, by id written as a number, as C({family, version}), or a family name alone.
      - A family name alone (or C({family}) without version) names every installed version of that
        family on the computer, as the C(uninstall) option of M(oco.oco.oco_job_container) does.
        Requires O(computer).
    type: raw
  id:
    description:
      - Id of the installation record.
      - Finding it reads the installation records of every computer the user may read, in
        JSON-RPC batches.
    type: int
  state:
    description:
      - Only V(absent) is supported; OCO records installations itself when install jobs succeed.
    type: str
    choices: [absent]
    default: absent
notes:
  - Removing a record needs the C(write) right on both the computer and the package.
  - A computer or package that does not exist fails the task with the closest names; a record that
    does not exist (any more) is not a change. In check mode such a name is taken for an object an
    earlier task would create, which has no record yet; the task warns and reports no change.
"""

EXAMPLES = r"""
- name: Forget that Firefox 128.0 is installed on a computer
  oco.oco.oco_installation:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    computer: pc-accounting-07
    package:
      family: Firefox
      version: "128.0"
    state: absent

- name: Remove an installation record by its id
  oco.oco.oco_installation:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    id: 31
    state: absent
"""

RETURN = r"""
installations:
  description:
    - The records that were removed (in check mode, that would be removed); empty when there were none.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 31
      computer_id: 12
      computer_hostname: pc-accounting-07
      package_id: 7
      package_family_name: Firefox
      package_version: "128.0"
      installed: "2026-11-30 17:02:11"
  contains:
    id:
      description: Id of the record.
      type: int
    computer_id:
      description: Id of the computer.
      type: int
    package_id:
      description: Id of the package.
      type: int
    installed:
      description: When the installation was recorded.
      type: str
"""

from ansible_collections.oco.oco.plugins.module_utils.ensure import Entity, Runner
from ansible_collections.oco.oco.plugins.module_utils.installations import installations_of
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list
from ansible_collections.oco.oco.plugins.module_utils.planned import is_planned


class Installation(Entity):
    """An installation record: found through its computer, whose details list the records."""

    # The server records installations itself (jobs, agent reports); this module only removes them,
    # found by computer and package or by record id.
    find = create = None

    def __init__(self, client):
        self.client = client

    def label(self, obj):
        return "installation %s (package id %s on computer id %s)" % (obj.get("id"), obj.get("package_id"), obj.get("computer_id"))

    def records_of(self, computer_id):
        return as_list((self.client.call("oco.computer.get", {"id": computer_id}) or {}).get("installed_packages"))

    def records_by_id(self, record_id, computers):
        """The record with this id, searched through the installation records of every computer."""
        for details in self.client.read_each("oco.computer.get", [c["id"] for c in computers]).values():
            for record in as_list((details or {}).get("installed_packages")):
                if record.get("id") == record_id:
                    return [record]
        return []

    def remove(self, obj, force=False):
        self.client.call("oco.remove_installation_assignment", {"id": obj["id"]})

    def gone(self, obj):
        return obj["id"] not in [r.get("id") for r in self.records_of(obj["computer_id"])]


ARGUMENT_SPEC = dict(
    computer=dict(type="raw"),
    package=dict(type="raw"),
    id=dict(type="int"),
    state=dict(type="str", choices=["absent"], default="absent"),
)


def main():
    module = OcoModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("id", "computer"), ("id", "package")],
        required_together=[("computer", "package")],
        required_one_of=[("id", "computer")],
    )
    params = module.params
    if params["id"] is None:
        module.check_references("computer", "computer", [params["computer"]])
        module.check_references("package", "package", [params["package"]])
    with module.errors():
        entity = Installation(module.client)
        if params["id"] is not None:
            records = entity.records_by_id(params["id"], module.resolver.computers())
        else:
            found = module.resolver.resolve_options([("computer", "computer", [params["computer"]]),
                                                     ("package", "package", [params["package"]])])
            computer, package = found["computer"][0], found["package"][0]
            # One an earlier task would create (check mode only) has no installation records yet: nothing to remove.
            records = [] if is_planned(computer) or is_planned(package) else installations_of(
                entity.records_of(computer["id"]), params["package"])
        module.partial_result = {"installations": records}
        runner, removed = Runner(module, entity), []
        for record in records:
            if runner.remove_once(record):  # False: removed meanwhile by someone else, the goal is reached
                removed.append(record)
                module.partial_result = {"installations": removed}
        before = {"installations": removed} if removed else None
        return module.finish(bool(removed), before, {"installations": []} if removed else None, installations=removed)


if __name__ == "__main__":
    main()
