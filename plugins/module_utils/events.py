# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""OCO as an event stream: compare what the server shows now with what it showed last time.

OCO has no webhooks, so the event source (extensions/eda) polls. Each poll reads the computer list
and the job container list in one batch, and the job lists of the containers that were not
finished yet in a second batch, so its cost does not grow with the number of computers. What was
seen is kept as plain JSON-able ``state``: each event fires once, also across a restart when the
caller stores the state.
"""

from __future__ import annotations

import fnmatch
from datetime import datetime

from ansible_collections.oco.oco.plugins.module_utils.entities import GroupTree
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoNotFoundError, OcoProtocolError
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

EVENT_TYPES = ("computer_registered", "computer_removed", "agent_silent", "agent_back", "job_succeeded",
               "job_failed", "job_container_finished")
STATE_VERSION = 1

# Job states as the server numbers them. -5 "already installed" counts as success, as in the web console.
JOB_STATE_NAMES = {0: "waiting", 1: "download_started", 2: "execution_started", 3: "succeeded", -1: "failed",
                   -2: "expired", -3: "os_incompatible", -4: "package_conflict", -5: "already_installed"}
PENDING_STATES = frozenset((0, 1, 2))
SUCCESS_STATES = frozenset((3, -5))
FAILURE_STATES = frozenset((-1, -2, -3, -4))
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def empty_state():
    return {"version": STATE_VERSION, "computers": {}, "containers": {}}


def parse_server_time(value):
    """A server DATETIME (local time of the server, no zone) or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.strptime(value.strip()[:19], TIME_FORMAT)
    except ValueError:
        return None


def name_matches(name, patterns):
    """Shell-style patterns compared ignoring case, as OCO compares names."""
    text = str(name or "").casefold()
    return any(fnmatch.fnmatchcase(text, str(pattern).casefold()) for pattern in patterns)


