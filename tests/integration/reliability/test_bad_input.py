"""Wrong input to every module and the inventory plugin: a message naming the option, no traceback,
and not a single HTTP request when the value can be judged locally.

Each row is (module, arguments, words the message must contain). Locally invalid rows run in one
play whose end asserts the test server saw zero api-client.php requests; references that only
the server can judge (unknown names) run in a second play and must name the closest match. Both
run in-process: what ansible-playbook would print of them is made from the registered results,
which tests/integration/test_inprocess_equivalence.py proves equal both ways.
"""

from __future__ import annotations

import pytest

import oco_helpers
import refusal_checks

COMPUTER = "oco.oco.oco_computer"
MEMBERSHIP = "oco.oco.oco_group_membership"
PACKAGE = "oco.oco.oco_package"
CONTAINER = "oco.oco.oco_job_container"
INSTALLATION = "oco.oco.oco_installation"
JOB = "oco.oco.oco_job"
RPC = "oco.oco.oco_rpc"
DEPLOY = {"name": "rollout-🚀", "computers": ["pc1"], "packages": ["Firefox"]}
LONG = "ħ" * 201

LOCAL = [
    # connection options, shared by every module
    (COMPUTER, {"hostname": "pc1", "url": "ftp://oco.example.com"}, ["url"]),
    (COMPUTER, {"hostname": "pc1", "url": ""}, ["url"]),
    (COMPUTER, {"hostname": "pc1", "timeout": "soon"}, ["timeout"]),
    (COMPUTER, {"hostname": "pc1", "validate_certs": "maybe"}, ["validate_certs"]),
    (COMPUTER, {"hostname": "pc1", "retries": "x"}, ["retries"]),
    # oco_computer
    (COMPUTER, {"hostname": ""}, ["hostname"]),
    (COMPUTER, {"hostname": "   "}, ["hostname"]),
    (COMPUTER, {"hostname": LONG}, ["hostname", "200"]),
    (COMPUTER, {"hostname": "pc1", "state": "gone"}, ["state"]),
    (COMPUTER, {"hostname": "pc1", "force": "perhaps"}, ["force"]),
    (COMPUTER, {"hostname": "pc1", "wol": True, "state": "absent"}, ["wol"]),
    (COMPUTER, {"hostname": "pc1", "colour": "blue"}, ["colour"]),
    # oco_group_membership
    (MEMBERSHIP, {"type": "disk", "group": "G", "members": ["pc1"]}, ["type"]),
    (MEMBERSHIP, {"type": "computer", "group": "", "members": ["pc1"]}, ["group"]),
    (MEMBERSHIP, {"type": "computer", "group": "G", "members": [{"family": "x"}]}, ["members"]),
    (MEMBERSHIP, {"type": "computer", "group": "G", "members": ["pc1"], "state": "all"}, ["state"]),
    # oco_package
    (PACKAGE, {"family": "Fx", "version": "1"}, ["install_procedure"]),
    (PACKAGE, {"family": "Fx", "version": "1", "install_procedure": "i", "files": ["/nonexistent/ü.msi"]}, ["files"]),
    (PACKAGE, {"family": "Fx", "version": "1", "install_procedure": "i",
               "install_procedure_success_return_codes": ["zero"]}, ["install_procedure_success_return_codes"]),
    (PACKAGE, {"family": "Fx", "version": "1", "install_procedure": "i", "license_count": "many"}, ["license_count"]),
    (PACKAGE, {"family": "Fx", "version": "1", "install_procedure": "i", "upgrade_behavior": "yolo"},
     ["upgrade_behavior"]),
    (PACKAGE, {"family": "", "version": "1", "install_procedure": "i"}, ["family"]),
    (PACKAGE, {"family": "Fx", "version": "", "install_procedure": "i"}, ["version"]),
    # oco_job_container
    (CONTAINER, dict(DEPLOY, date_start="2026-13-45 10:00:00"), ["date_start"]),
    (CONTAINER, dict(DEPLOY, date_start="yesterday"), ["date_start"]),
    (CONTAINER, dict(DEPLOY, date_end="31.12.2026"), ["date_end"]),
    (CONTAINER, dict(DEPLOY, agent_ip_ranges=["10.0.0.0/x"]), ["agent_ip_ranges"]),
    (CONTAINER, dict(DEPLOY, agent_ip_ranges=["10.0.0.0/"]), ["agent_ip_ranges"]),
    (CONTAINER, dict(DEPLOY, agent_ip_ranges=["999.1.1.1"]), ["agent_ip_ranges"]),
    (CONTAINER, dict(DEPLOY, agent_ip_ranges=[["10.0.0.0/8"]]), ["agent_ip_ranges"]),
    (CONTAINER, dict(DEPLOY, time_frames=["8:00 - 17:00"]), ["time_frames"]),
    (CONTAINER, dict(DEPLOY, time_frames=["MON8:00-17:00"]), ["time_frames"]),
    (CONTAINER, dict(DEPLOY, priority=101), ["priority"]),
    (CONTAINER, dict(DEPLOY, priority="high"), ["priority"]),
    (CONTAINER, dict(DEPLOY, restart_timeout=0), ["restart_timeout"]),
    (CONTAINER, dict(DEPLOY, sequence_mode="random"), ["sequence_mode"]),
    (CONTAINER, dict(DEPLOY, name=""), ["name"]),
    (CONTAINER, dict(DEPLOY, wait_timeout=-1, wait=True), ["wait_timeout"]),
    (CONTAINER, {"name": "r", "uninstall": [{"computer": "pc1"}]}, ["package"]),
    # oco_installation, oco_job
    (INSTALLATION, {"computer": "pc1", "package": {"family": "Fx", "release": "1"}}, ["package"]),
    (INSTALLATION, {"computer": "pc1"}, ["package"]),
    (JOB, {"id": 0}, ["id"]),
    (JOB, {"id": "seven"}, ["id"]),
    # oco_rpc
    (RPC, {"method": ""}, ["method"]),
    (RPC, {"method": "oco.computer.list", "data": ["id", 1]}, ["data"]),
    # info modules
    ("oco.oco.oco_computer_info", {"id": "one"}, ["id"]),
    ("oco.oco.oco_computer_info", {"batch_size": 0}, ["batch_size"]),
    ("oco.oco.oco_job_container_info", {"jobs": "sometimes"}, ["jobs"]),
    ("oco.oco.oco_report_info", {"execute": "now"}, ["execute"]),
]

