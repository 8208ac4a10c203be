"""The wait loop of module_utils/job_wait.py: one request per poll, timeouts, a vanished container."""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils import job_wait as jobs
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoNotFoundError


def js(*states):
    return [{"id": i, "state": s} for i, s in enumerate(states, 1)]


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
