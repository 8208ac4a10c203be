"""oco_job_container end to end: deploy, uninstall, wait through the simulated agents, remove."""

from __future__ import annotations

import pytest
import yaml

import oco_helpers

MODULE = "oco.oco.oco_job_container"
FIREFOX_121 = {"family": "Firefox", "version": "121.0"}


def task(**options):
    return {MODULE: options}


@pytest.fixture
def fleet(oco_server):
    """pc1, pc2 in Office (pc3 in Office/Linux, a Linux box), Firefox 120 and 121, 7-Zip for Windows only."""
    admin = oco_server.admin
    ids = {}
    for host, os_name in (("pc1", "Windows"), ("pc2", "Windows"), ("pc3", "Linux")):
        ids[host] = admin.create_computer(host, os=os_name,
                                          networks=[{"mac": "00:11:22:33:44:%02d" % len(ids), "address": "10.0.0.%d" % (len(ids) + 1)}])
    office = admin.create_computer_group("Office")
    linux = admin.create_computer_group("Linux", parent_id=office)
    admin.add_computer_to_group(ids["pc1"], office)
    admin.add_computer_to_group(ids["pc2"], office)
    admin.add_computer_to_group(ids["pc3"], linux)
    ids["firefox120"] = admin.create_package("Firefox", "120.0", created="2026-01-01 00:00:00")
    ids["firefox121"] = admin.create_package("Firefox", "121.0", created="2026-02-01 00:00:00")
    ids["7zip"] = admin.create_package("7-Zip", "24.08", compatible_os="Windows")
    base = admin.create_package_group("Base")
    admin.add_package_to_group(ids["7zip"], base)
    ids["office"], ids["linux"], ids["base"] = office, linux, base
    ids["report"] = admin.create_report("Windows PCs", "SELECT id AS computer_id FROM computer WHERE os = 'Windows'")
    admin.reset_counters()
    return ids


def containers(server):
    return server.admin.sql("SELECT id, name FROM job_container ORDER BY id")


def test_deploy_check_mode_sends_no_write(oco_server, fleet, run_tasks):
    result = run_tasks([task(name="rollout", computers=["PC1", fleet["pc2"]], computer_groups=["Office/Linux"],
                             computer_reports=["Windows PCs"], packages=["Firefox", {"family": "7-zip", "version": "24.08"}],
                             package_groups=["Base"], priority=5, sequence_mode="abort_after_failed")],
                       check=True, diff=True)
    assert result.rc == 0, str(result)
    out = result.results[0]
    assert out["changed"] is True
    assert out["job_container"] == {}
    request = out["request"]
    assert request["method"] == "oco.job_container.deploy"
    assert request["computers"] == [{"id": fleet["pc1"], "hostname": "pc1"}, {"id": fleet["pc2"], "hostname": "pc2"}]
    assert request["computer_groups"] == [{"id": fleet["linux"], "path": "Office/Linux"}]
    assert request["computer_reports"] == [{"id": fleet["report"], "name": "Windows PCs"}]
    # a family name alone is its newest package
    assert request["packages"] == [{"id": fleet["firefox121"], "family": "Firefox", "version": "121.0"},
                                   {"id": fleet["7zip"], "family": "7-Zip", "version": "24.08"}]
    assert request["package_groups"] == [{"id": fleet["base"], "path": "Base"}]
    assert out["diff"]["before"] == {"name": "rollout", "state": "absent"}
    assert out["diff"]["after"]["state"] == "present"
    assert out["diff"]["after"]["sequence_mode"] == "abort_after_failed"
    counters = oco_server.admin.counters()
    assert counters["writes"] == 0
    assert containers(oco_server) == []


