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
  - Host names are compared the way the server compares them, ignoring case and surrounding spaces.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
attributes:
  check_mode:
    support: full
    description: Reports what would change and sends no write request.
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

from ansible_collections.oco.oco.plugins.module_utils.errors import (
    OcoAmbiguousWriteError, OcoError, OcoInvalidRequestError, OcoNotFoundError, OcoServerError)
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule, not_carried_out, write_then_verify
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

MAX_HOSTNAME = 200
NO_MAC = ("", "-", "?")


def view(computer, state):
    """What the diff shows of a computer."""
    if not computer:
        return {"state": "absent"}
    return {"hostname": computer.get("hostname"), "notes": computer.get("notes"), "state": state}


def read_back(module, computer_id, hostname):
    """The computer just created; by id, because the list may be long."""
    general = (module.client.call("oco.computer.get", {"id": computer_id}) or {}).get("general")
    return general or module.resolver.find_computer(hostname, refresh=True) or {"id": computer_id, "hostname": hostname}


def create(module, hostname, notes):
    """Create the computer once; another writer may win the race, which is fine.

    Returns (computer, changed). The create is never sent a second time: after a lost answer or a
    "hostname already exists" the list is read again and decides.
    """
    payload = {"hostname": hostname, "notes": notes or ""}
    try:
        data = module.client.call("oco.computer.create", payload) or {}
    except (OcoAmbiguousWriteError, OcoInvalidRequestError) as exc:
        found = module.resolver.find_computer(hostname, refresh=True)
        if found is None:
            if isinstance(exc, OcoAmbiguousWriteError):
                raise not_carried_out(exc) from None
            raise
        # A lost answer most likely means our create committed; a duplicate means someone else's did.
        return found, isinstance(exc, OcoAmbiguousWriteError)
    return read_back(module, to_int(data.get("id")), hostname), True


def pending_job_count(module, computer):
    details = module.client.call("oco.computer.get", {"id": computer["id"]}) or {}
    return len(as_list(details.get("pending_jobs")))


def ensure_absent(module, computer, force):
    label = "%r (id %d)" % (computer.get("hostname"), computer["id"])
    try:
        pending = pending_job_count(module, computer)
    except OcoNotFoundError:
        return False, 0
    if pending and not force:
        raise OcoError("refused to remove computer %s: it has %d pending job%s; remove the jobs first or set "
                       "force: true to remove them with the computer" % (label, pending, "" if pending == 1 else "s"))
    if module.check_mode:
        return True, pending
    try:
        # force is sent explicitly: the server's default is true, so leaving it out would drop jobs.
        write_then_verify(lambda: module.client.call("oco.computer.remove", {"id": computer["id"], "force": bool(force)}),
                          lambda: module.resolver.find_computer(computer.get("hostname"), refresh=True) is None, resend=True)
    except OcoNotFoundError:
        return False, pending
    except OcoInvalidRequestError as exc:
        if force:
            raise
        raise OcoError("refused to remove computer %s: jobs became pending for it meanwhile (%s); set force: true to "
                       "remove them with the computer" % (label, exc.server_message)) from None
    return True, pending


def send_wol(module, computer, hostname):
    label = "%r (id %d)" % (computer.get("hostname"), computer["id"]) if computer else "%r" % hostname
    no_mac = ("sending Wake-on-LAN to computer %s failed: the server knows no MAC address of it; the computer's agent "
              "must report its network interfaces first" % label)
    if not computer:
        # Check mode, computer not yet created: a new computer has no network interfaces.
        raise OcoError(no_mac)
    if module.check_mode:
        networks = as_list((module.client.call("oco.computer.get", {"id": computer["id"]}) or {}).get("networks"))
        if not [n for n in networks if (n.get("mac") or "").strip() not in NO_MAC]:
            raise OcoError(no_mac)
        return
    try:
        module.client.call("oco.computer.wol", {"id": computer["id"]})
    except OcoServerError as exc:
        if "mac" in (exc.server_message or "").lower():
            raise OcoError(no_mac) from None
        raise


def main():
    module = OcoModule(
        argument_spec=dict(
            hostname=dict(type="str", required=True),
            notes=dict(type="str"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            force=dict(type="bool", default=False),
            wol=dict(type="bool", default=False),
        ),
    )
    params = module.params
    hostname = params["hostname"].strip()
    if not hostname:
        module.fail_option("hostname", params["hostname"], "a host name is required")
    if len(hostname) > MAX_HOSTNAME:
        module.fail_option("hostname", params["hostname"], "longer than the %d characters the server stores" % MAX_HOSTNAME)
    if params["wol"] and params["state"] == "absent":
        module.fail_option("wol", True, "Wake-on-LAN needs state=present")

    with module.errors():
        current = module.resolver.find_computer(hostname)
        before = view(current, "present")
        changed = False
        result = {"wol_sent": False}
        if params["state"] == "absent":
            computer = {}
            if current is not None:
                changed, result["pending_jobs"] = ensure_absent(module, current, params["force"])
        else:
            computer = current
            if current is None:
                changed = True
                computer = {}
                if not module.check_mode:
                    computer, changed = create(module, hostname, params["notes"])
            if computer and params["notes"] is not None and computer.get("notes") != params["notes"]:
                module.warn("the notes of computer %r (id %d) differ from the notes option; the OCO API cannot change "
                            "them, so they were left as they are" % (computer.get("hostname"), computer["id"]))
            if params["wol"]:
                module.partial_result = {"changed": changed, "computer": computer or {}}
                send_wol(module, computer, hostname)
                result["wol_sent"] = True
                changed = True
        if params["state"] == "absent":
            after = {"state": "absent"}
        elif computer:
            after = view(computer, "present")
        else:
            after = {"hostname": hostname, "notes": params["notes"] or "", "state": "present"}
        module.finish(changed, before=before, after=after, computer=computer or {}, **result)


if __name__ == "__main__":
    main()
