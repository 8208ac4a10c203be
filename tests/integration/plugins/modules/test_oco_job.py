"""oco_job (state absent) against the test server: remove single jobs from job containers."""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

MODULE = "oco.oco.oco_job"


def task(**options):
    return {MODULE: options}


def deploy(server):
    """Two containers (deployed through the API, as a user would) with jobs for three computers."""
    fleet = server.admin.generate_fleet(computers=6, groups=1, depth=1, families=2, packages_per_family=1, seed=11)
    server.admin.sql("DELETE FROM computer_package")
    client = OcoClient(server.url, "admin", "oco-admin-pw", retries=0)
    computers = fleet["computer_ids"][:3]
    for name in ("Rollout A", "Rollout B"):
        client.call("oco.job_container.deploy", {"name": name, "computer_ids": computers,
                                                 "package_ids": fleet["package_ids"][:1], "use_wol": 0})
    return server.admin.sql("SELECT j.id, j.job_container_id, c.name FROM job_container_job j "
                            "JOIN job_container c ON c.id = j.job_container_id ORDER BY j.id")


def job_ids(server):
    return [r["id"] for r in server.admin.sql("SELECT id FROM job_container_job ORDER BY id")]


def test_remove_job_check_diff_and_repeat(oco_server, run_tasks):
    jobs = deploy(oco_server)
    assert len(jobs) == 6
    target = jobs[4]

    oco_server.admin.reset_counters()
    check = run_tasks([task(id=target["id"])], check=True, diff=True)
    assert check.rc == 0 and not check.failed_tasks, str(check)
    would = check.results[0]
    assert would["changed"] is True and would["job"]["id"] == target["id"]
    assert would["diff"]["before"]["job"]["job_container_name"] == "Rollout B"
    assert oco_server.admin.counters()["writes"] == 0
    assert job_ids(oco_server) == [j["id"] for j in jobs]

    result = run_tasks([task(id=target["id"]), task(id=target["id"]), dict(task(id=target["id"]), check_mode=True),
                        task(id=99999, state="absent")], diff=True)
    assert result.rc == 0 and not result.failed_tasks, str(result)
    removed, again, again_check, never = result.results
    assert removed["changed"] is True
    job = removed["job"]
    assert job["id"] == target["id"] and job["job_container_id"] == target["job_container_id"]
    assert isinstance(job["computer_id"], int) and job["state"] == 0 and job["computer_hostname"]
    assert removed["diff"]["before"]["job"] == job and removed["diff"]["after"] == {}
    for repeat in (again, again_check, never):
        assert repeat["changed"] is False and repeat["job"] == {} and "diff" not in repeat
    assert job_ids(oco_server) == [j["id"] for j in jobs if j["id"] != target["id"]]
    # the container stays with its other jobs
    assert len(oco_server.admin.sql("SELECT id FROM job_container")) == 2


def test_no_containers_at_all(run_tasks):
    result = run_tasks([task(id=1)])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert result.results[0]["changed"] is False


def test_errors_and_permissions(oco_server, run_tasks):
    jobs = deploy(oco_server)
    oco_server.admin.reset_counters()
    result = run_tasks([task(id=0), task(id=1, state="present"), task(), task(id="first")])
    assert all(r.get("failed") for r in result.results), str(result)
    msgs = [r["msg"] for r in result.results]
    assert "invalid option id=0" in msgs[0]
    assert "value of state must be one of: absent" in msgs[1]
    assert "missing required arguments: id" in msgs[2]
    assert "id" in msgs[3] and "int" in msgs[3]
    assert oco_server.admin.counters()["http_requests"] == 0

    denied = run_tasks([task(id=jobs[0]["id"])], username="reader", password="oco-reader-pw")
    failed = denied.results[0]
    assert failed["failed"] is True
    assert "oco.job_container.job.remove" in failed["msg"] and "permission denied" in failed["msg"]
    assert job_ids(oco_server) == [j["id"] for j in jobs]


def test_server_failure_is_reported(oco_server, run_tasks):
    jobs = deploy(oco_server)
    oco_server.admin.inject_fault("http500", method="oco.job_container.job.remove")
    result = run_tasks([task(id=jobs[0]["id"])])
    assert result.results[0]["failed"] is True and "HTTP 500" in result.results[0]["msg"]