def test_deploy_repeat_diff_and_remove(oco_server, fleet, run_tasks):
    deploy = task(name="rollout", computer_groups=["Office"], packages=[FIREFOX_121], description="December",
                  date_start="2026-01-01T10:00:00", restart_timeout=10, agent_ip_ranges=["10.0.0.0/8"],
                  time_frames=["0:00-23:59"])
    result = run_tasks([
        dict(deploy, diff=True),
        deploy,
        dict(task(name="rollout", state="absent"), check_mode=True),
        dict(task(name="rollout", state="absent"), diff=True),
        task(name="rollout", state="absent"),
    ])
    assert not result.failed_tasks, str(result)
    created, repeated, check_remove, removed, removed_again = result.results
    assert created["changed"] is True
    container = created["job_container"]
    assert isinstance(container["id"], int)
    assert container["name"] == "rollout"
    assert container["notes"] == "December"
    assert container["start_time"] == "2026-01-01 10:00:00"
    assert container["wol_sent"] == -1    # use_wol defaults to false here, unlike the API
    assert container["agent_ip_ranges"] == "10.0.0.0/8"
    assert created["status"] == "in_progress"
    assert created["counts"]["waiting"] == 2
    assert [j["computer_hostname"] for j in created["jobs"]] == ["pc1", "pc2"]
    assert {j["state_name"] for j in created["jobs"]} == {"waiting"}
    assert all(j["post_action_timeout"] == 10 for j in created["jobs"])
    assert created["diff"]["before"] == {"name": "rollout", "state": "absent"}
    assert created["diff"]["after"]["computer_groups"] == [{"id": fleet["office"], "path": "Office"}]
    assert created["diff"]["after"]["id"] == container["id"]

    assert repeated["changed"] is False
    assert repeated["job_container"]["id"] == container["id"]
    assert "request" not in repeated

    assert check_remove["changed"] is True
    assert check_remove["removed_ids"] == [container["id"]]
    assert removed["changed"] is True
    assert removed["diff"]["before"]["id"] == container["id"]
    assert removed["diff"]["after"] == {"name": "rollout", "state": "absent"}
    assert removed["job_container"] == {}
    assert removed_again["changed"] is False
    assert containers(oco_server) == []
    calls = oco_server.admin.counters()["calls"]
    assert calls["oco.job_container.deploy"] == 1
    assert calls["oco.job_container.remove"] == 1


def test_existing_container_of_that_name(oco_server, fleet, run_tasks):
    first = dict(name="rollout", computers=["pc1"], packages=["Firefox"], description="December", priority=5,
                 date_start="2026-01-01 10:00:00", agent_ip_ranges=["10.0.0.0/8"])
    result = run_tasks([
        task(**first),
        task(**first),
        # options left out are not compared (the server's defaults, its "now" as start time)
        task(name="ROLLOUT", computers=["pc1"], packages=[FIREFOX_121]),
        task(name="ROLLOUT", computers=["pc2"], packages=["7-Zip"], priority=9),
        dict(task(name="rollout", computers=["pc2"], packages=["Firefox"]), check_mode=True),
        task(name="rollout"),
        task(name="unknown"),
    ])
    created, same, unset, other, checked, bare, unknown = result.results
    assert created["changed"] is True
    container_id = created["job_container"]["id"]
    for out in (same, unset):
        assert not out.get("failed") and out["changed"] is False, out
        assert out["job_container"]["id"] == container_id and "request" not in out
        assert [j["computer_hostname"] for j in out["jobs"]] == ["pc1"]
    assert other["failed"] is True
    assert other["msg"] == ("job container 'rollout' (id %d) exists with another request, and OCO cannot change a job "
                            "container: priority (stored 5, wanted 9); computers (stored pc1, wanted pc2); packages "
                            "(stored Firefox 121.0, wanted 7-Zip 24.08). Choose another name, or remove the existing "
                            "container first (state: absent)" % container_id)
    assert other["job_container"]["id"] == container_id
    assert checked["failed"] is True and "computers (stored pc1, wanted pc2)" in checked["msg"]
    # A task that only names the container compares nothing.
    assert bare["changed"] is False and bare["status"] == "in_progress"
    assert unknown["failed"] is True
    assert "no job container is named 'unknown'; to create it, give computers" in unknown["msg"]
    assert len(containers(oco_server)) == 1
    assert oco_server.admin.counters()["writes"] == 1


ROW_OPTIONS = dict(description="December", date_start="2026-01-01 10:00:00", date_end="2030-01-01T10:00:00",
                   use_wol=True, shutdown_waked_after_completion=True, sequence_mode="abort_after_failed", priority=5,
                   restart_timeout=10, agent_ip_ranges=["10.0.0.0/8", "!10.1.0.0/16"], time_frames=["8:00-17:00"])
