"""The playbooks in playbooks/ run as documented against a generated fleet (as scripts/demo.sh does)."""

from __future__ import annotations

import oco_helpers
import oco_plays

PLAYBOOKS = oco_helpers.REPO_ROOT / "playbooks"


def fleet(server, computers=25):
    server.admin.generate_fleet(computers=computers, groups=max(1, computers // 35))
    server.admin.reset_counters()


def container_names(server):
    return sorted(row["name"] for row in server.admin.sql("SELECT name FROM job_container"))


def test_demo_registers_publishes_deploys_and_changes_nothing_the_second_time(oco_server):
    fleet(oco_server)
    oco_server.admin.agent_clock(every=1)
    first = oco_plays.run_playbook(PLAYBOOKS / "demo.yml", oco_server)
    assert first.rc == 0, str(first)
    shown = first.task("Show the result")["msg"]
    assert shown[0] == "Job container 'Deploy Demo tool 1.0 to Finance': succeeded (new)"
    assert "demo-pc-01, demo-pc-02, demo-pc-03" in shown[1]
    zip_members = oco_server.admin.package_zip_members(first.fact("oco_deploy_result")["package"]["id"])
    assert sorted(zip_members) == ["install.cmd", "uninstall.cmd"]
    writes = oco_server.admin.counters()["writes"]
    second = oco_plays.run_playbook(PLAYBOOKS / "demo.yml", oco_server)
    assert second.rc == 0, str(second)
    assert second.changed == [], str(second)
    assert oco_server.admin.counters()["writes"] == writes


def test_rollout_to_a_group_waits_and_fails_naming_the_failed_computers(oco_server):
    fleet(oco_server)
    members = oco_server.admin.sql("SELECT c.hostname FROM computer c JOIN computer_group_member m ON m.computer_id = c.id "
                                   "JOIN computer_group g ON g.id = m.computer_group_id WHERE g.name = 'Finance' ORDER BY 1")
    failing = members[0]["hostname"]
    oco_server.admin.agent_clock(every=1, fail_hostnames=[failing])
    extra = {"rollout_family": "Firefox", "rollout_version": "3.0.0", "rollout_group": "Finance", "rollout_poll_interval": 0.3}
    result = oco_plays.run_playbook(PLAYBOOKS / "rollout_group.yml", oco_server, extra_vars=extra)
    assert result.rc != 0
    assert result.task("Deploy the package to the group and wait")["status"] == "failed"
    assert result.task("Fail naming the computers whose jobs failed")["msg"] == f"{failing} failed"
    assert container_names(oco_server) == ["Rollout Firefox 3.0.0 to Finance"]


def test_cleanup_removes_finished_containers_only(oco_server):
    fleet(oco_server)
    admin = oco_server.admin
    ids = [row["id"] for row in admin.sql("SELECT id FROM computer ORDER BY id LIMIT 2")]
    run = oco_plays.run_playbook
    # The containers to clean up: set up with plain module calls, which run in-process.
    deployed = oco_helpers.run_tasks([
        {"oco.oco.oco_job_container": {"name": "done", "computers": [ids[0]], "packages": ["Firefox"]}},
        {"oco.oco.oco_job_container": {"name": "broken", "computers": [ids[1]], "packages": ["GIMP"]}}], oco_server)
    assert not deployed.failed_tasks, str(deployed)
    # Agents get a job from the second after its start time on: a step of the simulated agents
    # acts that second ahead, so nothing waits for the wall clock.
    failing = admin.sql("SELECT hostname FROM computer WHERE id = ?", [ids[1]])[0]["hostname"]
    admin.agent_clock(every=1000, fail_hostnames=[failing])
    assert len(admin.agent_clock_tick()) == 2
    admin.agent_clock_stop()
    pending = oco_helpers.run_tasks(
        [{"oco.oco.oco_job_container": {"name": "later", "computers": [ids[0]], "packages": ["Inkscape"]}}], oco_server)
    assert not pending.failed_tasks, str(pending)
    extra = {"cleanup_min_age_hours": 0}
    checked = run(PLAYBOOKS / "cleanup_job_containers.yml", oco_server, extra_vars=extra, check=True)
    assert checked.rc == 0, str(checked)
    assert container_names(oco_server) == ["broken", "done", "later"]
    assert checked.fact("cleanup_names") == ["done"], str(checked.records)
    result = run(PLAYBOOKS / "cleanup_job_containers.yml", oco_server,
                 extra_vars={"cleanup_min_age_hours": 0, "cleanup_statuses": ["succeeded", "failed"]})
    assert result.rc == 0, str(result)
    assert container_names(oco_server) == ["later"], str(result) + str(result.records)
    assert result.task("Show what was removed")["msg"] == "2 job container name(s) removed: done, broken"
    # not old enough: nothing goes
    kept = run(PLAYBOOKS / "cleanup_job_containers.yml", oco_server)
    assert kept.rc == 0 and kept.changed == []


def test_report_driven_deploy(oco_server):
    fleet(oco_server)
    oco_server.admin.agent_clock(every=1)
    windows = sorted(row["hostname"] for row in oco_server.admin.sql("SELECT hostname FROM computer WHERE os LIKE 'Windows%'"))
    extra = {"report_family": "7-Zip", "report_version": "3.5.0", "oco_deploy_poll_interval": 0.3}
    result = oco_plays.run_playbook(PLAYBOOKS / "report_deploy.yml", oco_server, extra_vars=extra)
    assert result.rc == 0, str(result)
    summary = result.fact("oco_deploy_result")
    assert summary["job_container_name"] == "7-Zip 3.5.0 for report Windows computers"
    assert sorted(summary["succeeded"] + summary["failed"]) == windows
    assert result.task("Show the computers it lists")["msg"].startswith(f"{len(windows)} computer(s): ")
