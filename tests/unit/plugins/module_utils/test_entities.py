"""References: one local check, and resolving that reports every bad one (module_utils/entities.py)."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils.entities import (
    Resolver, as_id, reference_problem, reference_problems, same_name)
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError


@pytest.mark.parametrize("kind, ref, why", [
    ("computer", "pc1", None),
    ("computer", 3, None),
    ("computer", 0, "an id must be a positive integer"),
    ("computer", " ", "an empty name"),
    ("computer", True, "not a computer reference"),
    ("computer", None, "not a computer reference"),
    ("computer", 1.5, "not a computer reference"),
    ("computer", {"family": "x"}, "computers are named by host name or id"),
    ("report", {"name": "x"}, "reports are named by name or id"),
    ("package", {"family": "Firefox", "version": "1.0"}, None),
    ("package", {"family": "Firefox"}, None),
    ("package", {"family": "Firefox", "versoin": "1"}, "unknown key versoin"),
    ("package", {"version": "1"}, "needs a family name"),
    ("package", {"family": "Firefox", "version": 1.1}, "quote versions"),
])
def test_reference_problem(kind, ref, why):
    found = reference_problem(kind, ref)
    assert found is None if why is None else why in found


def test_every_bad_reference_is_named():
    assert reference_problems("members", "computer", ["pc1", "", 0]) == [
        "invalid option members='': an empty name", "invalid option members=0: an id must be a positive integer"]


class ListClient:
    dialect = "jsonrpc"

    def __init__(self):
        self.calls = []

    def call(self, method, data=None):
        self.calls.append(method)
        assert method == "oco.computer.list"
        return {"computers": [{"id": 1, "hostname": "pc-01"}, {"id": 2, "hostname": "PC-02 "}], "groups": []}


def test_resolve_many_reports_every_bad_reference_at_once():
    resolver = Resolver(ListClient())
    assert [c["id"] for c in resolver.resolve_many("computers", "computer", ["pc-02", 1])] == [2, 1]
    with pytest.raises(OcoLookupError) as failure:
        resolver.resolve_many("computers", "computer", ["pc-03", 9, "pc-01"])
    assert str(failure.value) == "computers: no computer matches 'pc-03' (closest: pc-01); no computer has id 9"
    assert resolver.client.calls == ["oco.computer.list"]  # one read for all of them


def test_resolve_options_names_every_option():
    with pytest.raises(OcoLookupError, match=r"^a: no computer has id 7; b: no computer matches 'x'$"):
        Resolver(ListClient()).resolve_options([("a", "computer", [7]), ("b", "computer", ["x"]), ("c", "computer", [1])])


def test_ids_and_names():
    assert (as_id(7), as_id(" 12 "), as_id("pc"), as_id(True)) == (7, 12, None, None)
    assert same_name(" PC-01", "pc-01 ") and not same_name("pc-01", "pc-1")