REMOTE = [
    (MEMBERSHIP, {"type": "computer", "group": "Ofice", "members": ["pc1"]}, ["Ofice", "Office"]),
    (MEMBERSHIP, {"type": "computer", "group": "Office", "members": ["pc-ünknown"]}, ["pc-ünknown"]),
    (CONTAINER, dict(DEPLOY, packages=["Firefx"]), ["Firefx", "Firefox"]),
    (CONTAINER, dict(DEPLOY, computers=["pc2"]), ["pc2", "pc1"]),
    (CONTAINER, dict(DEPLOY, computer_groups=["Office/Nope"]), ["Office/Nope"]),
    (INSTALLATION, {"computer": "pc1", "package": "Firefx"}, ["Firefx", "Firefox"]),
    ("oco.oco.oco_computer_info", {"hostname": "pc-1"}, ["pc-1", "pc1"]),
    ("oco.oco.oco_package_info", {"family": "Firefx"}, ["Firefx", "Firefox"]),
    ("oco.oco.oco_report_info", {"report": "Nope 🚫"}, ["Nope 🚫"]),
]


def test_locally_invalid_input_is_named_and_sends_nothing(oco_server, run_tasks):
    tasks = [{module: args} for module, args, _words in LOCAL]
    result = run_tasks(tasks)
    assert "Traceback" not in result.shown()
    refusal_checks.check_refusals(LOCAL, result.results)
    assert oco_server.admin.counters()["http_requests"] == 0


def test_unknown_references_name_the_value_and_the_closest_match(oco_server, run_tasks):
    admin = oco_server.admin
    pc = admin.create_computer("pc1")
    office = admin.create_computer_group("Office")
    admin.add_computer_to_group(pc, office)
    admin.create_package("Firefox", "121.0")
    result = run_tasks([{module: args} for module, args, _words in REMOTE])
    assert "Traceback" not in result.shown()
    problems = []
    for (module, args, words), outcome in zip(REMOTE, result.results):
        if words is None:
            if outcome.get("failed"):
                problems.append("%s %r failed: %s" % (module, args, outcome.get("msg")))
            continue
        if not outcome.get("failed"):
            problems.append("%s %r was accepted" % (module, args))
        elif refusal_checks.words_missing(outcome.get("msg", ""), words):
            problems.append("%s %r: %r does not name %s" % (module, args, outcome.get("msg"), words))
    assert not problems, "\n".join(problems)
    assert admin.counters()["writes"] == 0


INVENTORY_CASES = [
    ("ansible_host: bogus\n", ["ansible_host"]),
    ("hostnames: [{a: b}]\n", ["hostnames"]),
    ("batch_size: many\n", ["batch_size"]),
    ("colour: blue\n", ["colour"]),
    ("computer_groups: ['']\n", ["computer_groups"]),
    ("computer_groups: [Ofice]\n", ["Ofice", "Office"]),
    ("url: 'ftp://x'\n", ["url"]),
    ("timeout: soon\n", ["timeout"]),
]


@pytest.mark.parametrize("extra, words", INVENTORY_CASES)
def test_inventory_rejects_bad_options(oco_server, extra, words):
    oco_server.admin.create_computer_group("Office")
    oco_server.admin.reset_counters()
    with pytest.raises(oco_helpers.CommandFailed) as info:
        oco_helpers.run_inventory("plugin: oco.oco.oco\n" + extra, oco_server)
    output = info.value.stdout + info.value.stderr
    assert "Traceback" not in output
    assert not refusal_checks.words_missing(output, words), output
    if "Office" not in words:
        assert oco_server.admin.counters()["http_requests"] == 0, output
