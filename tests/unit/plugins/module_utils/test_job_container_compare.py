"""What makes an existing job container differ from a task's request (module_utils/job_container_compare.py)."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils import job_container_compare as compare
from ansible_collections.oco.oco.plugins.module_utils.client import CallResult

ROW = {"id": 4, "name": "rollout", "notes": "", "start_time": "2026-01-01 10:00:00", "end_time": None, "wol_sent": -1,
       "shutdown_waked_after_completion": 0, "sequence_mode": 1, "priority": 5, "agent_ip_ranges": "10.0.0.0/8, !10.1.0.0/16",
       "time_frames": None}


def job(computer, package, hostname=None, family="Firefox", version="121.0", uninstall=0, timeout=5):
    return {"computer_id": computer, "computer_hostname": hostname or "pc%d" % computer, "package_id": package,
            "package_family_name": family, "package_version": version, "is_uninstall": uninstall,
            "post_action_timeout": timeout}


def test_options_left_out_and_defaults_applied_here_are_not_compared():
    params = {"description": None, "use_wol": False, "shutdown_waked_after_completion": False, "sequence_mode": "ignore_failed",
              "priority": 0, "date_start": None, "date_end": None, "agent_ip_ranges": None, "time_frames": None}
    wanted = compare.wanted_row(params, {"description": ""}, ["use_wol", "shutdown_waked_after_completion",
                                                              "sequence_mode", "priority"])
    assert wanted == {}
    assert compare.row_differences(wanted, ROW) == []


@pytest.mark.parametrize("option, value, expected", [
    ("priority", 5, None),
    ("priority", 6, "priority (stored 5, wanted 6)"),
    ("sequence_mode", "ignore_failed", "sequence_mode (stored abort_after_failed, wanted ignore_failed)"),
    ("use_wol", True, "use_wol (stored False, wanted True)"),
    ("description", "", None),
    ("date_start", "2026-01-01 10:00:00", None),
    ("date_end", "2027-01-01 10:00:00", "date_end (stored None, wanted 2027-01-01 10:00:00)"),
    # the server stores the trimmed entries joined by ", "
    ("agent_ip_ranges", [" 10.0.0.0/8", "!10.1.0.0/16 ", " "], None),
    ("agent_ip_ranges", ["10.0.0.0/8"], "agent_ip_ranges (stored ['10.0.0.0/8', '!10.1.0.0/16'], wanted ['10.0.0.0/8'])"),
    ("time_frames", ["8:00-17:00"], "time_frames (stored [], wanted ['8:00-17:00'])"),
])
def test_each_row_option(option, value, expected):
    params = dict.fromkeys(compare.ROW)
    params[option] = value
    fields = {option: value} if option in compare.CHECKED else {}
    assert compare.row_differences(compare.wanted_row(params, fields, []), ROW) == ([expected] if expected else [])


def test_a_field_the_server_version_does_not_list_is_left_out():
    row = {k: v for k, v in ROW.items() if k not in ("priority", "time_frames")}
    assert compare.row_differences({"priority": 9, "time_frames": ["8:00-9:00"]}, row) == []


def test_restart_timeout_is_read_from_the_jobs():
    assert compare.restart_timeout_difference(None, [job(1, 9)]) == []
    assert compare.restart_timeout_difference(5, [job(1, 9), job(2, 9)]) == []
    assert compare.restart_timeout_difference(10, [job(1, 9), job(2, 9, timeout=10)]) == ["restart_timeout (stored 5, 10, wanted 10)"]


class BatchClient:
    def __init__(self, answers):
        self.answers = answers
        self.batches = []

    def batch(self, calls):
        self.batches.append(calls)
        return [CallResult(method, self.answers[(method, tuple(sorted(data.items())))], None) for method, data in calls]


def test_groups_and_reports_expand_as_the_server_does_and_dependencies_do_not_count():
    client = BatchClient({
        ("oco.computer.list", (("computer_group_id", 2),)): {"computers": [{"id": 1, "hostname": "pc1"}, {"id": 2, "hostname": "pc2"}]},
        ("oco.report.execute", (("id", 7),)): [{"computer_id": 3}],
    })
    data = {"computer_ids": [], "computer_group_ids": [2], "computer_report_ids": [7], "package_ids": [9]}
    readable = {"computers": [], "packages": [{"id": 9, "family": "Firefox", "version": "121.0"}]}
    jobs = [job(c, p, family=f) for c in (1, 2, 3) for p, f in ((8, "Runtime"), (9, "Firefox"))]
    assert compare.deploy_differences(client, data, readable, jobs) == []
    assert len(client.batches) == 1    # every group and report in one request
    # a report row names an id only: a computer without a job is shown by it
    fewer = [j for j in jobs if j["computer_id"] != 3 and j["package_id"] == 9]
    assert compare.deploy_differences(client, data, readable, fewer) == ["computers (stored pc1, pc2, wanted id 3, pc1, pc2)"]
    other = [job(1, 5, family="7-Zip", version="24.08")]
    assert compare.deploy_differences(client, dict(data, computer_group_ids=[], computer_report_ids=[], computer_ids=[1]),
                                      dict(readable, computers=[{"id": 1, "hostname": "pc1"}]), other) == [
        "packages (stored 7-Zip 24.08, wanted Firefox 121.0)"]


def test_uninstall_entries_against_uninstall_jobs():
    entries = [{"computer": "pc1", "package": "Firefox"}]
    computers = [{"id": 1, "hostname": "pc1"}]
    jobs = [job(1, 9, version="120.0", uninstall=1)]
    assert compare.uninstall_differences(entries, computers, jobs) == []
    assert compare.uninstall_differences(entries, [{"id": 2, "hostname": "pc2"}], jobs) == [
        "uninstall (stored pc1: Firefox 120.0, wanted pc2: Firefox)"]
    assert compare.uninstall_differences([{"computer": "pc1", "package": {"family": "Firefox", "version": "121.0"}}],
                                         computers, jobs)[0].startswith("uninstall (stored pc1: Firefox 120.0, wanted pc1: {")
