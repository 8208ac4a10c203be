"""Reading the jobs of many job containers at once (module_utils/job_containers.py)."""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils import job_containers as jobs
from ansible_collections.oco.oco.plugins.module_utils.client import CallResult, OcoClient
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoNotFoundError


def js(*states):
    return [{"id": i, "state": s} for i, s in enumerate(states, 1)]


def test_job_lists_skips_containers_removed_meanwhile():
    class BatchClient:
        read_each = OcoClient.read_each

        def batch(self, calls, batch_size=None):
            return [CallResult(m, js(3), None) if d["id"] == 1 else CallResult(m, None, OcoNotFoundError("gone"))
                    for m, d in calls]

    assert jobs.job_lists(BatchClient(), [1, 2]) == {1: js(3)}
