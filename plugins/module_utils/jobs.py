# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job states and the status of a job container, which the API does not return (facts 4.7, 5.1).

The web UI derives a container's status from its jobs; modules, info modules and roles derive it
here the same way, and wait for a container with one request per poll however many jobs it has.
"""

from __future__ import annotations

import time
from datetime import datetime

from ansible_collections.oco.oco.plugins.module_utils.entities import closest, same_name
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError, OcoNotFoundError, OcoPermissionError
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

# Models\Job constants, by the names the results use.
STATE_NAMES = {
    0: "waiting",
    1: "downloading",
    2: "executing",
    3: "succeeded",
    -1: "failed",
    -2: "expired",
    -3: "os_incompatible",
    -4: "package_conflict",
    -5: "already_installed",
}
PENDING_STATES = frozenset((0, 1, 2))
FAILED_STATES = frozenset((-1, -2, -3, -4))

STATUS_WAITING = "waiting"
STATUS_IN_PROGRESS = "in_progress"
STATUS_FAILED = "failed"
STATUS_SUCCEEDED = "succeeded"
FINAL_STATUSES = frozenset((STATUS_FAILED, STATUS_SUCCEEDED))

SERVER_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


def state_name(state):
    """The name of a job state; an unknown value (a newer server) is named by its number."""
    value = to_int(state)
    return STATE_NAMES.get(value, str(state))


def is_pending(job):
    return to_int(job.get("state")) in PENDING_STATES


def is_failed(job):
    return to_int(job.get("state")) in FAILED_STATES


def starts_later(start_time, now=None):
    """Whether a start time (server local time, no zone) lies ahead; unreadable means no."""
    text = str(start_time or "").strip()
    try:
        start = datetime.strptime(text[:19], SERVER_DATE_FORMAT)
    except ValueError:
        return False
    return start > (now or datetime.now())


def derive_status(jobs, start_time=None, now=None):
    """``waiting``, ``in_progress``, ``failed`` or ``succeeded``, as the web UI shows it (facts 4.7).

    Deployment rules have no start time: they are never ``waiting``.
    """
    jobs = as_list(jobs)
    if any(is_pending(job) for job in jobs):
        return STATUS_WAITING if starts_later(start_time, now) else STATUS_IN_PROGRESS
    if any(is_failed(job) for job in jobs):
        return STATUS_FAILED
    return STATUS_SUCCEEDED


def container_status(container, jobs, now=None):
    return derive_status(jobs, (container or {}).get("start_time"), now)


def state_counts(jobs):
    """Number of jobs per state name; every known state is present, zero or not."""
    counts = dict.fromkeys(STATE_NAMES.values(), 0)
    for job in as_list(jobs):
        name = state_name(job.get("state"))
        counts[name] = counts.get(name, 0) + 1
    return counts


job_counts = state_counts


def package_label(job):
    return ("%s %s" % (job.get("package_family_name") or "", job.get("package_version") or "")).strip()


def failed_jobs(jobs):
    """The failed jobs in a short form: who, what, how it ended."""
    return [{
        "id": job.get("id"),
        "computer_id": job.get("computer_id"),
        "hostname": job.get("computer_hostname"),
        "package_id": job.get("package_id"),
        "package": package_label(job),
        "package_family": job.get("package_family_name"),
        "package_version": job.get("package_version"),
        "is_uninstall": bool(job.get("is_uninstall")),
        "state": to_int(job.get("state")),
        "state_name": state_name(job.get("state")),
        "return_code": job.get("return_code"),
        "message": job.get("message"),
    } for job in as_list(jobs) if is_failed(job)]


def with_state_names(jobs):
    return [dict(job, state_name=state_name(job.get("state"))) for job in as_list(jobs)]


def summary(container, jobs, now=None):
    """``status``, ``counts`` and ``failed_jobs`` of one container."""
    return {
        "status": container_status(container, jobs, now),
        "counts": state_counts(jobs),
        "failed_jobs": failed_jobs(jobs),
    }


# ------------------------------------------------------------------ reading containers and jobs

def list_containers(client):
    return as_list(client.call("oco.job_container.list"))


def containers_named(containers, name):
    """Containers whose name matches (OCO compares names case-insensitively); the server allows several."""
    return [c for c in as_list(containers) if same_name(c.get("name"), name)]


def container_by_id(containers, container_id):
    for container in as_list(containers):
        if to_int(container.get("id")) == container_id:
            return container
    return None


def no_container_named(name, containers):
    near = closest(name, [c.get("name") for c in as_list(containers)])
    hint = " (closest: %s)" % ", ".join(near) if near else ""
    return OcoLookupError("no job container is named %r%s" % (name, hint))


def job_lists(client, container_ids):
    """Jobs of many containers in one batch: ``{id: jobs}``; a container gone meanwhile is left out."""
    container_ids = list(container_ids)
    results = client.batch([("oco.job_container.job.list", {"id": cid}) for cid in container_ids])
    found = {}
    for cid, result in zip(container_ids, results):
        if result.error is not None:
            if isinstance(result.error, (OcoNotFoundError, OcoPermissionError)):
                # Removed (by a user or by housekeeping) between the list and this read.
                continue
            raise result.error
        found[cid] = as_list(result.data)
    return found


def read_jobs(client, container_id):
    """One request: the container's jobs, or None when the container no longer exists."""
    try:
        return as_list(client.call("oco.job_container.job.list", {"id": container_id}))
    except OcoNotFoundError:
        return None


class WaitResult:
    """What waiting ended with: the last jobs seen and why it stopped."""

    def __init__(self, jobs, status, polls, timed_out=False, vanished=False):
        self.jobs = jobs
        self.status = status
        self.polls = polls
        self.timed_out = timed_out
        self.vanished = vanished


def wait_for_container(client, container, timeout, interval, jobs=None, sleep=time.sleep, clock=time.monotonic):
    """Poll the jobs of ``container`` until its status is final, it vanished, or ``timeout`` passed.

    Every poll is exactly one request (``oco.job_container.job.list``), whatever the job count.
    ``jobs`` may carry a list read just before, which then counts as the first poll.
    A container removed while waiting (housekeeping purges finished containers, facts 5.3) ends the
    wait with ``vanished``; the caller decides what the last jobs seen mean.
    """
    deadline = clock() + max(0, timeout)
    polls = 0 if jobs is None else 1
    last = as_list(jobs) if jobs is not None else []
    while True:
        if jobs is None:
            jobs = read_jobs(client, container["id"])
            polls += 1
            if jobs is None:
                return WaitResult(last, container_status(container, last), polls, vanished=True)
        last = jobs
        status = container_status(container, jobs)
        if status in FINAL_STATUSES:
            return WaitResult(jobs, status, polls)
        remaining = deadline - clock()
        if remaining <= 0:
            return WaitResult(jobs, status, polls, timed_out=True)
        sleep(min(interval, remaining))
        jobs = None
