# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Job states and the status of a job container, which the API does not return.

The web UI derives a container's status from its jobs; modules, info modules and roles derive it
here the same way.
"""

from __future__ import annotations

from datetime import datetime

from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int
from ansible_collections.oco.oco.plugins.module_utils.validation import SERVER_DATE_FORMAT

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
    """``waiting``, ``in_progress``, ``failed`` or ``succeeded``, as the web UI shows it.

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


def count_text(counts):
    """``waiting 1, succeeded 7``: the states that occur, or ``no jobs``."""
    return ", ".join("%s %d" % (name, number) for name, number in counts.items() if number) or "no jobs"


def failure_text(failed):
    """The first five failed jobs (``failed_jobs`` form) in one line: who, what, how it ended."""
    shown = ["%s: %s %s (return code %s%s)" % (
        job["hostname"], job["package"], job["state_name"], job["return_code"],
        ", %s" % job["message"].strip() if job.get("message") and job["message"].strip() else "") for job in failed[:5]]
    more = " and %d more" % (len(failed) - 5) if len(failed) > 5 else ""
    return "; ".join(shown) + more
