#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_rpc
short_description: Call any method of the OCO client API
version_added: 1.0.0
description:
  - Sends one JSON-RPC call to the OCO server and returns its C(data), for methods that no other
    module of this collection wraps, such as methods added by server extensions.
  - The call goes through the same client as every module (authentication, API key, dialect
    detection, retries of reads, error messages); C(agent_key) and C(server_key) are removed from
    the answer.
  - The module cannot know whether an unknown method changes the server. With O(read_only=false)
    (the default) it reports a change after every call and sends nothing in check mode; with
    O(read_only=true) it also runs in check mode and reports no change. Methods of the client API
    that only read (for example C(oco.computer.list)) are always treated as read-only.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
attributes:
  check_mode:
    support: full
    description:
      - With O(read_only=false), the call is not sent in check mode and the task reports a change.
      - With O(read_only=true), the call is sent in check mode too.
  diff_mode:
    support: none
    description: The module cannot know what a call changes.
options:
  method:
    description:
      - Name of the JSON-RPC method, for example C(oco.computer.list).
    type: str
    required: true
  data:
    description:
      - The method's arguments (sent as C(params.data)).
    type: dict
    default: {}
  read_only:
    description:
      - Declare that the method only reads. It then runs in check mode and the task reports no change.
      - Methods of the client API that write (for example C(oco.computer.remove)) cannot be declared
        read-only, under their current names or the names servers before 1.0.3 use (for example
        C(oco.deploy), C(oco.uninstall), C(oco.job.remove)).
    type: bool
    default: false
"""

EXAMPLES = r"""
- name: Call a method of a server extension that only reads
  oco.oco.oco_rpc:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    method: oco.report.list
    data:
      report_group_id: 1
    read_only: true
  register: answer

- name: Show it
  ansible.builtin.debug:
    var: answer.data

- name: Wake a computer up by its id
  oco.oco.oco_rpc:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    method: oco.computer.wol
    data:
      id: 12
"""

RETURN = r"""
data:
  description:
    - The C(data) the server answered with, integer fields as ints, without C(agent_key) and C(server_key).
    - Not returned when the call was skipped in check mode.
  returned: when the call was sent
  type: raw
  sample:
    computers: [{id: 12, hostname: pc-accounting-07}]
    groups: []
skipped_in_check_mode:
  description: Whether the call was not sent because the task ran in check mode and O(read_only=false).
  returned: always
  type: bool
  sample: false
"""

from ansible_collections.oco.oco.plugins.module_utils.methods import lookup
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule


def declared_read_only(params):
    """Whether the call only reads: the table says so, or the user declares it (refused for a known write)."""
    known = lookup(params["method"].strip())
    return params["read_only"] or (known is not None and not known.write)


ARGUMENT_SPEC = dict(
    method=dict(type="str", required=True),
    data=dict(type="dict", default={}),
    read_only=dict(type="bool", default=False),
)


def main():
    module = OcoModule(
        argument_spec=ARGUMENT_SPEC,
        # The client refuses writes in check mode; a read-only call is declared safe to send.
        read_only_methods=lambda params: (params["method"].strip(),) if declared_read_only(params) else (),
    )
    method = module.params["method"].strip()
    if not method:
        module.fail_option("method", module.params["method"], "a method name such as oco.computer.list is required")
    # Classified under its current and its legacy name: oco.deploy changes a legacy server as much as
    # oco.job_container.deploy changes a current one.
    known = lookup(method)
    if module.params["read_only"] and known is not None and known.write:
        module.fail_option("read_only", True, "%s changes the server and cannot run as read-only" % method)
    read_only = declared_read_only(module.params)
    skipped = module.check_mode and not read_only
    result = {}
    if not skipped:
        with module.errors():
            result["data"] = module.client.call(method, module.params["data"])
    return module.finish(not read_only, skipped_in_check_mode=skipped, **result)


if __name__ == "__main__":
    main()