OTHER_VALUES = [
    ("description", "January", "description (stored December, wanted January)"),
    ("date_start", "2026-01-02T10:00:00", "date_start (stored 2026-01-01 10:00:00, wanted 2026-01-02 10:00:00)"),
    ("date_end", "2031-01-01 10:00:00", "date_end (stored 2030-01-01 10:00:00, wanted 2031-01-01 10:00:00)"),
    ("use_wol", False, "use_wol (stored True, wanted False)"),
    ("shutdown_waked_after_completion", False, "shutdown_waked_after_completion (stored True, wanted False)"),
    ("sequence_mode", "ignore_failed", "sequence_mode (stored abort_after_failed, wanted ignore_failed)"),
    ("priority", -5, "priority (stored 5, wanted -5)"),
    ("restart_timeout", 20, "restart_timeout (stored 10, wanted 20)"),
    ("agent_ip_ranges", ["10.0.0.0/8"], "agent_ip_ranges (stored ['10.0.0.0/8', '!10.1.0.0/16'], wanted ['10.0.0.0/8'])"),
    ("time_frames", ["9:00-17:00"], "time_frames (stored ['8:00-17:00'], wanted ['9:00-17:00'])"),
]


def test_each_differing_option_is_named(oco_server, fleet, run_tasks):
    base = dict(name="rollout", computer_groups=["Office"], packages=["Firefox"], **ROW_OPTIONS)
    result = run_tasks([task(**base), task(**base)] + [task(**dict(base, **{option: value}))
                                                       for option, value, _expected in OTHER_VALUES])
    created, same = result.results[:2]
    assert created["changed"] is True and not same.get("failed") and same["changed"] is False, str(result)
    for (option, _value, expected), out in zip(OTHER_VALUES, result.results[2:]):
        assert out.get("failed") is True, (option, out)
        assert "container: %s. Choose another name" % expected in out["msg"], (option, out["msg"])
    assert len(containers(oco_server)) == 1


def test_groups_reports_and_dependencies_are_expanded_as_the_server_does(oco_server, fleet, run_tasks):
    admin = oco_server.admin
    runtime = admin.create_package("Runtime", "1.0")
    admin.add_package_dependency(fleet["firefox121"], runtime)
    deploy = task(name="rollout", computer_groups=["Office"], computer_reports=["Windows PCs"],
                  packages=["Firefox"], package_groups=["Base"])
    first = run_tasks([deploy, deploy])
    created, same = first.results
    assert created["changed"] is True, str(first)
    # OCO added the dependency: not a difference
    assert {j["package_family_name"] for j in created["jobs"]} == {"Firefox", "Runtime", "7-Zip"}
    assert not same.get("failed") and same["changed"] is False, same
    pc4 = admin.create_computer("pc4", os="Linux")
    admin.add_computer_to_group(pc4, fleet["office"])
    admin.create_package("Extra", "1.0")
    admin.add_package_to_group(admin.sql("SELECT id FROM package WHERE version = '1.0' AND id != ?", [runtime])[0]["id"],
                               fleet["base"])
    second = run_tasks([deploy])
    out = second.results[0]
    assert out["failed"] is True
    assert "computers (stored pc1, pc2, wanted pc1, pc2, pc4); packages (stored " in out["msg"]
    assert "wanted 7-Zip 24.08, Extra 1.0, Firefox 121.0)" in out["msg"]
    assert len(containers(oco_server)) == 1


def test_existing_uninstall_container_with_other_entries(oco_server, fleet, run_tasks):
    admin = oco_server.admin
    admin.add_installation(fleet["pc1"], fleet["firefox120"])
    admin.add_installation(fleet["pc2"], fleet["firefox120"])
    removal = task(name="removal", uninstall=[{"computer": "pc1", "package": "Firefox"}])
    result = run_tasks([removal, removal, task(name="removal", uninstall=[{"computer": "pc2", "package": "Firefox"}])])
    created, same, other = result.results
    assert created["changed"] is True and same["changed"] is False, str(result)
    assert other["failed"] is True
    assert "uninstall (stored pc1: Firefox 120.0, wanted pc2: Firefox)" in other["msg"]
    admin.agents_run(now="2099-01-01 00:00:00")
    # Done: the installation is gone, the container is the same request.
    again = run_tasks([removal])
    assert again.results[0]["changed"] is False and again.results[0]["status"] == "succeeded", str(again)


