"""The collection's modules against an OCO v0.9.0 server (legacy dialect): same tasks, same results."""

from __future__ import annotations

COMPUTER = "oco.oco.oco_computer"
CONTAINER = "oco.oco.oco_job_container"


def test_info_reports_the_legacy_dialect_and_no_version(legacy_server, run_tasks):
    result = run_tasks([{"oco.oco.oco_info": {}}])
    assert result.rc == 0, str(result)
    out = result.results[0]
    assert out["dialect"] == "legacy"
    assert out["server"].get("version") is None


def test_computer_create_repeat_check_diff_remove(legacy_server, run_tasks):
    admin = legacy_server.admin
    checked = run_tasks([{COMPUTER: {"hostname": "new-pc", "notes": "for HR"}}], check=True, diff=True)
    assert checked.results[0]["changed"] is True, str(checked)
    assert admin.counters()["writes"] == 0
    result = run_tasks([{COMPUTER: {"hostname": "new-pc", "notes": "for HR"}},
                        {COMPUTER: {"hostname": "NEW-PC", "notes": "for HR"}},
                        {COMPUTER: {"hostname": "new-pc", "state": "absent"}},
                        {COMPUTER: {"hostname": "new-pc", "state": "absent"}}], diff=True)
    assert not result.failed_tasks, str(result)
    created, again, removed, gone = result.results
    assert created["changed"] is True and isinstance(created["computer"]["id"], int)
    assert created["computer"]["hostname"] == "new-pc" and "agent_key" not in created["computer"]
    assert again["changed"] is False
    assert removed["changed"] is True and gone["changed"] is False
    assert admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"] == 0


def test_computer_with_pending_jobs_is_kept_without_force(legacy_server, legacy_fleet, run_tasks):
    # v0.9.0 has no `force` and would delete: the collection refuses as newer servers do.
    result = run_tasks([{CONTAINER: {"name": "pending", "computers": ["pc1"], "packages": ["7-Zip"]}},
                        {COMPUTER: {"hostname": "pc1", "state": "absent"}},
                        {COMPUTER: {"hostname": "pc1", "state": "absent", "force": True}}])
    deployed, refused, forced = result.results
    assert deployed["changed"] is True, str(result)
    assert refused.get("failed") is True and "job" in refused["msg"], str(result)
    assert forced["changed"] is True and not forced.get("failed"), str(result)
    assert legacy_server.admin.sql("SELECT hostname FROM computer") == [{"hostname": "pc2"}]


def test_deploy_wait_through_the_agents_then_uninstall(legacy_server, legacy_fleet, run_tasks):
    admin = legacy_server.admin
    deploy = {CONTAINER: {"name": "rollout", "computers": ["pc1", legacy_fleet["pc2"]], "packages": ["Firefox", "7-Zip"],
                          "wait": True, "poll_interval": 0.3, "wait_timeout": 60}}
    checked = run_tasks([deploy], check=True)
    assert checked.results[0]["changed"] is True, str(checked)
    assert admin.counters()["writes"] == 0
    admin.agent_clock(interval=0.2)
    result = run_tasks([deploy, deploy])
    assert not result.failed_tasks, str(result)
    done, again = result.results
    assert done["changed"] is True and again["changed"] is False
    assert done["status"] == "succeeded" and done["counts"]["succeeded"] == 4
    assert {(j["package_family_name"], j["post_action"]) for j in done["jobs"]} == {("Firefox", 1), ("7-Zip", 0)}
    assert admin.counters()["calls"]["oco.deploy"] == 1
    assert len(admin.sql("SELECT * FROM computer_package")) == 4

    uninstall = {CONTAINER: {"name": "removal", "uninstall": [{"computer": "pc1", "package": "7-Zip"}],
                             "wait": True, "poll_interval": 0.3, "wait_timeout": 60}}
    removed = run_tasks([uninstall])
    assert not removed.failed_tasks, str(removed)
    out = removed.results[0]
    assert out["changed"] is True and out["status"] == "succeeded" and isinstance(out["job_container"]["id"], int)
    assert admin.counters()["calls"]["oco.uninstall"] == 1
    assert len(admin.sql("SELECT * FROM computer_package")) == 3

    absent = run_tasks([{CONTAINER: {"name": "rollout", "state": "absent"}}, {CONTAINER: {"name": "rollout", "state": "absent"}}])
    assert [r["changed"] for r in absent.results] == [True, False], str(absent)


