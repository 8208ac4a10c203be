"""The role oco.oco.register_computers: one run on the controller for every host of the play."""

from __future__ import annotations

import pytest

import oco_plays

CREATE_TASK = "Ensure every host exists in OCO"
GROUP_TASK = "Ensure the OCO computer groups hold the hosts"
INVENTORY = {"all": {"children": {
    "web": {"hosts": {"web1": None, "web2": {"oco_name": "web2.example.org"}}},
    "db": {"hosts": {"db1": None}},
}}}
GROUP_MAP = {"web": "Servers/Web", "db": ["Servers/DB", "Servers/Web"]}


@pytest.fixture
def groups(oco_server):
    """Computer groups Servers/Web (holding the old computer legacy1) and Servers/DB."""
    admin = oco_server.admin
    ids = {"servers": admin.create_computer_group("Servers")}
    ids["web"] = admin.create_computer_group("Web", parent_id=ids["servers"])
    ids["db"] = admin.create_computer_group("DB", parent_id=ids["servers"])
    ids["legacy1"] = admin.create_computer("legacy1")
    admin.add_computer_to_group(ids["legacy1"], ids["web"])
    admin.reset_counters()
    return ids


def register_play(hosts="all", **role_vars):
    return [{"name": "register", "hosts": hosts, "gather_facts": False,
             "roles": [{"role": "oco.oco.register_computers", "vars": role_vars}]}]


def computers(server):
    return sorted(row["hostname"] for row in server.admin.sql("SELECT hostname FROM computer"))


def members(server, group_id):
    rows = server.admin.sql("SELECT c.hostname FROM computer_group_member m JOIN computer c ON c.id = m.computer_id "
                            "WHERE m.computer_group_id = ?", [group_id])
    return sorted(row["hostname"] for row in rows)


def test_registers_every_host_once_from_the_controller_and_groups_them(oco_server, groups):
    result = oco_plays.run_playbook(register_play(oco_register_computers_group_map=GROUP_MAP,
                                                  oco_register_computers_notes="from Ansible"),
                                    oco_server, inventory=INVENTORY)
    assert result.rc == 0, str(result)
    assert computers(oco_server) == ["db1", "legacy1", "web1", "web2"]
    notes = {row["hostname"]: row["notes"] for row in oco_server.admin.sql("SELECT hostname, notes FROM computer")}
    assert notes["web1"] == "from Ansible"
    assert members(oco_server, groups["web"]) == ["db1", "legacy1", "web1", "web2"]
    assert members(oco_server, groups["db"]) == ["db1"]
    # once, delegated to the controller: one task result for the whole play, one item per host / group
    creates = result.ran(CREATE_TASK)
    assert len(creates) == 1 and creates[0]["host"] in ("web1", "web2", "db1")
    assert sorted(item["item"] for item in creates[0]["result"]["results"]) == ["db1", "web1", "web2"]
    memberships = result.ran(GROUP_TASK)
    assert len(memberships) == 1
    by_group = {item["item"]["key"]: item for item in memberships[0]["result"]["results"]}
    assert sorted(by_group) == ["Servers/DB", "Servers/Web"]
    assert sorted(m["name"] for m in by_group["Servers/Web"]["added"]) == ["db1", "web1", "web2"]
    # one membership batch per group: a list for the group, its members, one batch of additions
    assert oco_server.admin.counters()["calls"]["oco.computer.add_to_group"] == 4
    assert result.fact("oco_register_computers_members", host=None) == {
        "Servers/Web": ["web1", "web2", "db1"], "Servers/DB": ["db1"]}


def test_second_run_changes_nothing(oco_server, groups):
    play = register_play(oco_register_computers_group_map=GROUP_MAP)
    first = oco_plays.run_playbook(play, oco_server, inventory=INVENTORY)
    assert first.rc == 0, str(first)
    writes = oco_server.admin.counters()["writes"]
    second = oco_plays.run_playbook(play, oco_server, inventory=INVENTORY)
    assert second.rc == 0, str(second)
    assert second.changed == [], str(second)
    assert oco_server.admin.counters()["writes"] == writes


