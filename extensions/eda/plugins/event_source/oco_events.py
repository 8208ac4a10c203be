# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible event source: OCO computers, agents and jobs as rulebook events."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import tempfile
from datetime import datetime

DOCUMENTATION = r"""
name: oco_events
short_description: Events from an OCO server for Event-Driven Ansible rulebooks
version_added: 1.0.0
description:
  - Polls an OCO (Open Computer Orchestration) server and puts an event on the rulebook's queue for
    every change it finds. OCO has no webhooks; the source turns it into an event stream.
  - "Each event is a dictionary with C(type), the ids and names of the objects it is about and the
    server's own row (C(computer), C(job) or C(job_container)); agent keys are never included."
  - "C(computer_registered): a computer appeared (agent registration or pre-registration).
    Keys C(computer_id), C(hostname), C(os), C(os_version), C(computer)."
  - "C(computer_removed): a computer is gone. Keys C(computer_id), C(hostname), C(os), C(os_version)
    as last seen."
  - "C(agent_silent): the agent's last contact (C(last_ping)) is older than O(agent_silent_after).
    Keys as above plus C(last_ping), C(silent_seconds). C(agent_back): its agent reported again."
  - "C(job_succeeded) (job state 3, or -5 already installed) and C(job_failed) (states -1 failed, -2
    expired, -3 incompatible OS, -4 package conflict). Keys C(job_id), C(job_container_id),
    C(job_container_name), C(computer_id), C(hostname), C(package_id), C(package_family_name),
    C(package_version), C(is_uninstall), C(state), C(state_name), C(return_code), C(message), C(job)."
  - "C(job_container_finished): every job of a container has ended. Keys C(job_container_id),
    C(job_container_name), C(status) (C(succeeded) or C(failed), as the web console derives it),
    C(counts) (jobs per outcome and C(total)), C(job_container)."
  - "Cost per poll: one HTTP request holding C(oco.computer.list) and C(oco.job_container.list), and,
    while containers are running, one more holding C(oco.job_container.job.list) for each container
    not finished yet (100 per request). The number of computers does not change it.
    O(computer_groups) adds one request per level of the group tree."
  - The first poll without a state file only learns what exists; it reports nothing that happened
    before, unless O(emit_existing=true).
  - When the server cannot be reached, answers with an error or is slow, the source logs a warning,
    waits longer after each failed poll (twice O(interval) each time, at most 10 minutes) and reports
    everything it missed once the server answers again. A refused login, a wrong API key, a missing
    permission, a disabled client API, a TLS certificate failure or a computer group that does not
    exist stop it with a message.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection.PLUGIN
options:
  interval:
    description:
      - Seconds between two polls.
    type: float
    default: 60
  events:
    description:
      - The event types to report; the default is every type.
    type: list
    elements: str
    choices: [computer_registered, computer_removed, agent_silent, agent_back, job_succeeded, job_failed,
              job_container_finished]
  computer_groups:
    description:
      - Report computer and job events only for computers in these computer groups or their
        subgroups (by name, C(Parent/Child) path or id as a number). Container events are not
        filtered by it.
    type: list
    elements: raw
  job_containers:
    description:
      - Report job and container events only for job containers whose name matches one of these
        shell-style patterns (for example C(rollout-*)), compared ignoring case.
    type: list
    elements: str
  agent_silent_after:
    description:
      - Seconds without agent contact after which a computer is reported as C(agent_silent).
      - The server stores C(last_ping) in its own local time; the source compares it with the local
        time of the machine it runs on, so both must use the same time zone.
    type: int
    default: 3600
  state_file:
    description:
      - JSON file where the source keeps what it has seen, written after every poll whose events are
        on the queue. A restarted source reads it, so it neither repeats events nor loses the ones
        that happened while it was stopped; those arrive with the first poll after the restart.
      - While stopped, a computer's agent can go silent and come back, and a finished container can
        be purged by the server's housekeeping before the source sees its jobs; such changes leave
        nothing to report.
      - Without it, every start begins with a new baseline.
    type: path
  emit_existing:
    description:
      - Report on the first poll (without state) what exists already, as if it had just happened (every
        computer, the agents that are silent, the jobs that have ended and the finished containers).
    type: bool
    default: false
notes:
  - Needs the Python library C(requests) and ansible-core in the Python environment of
    ansible-rulebook (the decision environment).
  - The user needs the C(read) right on the computers, groups and job containers to report.
"""

