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


class ListClient:
    """Answers oco.job_container.list from a script, one list per call (the last one repeats)."""

    def __init__(self, *lists):
        self.lists = list(lists)
        self.calls = 0

    def call(self, method, data=None):
        assert method == "oco.job_container.list"
        self.calls += 1
        return self.lists.pop(0) if len(self.lists) > 1 else self.lists[0]


class Clock:
    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


OLD = {"id": 3, "name": "Rollout"}


def test_oldest_is_the_lowest_id():
    assert jobs.oldest([{"id": 9}, {"id": 4}, {"id": 7}]) == {"id": 4}
    assert jobs.oldest([]) is None


def test_await_new_reads_until_a_late_container_shows():
    late = {"id": 8, "name": "rollout"}
    client, clock = ListClient([OLD], [OLD], [OLD], [OLD, late]), Clock()
    found = jobs.await_new(client, "ROLLOUT", {3}, 10, sleep=clock.sleep, clock=clock)
    assert found == [late]
    assert client.calls == 4 and clock.sleeps == [1.0, 2.0, 4.0]


def test_await_new_gives_up_after_its_patience():
    client, clock = ListClient([OLD]), Clock()
    assert jobs.await_new(client, "rollout", {3}, 10, sleep=clock.sleep, clock=clock) == []
    assert clock.sleeps == [1.0, 2.0, 4.0, 3.0]    # the last read happens at the deadline
    assert client.calls == 5


def test_await_new_without_patience_reads_once_and_sorts_oldest_first():
    client, clock = ListClient([{"id": 12, "name": "rollout"}, OLD, {"id": 10, "name": "Rollout"}]), Clock()
    assert [c["id"] for c in jobs.await_new(client, "rollout", set(), 0, sleep=clock.sleep, clock=clock)] == [3, 10, 12]
    assert client.calls == 1 and clock.sleeps == []


def test_named_settled_reads_again_while_another_run_removes_its_duplicate():
    duplicate = {"id": 9, "name": "rollout"}
    client, clock, known = ListClient([OLD, duplicate], [OLD]), Clock(), set()
    assert jobs.named_settled(client, "rollout", known, sleep=clock.sleep, clock=clock) == [OLD]
    assert client.calls == 2 and clock.sleeps == [1.0]
    assert known == {3, 9}


def test_named_settled_returns_lasting_duplicates_after_its_patience():
    client, clock = ListClient([OLD, {"id": 9, "name": "rollout"}]), Clock()
    assert len(jobs.named_settled(client, "rollout", set(), patience=3, sleep=clock.sleep, clock=clock)) == 2
    assert clock.sleeps == [1.0, 2.0] and client.calls == 3


def test_named_settled_reads_once_for_one_or_none():
    client, clock = ListClient([OLD, {"id": 4, "name": "other"}]), Clock()
    assert jobs.named_settled(client, "rollout", set(), sleep=clock.sleep, clock=clock) == [OLD]
    assert client.calls == 1 and clock.sleeps == []
