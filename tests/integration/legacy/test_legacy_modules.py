"""The collection's modules against each legacy release (0.9.0, 0.13.3, 0.15.5, 1.0.2): same tasks,
same results where the release can do it, a clear failure before any write where it cannot."""

from __future__ import annotations

import pytest

COMPUTER = "oco.oco.oco_computer"
CONTAINER = "oco.oco.oco_job_container"
# The release range oco_info reports for the fleet below: what the answers of each release prove.
INFO_RANGE = {(0, 9, 0): ("0.9.0", "0.9.2"), (0, 13, 3): ("0.13.0", "0.15.0"), (0, 15, 5): ("0.15.2", "0.16.1"),
              (1, 0, 2): ("0.16.3", "1.0.3")}


def test_info_reports_the_legacy_dialect_and_no_version(legacy_server, run_tasks):
    result = run_tasks([{"oco.oco.oco_info": {}}])
    assert result.rc == 0, str(result)
    out = result.results[0]
    assert out["dialect"] == "legacy"
    assert out["server"].get("version") is None


def test_info_reports_the_release_range_the_answers_prove(era, legacy_fleet, run_tasks):
    result = run_tasks([{"oco.oco.oco_info": {}, "register": "oco"},
                        {"ansible.builtin.debug": {"msg": "OCO {{ oco.server.version }} ({{ oco.dialect }} API)"}}])
    assert not result.failed_tasks, str(result)
    server = result.results[0]["server"]
    assert "version" in server and server["version"] is None
    assert (server["version_at_least"], server["version_older_than"]) == INFO_RANGE[era]
    assert "legacy API" in server["version_evidence"]
    # The README's example renders (null shows as nothing) instead of failing on a missing key.
    assert result.results[1]["msg"] == "OCO  (legacy API)"


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


def test_deploy_wait_through_the_agents_then_uninstall(sent, legacy_server, legacy_fleet, run_tasks):
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
    assert admin.counters()["calls"][sent("oco.job_container.deploy")] == 1
    assert len(admin.sql("SELECT * FROM computer_package")) == 4

    uninstall = {CONTAINER: {"name": "removal", "uninstall": [{"computer": "pc1", "package": "7-Zip"}],
                             "wait": True, "poll_interval": 0.3, "wait_timeout": 60}}
    removed = run_tasks([uninstall])
    assert not removed.failed_tasks, str(removed)
    out = removed.results[0]
    assert out["changed"] is True and out["status"] == "succeeded" and isinstance(out["job_container"]["id"], int)
    assert admin.counters()["calls"][sent("oco.job_container.uninstall")] == 1
    assert len(admin.sql("SELECT * FROM computer_package")) == 3

    absent = run_tasks([{CONTAINER: {"name": "rollout", "state": "absent"}}, {CONTAINER: {"name": "rollout", "state": "absent"}}])
    assert [r["changed"] for r in absent.results] == [True, False], str(absent)


# option -> the first release that has it, and the name it has in the messages
DEPLOY_OPTIONS = (
    ({"priority": 10}, (0, 10, 0), "priority=10"),
    ({"sequence_mode": "abort_after_failed"}, (0, 9, 2), "sequence_mode=1"),
    ({"time_frames": ["8:00-17:00"]}, (1, 0, 2), "time_frames"),
)


def test_deploy_options_the_server_predates_fail_before_any_write(era, legacy_server, legacy_fleet, run_tasks):
    result = run_tasks([{CONTAINER: dict({"name": "c%d" % index, "computers": ["pc1"], "packages": ["7-Zip"]}, **option)}
                        for index, (option, _since, _text) in enumerate(DEPLOY_OPTIONS)])
    writes = 0
    for out, (_option, since, text) in zip(result.results, DEPLOY_OPTIONS):
        version = ".".join(str(part) for part in since)
        if era < since:
            assert out.get("failed") and out["changed"] is False, str(result)
            assert out["msg"].startswith("The OCO server is older than version %s" % version), out["msg"]
            assert text in out["msg"] and "before 1.0.3" in out["msg"]
        else:
            # By the third task the first two containers exist: their rows show the release.
            assert not out.get("failed") and out["changed"] is True, str(result)
            writes += 1
    assert legacy_server.admin.counters()["writes"] == writes
    if era >= (1, 0, 2):
        assert legacy_server.admin.sql("SELECT time_frames FROM job_container WHERE name = 'c2'")[0]["time_frames"]


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


