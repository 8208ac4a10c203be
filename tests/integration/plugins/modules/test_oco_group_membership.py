"""oco.oco.oco_group_membership against the bundled test server."""

from __future__ import annotations

import pytest

import oco_helpers

MODULE = "oco.oco.oco_group_membership"


def task(**args):
    return {MODULE: args}


def computer_members(server, group_id):
    rows = server.admin.sql("SELECT c.hostname FROM computer_group_member m JOIN computer c ON c.id = m.computer_id "
                            "WHERE m.computer_group_id = ? ORDER BY c.hostname", (group_id,))
    return [r["hostname"] for r in rows]


def package_members(server, group_id):
    rows = server.admin.sql("SELECT package_id, sequence FROM package_group_member WHERE package_group_id = ? "
                            "ORDER BY sequence", (group_id,))
    return [(r["package_id"], r["sequence"]) for r in rows]


@pytest.fixture
def office(oco_server):
    """Computers pc-01..pc-04 and the groups Berlin, Berlin/Office, Hamburg/Office."""
    admin = oco_server.admin
    ids = {name: admin.create_computer(name) for name in ("pc-01", "pc-02", "pc-03", "pc-04")}
    berlin = admin.create_computer_group("Berlin")
    office = admin.create_computer_group("Office", parent_id=berlin)
    hamburg = admin.create_computer_group("Hamburg")
    admin.create_computer_group("Office", parent_id=hamburg)
    return {"computers": ids, "group": office, "berlin": berlin}


def test_present_repeat_absent_exact(oco_server, run_tasks, office):
    ids = office["computers"]
    result = run_tasks([
        task(type="computer", group="Berlin/Office", members=["PC-02", ids["pc-01"]]),
        task(type="computer", group="Berlin/Office", members=["pc-01", "pc-02"]),
        task(type="computer", group=office["group"], members=["pc-02", "pc-03"], state="absent"),
        task(type="computer", group="berlin/office", members=["pc-02"], state="absent"),
        task(type="computer", group="Berlin/Office", members=["pc-03", "pc-04"], state="exact"),
        task(type="computer", group="Berlin/Office", members=["pc-04", "pc-03"], state="exact"),
        task(type="computer", group="Berlin/Office", members=[], state="exact"),
    ])
    assert not result.failed_tasks, result
    add, repeat, absent, repeat_absent, exact, repeat_exact, empty = result.results
    assert add["changed"] is True
    assert add["added"] == [{"id": ids["pc-02"], "name": "pc-02"}, {"id": ids["pc-01"], "name": "pc-01"}]
    assert add["removed"] == []
    assert add["members"] == [{"id": ids["pc-01"], "name": "pc-01"}, {"id": ids["pc-02"], "name": "pc-02"}]
    assert add["group"]["id"] == office["group"] and add["group"]["path"] == "Berlin/Office"
    assert add["group"]["parent_computer_group_id"] == office["berlin"]
    assert repeat["changed"] is False and repeat["added"] == [] and len(repeat["members"]) == 2
    assert absent["changed"] is True and absent["removed"] == [{"id": ids["pc-02"], "name": "pc-02"}]
    assert repeat_absent["changed"] is False
    assert exact["changed"] is True
    assert [m["name"] for m in exact["added"]] == ["pc-03", "pc-04"]
    assert exact["removed"] == [{"id": ids["pc-01"], "name": "pc-01"}]
    assert [m["name"] for m in exact["members"]] == ["pc-03", "pc-04"]
    assert repeat_exact["changed"] is False
    assert empty["changed"] is True and [m["name"] for m in empty["removed"]] == ["pc-03", "pc-04"]
    assert empty["members"] == []
    assert computer_members(oco_server, office["group"]) == []


def test_only_needed_calls_in_one_batch(oco_server, run_tasks, office):
    oco_server.admin.add_computer_to_group(office["computers"]["pc-01"], office["group"])
    oco_server.admin.reset_counters()
    result = run_tasks([task(type="computer", group="Berlin/Office", members=["pc-01", "pc-02", "pc-03"])])
    assert result[0]["changed"] is True and not result.failed_tasks
    counters = oco_server.admin.counters()
    assert counters["calls"].get("oco.computer.add_to_group") == 2
    assert counters["writes"] == 2
    assert computer_members(oco_server, office["group"]) == ["pc-01", "pc-02", "pc-03"]