def test_several_containers_of_one_name(oco_server, fleet, run_tasks):
    from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

    client = OcoClient(oco_server.url, "admin", "oco-admin-pw")
    for attempt in range(2):
        client.call("oco.job_container.deploy", {"name": "twice", "description": "attempt %d" % attempt, "computer_ids": [fleet["pc1"]],
                                                 "package_ids": [fleet["firefox121"]], "use_wol": 0})
    result = run_tasks([task(name="twice"), task(name="twice", state="absent")])
    ambiguous, removed = result.results
    assert ambiguous["failed"] is True
    assert "2 job containers are named 'twice' (ids 1, 2)" in ambiguous["msg"]
    assert removed["changed"] is True and removed["removed_ids"] == [1, 2]
    assert containers(oco_server) == []


def test_wait_success(oco_server, fleet, run_tasks):
    # The simulated agents finish every job just before the second poll is answered.
    oco_server.admin.agent_clock(every=2)
    result = run_tasks([task(name="rollout", computer_groups=["Office"], packages=["Firefox", "7-Zip"],
                             wait=True, poll_interval=0.1, wait_timeout=60)])
    assert result.rc == 0, str(result)
    out = result.results[0]
    assert out["changed"] is True
    assert out["status"] == "succeeded"
    assert out["counts"]["succeeded"] == 4
    assert out["failed_jobs"] == []
    assert {j["state_name"] for j in out["jobs"]} == {"succeeded"}
    calls = oco_server.admin.counters()["calls"]
    assert calls["oco.job_container.job.list"] == out["polls"] == 2


def test_wait_returns_the_container_as_listed_once_finished(oco_server, fleet, run_tasks):
    oco_server.admin.agent_clock(every=2)
    result = run_tasks([
        task(name="rollout", computers=["pc1"], packages=["Firefox"], wait=True, poll_interval=0.1, wait_timeout=60),
        {"oco.oco.oco_job_container_info": {"name": "rollout"}},
    ])
    assert not result.failed_tasks, str(result)
    waited, listed = result.results
    assert waited["status"] == "succeeded"
    container = waited["job_container"]
    # Created with execution_finished null; the server sets it when the last job finishes.
    assert container["execution_finished"] is not None
    finished = oco_server.admin.sql("SELECT MAX(execution_finished) AS at FROM job_container_job")[0]["at"]
    assert container["execution_finished"] == finished
    assert listed["job_containers"][0]["execution_finished"] == container["execution_finished"]
    assert listed["job_containers"][0]["id"] == container["id"]


def test_one_request_per_poll(oco_server, fleet, run_tasks):
    admin = oco_server.admin
    hosts = [admin.create_computer("lab%02d" % i, os="Windows") for i in range(12)]
    lab = admin.create_computer_group("Lab")
    for cid in hosts:
        admin.add_computer_to_group(cid, lab)
    first = run_tasks([task(name="lab", computer_groups=["Lab"], packages=["Firefox", "7-Zip"])])
    assert first.results[0]["counts"]["waiting"] == 24
    admin.reset_counters()
    admin.agent_clock(every=3)    # the jobs finish on the third poll, however slow the machine is
    result = run_tasks([task(name="lab", wait=True, poll_interval=0.1, wait_timeout=60)])
    assert result.rc == 0, str(result)
    out = result.results[0]
    assert out["changed"] is False and out["status"] == "succeeded"
    counters = admin.counters()
    # one list to find the container, exactly one request per poll for 24 jobs, and one list more
    # once they finished, for the container as the server lists it then (execution_finished)
    assert counters["calls"] == {"oco.job_container.list": 2, "oco.job_container.job.list": out["polls"]}
    assert counters["http_requests"] == 1 + out["polls"] + 1
    assert out["polls"] == 3


