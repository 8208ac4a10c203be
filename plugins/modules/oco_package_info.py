#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_package_info
short_description: List package families and packages of an OCO server
version_added: 1.0.0
description:
  - Without options, lists every package family the user may read.
  - With O(family), lists the packages of that family; with O(package_group), the packages of that
    group in the group's order.
  - With O(id), or O(family) and O(version), returns one package with the details of
    C(oco.package.get) (its groups, installation records and pending jobs).
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.info_module
options:
  family:
    description:
      - Name of a package family (compared ignoring case). Alone, lists its packages; with
        O(version), selects one package.
      - An unknown family fails the task with the closest existing names.
    type: str
  version:
    description:
      - Version of the package in O(family) to return with its details.
    type: str
  id:
    description:
      - Id of the package to return with its details.
    type: int
  package_group:
    description:
      - List the packages of this package group, given by name, path (C(Parent/Child)) or id written
        as a number (a quoted V('12') is a name). A slash inside a group name is written C(\/) in a path.
    type: raw
"""

EXAMPLES = r"""
- name: List every package family
  oco.oco.oco_package_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
  register: families

- name: List the packages of one family
  oco.oco.oco_package_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    family: Firefox
  register: firefox

- name: One package with its installations
  oco.oco.oco_package_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    family: Firefox
    version: "128.0"
  register: firefox_128

- name: Show where it is installed
  ansible.builtin.debug:
    msg: "{{ firefox_128.package.installations | map(attribute='computer_hostname') | list }}"

- name: Packages of a package group
  oco.oco.oco_package_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    package_group: Baseline/Office
  register: office
"""

RETURN = r"""
families:
  description: Every package family the user may read, ordered by name.
  returned: without O(family), O(id) and O(package_group)
  type: list
  elements: dict
  sample:
    - id: 3
      name: Firefox
      notes: ""
      license_count: null
      package_count: 2
      install_count: 14
  contains:
    id:
      description: Id of the family.
      type: int
    name:
      description: Name of the family.
      type: str
    package_count:
      description: Number of packages in the family.
      type: int
    install_count:
      description: Number of installation records of its packages.
      type: int
packages:
  description:
    - Packages of O(family) (in id order) or of O(package_group) (in the group's order).
    - Empty when the family or group holds no package.
  returned: with O(family) alone or O(package_group)
  type: list
  elements: dict
  sample:
    - id: 7
      package_family_id: 3
      package_family_name: Firefox
      version: "128.0"
      install_procedure: firefox-setup.exe /S
  contains:
    id:
      description: Id of the package.
      type: int
    version:
      description: Version of the package.
      type: str
    package_family_id:
      description: Id of its family.
      type: int
    package_family_name:
      description: Name of its family.
      type: str
family:
  description: The family named in O(family).
  returned: with O(family)
  type: dict
package_group:
  description: The group named in O(package_group), with its path.
  returned: with O(package_group)
  type: dict
package:
  description:
    - The package named by O(id) or by O(family) and O(version), with the fields of the package list
      and the sections C(groups), C(installations) and C(pending_jobs).
  returned: with O(id), or O(family) and O(version)
  type: dict
  sample:
    id: 7
    version: "128.0"
    package_family_name: Firefox
    groups: [{id: 2, name: Office, parent_package_group_id: 1}]
    installations: [{id: 31, computer_id: 12, computer_hostname: pc-accounting-07, package_id: 7}]
    pending_jobs: []
  contains:
    groups:
      description: Package groups the package is a direct member of.
      type: list
      elements: dict
    installations:
      description: Installation records (id, computer_id, computer_hostname, installed...).
      type: list
      elements: dict
    pending_jobs:
      description: Jobs of this package in state 0, 1 or 2, from job containers and deployment rules.
      type: list
      elements: dict
"""

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError, OcoNotFoundError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list

SECTIONS = ("groups", "installations", "pending_jobs")


def package_details(module, package_id):
    try:
        data = module.client.call("oco.package.get", {"id": package_id}) or {}
    except OcoNotFoundError:
        raise OcoLookupError("no package has id %d" % package_id) from None
    package = dict(data.get("general") or {})
    for section in SECTIONS:
        package[section] = as_list(data.get(section))
    return package


ARGUMENT_SPEC = dict(
    family=dict(type="str"),
    version=dict(type="str"),
    id=dict(type="int"),
    package_group=dict(type="raw"),
)


def main():
    module = OcoModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[("id", "family", "package_group")],
        required_by={"version": "family"},
    )
    params = module.params
    for option in ("family", "version"):
        if params[option] is not None and not params[option].strip():
            module.fail_option(option, params[option], "cannot be empty")
    resolver = module.resolver
    with module.errors():
        if params["id"] is not None:
            return module.finish(False, package=package_details(module, params["id"]))
        if params["family"] is not None and params["version"] is not None:
            found = resolver.package({"family": params["family"], "version": params["version"]})
            return module.finish(False, family=resolver.family(params["family"]), package=package_details(module, found["id"]))
        if params["family"] is not None:
            family = resolver.family(params["family"])
            return module.finish(False, family=family, packages=resolver.family_packages(family["id"]))
        if params["package_group"] is not None:
            tree = resolver.tree("package")
            group = tree.resolve(params["package_group"])
            return module.finish(False, package_group=group, packages=tree.members.get(group["id"], []))
        return module.finish(False, families=resolver.families())


if __name__ == "__main__":
    main()