def test_check_mode_sends_no_write(oco_server, run_tasks, office):
    oco_server.admin.add_computer_to_group(office["computers"]["pc-01"], office["group"])
    oco_server.admin.reset_counters()
    result = run_tasks([task(type="computer", group="Berlin/Office", members=["pc-02"], state="exact")],
                       check=True, diff=True)
    res = result[0]
    assert res["changed"] is True and not result.failed_tasks
    assert [m["name"] for m in res["added"]] == ["pc-02"] and [m["name"] for m in res["removed"]] == ["pc-01"]
    assert [m["name"] for m in res["members"]] == ["pc-02"]
    assert oco_server.admin.counters()["writes"] == 0
    assert computer_members(oco_server, office["group"]) == ["pc-01"]


def test_diff(oco_server, run_tasks, office):
    ids = office["computers"]
    oco_server.admin.add_computer_to_group(ids["pc-01"], office["group"])
    result = run_tasks([task(type="computer", group="Berlin/Office", members=["pc-02"], state="exact")], diff=True)
    assert result[0]["diff"] == {
        "before": {"group": "Berlin/Office", "members": ["pc-01 (id %d)" % ids["pc-01"]]},
        "after": {"group": "Berlin/Office", "members": ["pc-02 (id %d)" % ids["pc-02"]],
                  "added": ["pc-02 (id %d)" % ids["pc-02"]], "removed": ["pc-01 (id %d)" % ids["pc-01"]]},
    }


def test_package_group(oco_server, run_tasks):
    admin = oco_server.admin
    ff_old = admin.create_package("Firefox", "119.0")
    ff_new = admin.create_package("Firefox", "120.0")
    lo = admin.create_package("LibreOffice", "24.2")
    seven = admin.create_package("7-Zip", "23.01")
    group = admin.create_package_group("Standard software")
    admin.add_package_to_group(seven, group)
    result = run_tasks([
        task(type="package", group="Standard software", members=["firefox", {"family": "LibreOffice", "version": "24.2"}]),
        task(type="package", group="Standard software", state="exact",
             members=[ff_new, {"family": "LibreOffice", "version": "24.2"}, {"family": "Firefox", "version": "119.0"}]),
        task(type="package", group="Standard software", state="exact",
             members=[ff_new, {"family": "LibreOffice", "version": "24.2"}, {"family": "Firefox", "version": "119.0"}]),
        task(type="package", group=group, members=[{"family": "Firefox"}], state="absent"),
    ])
    assert not result.failed_tasks, result
    add, exact, repeat, absent = result.results
    assert add["changed"] is True
    assert add["added"] == [{"id": ff_new, "name": "Firefox 120.0"}, {"id": lo, "name": "LibreOffice 24.2"}]
    assert [m["id"] for m in add["members"]] == [seven, ff_new, lo]
    assert exact["changed"] is True
    assert exact["added"] == [{"id": ff_old, "name": "Firefox 119.0"}]
    assert exact["removed"] == [{"id": seven, "name": "7-Zip 23.01"}]
    assert repeat["changed"] is False
    assert absent["removed"] == [{"id": ff_new, "name": "Firefox 120.0"}]
    assert package_members(oco_server, group) == [(lo, 1), (ff_old, 2)]


def test_unknown_group_names_closest(oco_server, run_tasks, office):
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(type="computer", group="Berlin/Ofice", members=["pc-01"]),
        task(type="computer", group="Office", members=["pc-01"]),
        task(type="computer", group=999, members=["pc-01"]),
        task(type="package", group="Office", members=[1]),
    ])
    unknown, ambiguous, by_id, wrong_kind = result.results
    assert unknown["failed"] and "no computer group matches 'Berlin/Ofice'" in unknown["msg"]
    assert "closest: Berlin/Office" in unknown["msg"]
    assert ambiguous["failed"] and "2 computer groups match 'Office'" in ambiguous["msg"]
    assert "Berlin/Office" in ambiguous["msg"] and "Hamburg/Office" in ambiguous["msg"]
    assert by_id["failed"] and "no computer group has id 999" in by_id["msg"]
    assert wrong_kind["failed"] and "no package group matches 'Office'" in wrong_kind["msg"]
    assert oco_server.admin.counters()["writes"] == 0