def test_failing_job_fails_the_task_unless_told_otherwise(oco_server, fleet, run_tasks):
    oco_server.admin.agent_clock(every=1, fail_hostnames=["pc2"])
    wait = {"wait": True, "poll_interval": 0.1, "wait_timeout": 60}
    result = run_tasks([
        task(name="rollout", computers=["pc1", "pc2"], packages=["Firefox"], **wait),
        task(name="rollout", fail_on_job_failure=False, **wait),
    ])
    failed, tolerated = result.results
    assert failed["failed"] is True
    assert failed["changed"] is True
    assert "1 job of job container 'rollout' (id 1) failed: pc2: Firefox 121.0 failed (return code 1" in failed["msg"]
    assert failed["status"] == "failed"
    assert failed["counts"]["succeeded"] == 1 and failed["counts"]["failed"] == 1
    assert failed["failed_jobs"][0]["hostname"] == "pc2"
    assert failed["failed_jobs"][0]["package"] == "Firefox 121.0"
    assert failed["failed_jobs"][0]["return_code"] == 1
    assert failed["job_container"]["id"] == 1
    assert len(failed["jobs"]) == 2
    assert not tolerated.get("failed")
    assert tolerated["changed"] is False
    assert tolerated["status"] == "failed"
    assert [j["hostname"] for j in tolerated["failed_jobs"]] == ["pc2"]


def test_os_incompatible_job(oco_server, fleet, run_tasks):
    result = run_tasks([
        task(name="7zip", computers=["pc3"], packages=["7-Zip"], wait=True, poll_interval=0.3),
        task(name="7zip-tolerated", computers=["pc3"], packages=["7-Zip"], wait=True, fail_on_job_failure=False),
    ])
    failed, tolerated = result.results
    assert failed["failed"] is True
    assert "pc3: 7-Zip 24.08 os_incompatible" in failed["msg"]
    assert tolerated["status"] == "failed" and tolerated["counts"]["os_incompatible"] == 1
    assert tolerated["polls"] == 1    # final at once: no agent needed


def test_already_installed_with_and_without_force(oco_server, fleet, run_tasks):
    oco_server.admin.add_installation(fleet["pc1"], fleet["firefox121"])
    oco_server.admin.agent_clock(every=1)
    result = run_tasks([
        task(name="same", computers=["pc1"], packages=[FIREFOX_121], wait=True, poll_interval=0.1),
        task(name="forced", computers=["pc1"], packages=[FIREFOX_121], force_install_same_version=True, wait=True,
             poll_interval=0.1, wait_timeout=60),
    ])
    assert not result.failed_tasks, str(result)
    same, forced = result.results
    assert same["status"] == "succeeded"
    assert same["counts"]["already_installed"] == 1 and same["counts"]["succeeded"] == 0
    assert forced["status"] == "succeeded"
    assert forced["counts"]["already_installed"] == 0
    # installed again (after an explicit uninstall where the package's upgrade behaviour asks for one)
    installs = [j for j in forced["jobs"] if not j["is_uninstall"]]
    assert [(j["package_version"], j["state_name"]) for j in installs] == [("121.0", "succeeded")]


def test_container_purged_by_housekeeping(oco_server, fleet, run_tasks):
    """A container with only already-installed jobs goes at the next housekeeping run."""
    oco_server.admin.add_installation(fleet["pc1"], fleet["firefox121"])
    first = run_tasks([task(name="same", computers=["pc1"], packages=[FIREFOX_121])])
    assert first.results[0]["status"] == "succeeded"
    assert oco_server.admin.housekeeping()["purged_containers"] == [first.results[0]["job_container"]["id"]]
    # Gone from the server, so the next run creates it again (documented).
    again = run_tasks([task(name="same", computers=["pc1"], packages=[FIREFOX_121])])
    assert again.results[0]["changed"] is True


def test_container_removed_while_waiting(oco_server, fleet, run_tasks):
    # Finished containers purged at once: before the second poll is answered the agents finish the
    # job and housekeeping removes the container, so it vanishes between two polls.
    oco_server.admin.set_setting("purge-succeeded-jobs-after", -1)
    oco_server.admin.agent_clock(every=2, housekeeping=True)
    result = run_tasks([task(name="rollout", computers=["pc1"], packages=["Firefox"], wait=True, poll_interval=0.1,
                             wait_timeout=30)])
    out = result.results[0]
    assert out["failed"] is True
    assert "job container 'rollout' (id 1) was removed" in out["msg"]
    assert "its outcome is unknown" in out["msg"]
    assert out["job_container"]["id"] == 1
    assert "Traceback" not in result.shown()


