"""oco.oco.oco_computer against the bundled test server."""

from __future__ import annotations

import oco_helpers

MODULE = "oco.oco.oco_computer"


def task(**args):
    return {MODULE: args}


def computers(server):
    return server.admin.sql("SELECT id, hostname, notes FROM computer ORDER BY id")


def pending_job_for(server, computer_id):
    """A job of a container, waiting for the computer (as a deploy leaves it)."""
    package = server.admin.create_package("Firefox", "120.0")
    container = server.admin.sql("INSERT INTO job_container (name, start_time) VALUES ('rollout', '2026-01-01 00:00:00')")
    assert container == 1
    server.admin.sql("INSERT INTO job_container_job (job_container_id, computer_id, package_id, state) "
                     "SELECT id, ?, ?, 0 FROM job_container WHERE name = 'rollout'", (computer_id, package))


def test_create_repeat_and_remove(oco_server, run_tasks):
    result = run_tasks([
        task(hostname=" PC-Accounting-07 ", notes="2nd floor"),
        task(hostname="pc-accounting-07", notes="2nd floor"),
        task(hostname="pc-accounting-07", state="absent"),
        task(hostname="pc-accounting-07", state="absent"),
    ])
    assert not result.failed_tasks, result
    created, repeat, removed, repeat_removed = result.results
    assert created["changed"] is True
    computer = created["computer"]
    assert isinstance(computer["id"], int) and computer["hostname"] == "PC-Accounting-07"
    assert computer["notes"] == "2nd floor"
    assert "agent_key" not in computer and "server_key" not in computer
    assert isinstance(computer["created_by_system_user_id"], int)
    assert repeat["changed"] is False and repeat["computer"]["id"] == computer["id"]
    assert "agent_key" not in repeat["computer"]
    assert removed["changed"] is True and removed["computer"] == {} and removed["pending_jobs"] == 0
    assert repeat_removed["changed"] is False
    assert computers(oco_server) == []


def test_existing_notes_differ_warns_without_change(oco_server, run_tasks):
    oco_server.admin.create_computer("pc-01", notes="old")
    result = run_tasks([task(hostname="PC-01", notes="new")])
    assert result[0]["changed"] is False and not result.failed_tasks
    assert any("cannot change" in w for w in result[0]["warnings"])
    assert computers(oco_server)[0]["notes"] == "old"


def test_check_mode_sends_no_write(oco_server, run_tasks):
    existing = oco_server.admin.create_computer("pc-old", networks=[{"mac": "00:11:22:33:44:55", "address": "10.0.0.5"}])
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(hostname="pc-new", notes="n"),
        task(hostname="pc-old", state="absent"),
        task(hostname="pc-old", wol=True),
    ], check=True, diff=True)
    assert not result.failed_tasks, result
    create, remove, wol = result.results
    assert create["changed"] is True and create["computer"] == {}
    assert create["diff"] == {"before": {"state": "absent"}, "after": {"hostname": "pc-new", "notes": "n", "state": "present"}}
    assert remove["changed"] is True
    assert wol["changed"] is True and wol["wol_sent"] is True
    assert oco_server.admin.counters()["writes"] == 0
    assert [c["id"] for c in computers(oco_server)] == [existing]
    assert oco_server.admin.wol_log() == []


def test_diff(oco_server, run_tasks):
    result = run_tasks([
        task(hostname="pc-diff", notes="desk"),
        task(hostname="pc-diff", state="absent"),
    ], diff=True)
    assert not result.failed_tasks, result
    assert result[0]["diff"] == {"before": {"state": "absent"},
                                 "after": {"hostname": "pc-diff", "notes": "desk", "state": "present"}}
    assert result[1]["diff"] == {"before": {"hostname": "pc-diff", "notes": "desk", "state": "present"},
                                 "after": {"state": "absent"}}


