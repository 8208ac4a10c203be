"""Derived container status (as the web UI shows it) and state counts of module_utils/job_states.py."""

from __future__ import annotations

from datetime import datetime

import pytest

from ansible_collections.oco.oco.plugins.module_utils import job_states as jobs

NOW = datetime(2026, 12, 1, 12, 0, 0)


def js(*states):
    return [{"id": i, "state": s} for i, s in enumerate(states, 1)]


@pytest.mark.parametrize("states, expected", [
    ((), "succeeded"),
    ((3, -5), "succeeded"),
    ((3, -1), "failed"),
    ((-2,), "failed"),
    ((-3, 3), "failed"),
    ((-4,), "failed"),
    ((0, -1, 3), "in_progress"),
    ((1,), "in_progress"),
    ((2, 3), "in_progress"),
    (("0", "3"), "in_progress"),
    (("-1",), "failed"),
])
def test_status_without_start_time(states, expected):
    assert jobs.derive_status(js(*states), now=NOW) == expected


def test_pending_jobs_of_a_container_that_starts_later_are_waiting():
    assert jobs.derive_status(js(0, 3), start_time="2026-12-02 08:00:00", now=NOW) == "waiting"
    assert jobs.derive_status(js(0, 3), start_time="2026-12-01 08:00:00", now=NOW) == "in_progress"
    # a future start does not hide a finished result
    assert jobs.derive_status(js(-1), start_time="2026-12-02 08:00:00", now=NOW) == "failed"
    assert jobs.derive_status(js(0), start_time="not a date", now=NOW) == "in_progress"
    assert jobs.container_status({"start_time": "2026-12-02 08:00:00"}, js(1), now=NOW) == "waiting"


def test_state_counts_name_every_state():
    counts = jobs.state_counts(js(0, 0, 3, -1, "-5", 7))
    assert counts["waiting"] == 2
    assert counts["succeeded"] == 1
    assert counts["failed"] == 1
    assert counts["already_installed"] == 1
    assert counts["expired"] == 0
    assert counts["7"] == 1
    assert set(jobs.STATE_NAMES.values()) <= set(counts)


def test_failed_jobs_short_form():
    job = {"id": 5, "state": -1, "computer_id": 2, "computer_hostname": "pc2", "package_id": 9,
           "package_family_name": "Firefox", "package_version": "121.0", "return_code": -8888,
           "message": "Aborted after failed job", "is_uninstall": 0}
    assert jobs.failed_jobs([job, dict(job, id=6, state=3)]) == [{
        "id": 5, "computer_id": 2, "hostname": "pc2", "package_id": 9, "package": "Firefox 121.0",
        "package_family": "Firefox", "package_version": "121.0", "is_uninstall": False, "state": -1,
        "state_name": "failed", "return_code": -8888, "message": "Aborted after failed job"}]