def test_abort_after_failed(oco_server, fleet, run_tasks):
    oco_server.admin.agent_clock(every=1, fail_hostnames=["pc1"])
    result = run_tasks([task(name="abort", computers=["pc1", "pc2"], packages=["Firefox", "7-Zip"],
                             sequence_mode="abort_after_failed", wait=True, poll_interval=0.1, wait_timeout=60,
                             fail_on_job_failure=False)])
    out = result.results[0]
    assert out["status"] == "failed", str(result)
    assert out["job_container"]["sequence_mode"] == 1
    assert out["counts"]["failed"] == 4 and out["counts"]["succeeded"] == 0
    assert sorted(j["return_code"] for j in out["failed_jobs"]) == [-8888, -8888, -8888, 1]


def test_wait_timeout(oco_server, fleet, run_tasks):
    result = run_tasks([
        task(name="stuck", computers=["pc1"], packages=["Firefox"], wait=True, wait_timeout=1, poll_interval=0.1),
        task(name="later", computers=["pc1"], packages=["Firefox"], date_start="2099-01-01 00:00:00", wait=True,
             wait_timeout=0),
    ])
    stuck, later = result.results
    assert stuck["failed"] is True
    assert "timed out after 1 seconds waiting for job container 'stuck' (id 1): status in_progress (waiting 1)" in stuck["msg"]
    assert stuck["status"] == "in_progress" and stuck["counts"]["waiting"] == 1
    # Polled until the deadline (the exact count for a given clock: tests/unit/.../test_jobs.py).
    assert stuck["polls"] >= 2
    assert later["failed"] is True and later["status"] == "waiting"
    assert later["polls"] == 1


def test_uninstall(oco_server, fleet, run_tasks):
    admin = oco_server.admin
    admin.add_installation(fleet["pc1"], fleet["firefox120"])
    admin.add_installation(fleet["pc2"], fleet["7zip"])
    uninstall = task(name="removal", uninstall=[{"computer": "pc1", "package": "Firefox"},
                                                {"computer": fleet["pc2"], "package": {"family": "7-Zip", "version": "24.08"}}],
                     wait=True, poll_interval=0.1, wait_timeout=60)
    checked = run_tasks([uninstall], check=True)
    assert checked.results[0]["changed"] is True
    installations = checked.results[0]["request"]["installations"]
    assert [(i["hostname"], i["family"], i["version"]) for i in installations] == [
        ("pc1", "Firefox", "120.0"), ("pc2", "7-Zip", "24.08")]
    assert admin.counters()["writes"] == 0
    admin.agent_clock(every=1)
    result = run_tasks([uninstall, dict(uninstall, name="again")])
    assert not result.failed_tasks, str(result)
    done, again = result.results
    assert done["changed"] is True and again["changed"] is False
    assert done["request"]["method"] == "oco.job_container.uninstall"
    assert done["job_container"]["name"] == "removal" and isinstance(done["job_container"]["id"], int)
    assert done["status"] == "succeeded" and done["counts"]["succeeded"] == 2
    assert all(j["is_uninstall"] == 1 for j in done["jobs"])
    assert admin.sql("SELECT * FROM computer_package") == []


def test_uninstall_of_a_package_that_is_not_installed(oco_server, fleet, run_tasks):
    oco_server.admin.add_installation(fleet["pc1"], fleet["firefox120"])
    result = run_tasks([
        task(name="removal", uninstall=[{"computer": "pc1", "package": "Firefox"}, {"computer": "pc2", "package": "Firefox"}]),
        task(name="removal", uninstall=[{"computer": "pc1", "package": FIREFOX_121}]),
        task(name="removal", uninstall=[{"computer": "pc7", "package": "Firefox"}]),
    ])
    not_there, other_version, no_computer = result.results
    assert "uninstall[1]: computer 'pc2' has no installation of package 'Firefox' (installed: none)" in not_there["msg"]
    assert ("uninstall[0]: computer 'pc1' has no installation of package {'family': 'Firefox', 'version': '121.0'} "
            "(installed: Firefox 120.0)") in other_version["msg"]
    assert "uninstall[0].computer: no computer matches 'pc7' (closest: " in no_computer["msg"]
    assert oco_server.admin.counters()["writes"] == 0