def test_remove_with_pending_jobs_needs_force(oco_server, run_tasks):
    cid = oco_server.admin.create_computer("pc-busy")
    pending_job_for(oco_server, cid)
    result = run_tasks([
        task(hostname="pc-busy", state="absent"),
        task(hostname="pc-busy", state="absent", force=True),
    ], check=True)
    refused, would_remove = result.results
    assert refused["failed"] and "1 pending job" in refused["msg"] and "force: true" in refused["msg"]
    assert would_remove["changed"] is True and would_remove["pending_jobs"] == 1
    assert len(computers(oco_server)) == 1
    result = run_tasks([task(hostname="pc-busy", state="absent", force=True)])
    assert result[0]["changed"] is True and result[0]["pending_jobs"] == 1
    assert computers(oco_server) == []


def test_wake_on_lan(oco_server, run_tasks):
    oco_server.admin.create_computer("pc-wake", networks=[{"mac": "00:11:22:33:44:55", "address": "10.0.0.5"}])
    oco_server.admin.create_computer("pc-nomac")
    result = run_tasks([
        task(hostname="pc-wake", wol=True),
        task(hostname="pc-nomac", wol=True),
        task(hostname="pc-nomac", wol=True, state="absent"),
    ])
    woke, no_mac, bad = result.results
    assert woke["changed"] is True and woke["wol_sent"] is True and woke["computer"]["hostname"] == "pc-wake"
    assert [e["mac"] for e in oco_server.admin.wol_log()] == ["00:11:22:33:44:55"]
    assert no_mac["failed"] and "no MAC address" in no_mac["msg"] and "pc-nomac" in no_mac["msg"]
    assert bad["failed"] and "wol" in bad["msg"] and "state=present" in bad["msg"]


def test_wol_check_mode_predicts_missing_mac(oco_server, run_tasks):
    oco_server.admin.create_computer("pc-nomac")
    result = run_tasks([task(hostname="pc-nomac", wol=True), task(hostname="pc-unknown", wol=True)], check=True)
    assert all(r["failed"] and "no MAC address" in r["msg"] for r in result.results), result


def test_invalid_hostname_sends_nothing(oco_server):
    # Independent cases, one ansible-playbook run; each case is checked on its own.
    oco_server.admin.reset_counters()
    answers = oco_helpers.run_cases({"longer than the 200": [task(hostname="x" * 201)],
                                     "host name is required": [task(hostname="   ")]}, oco_server)

    def check(why, results):
        assert results[0]["failed"]
        assert "hostname=" in results[0]["msg"] and why in results[0]["msg"], results[0]["msg"]

    oco_helpers.check_each(answers, check)
    assert oco_server.admin.counters()["http_requests"] == 0


def test_invalid_state_is_rejected(run_tasks):
    result = run_tasks([task(hostname="pc", state="gone")])
    assert result[0]["failed"] and "state" in result[0]["msg"] and "gone" in result[0]["msg"]


def test_read_only_user_gets_permission_denied(oco_server, run_tasks):
    oco_server.admin.create_computer("pc-ro")
    result = run_tasks([
        task(hostname="pc-new"),
        task(hostname="pc-ro", state="absent", force=True),
    ], username="reader", password="oco-reader-pw")
    for res in result.results:
        assert res["failed"] and "permission denied" in res["msg"], result
        assert "oco-reader-pw" not in res["msg"]
    assert "oco.computer.create" in result[0]["msg"] and "oco.computer.remove" in result[1]["msg"]
    assert [c["hostname"] for c in computers(oco_server)] == ["pc-ro"]


def test_server_failure_is_reported(oco_server, run_tasks):
    oco_server.admin.inject_fault("http500", method="oco.computer.create")
    result = run_tasks([task(hostname="pc-500")])
    assert result[0]["failed"] and "HTTP 500" in result[0]["msg"] and "oco.computer.create" in result[0]["msg"]
    assert computers(oco_server) == []


def test_lost_answer_is_reconciled_without_second_create(oco_server, run_tasks):
    oco_server.admin.inject_fault("commit_drop", method="oco.computer.create")
    result = run_tasks([task(hostname="pc-lost", notes="n")])
    assert not result.failed_tasks, result
    assert result[0]["changed"] is True and result[0]["computer"]["hostname"] == "pc-lost"
    assert oco_server.admin.counters()["calls"]["oco.computer.create"] == 1
    assert [c["hostname"] for c in computers(oco_server)] == ["pc-lost"]
