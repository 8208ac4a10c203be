"""Which installation records a package reference names (module_utils/installations.py)."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils.installations import installation_matches, installations_of

RECORDS = [
    {"id": 1, "package_id": 10, "package_family_name": "Firefox ESR", "package_version": "115.0"},
    {"id": 2, "package_id": 11, "package_family_name": "Firefox ESR", "package_version": "128.0"},
    {"id": 3, "package_id": 20, "package_family_name": "7-Zip", "package_version": "23.01"},
    {"id": 4, "package_id": 30, "package_family_name": "10", "package_version": "1"},
]


@pytest.mark.parametrize("ref, ids", [
    ("firefox esr", [1, 2]),                                   # a family alone: every installed version
    ({"family": "FIREFOX ESR"}, [1, 2]),
    ({"family": "Firefox ESR", "version": None}, [1, 2]),
    ({"family": "Firefox ESR", "version": "128.0"}, [2]),
    (10, [1]),                                                 # an int: that package
    ("10", [4]),                                               # a string of digits: the family named 10
    ("Firefox", []),
])
def test_one_rule_for_installation_records(ref, ids):
    assert [r["id"] for r in installations_of(RECORDS, ref)] == ids


def test_names_compare_as_the_server_compares_them():
    record = {"package_id": 5, "package_family_name": "Straße", "package_version": "1.0"}
    assert installation_matches(record, "STRASE") and not installation_matches(record, "STRASSE")
    assert installation_matches(record, {"family": "strase", "version": "1.0 "})