# Independent cases share one ansible-playbook run (oco_helpers.run_cases); each is checked on its own.
INVALID_OPTIONS = [
    ({"restart_timeout": 0}, "invalid option restart_timeout=0"),
    ({"priority": 101}, "invalid option priority=101: must be between -100 and 100"),
    ({"date_start": "tomorrow"}, "invalid option date_start='tomorrow'"),
    ({"date_start": "2026-12-02 10:00:00", "date_end": "2026-12-01T10:00:00"},
     "invalid option date_end='2026-12-01T10:00:00': must be later than date_start (2026-12-02 10:00:00)"),
    ({"agent_ip_ranges": ["10.0.0.0/x"]}, "invalid option agent_ip_ranges='10.0.0.0/x'"),
    ({"agent_ip_ranges": ["300.1.1.1"]}, "invalid option agent_ip_ranges='300.1.1.1'"),
    ({"time_frames": ["8:00 - 17:00"]}, "invalid option time_frames='8:00 - 17:00'"),
    ({"sequence_mode": "sometimes"}, "value of sequence_mode must be one of: ignore_failed, abort_after_failed"),
    ({"computers": ["pc1"], "packages": None}, "a deploy needs both sides: computers given, but none of packages"),
    ({"packages": [{"family": "Firefox", "versoin": "1"}]}, "invalid option packages={'family': 'Firefox', 'versoin': '1'}"),
    ({"computers": [""]}, "invalid option computers=''"),
    ({"computers": [True]}, "invalid option computers=True"),
    ({"wait_timeout": -1}, "invalid option wait_timeout=-1"),
    ({"poll_interval": 0}, "invalid option poll_interval=0.0"),
    ({"name": "  "}, "invalid option name='  '"),
    ({"uninstall": [{"computer": "pc1", "package": "Firefox"}], "computers": None, "packages": None,
      "time_frames": ["8:00-17:00"]}, "parameters are mutually exclusive: uninstall|time_frames"),
    ({"uninstall": [{"computer": "pc1", "package": "Firefox"}]}, "parameters are mutually exclusive: uninstall|computers"),
    ({"uninstall": [{"computer": "pc1", "package": "Firefox"}], "computers": None, "packages": None,
      "force_install_same_version": True}, "invalid option force_install_same_version=True"),
    ({"uninstall": [{"computer": "pc1"}], "computers": None, "packages": None}, "missing required arguments: package"),

]


def deploy_cases(cases, drop_none=False):
    """``{"<index>: <expected message>": [task]}`` for (options, expected) pairs over a valid deploy."""
    answer = {}
    for index, (options, expected) in enumerate(cases):
        args = {"name": "bad", "computers": ["pc1"], "packages": ["Firefox"]}
        args.update(options)
        if drop_none:
            args = {k: v for k, v in args.items() if v is not None}
        answer["%d: %s" % (index, expected)] = [task(**args)]
    return answer


def fails_with_expected_message(case, results):
    expected = case.split(": ", 1)[1]
    out = results[0]
    assert out["failed"] is True, out
    assert expected in out["msg"], out["msg"]


def test_invalid_options_fail_before_any_request(oco_server):
    answers = oco_helpers.run_cases(deploy_cases(INVALID_OPTIONS, drop_none=True), oco_server)
    oco_helpers.check_each(answers, fails_with_expected_message)
    # none of the cases sent a request
    assert oco_server.admin.counters()["http_requests"] == 0


