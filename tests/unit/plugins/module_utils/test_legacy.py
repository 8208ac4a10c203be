"""legacy.py: answers of pre-1.0.3 servers in current shapes, requests in the form they read."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils import errors, legacy
from ansible_collections.oco.oco.plugins.module_utils.normalize import normalize


def test_computer_list_becomes_an_object():
    assert legacy.normalize_legacy("oco.computer.list", [{"id": "1"}]) == {"computers": [{"id": "1"}], "groups": []}
    current = {"computers": [], "groups": [{"id": 1}]}
    assert legacy.normalize_legacy("oco.computer.list", current) == current


def test_computer_get_sections_get_current_field_names():
    data = legacy.normalize_legacy("oco.computer.get", {
        "general": {"id": "1", "hostname": "pc"},
        "networks": [{"id": "2", "addr": "10.0.0.1", "domain": "pc.example", "mac": "m"}],
        "logins": [{"domainuser_id": "8", "domainuser_username": "hulk", "logon_amount": "5"}],
        "recognised_software": [{"id": "3", "software_id": "2", "version": "2.2.1", "software_name": "VLC"}],
        "installed_packages": [{"id": "104", "package_name": "CDBurnerXP", "package_version": "1.0"}],
        "pending_jobs": [{"id": "988", "package_procedure": None, "procedure": "msiexec /i t.msi", "restart": "-1",
                          "shutdown": "10", "state": "0", "package_name": "Test", "last_update": None}],
    })
    assert data["networks"] == [{"id": "2", "address": "10.0.0.1", "interface": "pc.example", "mac": "m"}]
    assert data["logins"] == [{"domain_user_id": "8", "domain_user_username": "hulk", "logon_amount": "5"}]
    assert data["recognised_software"][0]["software_version"] == "2.2.1"
    assert data["installed_packages"][0]["package_family_name"] == "CDBurnerXP"
    job = data["pending_jobs"][0]
    assert (job["procedure"], job["post_action"], job["post_action_timeout"], job["package_family_name"]) == (
        "msiexec /i t.msi", 2, 10, "Test")
    assert "restart" not in job and "shutdown" not in job and "package_procedure" not in job
    assert data["groups"] == []
    # The computer's own `domain` is not a network field.
    assert legacy.normalize_legacy("oco.computer.get", {"general": {"domain": "corp"}})["general"] == {"domain": "corp"}


def test_package_rows_of_v0_9_0():
    row = {"id": "108", "package_family_id": "3", "version": "4.5", "author": "root", "install_procedure_restart": "0",
           "install_procedure_shutdown": "1", "uninstall_procedure_restart": "1", "uninstall_procedure_shutdown": "0",
           "last_update": "2021-06-15 23:44:02", "name": "CDBurnerXP"}
    data = normalize(legacy.normalize_legacy("oco.package.list", [row]))
    assert data["name"] == "CDBurnerXP" and data["groups"] == []
    package = data["packages"][0]
    assert package == {"id": 108, "package_family_id": 3, "version": "4.5", "created_by_system_user_username": "root",
                       "updated": "2021-06-15 23:44:02", "package_family_name": "CDBurnerXP",
                       "install_procedure_post_action": 2, "uninstall_procedure_post_action": 1}
    assert legacy.normalize_legacy("oco.package.list", []) == {"name": None, "packages": [], "groups": []}


def test_package_get_gains_groups_and_converts_general():
    data = legacy.normalize_legacy("oco.package.get", {"general": {"id": "1", "name": "F", "install_procedure_restart": "1"},
                                                       "installations": [{"id": "4", "package_name": "F"}], "pending_jobs": []})
    assert data["general"] == {"id": "1", "package_family_name": "F", "install_procedure_post_action": 1}
    assert data["installations"] == [{"id": "4", "package_family_name": "F"}]
    assert data["groups"] == []


@pytest.mark.parametrize("state, column", [("0", None), ("1", "download_started"), ("2", "execution_started"),
                                           ("3", "execution_finished"), ("-1", "execution_finished")])
def test_job_rows_last_update_becomes_the_matching_timestamp(state, column):
    job = legacy.normalize_legacy("oco.job_container.job.list", [
        {"id": "1", "package_procedure": "setup", "restart": "5", "shutdown": "-1", "state": state,
         "last_update": "2021-06-22 21:27:36", "package_name": "P"}])[0]
    assert (job["procedure"], job["post_action"], job["post_action_timeout"], job["package_family_name"]) == ("setup", 1, 5, "P")
    for key in ("download_started", "execution_started", "execution_finished"):
        assert job[key] == ("2021-06-22 21:27:36" if key == column else None)
    assert "last_update" not in job


def test_job_without_post_action():
    job = legacy.job_row({"restart": "-1", "shutdown": "-1", "state": "0"})
    assert (job["post_action"], job["post_action_timeout"]) == (0, None)


def test_container_rows():
    rows = legacy.normalize_legacy("oco.job_container.list", [{"id": "203", "author": "admin", "last_update": "x"}])
    assert rows == [{"id": "203", "created_by_system_user_username": "admin", "execution_finished": "x"}]


def test_newer_rows_pass_unchanged():
    job = {"id": 1, "procedure": "p", "post_action": 0, "post_action_timeout": 5, "execution_finished": None, "state": 0,
           "package_family_name": "F"}
    assert legacy.normalize_legacy("oco.job_container.job.list", [dict(job)]) == [job]


def era_after(method, data, era=None):
    era = era or legacy.Era()
    era.learn(method, data)
    return era


def test_evidence_raises_the_floor():
    assert era_after("oco.package.list", [{"id": "1", "name": "x"}]).floor == legacy.OLDEST
    assert era_after("oco.package.list", [{"install_procedure_post_action": "0", "name": "x"}]).floor == (0, 9, 2)
    assert era_after("oco.package.list", {"packages": [{"package_family_name": "F"}]}).floor == (0, 15, 2)
    assert era_after("oco.package.list", [{"install_procedure_post_action": "0", "package_family_name": "F"}]).floor == (0, 13, 0)
    proven = legacy.Era(floor=(1, 0, 2))
    assert era_after("oco.computer.get", {"networks": [{"address": "a"}]}, proven).floor == (1, 0, 2)


def test_evidence_reads_a_field_only_in_its_kind_of_row():
    # A job container has had agent_ip_ranges since 0.13.0, though the parameter kept another name until 1.0.2.
    era = era_after("oco.job_container.list", [{"id": "1", "agent_ip_ranges": None, "author": "admin", "last_update": "x"}])
    assert (era.floor, era.below) == ((0, 13, 0), (0, 14, 3))
    # package_family_name came to job rows in 0.11.0, to package rows in 0.13.0.
    assert era_after("oco.job_container.job.list", [{"package_family_name": "F", "post_action": "0",
                                                    "package_procedure": "x", "last_update": "y"}]).floor == (0, 11, 0)
    row_102 = {"agent_ip_ranges": None, "time_frames": None, "execution_finished": None, "created_by_system_user_id": "1"}
    assert era_after("oco.job_container.list", [row_102]).floor == (1, 0, 2)
    # Answers that contradict what is proven (a proxy, a patched server) do not move the bounds.
    assert era_after("oco.job_container.list", [dict(row_102, time_frames=None, execution_finished=None, author="a")],
                     legacy.Era(below=(0, 14, 3))).below == (0, 14, 3)
    assert era_after("oco.deployment_rule.list", [{"id": "1", "auto_uninstall": "1"}]).below == (1, 0, 2)
    assert era_after("oco.deployment_rule.list", [{"id": "1"}]).floor == (1, 0, 2)


def test_shapes_bound_the_release_from_above():
    era = era_after("oco.computer.list", [{"id": "1", "hostname": "pc"}])
    assert era.below == (0, 9, 2) and era.has((0, 9, 2)) is False and era.has((0, 9, 0)) is True
    assert "older than version 0.9.2" in era.lacks((0, 9, 2), "x") and "lack domain" in era.lacks((0, 9, 2), "x")
    era = era_after("oco.computer.list", [{"id": "1", "domain": "", "force_update": "0", "remote_address": ""}])
    assert (era.floor, era.below) == ((0, 11, 0), (0, 15, 2)) and "plain list" in era.describe()
    era = era_after("oco.computer.list", {"computers": [], "groups": []})
    assert era.floor == (0, 15, 2) and era.has((1, 0, 2)) is None
    assert "may predate version 1.0.2" in era.lacks((1, 0, 2), "x")


def test_deploy_defaults_are_dropped_and_single_group_ids_doubled():
    data = legacy.translate_request("oco.job_container.deploy", {
        "name": "x", "sequence_mode": 0, "priority": 0, "force_install_same_version": 0, "agent_ip_ranges": [],
        "time_frames": [], "computer_report_ids": [], "package_report_ids": [], "shutdown_waked_after_completion": 0,
        "computer_group_ids": [4], "package_group_ids": [5, 6]})
    assert data == {"name": "x", "computer_group_ids": [4, 4], "package_group_ids": [5, 6]}
    # From 0.13.3 on one group id is enough.
    assert legacy.translate_request("oco.job_container.deploy", {"computer_group_ids": [4]}, floor=(0, 13, 3)) == {
        "computer_group_ids": [4]}


@pytest.mark.parametrize("method, option, value, since", [
    ("oco.job_container.deploy", "sequence_mode", 1, "0.9.2"),
    ("oco.job_container.deploy", "priority", -5, "0.10.0"),
    ("oco.job_container.deploy", "force_install_same_version", 1, "0.11.0"),
    ("oco.job_container.deploy", "agent_ip_ranges", ["10.0.0.0/8"], "0.13.0"),
    ("oco.job_container.deploy", "time_frames", ["8:00-9:00"], "1.0.2"),
    ("oco.job_container.deploy", "computer_report_ids", [1000], "0.14.3"),
    ("oco.job_container.deploy", "package_report_ids", [1000], "0.14.3"),
    ("oco.job_container.uninstall", "shutdown_waked_after_completion", 1, "0.11.0"),
    ("oco.job_container.uninstall", "priority", 3, "0.10.0"),
])
def test_options_the_server_predates_fail_naming_option_and_version(method, option, value, since):
    with pytest.raises(errors.OcoUnsupportedOptionError) as caught:
        legacy.translate_request(method, {"name": "x", option: value})
    assert option in str(caught.value) and since in str(caught.value) and repr(value) in str(caught.value)
    assert (caught.value.option, caught.value.since) == (option, since)


def test_options_known_to_a_proven_newer_server_pass():
    assert legacy.translate_request("oco.job_container.deploy", {"priority": 5}, floor=(0, 15, 0)) == {"priority": 5}


def test_ip_ranges_go_by_the_name_of_the_release():
    ranges = {"agent_ip_ranges": ["10.0.0.0/8"]}
    before_102 = legacy.Era(floor=(0, 13, 0), below=(1, 0, 2))
    assert legacy.translate_request("oco.job_container.deploy", ranges, era=before_102) == {"constraint_ip_ranges": ["10.0.0.0/8"]}
    assert legacy.translate_request("oco.job_container.deploy", ranges, floor=(1, 0, 2)) == ranges
    # 0.15.2 or later, but not known whether 1.0.2: both names, each release reads its own.
    assert legacy.translate_request("oco.job_container.uninstall", ranges, floor=(0, 15, 2)) == dict(
        ranges, constraint_ip_ranges=["10.0.0.0/8"])
    with pytest.raises(errors.OcoUnsupportedOptionError, match="older than version 0.13.0"):
        legacy.translate_request("oco.job_container.deploy", ranges, era=legacy.Era(below=(0, 13, 0)))


def test_time_frames_need_proof_of_102():
    frames = {"time_frames": ["8:00-17:00"]}
    assert legacy.translate_request("oco.job_container.deploy", frames, floor=(1, 0, 2)) == frames
    with pytest.raises(errors.OcoUnsupportedOptionError, match="may predate version 1.0.2"):
        legacy.translate_request("oco.job_container.deploy", frames, floor=(0, 16, 1))


def test_package_create_names_the_family_as_the_release_reads_it():
    data = {"package_family_name": "F", "version": "1"}
    assert legacy.translate_request("oco.package.create", data, era=legacy.Era(below=(0, 13, 0))) == {"name": "F", "version": "1"}
    assert legacy.translate_request("oco.package.create", data, floor=(0, 13, 0)) == data
    assert legacy.translate_request("oco.package.create", data) == dict(data, name="F")
    with pytest.raises(errors.OcoUnsupportedOptionError, match="upgrade_behavior=2 needs OCO server 0.16.3"):
        legacy.translate_request("oco.package.create", dict(data, upgrade_behavior=2), floor=(0, 15, 2))


@pytest.mark.parametrize("era, kinds", [
    (legacy.Era(floor=(0, 15, 5)), {"files": "list"}),
    (legacy.Era(below=(0, 15, 5)), {"file": "single"}),
    (legacy.Era(floor=(0, 15, 2)), {"files": "list", "file": "single"}),
])
def test_upload_goes_as_files_or_file_by_release(era, kinds):
    data, got = legacy.upload_arguments({"version": "1"}, [("a.zip", "/tmp/a.zip")], "files", era)
    assert got == kinds
    assert data.get("file_name") == ("a.zip" if "file" in kinds else None)


@pytest.mark.parametrize("era, name", [
    (legacy.Era(floor=(0, 15, 0)), "oco.job_container.deploy"),
    (legacy.Era(below=(0, 15, 0)), "oco.deploy"),
    (legacy.Era(below=(0, 15, 2)), "oco.deploy"),
    (legacy.Era(), "oco.job_container.deploy"),
])
def test_method_names_by_release(era, name):
    assert legacy.method_name("oco.job_container.deploy", "oco.deploy", era) == name


def test_package_list_sends_the_family_under_both_names():
    assert legacy.translate_request("oco.package.list", {"package_family_id": 3}) == {"package_family_id": 3, "id": 3}


def test_ignored_list_filters_are_errors():
    error = legacy.ignored_filter("oco.computer.list", {"computer_group_id": 2}, [{"id": "1"}])
    assert isinstance(error, errors.OcoUnsupportedOptionError) and "computer_group_id" in str(error) and "0.15.2" in str(error)
    assert legacy.ignored_filter("oco.computer.list", {"computer_group_id": 2}, {"computers": []}) is None
    assert legacy.ignored_filter("oco.computer.list", {}, [{"id": "1"}]) is None


def test_remove_without_force_is_checked_on_old_servers_only():
    assert legacy.remove_needs_check("oco.computer.remove", {"id": 1, "force": False}) == "oco.computer.get"
    assert legacy.remove_needs_check("oco.package.remove", {"id": 1, "force": 0}) == "oco.package.get"
    assert legacy.remove_needs_check("oco.computer.remove", {"id": 1, "force": True}) is None
    assert legacy.remove_needs_check("oco.computer.remove", {"id": 1}) is None
    assert legacy.remove_needs_check("oco.computer.remove", {"id": 1, "force": False}, floor=(0, 10, 0)) is None
    refusal = legacy.refuse_remove_with_pending_jobs("OCO request oco.computer.remove", {"pending_jobs": [{"state": 0}]})
    assert isinstance(refusal, errors.OcoInvalidRequestError) and "active jobs" in str(refusal)
    assert legacy.refuse_remove_with_pending_jobs("x", {"pending_jobs": []}) is None
