# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What oco_job_container returns for a container: its jobs and status, after waiting when asked."""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils import job_containers, job_states
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, OcoNotFoundError
from ansible_collections.oco.oco.plugins.module_utils.job_wait import wait_for_container


def label(container):
    return "%r (id %s)" % (container.get("name"), container.get("id"))


def final_row(client, container):
    """The container as the server lists it once its jobs finished (``execution_finished`` is set only then).

    One request; a container removed meanwhile keeps the row read before.
    """
    return job_containers.container_by_id(job_containers.list_containers(client), container["id"]) or container


def outcome(module, container, changed, result, jobs=None):
    """The container's jobs and status, after waiting when asked; fails for a timeout or failed jobs.

    ``jobs``: the jobs when they were just read (comparing an existing container reads them).
    """
    params = module.params
    if jobs is None:
        jobs = job_containers.read_jobs(module.client, container["id"])
    vanished = jobs is None
    jobs = jobs or []
    if params["wait"] and not vanished:
        module.partial_result = dict(changed=changed, job_container=container, **result)
        waited = wait_for_container(module.client, container, params["wait_timeout"], params["poll_interval"], jobs=jobs)
        jobs, vanished, result["polls"] = waited.jobs, waited.vanished, waited.polls
        if not vanished and job_states.container_status(container, jobs) in job_states.FINAL_STATUSES:
            container = final_row(module.client, container)
    elif params["wait"]:
        result["polls"] = 1
    summary = job_states.summary(container, jobs)
    result.update(job_container=container, jobs=job_states.with_state_names(jobs), **summary)
    module.partial_result = dict(result, changed=changed)
    if not jobs and not vanished:
        raise job_containers.without_jobs(label(container))
    if vanished:
        if jobs and summary["status"] in job_states.FINAL_STATUSES:
            module.warn("the job container %s was removed by the server (its housekeeping purges finished containers); "
                        "the jobs are shown as last seen" % label(container))
        else:
            raise OcoNotFoundError("job container %s was removed (by a user, or by the server's housekeeping once its jobs "
                                   "had finished) while its jobs were %s (%s); its outcome is unknown" % (
                                       label(container), summary["status"] if jobs else "not yet read",
                                       job_states.count_text(summary["counts"])))
    if params["wait"]:
        if summary["status"] not in job_states.FINAL_STATUSES:
            raise OcoError("timed out after %d seconds waiting for job container %s: status %s (%s)" % (
                params["wait_timeout"], label(container), summary["status"], job_states.count_text(summary["counts"])))
        if summary["status"] == job_states.STATUS_FAILED and params["fail_on_job_failure"]:
            failed = summary["failed_jobs"]
            raise OcoError("%d job%s of job container %s failed: %s" % (
                len(failed), "" if len(failed) == 1 else "s", label(container), job_states.failure_text(failed)))
    return result
