"""The one batch read and its rule for objects that vanished (OcoClient.read_each, client.vanished)."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils.client import CallResult, OcoClient, batch_size_problem, vanished
from ansible_collections.oco.oco.plugins.module_utils import errors


class ScriptedClient:
    """OcoClient.read_each over scripted answers: ``{id: data or an error}``."""

    read_each = OcoClient.read_each

    def __init__(self, answers):
        self.answers = answers
        self.batches = []

    def batch(self, calls, batch_size=None):
        self.batches.append((calls, batch_size))
        results = []
        for method, data in calls:
            answer = self.answers[data["id"]]
            error = answer if isinstance(answer, Exception) else None
            results.append(CallResult(method, None if error else answer, error))
        return results


def test_not_found_and_permission_denied_mean_vanished():
    assert vanished(errors.OcoNotFoundError("gone")) and vanished(errors.OcoPermissionError("hidden"))
    assert not vanished(errors.OcoServerError("SQL error")) and not vanished(None)


def test_read_each_leaves_vanished_objects_out_in_one_batch():
    client = ScriptedClient({1: {"a": 1}, 2: errors.OcoNotFoundError("gone"), 3: errors.OcoPermissionError("hidden"),
                             4: []})
    assert client.read_each("oco.computer.get", [1, 2, 3, 4], batch_size=50) == {1: {"a": 1}, 4: []}
    assert client.batches == [([("oco.computer.get", {"id": i}) for i in (1, 2, 3, 4)], 50)]


def test_read_each_raises_every_other_error():
    client = ScriptedClient({1: {}, 2: errors.OcoServerError("the server reported an error")})
    with pytest.raises(errors.OcoServerError):
        client.read_each("oco.computer.get", [1, 2])


@pytest.mark.parametrize("value, why", [(1, None), (500, None), (0, "use a number of calls >= 1"), (-3, "use a number of calls >= 1")])
def test_batch_size_problem(value, why):
    assert batch_size_problem(value) == why