def test_deploy_options_the_server_predates_fail_before_any_write(legacy_server, legacy_fleet, run_tasks):
    result = run_tasks([
        {CONTAINER: {"name": "p", "computers": ["pc1"], "packages": ["7-Zip"], "priority": 10}},
        {CONTAINER: {"name": "s", "computers": ["pc1"], "packages": ["7-Zip"], "sequence_mode": "abort_after_failed"}},
        {CONTAINER: {"name": "t", "computers": ["pc1"], "packages": ["7-Zip"], "time_frames": ["8:00-17:00"]}},
    ])
    messages = [r.get("msg", "") for r in result.results]
    assert all(r.get("failed") for r in result.results), str(result)
    assert "priority=10" in messages[0] and "0.10.0" in messages[0]
    assert "sequence_mode=1" in messages[1] and "0.9.2" in messages[1]
    assert "time_frames" in messages[2] and "1.0.2" in messages[2]
    assert legacy_server.admin.counters()["writes"] == 0


def test_info_modules(legacy_server, legacy_fleet, run_tasks):
    legacy_server.admin.add_installation(legacy_fleet["pc1"], legacy_fleet["7zip"])
    result = run_tasks([
        {"oco.oco.oco_computer_info": {}},
        {"oco.oco.oco_computer_info": {"hostname": "pc1", "details": True}},
        {"oco.oco.oco_package_info": {}},
        {"oco.oco.oco_package_info": {"family": "Firefox"}},
        {CONTAINER: {"name": "listed", "computers": ["pc2"], "packages": ["Firefox"]}},
        {"oco.oco.oco_job_container_info": {"jobs": True}},
    ])
    assert not result.failed_tasks, str(result)
    computers, one, families, firefox, containers = result.results[:4] + result.results[5:]
    assert [c["hostname"] for c in computers["computers"]] == ["pc1", "pc2"]
    detail = one["computers"][0]
    assert detail["networks"][0]["address"] == "10.0.0.1" and detail["networks"][0]["interface"] == "pc1.corp"
    assert detail["installed_packages"][0]["package_family_name"] == "7-Zip"
    assert [f["name"] for f in families["families"]] == ["7-Zip", "Firefox"]
    assert [p["version"] for p in firefox["packages"]] == ["120.0", "121.0"]
    assert firefox["packages"][1]["install_procedure_post_action"] == 1
    assert firefox["packages"][1]["package_family_name"] == "Firefox"
    container = containers["job_containers"][0]
    assert container["name"] == "listed" and container["created_by_system_user_username"] == "admin"
    assert container["jobs"][0]["procedure"] == "ff121.exe"


def test_methods_the_server_lacks_fail_naming_method_and_version(legacy_server, legacy_fleet, run_tasks):
    legacy_server.admin.create_computer_group("Office")
    result = run_tasks([
        {"oco.oco.oco_group_membership": {"type": "computer", "group": "Office", "members": ["pc1"]}},
        {"oco.oco.oco_report_info": {}},
        {"oco.oco.oco_deployment_rule_info": {}},
    ])
    assert all(r.get("failed") for r in result.results), str(result)
    for out in result.results:
        assert "before 1.0.3" in out["msg"] or "predates" in out["msg"], out["msg"]
    assert "oco.report.list" in result.results[1]["msg"] and "0.15.2" in result.results[1]["msg"]
    assert "oco.deployment_rule.list" in result.results[2]["msg"]
    assert legacy_server.admin.counters()["writes"] == 0
