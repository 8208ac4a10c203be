#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_info
short_description: Read the OCO server's version, licence and API dialect
version_added: 1.0.0
description:
  - Calls C(oco.info) on an OCO server and reports its version, licence and the API dialect the
    collection detected.
  - Servers before 1.1.3 have no C(oco.info). On a server before 1.0.3 (the legacy dialect) the module
    then reads a few lists to narrow the release down and reports the range in RV(server.version_at_least)
    and RV(server.version_older_than); RV(server.version) is then null, as such a server does not tell it.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.info_module
options: {}
"""

EXAMPLES = r"""
- name: Read the server version
  oco.oco.oco_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
  register: oco

- name: Show it
  ansible.builtin.debug:
    msg: "OCO {{ oco.server.version }} ({{ oco.dialect }} API)"
"""

RETURN = r"""
dialect:
  description: API dialect of the server, C(jsonrpc) (1.0.3 and later) or C(legacy).
  returned: always
  type: str
  sample: jsonrpc
server:
  description: What C(oco.info) returned; only the version keys on servers that predate it.
  returned: always
  type: dict
  contains:
    version:
      description: Server version; null on a server before 1.1.3, which does not tell it.
      type: str
      sample: 1.2.2
    version_at_least:
      description: Legacy servers (before 1.0.3) only, the oldest release the server's answers allow.
      type: str
      sample: 0.15.2
    version_older_than:
      description: Legacy servers (before 1.0.3) only, the release the server's answers prove it older than.
      type: str
      sample: 1.0.3
    version_evidence:
      description: Legacy servers (before 1.0.3) only, what in the server's answers shows the range.
      type: str
    license_computers:
      description: Number of computers the licence covers.
      type: int
      sample: 20
    license_company:
      description: Licence holder.
      type: str
    license_expiration:
      description: Licence expiry as Unix time, 0 for the free licence.
      type: int
    extensions:
      description: Loaded server extensions, keyed by extension id.
      type: dict
    wol_satellites:
      description: Configured Wake-on-LAN satellites.
      type: list
      elements: dict
    webserver:
      description: Web server software.
      type: str
    database:
      description: Database server version.
      type: str
    php:
      description: PHP version.
      type: str
"""

from ansible_collections.oco.oco.plugins.module_utils import legacy
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_object


def main():
    module = OcoModule(argument_spec={})
    with module.errors():
        info = module.client.info() or {}
        if module.client.dialect == "legacy":
            info = dict(legacy.server_info(module.client.settle_era()), **info)
        info = dict(info, extensions=as_object(info.get("extensions")))
        return module.finish(False, dialect=module.client.dialect, server=info)


if __name__ == "__main__":
    main()
