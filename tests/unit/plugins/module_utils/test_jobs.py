"""Derived container status (facts 4.7), state counts and the wait loop of module_utils/jobs.py."""

from __future__ import annotations

from collections import namedtuple
from datetime import datetime

import pytest

from ansible_collections.oco.oco.plugins.module_utils import jobs
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoNotFoundError

NOW = datetime(2026, 12, 1, 12, 0, 0)
BatchResult = namedtuple("BatchResult", ["method", "data", "error"])


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


class FakeClient:
    """Answers oco.job_container.job.list from a script, one entry per call."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []

    def call(self, method, data=None):
        self.calls.append((method, data))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


CONTAINER = {"id": 7, "start_time": "2000-01-01 00:00:00"}


def test_wait_polls_once_per_interval_until_final():
    client, clock = FakeClient([js(0, 0), js(1, 3), js(3, 3)]), FakeClock()
    result = jobs.wait_for_container(client, CONTAINER, 60, 5, sleep=clock.sleep, clock=clock)
    assert (result.status, result.polls, result.timed_out, result.vanished) == ("succeeded", 3, False, False)
    assert client.calls == [("oco.job_container.job.list", {"id": 7})] * 3
    assert clock.sleeps == [5, 5]


def test_wait_uses_the_jobs_already_read_as_first_poll():
    client, clock = FakeClient([js(-1, 3)]), FakeClock()
    result = jobs.wait_for_container(client, CONTAINER, 60, 5, jobs=js(0, 3), sleep=clock.sleep, clock=clock)
    assert (result.status, result.polls) == ("failed", 2)
    assert len(client.calls) == 1


def test_wait_times_out_with_the_last_status():
    client, clock = FakeClient([js(0)] * 10), FakeClock()
    result = jobs.wait_for_container(client, CONTAINER, 12, 5, sleep=clock.sleep, clock=clock)
    assert (result.status, result.timed_out, result.polls) == ("in_progress", True, 4)
    assert clock.sleeps == [5, 5, 2]    # the last poll happens at the deadline


def test_wait_reports_a_vanished_container_with_the_jobs_last_seen():
    client, clock = FakeClient([js(0, 3), OcoNotFoundError("gone")]), FakeClock()
    result = jobs.wait_for_container(client, CONTAINER, 60, 1, sleep=clock.sleep, clock=clock)
    assert result.vanished is True and result.timed_out is False
    assert [j["state"] for j in result.jobs] == [0, 3]
    assert result.status == "in_progress"


def test_job_lists_skips_containers_removed_meanwhile():
    class BatchClient:
        def batch(self, calls):
            return [BatchResult(m, js(3), None) if d["id"] == 1 else BatchResult(m, None, OcoNotFoundError("gone"))
                    for m, d in calls]

    assert jobs.job_lists(BatchClient(), [1, 2]) == {1: js(3)}
