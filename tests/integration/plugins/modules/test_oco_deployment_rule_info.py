"""oco_deployment_rule_info against the test server: rules, their jobs and the derived status."""

from __future__ import annotations

MODULE = "oco.oco.oco_deployment_rule_info"


def task(**options):
    return {MODULE: options}


def make_rules(server):
    """Four rules over the fleet's base package group: pending, failed, empty and succeeded jobs."""
    admin = server.admin
    fleet = admin.generate_fleet(computers=6, groups=0, depth=1, families=3, packages_per_family=1, seed=2)
    admin.sql("DELETE FROM computer_package")
    computers = fleet["computer_ids"]
    groups = {}
    for name, members in (("Pending", computers[:2]), ("Failing", [computers[2]]), ("Empty", []),
                          ("Done", [computers[3]])):
        groups[name] = admin.create_computer_group(name)
        for member in members:
            admin.add_computer_to_group(member, groups[name])
    package_group = fleet["package_group_ids"][0]
    rules = {name: admin.create_deployment_rule("%s rollout" % name, gid, package_group, priority=len(name))
             for name, gid in groups.items()}
    admin.agents_run(outcome="succeed", computer_ids=[computers[3]])
    admin.agents_run(outcome="fail", computer_ids=[computers[2]])
    return rules, computers


def test_rules_status_and_jobs(oco_server, run_tasks):
    rules, computers = make_rules(oco_server)
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(),
        task(name="failing ROLLOUT", jobs=True),
        task(id=rules["Pending"], jobs=True, batch_size=1),
        dict(task(jobs=True), check_mode=True),
    ])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    listing, failing, pending, checked = result.results

    by_name = {r["name"]: r for r in listing["deployment_rules"]}
    assert [r["id"] for r in listing["deployment_rules"]] == sorted(rules.values())
    assert by_name["Pending rollout"]["status"] == "in_progress"
    assert by_name["Failing rollout"]["status"] == "failed"
    assert by_name["Empty rollout"]["status"] == "succeeded"
    assert by_name["Done rollout"]["status"] == "succeeded"
    assert by_name["Pending rollout"]["counts"]["waiting"] == 6
    assert by_name["Failing rollout"]["counts"]["failed"] == 3
    assert by_name["Done rollout"]["counts"]["succeeded"] == 3
    assert sum(by_name["Empty rollout"]["counts"].values()) == 0
    rule = by_name["Pending rollout"]
    assert rule["computer_group_id"] and isinstance(rule["computer_group_id"], int)
    assert rule["priority"] == len("Pending") and rule["enabled"] == 1
    assert rule["created_by_system_user_username"] == "admin"
    assert "jobs" not in rule

    [failed_rule] = failing["deployment_rules"]
    assert failed_rule["id"] == rules["Failing"]
    assert [j["computer_id"] for j in failed_rule["jobs"]] == [computers[2]] * 3
    assert {j["state_name"] for j in failed_rule["jobs"]} == {"failed"}
    assert all(j["return_code"] == 1 and isinstance(j["id"], int) for j in failed_rule["jobs"])

    [pending_rule] = pending["deployment_rules"]
    assert len(pending_rule["jobs"]) == 6 and pending_rule["status"] == "in_progress"
    assert [j["sequence"] for j in pending_rule["jobs"][:3]] == sorted(j["sequence"] for j in pending_rule["jobs"][:3])

    assert [r["status"] for r in checked["deployment_rules"]] == [r["status"] for r in listing["deployment_rules"]]
    assert all(r["changed"] is False for r in result.results)
    counters = oco_server.admin.counters()
    assert counters["writes"] == 0
    # four rules: each run lists once and reads all job lists in one batch (batch_size=1 for the third)
    assert counters["calls"]["oco.deployment_rule.list"] == 4


def test_empty_server_and_reader(oco_server, run_tasks):
    result = run_tasks([task(jobs=True)])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert result.results[0]["deployment_rules"] == []

    make_rules(oco_server)
    reader = run_tasks([task(jobs=True)], username="reader", password="oco-reader-pw")
    assert reader.rc == 0 and not reader.failed_tasks, str(reader)
    assert len(reader.results[0]["deployment_rules"]) == 4


def test_errors(oco_server, run_tasks):
    make_rules(oco_server)
    oco_server.admin.reset_counters()
    result = run_tasks([task(name="Pendin rollout"), task(id=999), task(name="x", id=1), task(batch_size=0)])
    assert all(r.get("failed") for r in result.results), str(result)
    msgs = [r["msg"] for r in result.results]
    assert "no deployment rule matches 'Pendin rollout' (closest: Pending rollout" in msgs[0]
    assert "no deployment rule has id 999" in msgs[1]
    assert "mutually exclusive" in msgs[2]
    assert "invalid option batch_size=0" in msgs[3]


def test_server_failure_is_reported(oco_server, run_tasks):
    make_rules(oco_server)
    oco_server.admin.inject_fault("http500", method="oco.deployment_rule.job.list")
    result = run_tasks([task()])
    assert result.results[0]["failed"] is True and "HTTP 500" in result.results[0]["msg"]