EXAMPLES = r"""
- name: React to failed OCO jobs
  hosts: all
  sources:
    - oco.oco.oco_events:
        url: https://oco.example.com
        username: eda
        password: "{{ oco_password }}"
        interval: 60
        events: [job_failed, job_container_finished]
        job_containers: ["rollout-*"]
        state_file: /var/lib/eda/oco_events.json
  rules:
    - name: Collect the output of a failed job
      condition: event.type == "job_failed"
      action:
        run_playbook:
          name: oco.oco.collect_job_output

- name: Agents that stopped reporting (connection from OCO_URL, OCO_USERNAME, OCO_PASSWORD)
  hosts: all
  sources:
    - oco.oco.oco_events:
        events: [agent_silent, agent_back]
        agent_silent_after: 86400
        computer_groups: [Berlin]
  rules:
    - name: Tell about a silent agent
      condition: event.type == "agent_silent"
      action:
        debug:
          msg: "{{ event.hostname }} has not reported for {{ event.silent_seconds }} seconds"
"""


def _import_collection():
    """ansible-rulebook runs this file by path: make ``ansible_collections`` importable from it."""
    try:
        import ansible_collections.oco.oco.plugins.module_utils.events  # noqa: F401 pylint: disable=unused-import
    except ImportError:
        folder = os.path.dirname(os.path.abspath(__file__))
        while os.path.basename(folder) != "ansible_collections":
            parent = os.path.dirname(folder)
            if parent == folder:
                raise
            folder = parent
        sys.path.append(os.path.dirname(folder))


_import_collection()

# pylint: disable=wrong-import-position
from ansible.module_utils.parsing.convert_bool import boolean  # noqa: E402

from ansible_collections.oco.oco.plugins.module_utils import errors  # noqa: E402
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient  # noqa: E402
from ansible_collections.oco.oco.plugins.module_utils.connection import client_kwargs, connection_argument_spec  # noqa: E402
from ansible_collections.oco.oco.plugins.module_utils.events import EVENT_TYPES, EventTracker  # noqa: E402

LOG = logging.getLogger("oco.oco.oco_events")
MAX_BACKOFF = 600.0
# Asking again does not fix these: stop with the message instead of polling for ever.
FATAL_ERRORS = (errors.OcoAuthError, errors.OcoPermissionError, errors.OcoApiDisabledError, errors.OcoTLSError,
                errors.OcoValidationError, errors.OcoLookupError, errors.OcoUnsupportedMethodError)
SOURCE_OPTIONS = {
    "interval": dict(type="float", default=60.0),
    "events": dict(type="list", default=list(EVENT_TYPES)),
    "computer_groups": dict(type="list", default=[]),
    "job_containers": dict(type="list", default=[]),
    "agent_silent_after": dict(type="int", default=3600),
    "state_file": dict(type="path", default=None),
    "emit_existing": dict(type="bool", default=False),
}


def _convert(name, kind, value):
    try:
        if kind == "bool":
            return boolean(value, strict=True)
        if kind == "int":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError
            return int(value)
        if kind == "float":
            if isinstance(value, bool):
                raise ValueError
            return float(value)
        if kind == "path":
            return os.path.expanduser(str(value))
        if kind == "list":
            items = value.split(",") if isinstance(value, str) else value
            if not isinstance(items, (list, tuple)):
                raise ValueError
            return [str(item).strip() for item in items if str(item).strip()]
        return str(value)
    except (TypeError, ValueError):
        raise errors.OcoValidationError("invalid option %s %r: expected %s" % (name, value, {
            "bool": "true or false", "int": "a whole number", "float": "a number of seconds",
            "list": "a list"}.get(kind, "a " + kind))) from None