class EventTracker:
    """Turns two snapshots of the server into events. ``poll`` reads; ``commit`` accepts its state.

    ``state`` is None until the first poll: that poll sets the baseline and reports nothing that
    already happened unless ``emit_existing`` is true.
    """

    def __init__(self, client, events=EVENT_TYPES, computer_groups=(), job_containers=(), agent_silent_after=3600,
                 emit_existing=False, state=None):
        self.client = client
        self.events = frozenset(events)
        self.computer_groups = list(computer_groups or ())
        self.job_containers = list(job_containers or ())
        self.agent_silent_after = agent_silent_after
        self.emit_existing = emit_existing
        self.state = state

    # ------------------------------------------------------------------ reading

    def read(self):
        """One snapshot: ``(computers, scope, containers, jobs_by_container)``; raises OcoError."""
        listed = self.client.batch([("oco.computer.list", {}), ("oco.job_container.list", {})])
        for result in listed:
            if result.error is not None:
                raise result.error
        computer_data = listed[0].data
        if isinstance(computer_data, list):     # servers before 0.15.2 send a plain list
            computer_data = {"computers": computer_data}
        if not isinstance(computer_data, dict):
            raise OcoProtocolError("oco.computer.list answered with neither an object nor a list")
        computers = {to_int(c.get("id")): c for c in as_list(computer_data.get("computers"))}
        scope = self._scope(computer_data.get("groups")) if self.computer_groups else None
        containers = {to_int(c.get("id")): c for c in as_list(listed[1].data)
                      if not self.job_containers or name_matches(c.get("name"), self.job_containers)}
        known = (self.state or {}).get("containers", {})
        wanted = [cid for cid in sorted(containers) if not known.get(str(cid), {}).get("finished")]
        jobs = {}
        results = self.client.batch([("oco.job_container.job.list", {"id": cid}) for cid in wanted]) if wanted else []
        for cid, result in zip(wanted, results):
            if isinstance(result.error, OcoNotFoundError):
                # Removed between the two requests (housekeeping purges finished containers).
                containers.pop(cid, None)
                continue
            if result.error is not None:
                raise result.error
            jobs[cid] = as_list(result.data)
        return computers, scope, containers, jobs

    def _scope(self, roots):
        """Ids of the computers in ``computer_groups`` and their subgroups: one batch per tree level."""
        tree = GroupTree(self.client, "computer").load(roots)
        members = set()
        for ref in self.computer_groups:
            for gid in tree.descendants(tree.resolve(ref)["id"]):
                members.update(to_int(c.get("id")) for c in as_list(tree.members.get(gid)))
        return members

    def poll(self, now=None):
        """Read the server and return ``(events, new_state)``; the tracker's state is unchanged."""
        snapshot = self.read()
        return self.compare(snapshot, now or datetime.now())

    def commit(self, state):
        self.state = state

    # ------------------------------------------------------------------ comparing

    def compare(self, snapshot, now):
        computers, scope, containers, jobs = snapshot
        baseline = self.state is None
        old = self.state or empty_state()
        quiet = baseline and not self.emit_existing
        events = []
        new_computers = self._computers(old.get("computers", {}), computers, scope, now, quiet, events)
        new_containers = self._containers(old.get("containers", {}), containers, jobs, scope, quiet, events)
        state = {"version": STATE_VERSION, "computers": new_computers, "containers": new_containers}
        return [e for e in events if e["type"] in self.events], state

    def _silent(self, computer, now):
        """Seconds since the agent's last contact when that is longer than the threshold, else None.

        A computer that never had an agent contact (pre-registered) is not silent: it has no agent yet.
        """
        last = parse_server_time(computer.get("last_ping"))
        if last is None:
            return None
        age = (now - last).total_seconds()
        return int(age) if age > self.agent_silent_after else None

    def _computers(self, old, computers, scope, now, quiet, events):
        state = {}
        for cid, computer in computers.items():
            key = str(cid)
            silent_for = self._silent(computer, now)
            in_scope = scope is None or cid in scope
            state[key] = {"hostname": computer.get("hostname"), "os": computer.get("os"),
                          "os_version": computer.get("os_version"), "silent": silent_for is not None,
                          "in_scope": in_scope}
            if not in_scope or quiet:
                continue
            before = old.get(key)
            if before is None:
                events.append(dict(self._computer_ids(cid, computer), type="computer_registered", computer=computer))
            if silent_for is not None and not (before or {}).get("silent"):
                events.append(dict(self._computer_ids(cid, computer), type="agent_silent", last_ping=computer.get("last_ping"),
                                   silent_seconds=silent_for, computer=computer))
            elif silent_for is None and (before or {}).get("silent"):
                events.append(dict(self._computer_ids(cid, computer), type="agent_back", last_ping=computer.get("last_ping"),
                                   computer=computer))
        if not quiet:
            for key, before in old.items():
                if key not in state and before.get("in_scope", True):
                    events.append(dict(self._computer_ids(int(key), before), type="computer_removed"))
        return state

    @staticmethod
    def _computer_ids(cid, computer):
        return {"computer_id": cid, "hostname": computer.get("hostname"), "os": computer.get("os"),
                "os_version": computer.get("os_version")}

    def _containers(self, old, containers, jobs, scope, quiet, events):
        state = {}
        for cid, container in containers.items():
            key = str(cid)
            before = old.get(key, {})
            if before.get("finished"):
                state[key] = before
                continue
            if cid not in jobs:
                continue
            rows = jobs[cid]
            reported = set(before.get("jobs", ()))
            for job in rows:
                jid = to_int(job.get("id"))
                job_state = to_int(job.get("state"))
                if jid in reported or job_state in PENDING_STATES:
                    continue
                reported.add(jid)
                if quiet or (scope is not None and to_int(job.get("computer_id")) not in scope):
                    continue
                events.append(self._job_event(container, job, job_state))
            finished = all(to_int(job.get("state")) not in PENDING_STATES for job in rows)
            if finished:
                state[key] = {"name": container.get("name"), "finished": True}
                if not quiet:
                    events.append(self._container_event(container, rows))
            else:
                state[key] = {"name": container.get("name"), "finished": False, "jobs": sorted(reported)}
        return state

    @staticmethod
    def _job_event(container, job, job_state):
        return {
            "type": "job_succeeded" if job_state in SUCCESS_STATES else "job_failed",
            "job_id": to_int(job.get("id")),
            "job_container_id": to_int(container.get("id")),
            "job_container_name": container.get("name"),
            "computer_id": to_int(job.get("computer_id")),
            "hostname": job.get("computer_hostname"),
            "package_id": to_int(job.get("package_id")),
            "package_family_name": job.get("package_family_name"),
            "package_version": job.get("package_version"),
            "is_uninstall": job.get("is_uninstall"),
            "state": job_state,
            "state_name": JOB_STATE_NAMES.get(job_state, "unknown"),
            "return_code": job.get("return_code"),
            "message": job.get("message"),
            "job": job,
        }

    @staticmethod
    def _container_event(container, rows):
        counts = {"total": len(rows)}
        for name in ("succeeded", "already_installed", "failed", "expired", "os_incompatible", "package_conflict"):
            counts[name] = 0
        for job in rows:
            name = JOB_STATE_NAMES.get(to_int(job.get("state")))
            if name in counts:
                counts[name] += 1
        failed = any(to_int(job.get("state")) in FAILURE_STATES for job in rows)
        return {
            "type": "job_container_finished",
            "job_container_id": to_int(container.get("id")),
            "job_container_name": container.get("name"),
            "status": "failed" if failed else "succeeded",
            "counts": counts,
            "job_container": container,
        }
