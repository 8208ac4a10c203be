"""What a reference names, through ansible-playbook and ansible-inventory against the test server.

A string is always a name (or a group path), an int always an id: ``members: ["1"]`` names the
computer called 1, ``members: [1]`` the computer with id 1, and where the int could also be read as
another object's name the task fails before writing anything. Names are compared the way the
server's database compares them, so ``STRASSE`` is not ``straße``. A slash inside a group name is
written ``\\/`` in a path.
"""

from __future__ import annotations

import json

import oco_helpers
import oco_plays
import pytest

MEMBERSHIP = "oco.oco.oco_group_membership"
COMPUTER = "oco.oco.oco_computer"
COMPUTER_INFO = "oco.oco.oco_computer_info"


def members(server, group_id):
    rows = server.admin.sql("SELECT c.hostname FROM computer_group_member m JOIN computer c ON c.id = m.computer_id "
                            "WHERE m.computer_group_id = ? ORDER BY c.hostname", [group_id])
    return [row["hostname"] for row in rows]


def hostnames(server):
    return sorted(row["hostname"] for row in server.admin.sql("SELECT hostname FROM computer"))


@pytest.fixture
def digits(oco_server):
    """pc-a (id 1), pc-b (id 2) and a computer named "1" (id 3); the group Lab holds "1" and pc-b."""
    admin = oco_server.admin
    ids = {name: admin.create_computer(name) for name in ("pc-a", "pc-b", "1")}
    assert (ids["pc-a"], ids["pc-b"]) == (1, 2)
    ids["lab"] = admin.create_computer_group("Lab")
    admin.add_computer_to_group(ids["1"], ids["lab"])
    admin.add_computer_to_group(ids["pc-b"], ids["lab"])
    admin.reset_counters()
    return ids


def test_a_quoted_number_is_a_host_name_and_exact_removes_nothing_else(oco_server, run_tasks, digits):
    result = run_tasks([
        {MEMBERSHIP: dict(type="computer", group="Lab", members=["1", "pc-b"], state="exact")},
        {MEMBERSHIP: dict(type="computer", group="Lab", members=[1, "pc-b"], state="exact")},
        {MEMBERSHIP: dict(type="computer", group="Lab", members=["2"], state="absent")},
        {MEMBERSHIP: dict(type="computer", group="Lab", members="{{ [some_int] }}", state="present")},
        {MEMBERSHIP: dict(type="computer", group="Lab", members=["{{ some_int }}"], state="present")},
        {MEMBERSHIP: dict(type="computer", group="Lab", members=["{{ some_int | string }}"], state="present")},
    ], vars={"some_int": 2})
    exact, ambiguous, hint, templated_list, templated_item, stringified = result.results
    assert exact["changed"] is False and exact["removed"] == [] and exact["added"] == [], str(result)
    assert ambiguous.get("failed") and "1 is both the id of computer 'pc-a' (id 1) and the name of computer '1' (id 3)" in ambiguous["msg"]
    assert "'1' (quoted) for the name" in ambiguous["msg"]
    assert hint.get("failed")
    assert "no computer is named '2'; to name the computer with id 2 write the number without quotes" in hint["msg"]
    # A templated int stays an int under ansible-core's native templating (2.19 and later): it is the
    # id of pc-b, already a member. As the string "2" it would fail like the task before.
    for templated in (templated_list, templated_item):
        assert not templated.get("failed") and templated["changed"] is False, str(result)
        assert templated["added"] == [] and templated["removed"] == []
    # "{{ x | string }}" is a string: the name "2", which no computer has.
    assert stringified.get("failed") and "no computer is named '2'" in stringified["msg"]
    assert oco_server.admin.counters()["writes"] == 0
    assert members(oco_server, digits["lab"]) == ["1", "pc-b"]


def test_group_ids_are_numbers_and_group_names_may_be_digits(oco_server, run_tasks, digits):
    admin = oco_server.admin
    named_one = admin.create_computer_group("1", parent_id=digits["lab"])   # id 2: a group named like group id 1
    assert named_one == 2
    result = run_tasks([
        {MEMBERSHIP: dict(type="computer", group="1", members=["pc-a"])},
        {MEMBERSHIP: dict(type="computer", group=1, members=["pc-a"])},
        {MEMBERSHIP: dict(type="computer", group=2, members=["pc-b"])},
    ])
    by_name, ambiguous, by_id = result.results
    assert by_name["changed"] is True and by_name["group"]["id"] == named_one, str(result)
    assert ambiguous.get("failed")
    assert "1 is both the id of computer group Lab (id 1) and the name of computer group Lab/1 (id 2)" in ambiguous["msg"]
    assert by_id["changed"] is True and by_id["group"]["path"] == "Lab/1"
    assert members(oco_server, named_one) == ["pc-a", "pc-b"]
    assert members(oco_server, digits["lab"]) == ["1", "pc-b"]