def test_unknown_members_fail_before_any_write(oco_server, run_tasks, office):
    oco_server.admin.create_package("Firefox", "120.0")
    oco_server.admin.create_package_group("browsers")
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(type="computer", group="Berlin/Office", members=["pc-01", "pc-0l", 4711]),
        task(type="package", group="browsers", members=["Firefix", {"family": "Firefox", "version": "999"}, 4711]),
    ])
    computers, packages = result.results
    assert computers["failed"] and "members" in computers["msg"]
    assert "no computer matches 'pc-0l' (closest: pc-0" in computers["msg"]
    assert "no computer has id 4711" in computers["msg"]
    assert packages["failed"] and "no package family matches 'Firefix' (closest: Firefox)" in packages["msg"]
    assert "no package of family 'Firefox' matches '999'" in packages["msg"]
    assert "no package has id 4711" in packages["msg"]
    assert oco_server.admin.counters()["writes"] == 0
    assert computer_members(oco_server, office["group"]) == []


INVALID_MEMBERS = [
    ("computer", [{"family": "x"}], "{'family': 'x'}", "computers are named by host name or id"),
    ("computer", [True], "True", "not a computer reference"),
    ("computer", [" "], "' '", "an empty name"),
    ("package", [{"family": "Firefox", "versoin": "1"}], "versoin", "unknown key versoin"),
    ("package", [{"family": "Firefox", "version": 1.1}], "1.1", "quote versions"),
    ("package", [0], "0", "positive integer"),
]


def test_invalid_members_send_nothing(oco_server):
    # Independent cases, one ansible-playbook run; each case is checked on its own.
    oco_server.admin.reset_counters()
    cases = {"%s %r" % (kind, members): [task(type=kind, group="g", members=members)]
             for kind, members, _shown, _why in INVALID_MEMBERS}
    answers = oco_helpers.run_cases(cases, oco_server)
    expected = {"%s %r" % (kind, members): (shown, why) for kind, members, shown, why in INVALID_MEMBERS}

    def check(case, results):
        shown, why = expected[case]
        res = results[0]
        assert res["failed"] and "invalid option members=" in res["msg"] and shown in res["msg"] and why in res["msg"], res

    oco_helpers.check_each(answers, check)
    assert oco_server.admin.counters()["http_requests"] == 0


def test_invalid_type_and_state(run_tasks):
    result = run_tasks([
        task(type="report", group="g", members=[]),
        task(type="computer", group="g", members=[], state="only"),
    ])
    assert result[0]["failed"] and "type" in result[0]["msg"] and "report" in result[0]["msg"]
    assert result[1]["failed"] and "state" in result[1]["msg"] and "only" in result[1]["msg"]


def test_read_only_user_gets_permission_denied(oco_server, run_tasks, office):
    oco_server.admin.add_computer_to_group(office["computers"]["pc-01"], office["group"])
    result = run_tasks([
        task(type="computer", group="Berlin/Office", members=["pc-02"]),
        task(type="computer", group="Berlin/Office", members=["pc-01"], state="absent"),
        task(type="computer", group="Berlin/Office", members=["pc-01"]),
    ], username="reader", password="oco-reader-pw")
    add, remove, unchanged = result.results
    assert add["failed"] and "permission denied" in add["msg"] and "oco.computer.add_to_group" in add["msg"]
    assert remove["failed"] and "permission denied" in remove["msg"] and "oco.computer.remove_from_group" in remove["msg"]
    assert "computer group 'Berlin/Office' (id %d)" % office["group"] in add["msg"]
    assert "oco-reader-pw" not in add["msg"]
    assert unchanged["changed"] is False and not unchanged.get("failed")
    assert computer_members(oco_server, office["group"]) == ["pc-01"]


def test_server_failure_is_reported(oco_server, run_tasks, office):
    oco_server.admin.inject_fault("http500", method="oco.computer.add_to_group")
    result = run_tasks([task(type="computer", group="Berlin/Office", members=["pc-01"])])
    assert result[0]["failed"] and "HTTP 500" in result[0]["msg"]
    assert computer_members(oco_server, office["group"]) == []


def test_lost_answer_is_reconciled(oco_server, run_tasks, office):
    oco_server.admin.inject_fault("commit_drop", method="oco.computer.add_to_group")
    oco_server.admin.reset_counters()
    result = run_tasks([task(type="computer", group="Berlin/Office", members=["pc-01", "pc-02"])])
    assert not result.failed_tasks, result
    assert result[0]["changed"] is True and [m["name"] for m in result[0]["added"]] == ["pc-01", "pc-02"]
    # The batch committed; the fresh read shows it, so nothing is sent again.
    assert oco_server.admin.counters()["calls"]["oco.computer.add_to_group"] == 2
    assert computer_members(oco_server, office["group"]) == ["pc-01", "pc-02"]


# 20 forks registering and joining groups at once: tests/integration/reliability/test_concurrency.py.
