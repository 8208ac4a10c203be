"""oco_rpc against the test server: raw calls, check mode by read_only, error mapping."""

from __future__ import annotations

MODULE = "oco.oco.oco_rpc"


def task(**options):
    return {MODULE: options}


def test_calls_and_check_mode(oco_server, run_tasks):
    fleet = oco_server.admin.generate_fleet(computers=4, groups=2, depth=1, families=1, seed=12)
    oco_server.admin.reset_counters()
    create = task(method="oco.computer.create", data={"hostname": "pc-rpc-01", "notes": "via rpc"})
    checked = run_tasks([
        create,
        task(method="oco.computer.list", data={"computer_group_id": fleet["group_ids"][0]}),
        task(method="oco.computer.get", data={"id": fleet["computer_ids"][0]}, read_only=True),
    ], check=True)
    assert checked.rc == 0 and not checked.failed_tasks, str(checked)
    skipped, listed, got = checked.results
    assert skipped["changed"] is True and skipped["skipped_in_check_mode"] is True and "data" not in skipped
    assert listed["changed"] is False and listed["skipped_in_check_mode"] is False
    assert isinstance(listed["data"]["computers"], list) and "name" in listed["data"]
    assert got["changed"] is False and got["data"]["general"]["id"] == fleet["computer_ids"][0]
    assert "agent_key" not in got["data"]["general"] and "server_key" not in got["data"]["general"]
    assert isinstance(got["data"]["networks"][0]["computer_id"], int)
    counters = oco_server.admin.counters()
    assert counters["writes"] == 0 and "oco.computer.create" not in counters["calls"]

    result = run_tasks([create, task(method="oco.computer.list")], via="playbook")
    assert result.rc == 0 and not result.failed_tasks, str(result)
    created, listing = result.results
    assert created["changed"] is True and created["data"] == {"id": created["data"]["id"]}
    new_id = int(created["data"]["id"])
    assert [c["id"] for c in listing["data"]["computers"] if c["hostname"] == "pc-rpc-01"] == [new_id]
    assert all("agent_key" not in c for c in listing["data"]["computers"])
    assert "agent_key" not in result.stdout


def test_unknown_method_with_read_only_runs_in_check_mode(oco_server, run_tasks):
    oco_server.admin.reset_counters()
    result = run_tasks([task(method="oco.extension.hello", read_only=True)], check=True)
    failed = result.results[0]
    assert failed["failed"] is True
    assert "oco.extension.hello" in failed["msg"] and "does not know the method" in failed["msg"]
    assert oco_server.admin.counters()["http_requests"] >= 1


def test_errors(oco_server, run_tasks):
    oco_server.admin.reset_counters()
    local = run_tasks([
        task(method="oco.computer.remove", data={"id": 1}, read_only=True),
        task(method=" "),
        task(method="oco.computer.list", data="not a dict"),
    ])
    msgs = [r["msg"] for r in local.results]
    assert all(r["failed"] for r in local.results)
    assert "invalid option read_only=True: oco.computer.remove changes the server" in msgs[0]
    assert "invalid option method=' '" in msgs[1]
    assert "data" in msgs[2] and "dict" in msgs[2]
    assert oco_server.admin.counters()["http_requests"] == 0

    remote = run_tasks([
        task(method="oco.computer.get", data={"id": 4242}),
        task(method="oco.computer.create", data={"hostname": ""}),
    ])
    msgs = [r["msg"] for r in remote.results]
    assert "oco.computer.get" in msgs[0] and "not found" in msgs[0]
    assert "invalid request" in msgs[1] and "host name cannot be empty" in msgs[1]

    denied = run_tasks([task(method="oco.computer.create", data={"hostname": "pc-denied"})],
                       username="reader", password="oco-reader-pw")
    assert "permission denied" in denied.results[0]["msg"]
    assert oco_server.admin.sql("SELECT COUNT(*) AS n FROM computer WHERE hostname = 'pc-denied'")[0]["n"] == 0

    oco_server.admin.inject_fault("http500", method="oco.computer.list")
    failed = run_tasks([task(method="oco.computer.list")])
    assert "HTTP 500" in failed.results[0]["msg"]
