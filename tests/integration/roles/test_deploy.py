"""The role oco.oco.deploy end to end: publish, deploy, wait through the simulated agents, summary."""

from __future__ import annotations

import io
import zipfile

import pytest

import oco_plays

PACKAGE = {"family": "Tool", "version": "1.0", "install_procedure": "setup.exe /S",
           "install_procedure_success_return_codes": [0, 3010], "description": "A tool",
           "files": ["payload/setup.exe"]}
CONTAINER_TASK = "Deploy the package and wait for the agents"
PACKAGE_TASK = "Ensure the package exists"
FAIL_TASK = "Fail when a job failed"
SHOW_TASK = "Show the result"


@pytest.fixture
def office(oco_server, computer_group):
    """pc1 and pc2 in the computer group Office, pc3 alone."""
    ids = computer_group("Office", ["pc1", "pc2", "pc3"], members=["pc1", "pc2"])
    oco_server.admin.reset_counters()
    return ids


def deploy_play(**role_vars):
    role_vars.setdefault("oco_deploy_package", PACKAGE)
    role_vars.setdefault("oco_deploy_poll_interval", 0.2)
    return [{"name": "deploy", "hosts": "localhost", "gather_facts": False, "connection": "local",
             "roles": [{"role": "oco.oco.deploy", "vars": role_vars}]}]


def run(server, play, **options):
    options.setdefault("files", {"payload/setup.exe": "MZ fake installer"})
    return oco_plays.run_playbook(play, server, **options)


def test_deploy_to_a_group_and_a_computer_waits_and_reports_each_computer(oco_server, office):
    oco_server.admin.agent_clock(every=1)
    result = run(oco_server, deploy_play(oco_deploy_computer_groups=["Office"], oco_deploy_computers=["PC3"]))
    assert result.rc == 0, str(result)
    summary = result.fact("oco_deploy_result")
    assert summary["status"] == "succeeded"
    assert summary["succeeded"] == ["pc1", "pc2", "pc3"]
    assert summary["failed"] == [] and summary["pending"] == [] and summary["failed_jobs"] == []
    assert summary["counts"]["succeeded"] == 3
    assert summary["changed"] is True
    # the container name is derived from the package and the targets
    assert summary["job_container_name"] == "Deploy Tool 1.0 to Office, PC3"
    assert summary["job_container"]["name"] == "Deploy Tool 1.0 to Office, PC3"
    assert result.task(SHOW_TASK)["msg"] == ["Job container 'Deploy Tool 1.0 to Office, PC3': succeeded (new)",
                                             "Succeeded (3): pc1, pc2, pc3"]
    # the package was created with its options and the payload, found relative to the playbook
    package = summary["package"]
    assert package["install_procedure"] == "setup.exe /S" and package["notes"] == "A tool"
    assert package["install_procedure_success_return_codes"] == "0,3010"
    payload = zipfile.ZipFile(io.BytesIO(__import__("base64").b64decode(oco_server.admin.package_zip(package["id"]))))
    assert payload.namelist() == ["setup.exe"]
    containers = oco_server.admin.sql("SELECT name FROM job_container")
    assert [row["name"] for row in containers] == ["Deploy Tool 1.0 to Office, PC3"]


def test_second_run_changes_nothing_and_writes_nothing(oco_server, office):
    oco_server.admin.agent_clock(every=1)
    play = deploy_play(oco_deploy_computer_groups=["Office"])
    first = run(oco_server, play)
    assert first.rc == 0, str(first)
    writes = oco_server.admin.counters()["writes"]
    second = run(oco_server, play)
    assert second.rc == 0, str(second)
    assert second.changed == [], str(second)
    assert oco_server.admin.counters()["writes"] == writes
    summary = second.fact("oco_deploy_result")
    assert summary["changed"] is False
    assert summary["succeeded"] == ["pc1", "pc2"]
    assert second.task(SHOW_TASK)["msg"][0] == "Job container 'Deploy Tool 1.0 to Office': succeeded (existing)"


def test_a_failed_job_fails_the_play_after_the_summary(oco_server, office):
    oco_server.admin.agent_clock(every=1, fail_hostnames=["pc2"])
    result = run(oco_server, deploy_play(oco_deploy_computer_groups=["Office"], oco_deploy_container_name="Tool for Office"))
    assert result.rc != 0
    summary = result.fact("oco_deploy_result")
    assert summary["status"] == "failed"
    assert summary["succeeded"] == ["pc1"] and summary["failed"] == ["pc2"]
    assert [job["hostname"] for job in summary["failed_jobs"]] == ["pc2"]
    assert result.task(SHOW_TASK)["msg"] == ["Job container 'Tool for Office': failed (new)",
                                             "Succeeded (1): pc1", "Failed (1): pc2"]
    failure = result.task(FAIL_TASK)
    assert failure["failed"] is True
    assert failure["msg"].startswith("1 of 2 computers failed in job container 'Tool for Office': pc2 (Tool 1.0: failed, return code")


def test_failed_job_without_failing_the_play(oco_server, office):
    oco_server.admin.agent_clock(every=1, fail_hostnames=["pc1", "pc2"])
    result = run(oco_server, deploy_play(oco_deploy_computer_groups=["Office"], oco_deploy_fail_on_job_failure=False))
    assert result.rc == 0, str(result)
    assert result.fact("oco_deploy_result")["failed"] == ["pc1", "pc2"]
    assert result.ran(FAIL_TASK) == []


