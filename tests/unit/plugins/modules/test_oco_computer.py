"""oco_computer's create step (through the ensure runner) when another writer wins the race or the answer is lost."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils.ensure import Runner
from ansible_collections.oco.oco.plugins.module_utils.errors import (
    OcoAmbiguousWriteError, OcoInvalidRequestError, OcoPermissionError)
from ansible_collections.oco.oco.plugins.modules import oco_computer

EXISTING = {"id": 7, "hostname": "pc-race", "notes": ""}


class FakeClient:
    def __init__(self, error):
        self.error = error
        self.sent = []

    def call(self, method, data=None):
        self.sent.append(method)
        raise self.error


class FakeResolver:
    def __init__(self, found):
        self.found = found
        self.refreshed = 0

    def find_computer(self, hostname, refresh=False):
        self.refreshed += int(refresh)
        return self.found


class FakeModule:
    check_mode = False

    def __init__(self, error, found):
        self.client = FakeClient(error)
        self.resolver = FakeResolver(found)
        self.params = {"notes": None}
        self.partial_result = {}


def create(module, hostname):
    return Runner(module, oco_computer.computer(module, hostname)).create_once()


@pytest.mark.parametrize("error, changed", [
    (OcoInvalidRequestError("exists", server_message="This hostname already exists"), False),
    (OcoAmbiguousWriteError("answer lost"), True),
])
def test_create_carries_on_when_the_computer_exists(error, changed):
    module = FakeModule(error, EXISTING)
    assert create(module, "PC-RACE") == (EXISTING, changed)
    assert module.client.sent == ["oco.computer.create"]
    assert module.resolver.refreshed == 1


@pytest.mark.parametrize("error", [OcoInvalidRequestError("bad"), OcoAmbiguousWriteError("lost")])
def test_create_fails_when_the_computer_is_still_missing(error):
    module = FakeModule(error, None)
    with pytest.raises(type(error)):
        create(module, "pc-race")
    assert module.client.sent == ["oco.computer.create"]


def test_other_errors_are_not_reconciled():
    module = FakeModule(OcoPermissionError("denied"), EXISTING)
    with pytest.raises(OcoPermissionError):
        create(module, "pc-race")
    assert module.resolver.refreshed == 0
