"""oco_report_info against the test server: report lists, groups and executed rows."""

from __future__ import annotations

MODULE = "oco.oco.oco_report_info"


def task(**options):
    return {MODULE: options}


def test_lists_groups_and_rows(oco_server, run_tasks):
    fleet = oco_server.admin.generate_fleet(computers=12, groups=2, depth=1, families=2, seed=8)
    empty = oco_server.admin.create_report("Nothing", "SELECT id FROM computer WHERE hostname = 'no such host'")
    windows = oco_server.admin.sql("SELECT id AS computer_id, hostname, os FROM computer WHERE os LIKE 'Windows%' "
                                   "ORDER BY hostname")
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(),
        task(report_group="Fleet"),
        task(report_group="Fleet/Fleet packages"),
        task(report_group=fleet["report_group_ids"][1]),
        task(report="windows computers", execute=True),
        task(report=fleet["report_ids"]["windows_computers"]),
        task(report=empty, execute=True),
        task(report_group="Predefined"),
        dict(task(report="Windows computers", execute=True), check_mode=True),
    ])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    everything, fleet_group, sub_by_path, sub_by_id, executed, by_id, nothing, predefined, checked = result.results

    assert len(everything["reports"]) == oco_server.admin.sql("SELECT COUNT(*) AS n FROM report")[0]["n"]
    assert "Pre-Registered Computers" in [r["name"] for r in everything["reports"]]
    assert sorted(g["name"] for g in everything["report_groups"]) == ["Fleet", "Predefined"]
    assert all(isinstance(r["id"], int) for r in everything["reports"])

    assert sorted(r["name"] for r in fleet_group["reports"]) == ["Ubuntu computers", "Windows computers"]
    assert [g["name"] for g in fleet_group["report_groups"]] == ["Fleet packages"]
    assert fleet_group["report_group"]["path"] == "Fleet"
    assert [r["name"] for r in sub_by_path["reports"]] == ["Packages of the first family"]
    assert sub_by_path["report_groups"] == []
    assert sub_by_id["reports"] == sub_by_path["reports"]

    assert executed["report"]["id"] == fleet["report_ids"]["windows_computers"]
    assert executed["rows"] == windows and windows
    assert isinstance(executed["rows"][0]["computer_id"], int)
    assert by_id["reports"] == [executed["report"]] and "rows" not in by_id
    assert nothing["rows"] == []
    assert len(predefined["reports"]) == 14 and predefined["report_group"]["name"] == "Predefined"
    assert checked["rows"] == executed["rows"] and checked["changed"] is False
    assert all(r["changed"] is False for r in result.results)
    counters = oco_server.admin.counters()
    assert counters["writes"] == 0 and counters["calls"]["oco.report.execute"] == 3


def test_reader_and_empty_results(oco_server, run_tasks):
    group = oco_server.admin.create_report_group("Empty group")
    result = run_tasks([task(report="Pre-Registered Computers", execute=True), task(report_group=group)],
                       username="reader", password="oco-reader-pw")
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert result.results[0]["rows"] == []
    assert result.results[1]["reports"] == [] and result.results[1]["report_groups"] == []


def test_errors(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=1, seed=1)
    oco_server.admin.create_report("Broken", "SELECT no_such_column FROM computer")
    oco_server.admin.create_report("Sneaky", "DELETE FROM computer")
    oco_server.admin.create_report("Twin", "SELECT 1 AS one")
    oco_server.admin.create_report("Twin", "SELECT 2 AS two")
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(report="Windows computer", execute=True),
        task(report=99999),
        task(report_group="Flet"),
        task(execute=True),
        task(report="Broken", execute=True),
        task(report="Sneaky", execute=True),
        task(report="Twin"),
        task(report="x", report_group="y"),
    ])
    assert all(r.get("failed") for r in result.results), str(result)
    msgs = [r["msg"] for r in result.results]
    assert "no report matches 'Windows computer' (closest: Windows computers" in msgs[0]
    assert "no report has id 99999" in msgs[1]
    assert "no report group matches 'Flet' (closest: Fleet" in msgs[2]
    assert "execute is True but all of the following are missing: report" in msgs[3]
    assert "the server reported an error" in msgs[4] and "no_such_column" in msgs[4]
    assert "Only SELECT queries are allowed in reports" in msgs[5]
    assert "2 reports match 'Twin'" in msgs[6]
    assert "mutually exclusive" in msgs[7]
    assert oco_server.admin.counters()["writes"] == 0