def test_methods_the_server_lacks_fail_naming_method_and_version(era, legacy_server, legacy_fleet, run_tasks):
    legacy_server.admin.create_computer_group("Office")
    result = run_tasks([
        {"oco.oco.oco_group_membership": {"type": "computer", "group": "Office", "members": ["pc1"]}},
        {"oco.oco.oco_report_info": {}},
        {"oco.oco.oco_deployment_rule_info": {}},
    ])
    if era >= (0, 15, 2):
        assert not result.failed_tasks, str(result)
        assert result.results[0]["changed"] is True
        return
    assert all(r.get("failed") for r in result.results), str(result)
    for out in result.results:
        assert out["msg"].startswith("The OCO server is older than version 0.15.2"), out["msg"]
        assert "before 1.0.3" in out["msg"] or "predates" in out["msg"], out["msg"]
        assert out["changed"] is False
    assert "oco.report.list" in result.results[1]["msg"] and "0.15.2" in result.results[1]["msg"]
    assert "oco.deployment_rule.list" in result.results[2]["msg"]
    assert legacy_server.admin.counters()["writes"] == 0


def test_package_payload_reaches_every_release_that_takes_one(era, legacy_server, tmp_path, run_tasks):
    installer = tmp_path / "setup.exe"
    installer.write_bytes(b"MZ installer")
    task = {"oco.oco.oco_package": {"family": "Tool", "version": "1.0", "install_procedure": "setup.exe /S",
                                    "files": [str(installer)]}}
    result = run_tasks([task, task])
    admin = legacy_server.admin
    if era < (0, 9, 2):
        out = result.results[0]
        assert out.get("failed") and out["changed"] is False, str(result)
        assert out["msg"].startswith("The OCO server is older than version 0.9.2, the first version with the API method "
                                     "oco.package.create"), out["msg"]
        assert admin.counters()["writes"] == 0
        return
    assert not result.failed_tasks, str(result)
    assert [r["changed"] for r in result.results] == [True, False]
    assert admin.counters()["calls"]["oco.package.create"] == 1
    package = admin.sql("SELECT p.id FROM package p JOIN package_family f ON f.id = p.package_family_id WHERE f.name = 'Tool'")
    assert len(package) == 1
    stored = admin.sql("SELECT COUNT(*) AS n FROM package_payload WHERE package_id = ?", [package[0]["id"]])
    assert stored[0]["n"] == 1


@pytest.mark.parametrize("kind", ["deploy", "uninstall"])
def test_agent_ip_ranges_reach_every_release_that_has_them(kind, era, legacy_server, legacy_fleet, run_tasks):
    # No job container on the server yet: the release must come from other answers.
    if kind == "deploy":
        task = {CONTAINER: {"name": "ranged", "computers": ["pc1"], "packages": ["7-Zip"], "agent_ip_ranges": ["10.0.0.0/8"]}}
    else:
        legacy_server.admin.add_installation(legacy_fleet["pc1"], legacy_fleet["7zip"])
        task = {CONTAINER: {"name": "ranged", "uninstall": [{"computer": "pc1", "package": "7-Zip"}],
                            "agent_ip_ranges": ["10.0.0.0/8"]}}
    result = run_tasks([task])
    out = result.results[0]
    if era < (0, 13, 0):
        assert out.get("failed") and out["changed"] is False, str(result)
        assert out["msg"].startswith("The OCO server is older than version 0.13.0"), out["msg"]
        assert legacy_server.admin.counters()["writes"] == 0
        return
    assert not out.get("failed") and out["changed"] is True, str(result)
    assert legacy_server.admin.sql("SELECT agent_ip_ranges FROM job_container") == [{"agent_ip_ranges": "10.0.0.0/8"}]