def test_strasse_is_not_strasze(oco_server, run_tasks):
    oco_server.admin.create_computer("straße")
    oco_server.admin.reset_counters()
    result = run_tasks([
        {COMPUTER: dict(hostname="STRASSE", state="absent")},
        {COMPUTER: dict(hostname="STRASE", state="absent"), "check_mode": True},
        {COMPUTER: dict(hostname="Strase", state="present")},
    ])
    absent, would_remove, present = result.results
    assert absent["changed"] is False, str(result)
    assert would_remove["changed"] is True   # check mode: it would remove straße, the same name to the server
    assert present["changed"] is False and present["computer"]["hostname"] == "straße"
    assert oco_server.admin.counters()["writes"] == 0
    assert hostnames(oco_server) == ["straße"]
    # And the other way round: STRASSE is a computer of its own, which the server accepts.
    again = run_tasks([{COMPUTER: dict(hostname="STRASSE")}, {COMPUTER: dict(hostname="strasse ")}])
    assert [r["changed"] for r in again.results] == [True, False], str(again)
    assert hostnames(oco_server) == ["STRASSE", "straße"]


def test_a_group_named_with_a_slash_and_a_path_fail_until_escaped(oco_server, run_tasks):
    admin = oco_server.admin
    parent = admin.create_computer_group("A")
    child = admin.create_computer_group("B", parent_id=parent)
    slashed = admin.create_computer_group("A/B")
    in_child, in_slashed = admin.create_computer("pc-child"), admin.create_computer("pc-slashed")
    admin.add_computer_to_group(in_child, child)
    admin.add_computer_to_group(in_slashed, slashed)
    result = run_tasks([
        {COMPUTER_INFO: dict(computer_group="A/B")},
        {COMPUTER_INFO: dict(computer_group="A\\/B")},
        {COMPUTER_INFO: dict(computer_group="a/b ")},
        {MEMBERSHIP: dict(type="computer", group="A\\/B", members=["pc-child"])},
    ])
    ambiguous, escaped, path, added = result.results
    assert ambiguous.get("failed"), str(result)
    assert "'A/B' is the path of computer group A/B (id %d) and the name of computer group A\\/B (id %d)" % (
        child, slashed) in ambiguous["msg"]
    assert "write a slash inside a name as \\/" in ambiguous["msg"]
    assert escaped.get("failed") is not True and [c["hostname"] for c in escaped["computers"]] == ["pc-slashed"]
    assert path.get("failed") and "is the path of" in path["msg"]
    assert added["changed"] is True and added["group"]["path"] == "A\\/B"
    assert members(oco_server, slashed) == ["pc-child", "pc-slashed"] and members(oco_server, child) == ["pc-child"]


def test_inventory_group_filter_and_report_with_digit_names(oco_server, digits):
    admin = oco_server.admin
    named_one = admin.create_computer_group("1")          # id 2: named like the group Lab's id 1
    admin.add_computer_to_group(digits["pc-a"], named_one)
    report = admin.create_report("1", "SELECT id AS computer_id FROM computer WHERE hostname = 'pc-b'")

    def hosts(**options):
        source = json.dumps(dict({"plugin": "oco.oco.oco"}, **options))
        return sorted(oco_helpers.run_inventory(source, oco_server)["_meta"]["hostvars"])

    assert hosts(computer_groups=["1"]) == ["pc-a"]
    assert hosts(computer_groups=[2]) == ["pc-a"]
    assert hosts(exclude_computer_groups=["1"]) == ["1", "pc-b"]
    assert hosts(report="1") == ["pc-b"]
    assert hosts(report=report) == ["pc-b"]
    with pytest.raises(oco_helpers.CommandFailed) as failure:
        hosts(computer_groups=[1])
    assert "1 is both the id of computer group Lab (id 1) and the name of computer group 1 (id 2)" in str(failure.value)
    assert oco_server.admin.counters()["writes"] == 0


def test_lookup_report_by_quoted_number_is_a_name(oco_server, run_tasks):
    admin = oco_server.admin
    admin.create_computer("pc-one")
    report = admin.create_report("1", "SELECT hostname FROM computer")   # report id 1 is one OCO ships
    assert report != 1
    result = run_tasks([
        {"ansible.builtin.set_fact": {"rows": "{{ query('oco.oco.oco_report', '1') }}"}},
        {"ansible.builtin.set_fact": {"rows": "{{ query('oco.oco.oco_report', 1) }}"}},
        {"ansible.builtin.set_fact": {"rows": "{{ query('oco.oco.oco_report', %d) }}" % report}},
    ], connection_via="env")
    by_name, ambiguous, by_id = result.results
    assert by_name["ansible_facts"]["rows"] == [{"hostname": "pc-one"}], str(result)
    assert ambiguous.get("failed") and "1 is both the id of report" in ambiguous["msg"]
    assert "and the name of report '1' (id %d)" % report in ambiguous["msg"]
    assert by_id["ansible_facts"]["rows"] == [{"hostname": "pc-one"}]


def test_register_computers_treats_numeric_host_names_as_names(oco_server):
    admin = oco_server.admin
    first = admin.create_computer("pc-first")            # id 1
    lab = admin.create_computer_group("Lab")
    inventory = {"all": {"hosts": {"web1": {"oco_name": 1}, "web2": {"oco_name": "pc-two"}}}}
    play = [{"name": "register", "hosts": "all", "gather_facts": False, "roles": [{
        "role": "oco.oco.register_computers",
        "vars": {"oco_register_computers_hostname_var": "oco_name",
                 "oco_register_computers_group_map": {"all": lab}}}]}]
    result = oco_plays.run_playbook(play, oco_server, inventory=inventory)
    assert result.rc == 0, str(result)
    assert hostnames(oco_server) == ["1", "pc-first", "pc-two"]
    assert members(oco_server, lab) == ["1", "pc-two"]
    assert first not in [row["computer_id"] for row in admin.sql("SELECT computer_id FROM computer_group_member")]