UNKNOWN_REFERENCES = [
    ({"computers": ["pc9"]}, "computers: no computer matches 'pc9' (closest: pc3, pc2, pc1)"),
    ({"computers": [99]}, "computers: no computer has id 99"),
    ({"computer_groups": ["Ofice"]}, "computer_groups: no computer group matches 'Ofice' (closest: Office"),
    ({"computer_reports": ["Windows PC"]}, "computer_reports: no report matches 'Windows PC' (closest: Windows PCs"),
    ({"packages": ["Firefux"]}, "packages: no package family matches 'Firefux' (closest: Firefox)"),
    ({"packages": [{"family": "Firefox", "version": "122.0"}]},
     "packages: no package of family 'Firefox' matches '122.0' (closest: 121.0, 120.0)"),
    ({"packages": [999]}, "packages: no package has id 999"),
    ({"package_groups": ["Bsae"]}, "package_groups: no package group matches 'Bsae'"),
    ({"package_reports": ["nope"]}, "package_reports: no report matches 'nope'"),

]


def test_unknown_references(oco_server, fleet):
    answers = oco_helpers.run_cases(deploy_cases(UNKNOWN_REFERENCES), oco_server)
    oco_helpers.check_each(answers, fails_with_expected_message)
    # none of the cases wrote anything
    assert oco_server.admin.counters()["writes"] == 0


def test_reader_may_read_but_not_deploy_or_remove(oco_server, fleet, run_tasks):
    run_tasks([task(name="rollout", computers=["pc1"], packages=["Firefox"])])
    result = run_tasks([
        task(name="new", computers=["pc1"], packages=["Firefox"]),
        task(name="rollout", state="absent"),
        task(name="rollout"),
    ], username="reader", password="oco-reader-pw")
    deploy, remove, read = result.results
    assert deploy["failed"] is True and "oco.job_container.deploy" in deploy["msg"] and "ermission" in deploy["msg"]
    assert remove["failed"] is True and "oco.job_container.remove" in remove["msg"] and "ermission" in remove["msg"]
    assert read["changed"] is False and read["job_container"]["name"] == "rollout"
    assert len(containers(oco_server)) == 1


def test_server_failure_and_lost_answer(oco_server, fleet, run_tasks):
    admin = oco_server.admin
    admin.inject_fault("http500", method="oco.job_container.deploy")
    failed = run_tasks([task(name="rollout", computers=["pc1"], packages=["Firefox"])])
    out = failed.results[0]
    assert out["failed"] is True and "HTTP 500" in out["msg"]
    assert "Traceback" not in failed.shown()
    assert containers(oco_server) == []
    admin.reset_counters()
    admin.inject_fault("commit_drop", method="oco.job_container.deploy")
    lost = run_tasks([task(name="rollout", computers=["pc1"], packages=["Firefox"])])
    out = lost.results[0]
    assert out["changed"] is True, str(lost)
    assert out["job_container"]["name"] == "rollout"
    assert admin.counters()["calls"]["oco.job_container.deploy"] == 1
    assert len(containers(oco_server)) == 1


def test_documented_examples_run(oco_server, run_tasks):
    from ansible_collections.oco.oco.plugins.modules import oco_job_container

    admin = oco_server.admin
    office = admin.create_computer_group("Office")
    berlin = admin.create_computer_group("Berlin", parent_id=office)
    for host in ("pc-reception", "pc-berlin-1"):
        admin.add_computer_to_group(admin.create_computer(host, os="Windows"), berlin)
    admin.create_package("Firefox", "133.0")
    admin.create_package("7-Zip", "24.08")
    admin.agent_clock(every=1)
    examples = yaml.safe_load(oco_job_container.EXAMPLES)
    for example in examples:
        if "wait" in example.get(MODULE, {}):
            example[MODULE]["poll_interval"] = 0.1
    result = run_tasks(examples)
    rollout, tolerated, printed, uninstall, removed = result.results
    assert not result.failed_tasks, str(result)
    assert rollout["changed"] is True and rollout["status"] == "succeeded"
    assert rollout["counts"]["succeeded"] == 4
    assert tolerated["changed"] is False and tolerated["status"] == "succeeded"
    assert printed["skipped"] is True    # no failed job to print
    assert uninstall["changed"] is True, str(result)
    assert uninstall["job_container"]["start_time"].startswith("2030-12-24")
    assert uninstall["status"] == "waiting"
    assert removed["changed"] is True
    assert [c["name"] for c in containers(oco_server)] == ["Remove 7-Zip from pc-reception"]