def test_time_frames_on_a_server_without_containers_are_refused_unless_proven(era, legacy_server, legacy_fleet, run_tasks):
    # Nothing a legacy server answers tells 1.0.2 from 0.16.x before it lists a job container or a
    # deployment rule: sent to 0.16.x the time frames would be dropped, so they are refused. (0.15.5
    # is told apart by its package rows, which still name their author.)
    result = run_tasks([{CONTAINER: {"name": "framed", "computers": ["pc1"], "packages": ["7-Zip"],
                                     "time_frames": ["8:00-17:00"]}}])
    out = result.results[0]
    assert out.get("failed") and out["changed"] is False, str(result)
    lead = "may predate" if era >= (1, 0, 2) else "is older than"
    assert out["msg"].startswith("The OCO server %s version 1.0.2" % lead), out["msg"]
    assert legacy_server.admin.counters()["writes"] == 0


def test_group_deploys_work_from_0_15_2_and_fail_saying_why_before(era, legacy_server, legacy_fleet, run_tasks):
    admin = legacy_server.admin
    office = admin.create_computer_group("Office")
    admin.add_computer_to_group(legacy_fleet["pc1"], office)
    admin.add_computer_to_group(legacy_fleet["pc2"], office)
    result = run_tasks([{CONTAINER: {"name": "office", "computer_groups": ["Office"], "packages": ["7-Zip"]}}])
    out = result.results[0]
    if era < (0, 15, 2):
        assert out.get("failed") and out["changed"] is False, str(result)
        assert out["msg"].startswith("computer_groups: The OCO server is older than version 0.15.2, the first version with "
                                     "computer groups"), out["msg"]
        assert ("lack domain" if era < (0, 9, 2) else "plain list") in out["msg"] and "'Office'" in out["msg"]
        assert admin.counters()["writes"] == 0
        return
    assert not out.get("failed") and out["changed"] is True, str(result)
    assert sorted(j["computer_hostname"] for j in out["jobs"]) == ["pc1", "pc2"]


def test_job_installation_and_rpc_modules_on_every_release(sent, legacy_server, legacy_fleet, run_tasks):
    admin = legacy_server.admin
    record = admin.add_installation(legacy_fleet["pc2"], legacy_fleet["7zip"])
    deployed = run_tasks([{CONTAINER: {"name": "two", "computers": ["pc1"], "packages": ["Firefox", "7-Zip"]}}])
    assert not deployed.failed_tasks, str(deployed)
    two = deployed.results[0]
    # The ids of the container just made, as a registered variable would hand them on.
    result = run_tasks([
        {"oco.oco.oco_job": {"id": two["jobs"][0]["id"]}},
        {"oco.oco.oco_job": {"id": two["jobs"][0]["id"]}},
        {"oco.oco.oco_installation": {"computer": "pc2", "package": "7-Zip"}},
        {"oco.oco.oco_installation": {"computer": "pc2", "package": "7-Zip"}},
        {"oco.oco.oco_rpc": {"method": "oco.computer.list"}},
        {"oco.oco.oco_rpc": {"method": "oco.job_container.job.list", "data": {"id": two["job_container"]["id"]}}},
    ])
    assert not result.failed_tasks, str(result)
    removed, gone, unassigned, unassigned_again, listed, jobs = result.results
    assert [removed["changed"], gone["changed"], unassigned["changed"], unassigned_again["changed"]] == [True, False, True, False]
    assert [c["hostname"] for c in listed["data"]["computers"]] == ["pc1", "pc2"]
    # Translated both ways by the same client as every module: current name, current fields.
    assert len(jobs["data"]) == 1 and jobs["data"][0]["procedure"] == "7z.exe"
    assert admin.sql("SELECT COUNT(*) AS n FROM computer_package WHERE id = ?", [record])[0]["n"] == 0
    calls = admin.counters()["calls"]
    assert calls[sent("oco.job_container.job.remove")] == 1 and calls["oco.remove_installation_assignment"] == 1