def test_check_mode_reports_changes_and_writes_nothing(oco_server, groups):
    oco_server.admin.create_computer("web1")
    oco_server.admin.reset_counters()
    result = oco_plays.run_playbook(register_play(oco_register_computers_group_map=GROUP_MAP,
                                                  oco_register_computers_exact=True),
                                    oco_server, inventory=INVENTORY, check=True)
    assert result.rc == 0, str(result)
    assert oco_server.admin.counters()["writes"] == 0
    creates = result.task(CREATE_TASK)
    assert {item["item"]: item["changed"] for item in creates["results"]} == {"web1": False, "web2": True, "db1": True}
    by_group = {item["item"]["key"]: item for item in result.task(GROUP_TASK)["results"]}
    # computers that would be created cannot be looked up yet; the existing ones are shown
    assert [m["name"] for m in by_group["Servers/Web"]["added"]] == ["web1"]
    assert [m["name"] for m in by_group["Servers/Web"]["removed"]] == ["legacy1"]
    assert computers(oco_server) == ["legacy1", "web1"]


def test_exact_membership_and_a_hostname_variable(oco_server, groups):
    inventory = {"all": {"hosts": {"web1": {"oco_name": "WEB-1"}, "web2": {"oco_name": "web-2"}},
                         "children": {"web": {"hosts": {"web1": None, "web2": None}}}}}
    result = oco_plays.run_playbook(register_play(oco_register_computers_group_map={"web": groups["web"]},
                                                  oco_register_computers_hostname_var="oco_name",
                                                  oco_register_computers_exact=True),
                                    oco_server, inventory=inventory)
    assert result.rc == 0, str(result)
    assert computers(oco_server) == ["WEB-1", "legacy1", "web-2"]
    assert members(oco_server, groups["web"]) == ["WEB-1", "web-2"]
    assert result.fact("oco_register_computers_hostnames", host=None) == {"web1": "WEB-1", "web2": "web-2"}


def test_only_the_hosts_of_the_play(oco_server, groups):
    result = oco_plays.run_playbook(register_play(hosts="db", oco_register_computers_group_map=GROUP_MAP),
                                    oco_server, inventory=INVENTORY)
    assert result.rc == 0, str(result)
    assert computers(oco_server) == ["db1", "legacy1"]
    assert members(oco_server, groups["web"]) == ["db1", "legacy1"]


def test_unknown_oco_group_fails_with_closest_names(oco_server, groups):
    result = oco_plays.run_playbook(register_play(oco_register_computers_group_map={"web": "Servers/Webb"}),
                                    oco_server, inventory=INVENTORY)
    assert result.rc != 0
    task = result.task(GROUP_TASK)
    assert task["failed"] is True
    # ansible-core 2.21 keeps no "failed" key in the item results of a loop: read the message.
    failed = task["results"][0]
    assert "Servers/Webb" in failed["msg"] and "Servers/Web" in failed["msg"].replace("Servers/Webb", "")


def test_permission_denied_for_a_read_only_user(oco_server, groups):
    result = oco_plays.run_playbook(register_play(), oco_server, inventory=INVENTORY,
                                    username="reader", password="oco-reader-pw")
    assert result.rc != 0
    task = result.task(CREATE_TASK)
    assert task["failed"] is True
    denied = [item for item in task["results"] if "permission denied" in item.get("msg", "")]
    assert denied and "oco-reader-pw" not in result.stdout
    assert computers(oco_server) == ["legacy1"]


def test_host_without_the_hostname_variable_fails_before_any_request(oco_server, groups):
    result = oco_plays.run_playbook(register_play(oco_register_computers_hostname_var="oco_name"),
                                    oco_server, inventory=INVENTORY)
    assert result.rc != 0
    failure = result.task("Check that every host has an OCO host name")
    assert "oco_name" in failure["msg"] and "db1" in failure["msg"] and "web1" in failure["msg"]
    assert "web2" not in failure["msg"].split(":", 1)[1]
    assert oco_server.admin.counters()["http_requests"] == 0


@pytest.mark.parametrize("role_vars, expected", [
    ({"oco_register_computers_group_map": ["web"]}, "oco_register_computers_group_map"),
    ({"oco_register_computers_exact": "sometimes"}, "oco_register_computers_exact"),
    ({"oco_register_computers_connection": {"uri": "https://oco"}}, "uri"),
    ({"oco_register_computers_hosts": "web1"}, None),
])
def test_invalid_variables_fail_before_any_request(oco_server, groups, role_vars, expected):
    result = oco_plays.run_playbook(register_play(**role_vars), oco_server, inventory=INVENTORY)
    if expected is None:
        # a single host name is accepted as a one-element list
        assert result.rc == 0, str(result)
        assert computers(oco_server) == ["legacy1", "web1"]
        return
    assert result.rc != 0
    failure = result.records[0]["result"]
    assert "Validation of arguments failed" in failure["msg"] and expected in failure["msg"], failure["msg"]
    assert oco_server.admin.counters()["http_requests"] == 0
