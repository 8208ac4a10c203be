"""Pure helpers of the inventory plugin and the guessing group-tree loader it uses."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.inventory.oco import (
    InventoryModule, first_ip, group_names, sanitize_group_name, unique_host_names)
from ansible_collections.oco.oco.plugins.module_utils.client import CallResult
from ansible_collections.oco.oco.plugins.module_utils.entities import GroupTree
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError, OcoNotFoundError


@pytest.mark.parametrize("name, expected", [
    ("Berlin", "berlin"),
    ("Web Servers (DMZ)", "web_servers_dmz"),
    ("  a--b  ", "a_b"),
    ("München Büro", "münchen_büro"),
    ("10.0.0.0/8", "10_0_0_0_8"),
])
def test_sanitize_group_name(name, expected):
    assert sanitize_group_name(name) == expected


def test_group_names_use_paths_then_ids_on_collision():
    groups = [
        {"id": 1, "name": "Berlin", "path": "Berlin"},
        {"id": 2, "name": "Servers", "path": "Berlin/Servers"},
        {"id": 3, "name": "Munich", "path": "Munich"},
        {"id": 4, "name": "servers", "path": "Munich/servers"},
        {"id": 5, "name": "Berlin Servers", "path": "Berlin Servers"},
        {"id": 6, "name": "all", "path": "all"},
        {"id": 7, "name": "2nd floor", "path": "2nd floor"},
    ]
    names = group_names(groups, "oco_")
    assert names[1] == "oco_berlin"
    assert names[4] == "oco_munich_servers"
    # "Berlin/Servers" and "Berlin Servers" sanitise alike even as paths: the id settles it.
    assert names[2] == "oco_berlin_servers_2"
    assert names[5] == "oco_berlin_servers_5"
    assert group_names(list(reversed(groups)), "oco_") == names
    bare = group_names(groups, "")
    assert bare[6] == "_all"
    assert bare[7] == "_2nd_floor"


def test_unique_host_names_names_both_ids():
    assert unique_host_names([("a", 1), ("b", 2)]) == {"a": 1, "b": 2}
    with pytest.raises(OcoLookupError, match=r"computers id 3 and id 9 both get the inventory host name 'pc'"):
        unique_host_names([("pc", 3), ("other", 4), ("pc", 9)])


def test_first_ip_skips_unusable_addresses():
    networks = [{"address": ""}, {"address": "-"}, {"address": "127.0.0.1"}, {"address": "fe80::1%eth0"},
                {"address": "169.254.3.4"}, {"address": "not an ip"}, {"address": "10.0.0.5"}, {"address": "10.0.0.6"}]
    assert first_ip(networks) == "10.0.0.5"
    assert first_ip([]) is None
    assert first_ip(None) is None
    assert first_ip([{"address": "2001:db8::5"}]) == "2001:db8::5"


def test_guess_window():
    assert InventoryModule._guess([], 500) == 0
    assert InventoryModule._guess([{"id": 1}, {"id": 3}], 500) == 50
    assert InventoryModule._guess([{"id": 23}], 500) == 230
    assert InventoryModule._guess([{"id": 230}], 500) == 500


class FakeClient:
    """Answers oco.computer.list(computer_group_id) from a parent map; records every batch."""

    def __init__(self, parents, dialect="jsonrpc", batch_size=500):
        self.parents = parents
        self.dialect = dialect
        self.batch_size = batch_size
        self.batches = []

    def answer(self, gid):
        if gid not in self.parents:
            return CallResult("oco.computer.list", None, OcoNotFoundError("not found"))
        children = [{"id": c, "parent_computer_group_id": gid, "name": "g%d" % c}
                    for c, p in sorted(self.parents.items()) if p == gid]
        return CallResult("oco.computer.list", {"name": "g%d" % gid, "computers": [{"id": 1000 + gid}],
                                                "groups": children}, None)

    def batch(self, calls, batch_size=None):
        ids = [data["computer_group_id"] for _method, data in calls]
        size = batch_size or self.batch_size
        for start in range(0, len(ids), size):
            self.batches.append(ids[start:start + size])
        return [self.answer(gid) for gid in ids]


def tree_of(depth, fanout):
    parents, level, next_id = {}, [None], 1
    for _level in range(depth):
        new_level = []
        for parent in level:
            for _child in range(fanout if parent is not None else 3):
                parents[next_id] = parent
                new_level.append(next_id)
                next_id += 1
        level = new_level
    return parents


def roots_of(parents):
    return [{"id": g, "parent_computer_group_id": None, "name": "g%d" % g} for g, p in sorted(parents.items()) if p is None]


def assert_same_tree(left, right):
    assert left.groups == right.groups
    assert left.members == right.members
    assert left.children == right.children


def test_guessing_reads_a_deep_tree_in_one_batch_and_matches_the_level_loader():
    parents = tree_of(depth=4, fanout=3)          # 3 + 9 + 27 + 81 = 120 groups
    guessing = FakeClient(parents)
    tree = GroupTree(guessing, "computer").load(roots_of(parents), guess=200)
    assert len(guessing.batches) == 1
    levels = FakeClient(parents)
    plain = GroupTree(levels, "computer").load(roots_of(parents))
    assert len(levels.batches) == 4
    assert_same_tree(tree, plain)
    assert tree.groups[120]["path"] == "g3/g12/g39/g120"


def test_guessing_fetches_what_the_window_missed():
    parents = tree_of(depth=3, fanout=4)          # 3 + 12 + 48 = 63 groups
    client = FakeClient(parents, batch_size=20)
    tree = GroupTree(client, "computer").load(roots_of(parents), guess=20)
    plain = GroupTree(FakeClient(parents), "computer").load(roots_of(parents))
    assert_same_tree(tree, plain)
    assert all(len(batch) <= 20 for batch in client.batches)
    assert len(client.batches) <= 5


def test_guessing_drops_groups_outside_the_tree():
    parents = {1: None, 2: 1, 3: None}
    client = FakeClient(parents)
    tree = GroupTree(client, "computer").load(roots_of({1: None}), guess=10)
    assert sorted(tree.groups) == [1, 2]
    assert 3 not in tree.members


def test_no_guessing_on_a_legacy_server():
    parents = tree_of(depth=2, fanout=2)
    client = FakeClient(parents, dialect="legacy")
    GroupTree(client, "computer").load(roots_of(parents), guess=500)
    asked = sorted(gid for batch in client.batches for gid in batch)
    assert asked == sorted(parents)