def parse_options(args, environ=None):
    """The source's options from the rulebook arguments, the connection ones falling back to OCO_*."""
    environ = os.environ if environ is None else environ
    connection = connection_argument_spec()
    # ansible-rulebook adds its own eda_* arguments (feedback queue).
    unknown = sorted(k for k in args if k not in connection and k not in SOURCE_OPTIONS and not str(k).startswith("eda_"))
    if unknown:
        raise errors.OcoValidationError("unknown option %s for oco.oco.oco_events; known options: %s" % (
            ", ".join(unknown), ", ".join(sorted(list(connection) + list(SOURCE_OPTIONS)))))
    options = {}
    for name, spec in connection.items():
        value = args.get(name)
        if value is None:
            value = environ.get(spec["fallback"][1][0])
        if value is None or value == "":
            if spec.get("required"):
                raise errors.OcoValidationError(
                    "missing option %s: set it in the rulebook source or the %s environment variable"
                    % (name, spec["fallback"][1][0]))
            value = spec.get("default")
        options[name] = None if value is None else _convert(name, spec["type"], value)
    for name, spec in SOURCE_OPTIONS.items():
        value = args.get(name)
        # A rulebook variable that is not set renders as "": the option's default.
        options[name] = spec["default"] if value is None or value == "" else _convert(name, spec["type"], value)
    if options["interval"] <= 0:
        raise errors.OcoValidationError("invalid option interval %r: it must be more than 0 seconds" % options["interval"])
    if options["agent_silent_after"] <= 0:
        raise errors.OcoValidationError(
            "invalid option agent_silent_after %r: it must be more than 0 seconds" % options["agent_silent_after"])
    wrong = [e for e in options["events"] if e not in EVENT_TYPES]
    if wrong:
        raise errors.OcoValidationError("invalid option events %s: known event types are %s" % (
            ", ".join(wrong), ", ".join(EVENT_TYPES)))
    return options


def load_state(path):
    """The state a previous run left, or None (first run: a new baseline)."""
    if not path or not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError) as exc:
        raise errors.OcoValidationError("cannot read option state_file %s: %s" % (path, exc)) from None
    if not isinstance(state, dict) or not isinstance(state.get("computers"), dict) or \
            not isinstance(state.get("containers"), dict):
        raise errors.OcoValidationError("option state_file %s does not hold a state of oco.oco.oco_events" % path)
    return state


def save_state(path, state):
    """Replace the file in one step, so a crash leaves the old state or the new one, never half."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".oco_events.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(state, out, separators=(",", ":"), sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def backoff(interval, failures):
    """Twice the interval after each failed poll in a row, at most MAX_BACKOFF (or the interval, if longer)."""
    return max(interval, min(MAX_BACKOFF, interval * (2 ** failures)))


def build_tracker(options):
    client = OcoClient(warn=LOG.warning, **client_kwargs(options))
    return EventTracker(client, events=options["events"], computer_groups=options["computer_groups"],
                        job_containers=options["job_containers"], agent_silent_after=options["agent_silent_after"],
                        emit_existing=options["emit_existing"], state=load_state(options["state_file"]))


async def main(queue, args):
    """ansible-rulebook's entry point: poll until cancelled; a configuration error ends it."""
    try:
        options = parse_options(args)
        tracker = build_tracker(options)
    except errors.OcoError as exc:
        LOG.error("oco.oco.oco_events stopped: %s", exc)
        raise
    failures = 0
    while True:
        try:
            events, state = await asyncio.to_thread(tracker.poll, datetime.now())
        except FATAL_ERRORS as exc:
            LOG.error("oco.oco.oco_events stopped: %s", tracker.client.scrub(exc))
            raise
        except errors.OcoError as exc:
            failures += 1
            delay = backoff(options["interval"], failures)
            LOG.warning("oco.oco.oco_events: poll %d in a row failed, next try in %.1f s: %s",
                        failures, delay, tracker.client.scrub(exc))
            await asyncio.sleep(delay)
            continue
        if failures:
            LOG.info("oco.oco.oco_events: the server answers again after %d failed polls", failures)
            failures = 0
        for event in events:
            await queue.put(event)
        tracker.commit(state)
        if options["state_file"]:
            try:
                await asyncio.to_thread(save_state, options["state_file"], state)
            except OSError as exc:
                # Polling goes on; only a restart would report this poll's events again.
                LOG.error("oco.oco.oco_events: cannot write state_file %s: %s", options["state_file"], exc)
        await asyncio.sleep(options["interval"])
