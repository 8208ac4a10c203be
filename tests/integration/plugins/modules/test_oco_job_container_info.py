"""oco_job_container_info end to end: derived status and counts, filters, one batch for the jobs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

MODULE = "oco.oco.oco_job_container_info"


@pytest.fixture
def three_containers(oco_server):
    """'done' succeeded, 'broken' failed, 'later' waiting (starts in 2099); ids 1, 2, 3."""
    from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

    admin = oco_server.admin
    pcs = [admin.create_computer(h, os="Windows") for h in ("pc1", "pc2")]
    package = admin.create_package("Firefox", "121.0")
    client = OcoClient(oco_server.url, "admin", "oco-admin-pw")
    base = {"computer_ids": pcs, "package_ids": [package], "use_wol": 0, "date_start": "2026-01-01 00:00:00"}
    for name in ("done", "broken"):
        client.call("oco.job_container.deploy", dict(base, name=name))
    client.call("oco.job_container.deploy", dict(base, name="later", date_start="2099-01-01 00:00:00"))
    admin.agents_run(outcome="succeed", container_id=1)
    admin.agents_run(outcome="succeed", container_id=2, fail_hostnames=["pc2"])
    admin.reset_counters()
    return pcs


def test_all_containers_with_status_in_two_requests(oco_server, three_containers, run_tasks):
    result = run_tasks([{MODULE: {}}, {MODULE: {"jobs": True}, "check_mode": True}])
    assert not result.failed_tasks, str(result)
    plain, with_jobs = result.results
    assert plain["changed"] is False
    by_name = {c["name"]: c for c in plain["job_containers"]}
    assert [c["id"] for c in plain["job_containers"]] == [1, 2, 3]
    assert by_name["done"]["status"] == "succeeded" and by_name["done"]["counts"]["succeeded"] == 2
    assert by_name["broken"]["status"] == "failed"
    assert by_name["broken"]["counts"] == dict(by_name["done"]["counts"], succeeded=1, failed=1)
    assert [(j["hostname"], j["package"]) for j in by_name["broken"]["failed_jobs"]] == [("pc2", "Firefox 121.0")]
    assert by_name["later"]["status"] == "waiting" and by_name["later"]["counts"]["waiting"] == 2
    assert "jobs" not in by_name["done"]
    jobs = with_jobs["job_containers"][1]["jobs"]
    assert [(j["computer_hostname"], j["state_name"]) for j in jobs] == [("pc1", "succeeded"), ("pc2", "failed")]
    assert isinstance(jobs[0]["id"], int)
    counters = oco_server.admin.counters()
    # per run: one list, one batch carrying the job lists of all three containers
    assert counters["http_requests"] == 4
    assert counters["calls"] == {"oco.job_container.list": 2, "oco.job_container.job.list": 6}
    assert counters["writes"] == 0


def test_by_name_and_id(oco_server, three_containers, run_tasks):
    result = run_tasks([
        {MODULE: {"name": "BROKEN"}},
        {MODULE: {"id": 3, "jobs": True}},
        {MODULE: {"name": "brokn"}},
        {MODULE: {"id": 42}},
        {MODULE: {"name": "x", "id": 1}},
        {MODULE: {"name": " "}},
    ])
    named, by_id, unknown_name, unknown_id, both, blank = result.results
    assert [c["id"] for c in named["job_containers"]] == [2]
    assert [c["name"] for c in by_id["job_containers"]] == ["later"]
    assert len(by_id["job_containers"][0]["jobs"]) == 2
    assert unknown_name["failed"] is True
    assert "no job container is named 'brokn' (closest: broken)" in unknown_name["msg"]
    assert "no job container has id 42" in unknown_id["msg"]
    assert "parameters are mutually exclusive: name|id" in both["msg"]
    assert "invalid option name=' '" in blank["msg"]


def test_no_containers(oco_server, run_tasks):
    result = run_tasks([{MODULE: {"jobs": True}}])
    assert result.results[0]["job_containers"] == []
    assert oco_server.admin.counters()["http_requests"] == 1


def test_reader_and_vanished_containers(oco_server, three_containers, run_tasks):
    # Purged by housekeeping: the succeeded container's jobs finished long before "now".
    oco_server.admin.set_setting("purge-succeeded-jobs-after", 0)
    in_an_hour = (datetime.now() + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    assert oco_server.admin.housekeeping(now=in_an_hour)["purged_containers"] == [1]
    result = run_tasks([{MODULE: {}}], username="reader", password="oco-reader-pw")
    assert not result.failed_tasks, str(result)
    names = [c["name"] for c in result.results[0]["job_containers"]]
    assert "done" not in names and "broken" in names


def test_server_failure(oco_server, three_containers, run_tasks):
    oco_server.admin.inject_fault("http500", method="oco.job_container.list")
    result = run_tasks([{MODULE: {}}])
    assert result.results[0]["failed"] is True
    assert "HTTP 500" in result.results[0]["msg"]
    assert "Traceback" not in result.shown()


def test_documented_examples_run(oco_server, three_containers, run_tasks):
    import yaml

    from ansible_collections.oco.oco.plugins.modules import oco_job_container_info

    oco_server.admin.sql("UPDATE job_container SET name = 'Firefox rollout' WHERE id = 1")
    result = run_tasks(yaml.safe_load(oco_job_container_info.EXAMPLES))
    assert not result.failed_tasks, str(result)
    listed, printed, one = result.results
    assert len(listed["job_containers"]) == 3
    assert printed["msg"] == ["broken"]
    assert [c["id"] for c in one["job_containers"]] == [1] and len(one["job_containers"][0]["jobs"]) == 2