def test_without_wait_the_computers_are_pending(oco_server, office):
    # a single host name is a list of one
    result = run(oco_server, deploy_play(oco_deploy_computers="pc3", oco_deploy_wait=False))
    assert result.rc == 0, str(result)
    summary = result.fact("oco_deploy_result")
    assert summary["job_container_name"] == "Deploy Tool 1.0 to pc3"
    assert summary["status"] == "in_progress"
    assert summary["pending"] == ["pc3"] and summary["succeeded"] == [] and summary["failed"] == []
    assert "Not finished (1): pc3" in result.task(SHOW_TASK)["msg"]


def test_check_mode_sends_no_write_for_a_new_package(oco_server, office):
    result = run(oco_server, deploy_play(oco_deploy_computer_groups=["Office"]), check=True)
    assert result.rc == 0, str(result)
    assert oco_server.admin.counters()["writes"] == 0
    assert result.task(PACKAGE_TASK)["changed"] is True
    assert result.ran(CONTAINER_TASK) == []     # the package it would deploy does not exist yet
    assert result.task(SHOW_TASK)["msg"] == ["Job container 'Deploy Tool 1.0 to Office': would be created",
                                             "Package Tool 1.0 would be created"]
    assert oco_server.admin.sql("SELECT COUNT(*) AS n FROM package")[0]["n"] == 0


def test_check_mode_sends_no_write_for_an_existing_package(oco_server, office):
    oco_server.admin.create_package("Tool", "1.0", install_procedure="setup.exe /S")
    oco_server.admin.reset_counters()
    play = deploy_play(oco_deploy_package={"family": "Tool", "version": "1.0"}, oco_deploy_computers=["pc1"])
    result = run(oco_server, play, check=True)
    assert result.rc == 0, str(result)
    assert oco_server.admin.counters()["writes"] == 0
    assert result.ran(PACKAGE_TASK) == []       # no install_procedure: deploy the existing package only
    container = result.task(CONTAINER_TASK)
    assert container["changed"] is True
    assert container["request"]["packages"][0]["family"] == "Tool"
    assert result.fact("oco_deploy_result")["changed"] is True
    assert oco_server.admin.sql("SELECT COUNT(*) AS n FROM job_container")[0]["n"] == 0


def test_connection_from_role_variable_completes_the_plays_module_defaults(oco_server, office):
    """oco_deploy_connection sets the password; the play's module_defaults for the group the rest."""
    oco_server.admin.agent_clock(every=1)
    play = deploy_play(oco_deploy_computers=["pc1"],
                       oco_deploy_connection={"password": "oco-admin-pw"})
    play[0]["module_defaults"] = {"group/oco.oco.oco": {"url": oco_server.url, "username": "admin",
                                                        "password": "wrong"}}
    result = run(oco_server, play, connection_via=None)
    assert result.rc == 0, str(result)
    assert result.fact("oco_deploy_result")["succeeded"] == ["pc1"]
    assert "oco-admin-pw" not in result.stdout


def test_shared_oco_connection_variable(oco_server, office):
    oco_server.admin.agent_clock(every=1)
    play = deploy_play(oco_deploy_computers=["pc1"])
    play[0]["vars"] = {"oco_connection": {"url": oco_server.url, "username": "admin", "password": "oco-admin-pw"}}
    result = run(oco_server, play, connection_via=None)
    assert result.rc == 0, str(result)
    assert result.fact("oco_deploy_result")["succeeded"] == ["pc1"]


def test_unknown_target_fails_with_closest_names(oco_server, office):
    result = run(oco_server, deploy_play(oco_deploy_computer_groups=["Ofice"]))
    assert result.rc != 0
    failure = result.task(CONTAINER_TASK)
    assert failure["failed"] is True and "Office" in failure["msg"]


@pytest.mark.parametrize("role_vars, expected", [
    ({"oco_deploy_package": None}, "oco_deploy_package"),
    ({"oco_deploy_package": {"family": "Tool"}}, "version"),
    ({"oco_deploy_package": dict(PACKAGE, install_proc="x")}, "install_proc"),
    ({"oco_deploy_sequence_mode": "stop"}, "oco_deploy_sequence_mode"),
    ({"oco_deploy_wait_timeout": "soon"}, "oco_deploy_wait_timeout"),
    ({"oco_deploy_connection": {"url": "https://oco", "passwd": "x"}}, "passwd"),
])
def test_invalid_variables_fail_before_any_request(oco_server, office, role_vars, expected):
    role_vars.setdefault("oco_deploy_computers", ["pc1"])
    if role_vars.get("oco_deploy_package", PACKAGE) is None:
        del role_vars["oco_deploy_package"]
        play = deploy_play(**role_vars)
        del play[0]["roles"][0]["vars"]["oco_deploy_package"]
    else:
        play = deploy_play(**role_vars)
    result = run(oco_server, play)
    assert result.rc != 0
    failure = result.records[0]["result"]
    assert failure["failed"] is True
    assert "Validation of arguments failed" in failure["msg"] and expected in failure["msg"], failure["msg"]
    assert oco_server.admin.counters()["http_requests"] == 0


def test_no_target_fails_before_any_request(oco_server, office):
    result = run(oco_server, deploy_play())
    assert result.rc != 0
    failure = result.task("Check that the deployment has a target")
    assert "oco_deploy_computers" in failure["msg"]
    assert oco_server.admin.counters()["http_requests"] == 0
