# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for a job container: one request per poll however many jobs it has."""

from __future__ import annotations

import time

from ansible_collections.oco.oco.plugins.module_utils.job_containers import read_jobs
from ansible_collections.oco.oco.plugins.module_utils.job_states import FINAL_STATUSES, container_status
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list


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
    A container removed while waiting (the server's housekeeping purges finished containers) ends the
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
