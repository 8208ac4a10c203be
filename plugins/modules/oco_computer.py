#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_computer
short_description: Pre-register, remove or wake a computer on an OCO server
version_added: 1.0.0
description:
  - Ensures that a computer with the given host name exists on the OCO server (pre-registered, so
    that its agent is accepted when it first connects) or does not exist.
  - Can send a Wake-on-LAN packet to the computer through the server.
  - Host names are compared the way the server compares them, ignoring case, accents and surrounding
    spaces (C(STRASE) is C(straße), C(STRASSE) is not).
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.CHANGES
attributes:
  diff_mode:
    support: full
    description: Shows the host name, notes and state before and after.
options:
  hostname:
    description:
      - Host name of the computer, at most 200 characters. Surrounding spaces are ignored.
    type: str
    required: true
  notes:
    description:
      - Notes stored with a computer when this module creates it.
      - The OCO API cannot change the notes of an existing computer; when they differ, the module
        warns and leaves them unchanged.
    type: str
  state:
    description:
      - V(present) pre-registers the computer if it does not exist.
      - V(absent) removes it together with its jobs, group memberships and installation records.
    type: str
    choices: [present, absent]
    default: present
  force:
    description:
      - With V(false), a computer that still has pending jobs is not removed and the task fails
        with the number of those jobs.
      - With V(true), it is removed and its pending jobs with it.
      - Only used with O(state=absent).
    type: bool
    default: false
  wol:
    description:
      - Send a Wake-on-LAN packet to the computer through the server (C(oco.computer.wol)).
      - The task reports a change whenever the packet is sent. It fails when the server knows no
        MAC address of the computer, which is the case until its agent has reported its network
        interfaces.
      - Only valid with O(state=present).
    type: bool
    default: false
notes:
  - Creating a computer needs the C(create) right on computers; removing needs C(delete) on it;
    Wake-on-LAN needs C(wol) on it.
  - When several hosts of a play create the same computer at the same time, one of them creates it
    and the others find it; none fails.
"""

EXAMPLES = r"""
- name: Pre-register a computer before its agent is installed
  oco.oco.oco_computer:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    hostname: pc-accounting-07
    notes: Reception desk, 2nd floor
  register: pc

- name: Show its id
  ansible.builtin.debug:
    msg: "{{ pc.computer.hostname }} has id {{ pc.computer.id }}"

- name: Wake a computer up (its agent must have reported a MAC address)
  oco.oco.oco_computer:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    hostname: pc-accounting-07
    wol: true

- name: Remove a computer, even if jobs are still pending for it
  oco.oco.oco_computer:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    hostname: pc-old-01
    state: absent
    force: true
"""

RETURN = r"""
computer:
  description:
    - The computer as the server lists it, without C(agent_key) and C(server_key).
    - Empty when the computer is absent, and in check mode when it would be created.
  returned: always
  type: dict
  sample:
    id: 12
    hostname: pc-accounting-07
    notes: Reception desk, 2nd floor
    last_ping: null
    created: "2026-12-01 09:30:00"
    created_by_system_user_id: 1
  contains:
    id:
      description: Id of the computer.
      type: int
    hostname:
      description: Host name as stored by the server.
      type: str
    notes:
      description: Notes of the computer.
      type: str
wol_sent:
  description: Whether a Wake-on-LAN request was sent (or, in check mode, would have been sent).
  returned: always
  type: bool
  sample: false
pending_jobs:
  description: Number of pending jobs of the computer when it was removed with O(force=true).
  returned: when O(state=absent) and the computer existed
  type: int
  sample: 0
"""

from ansible_collections.oco.oco.plugins.module_utils.ensure import Entity, Runner, read_general
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, OcoServerError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

NO_MAC = ("", "-", "?")
ARGUMENT_SPEC = dict(
    hostname=dict(type="str", required=True),
    notes=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    force=dict(type="bool", default=False),
    wol=dict(type="bool", default=False),
)


def computer(module, hostname):
    """A computer, found by host name; the server compares host names ignoring case and spaces."""
    client, notes = module.client, module.params["notes"]

    def find(refresh=False):
        return module.resolver.find_computer(hostname, refresh=refresh)

    return Entity(
        label=lambda obj: "computer %r (id %d)" % (obj.get("hostname"), obj["id"]),
        find=find, shown=("hostname", "notes"), unchangeable={"notes": notes},
        planned=lambda: {"hostname": hostname, "notes": notes or "", "state": "present"},
        create=lambda: to_int((client.call("oco.computer.create", {"hostname": hostname, "notes": notes or ""}) or {}).get("id")),
        # By id, since the list may be long.
        read_back=lambda cid: read_general(client, "oco.computer.get", cid) or find(True) or {"id": cid, "hostname": hostname},
        taken=lambda exc: True,  # "this host name exists", in whatever language: the fresh read decides
        details=lambda obj: client.call("oco.computer.get", {"id": obj["id"]}) or {},
        # force is sent explicitly: the server's default is true, so leaving it out would drop jobs.
        remove=lambda obj, force: client.call("oco.computer.remove", {"id": obj["id"], "force": bool(force)}),
    )


def wake(module, runner, obj, hostname):
    """Wake-on-LAN; in check mode only whether the server knows a MAC address to send it to."""
    def send():
        """True when sent; None when the server knows no MAC address of the computer."""
        try:
            return module.client.call("oco.computer.wol", {"id": obj["id"]}) or True
        except OcoServerError as exc:
            if "mac" not in (exc.server_message or "").lower():
                raise

    def has_mac():
        return any((n.get("mac") or "").strip() not in NO_MAC for n in as_list(runner.entity.details(obj).get("networks")))

    # A computer not yet created (check mode) has no network interfaces.
    if not obj or not runner.write(send, has_mac):
        raise OcoError("sending Wake-on-LAN to %s failed: the server knows no MAC address of it; the computer's agent must "
                       "report its network interfaces first" % (runner.entity.label(obj) if obj else "computer %r" % hostname))


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC)
    hostname = module.name_option("hostname", "host name", max_length=200)
    if module.params["wol"] and module.params["state"] == "absent":
        module.fail_option("wol", True, "Wake-on-LAN needs state=present")
    with module.errors():
        runner = Runner(module, computer(module, hostname), "computer")
        done = runner.ensure(module.params["state"], module.params["force"])
        if module.params["wol"]:
            module.partial_result = {"changed": done.changed, "computer": done.obj or {}}
            wake(module, runner, done.obj, hostname)
        return runner.finish(done, changed=done.changed or module.params["wol"], wol_sent=module.params["wol"])


if __name__ == "__main__":
    main()
