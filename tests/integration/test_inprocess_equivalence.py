"""The in-process module runner (tests/oco_inprocess.py) registers what ansible-playbook registers.

Most integration tests run their module tasks in the pytest process; that is only sound while
both paths give the same result for the same task. Here every module of plugins/modules runs a
representative set of tasks (changes, a repeat that changes nothing, removal, check mode, diff,
failures with a bad reference or a bad option, warnings) through ansible-playbook and in-process,
each against its own fresh test server built up the same way, and the results must be equal but
for the server's address and timestamps. A new module fails here until it has cases.
"""

from __future__ import annotations

import importlib
import json
import os
import re

import pytest

from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

import oco_helpers
import oco_inprocess
from oco_test_server import OcoTestServer


MEMBERSHIP = "oco.oco.oco_group_membership"

# Changes (each run twice below: the repeat must report no change), removals and reads.
CHANGES = [
    {"oco.oco.oco_computer": {"hostname": "pc-new", "notes": "n"}},
    {"oco.oco.oco_computer": {"hostname": "PC-OLD", "notes": "other notes"}},
    {"oco.oco.oco_computer": {"hostname": "pc-other", "state": "absent", "force": True}},
    {MEMBERSHIP: {"type": "computer", "group": "Office", "members": ["pc-old"]}},
    {MEMBERSHIP: {"type": "package", "group": "Base", "members": ["Firefox"]}},
    {"oco.oco.oco_package": {"family": "Old Tool", "version": "1.0", "state": "absent"}},
    {"oco.oco.oco_job_container": {"name": "rollout", "computers": ["pc-old"], "packages": ["Firefox"]}},
    {"oco.oco.oco_job_container": {"name": "old rollout", "state": "absent", "force": True}},
    {"oco.oco.oco_installation": {"computer": "pc-old", "package": "Firefox"}},
    {"oco.oco.oco_rpc": {"method": "oco.computer.list"}},
]

# The task keywords the in-process path applies itself: check_mode true (a change that is only
# predicted, also outside check mode), diff false (a change without its diff) and diff true.
KEYWORDS = [
    {"oco.oco.oco_computer": {"hostname": "pc-predicted", "notes": "n"}, "check_mode": True},
    {"oco.oco.oco_computer": {"hostname": "pc-quiet", "notes": "created without a diff"}, "diff": False},
    {MEMBERSHIP: {"type": "computer", "group": "Office", "members": ["pc-old"], "state": "absent"}, "diff": True,
     "check_mode": True},
]

# Failures: a reference that matches nothing, an option the module refuses, a wrong type.
FAILURES = [
    {"oco.oco.oco_computer": {"hostname": " "}},
    {MEMBERSHIP: {"type": "computer", "group": "No Such Group", "members": ["pc-old"]}},
    {MEMBERSHIP: {"type": "computer", "group": "Office", "members": ["pc-missing"]}},
    {"oco.oco.oco_package": {"family": "Tool", "version": "1.0", "files": ["/nonexistent/setup.msi"]}},
    {"oco.oco.oco_job_container": {"name": "x", "computers": ["pc-missing"], "packages": ["Firefox"]}},
    {"oco.oco.oco_job_container": {"name": "x", "computers": ["pc-old"], "packages": ["Firefox"], "priority": "high"}},
    {"oco.oco.oco_installation": {"computer": "pc-old", "package": {"family": "Nothing", "version": "1"}}},
    {"oco.oco.oco_job": {"id": 999999}},
    {"oco.oco.oco_rpc": {"method": "oco.no.such.method"}},
    {"oco.oco.oco_computer_info": {"hostname": "pc-missing"}},
    {"oco.oco.oco_report_info": {"report": "No Such Report"}},
    {"oco.oco.oco_job_container_info": {"name": "No Such Container", "id": 1}},
    {"oco.oco.oco_deployment_rule_info": {"batch_size": 0}},
    {"oco.oco.oco_package_info": {"package_group": "No Such Group"}},
    {"oco.oco.oco_info": {"url": "http://127.0.0.1:9", "retries": 0}},
]


def world(server, tmp_path):
    """One of everything, so that each case has something to change, find or miss."""
    admin = server.admin
    pc = admin.create_computer("pc-old", os="Windows", notes="old notes",
                               networks=[{"mac": "02:00:00:00:00:07", "address": "10.0.0.7"}])
    other = admin.create_computer("pc-other", os="Windows")
    admin.add_computer_to_group(other, admin.create_computer_group("Office"))
    firefox = admin.create_package("Firefox", "121.0")
    admin.create_package("Old Tool", "1.0")
    admin.create_package_group("Base")
    admin.add_installation(pc, firefox)
    client = OcoClient(server.url, "admin", "oco-admin-pw", retries=0)
    client.call("oco.job_container.deploy", {"name": "old rollout", "computer_ids": [other], "package_ids": [firefox],
                                             "use_wol": 0})
    payload = tmp_path / "setup.msi"
    payload.write_bytes(b"MSI")
    admin.reset_counters()
    return {"job": admin.sql("SELECT id FROM job_container_job ORDER BY id")[0]["id"], "payload": str(payload)}


def cases_for_every_module(ids):
    """The tasks of one run: the changes twice, one package upload, the keywords, every module's reads and failures."""
    reading = [{name: {}} for name in oco_helpers.collection_modules() if name.endswith("_info")]
    generic = [{name: {"no_such_option": 1}} for name in oco_helpers.collection_modules()]
    upload = {"oco.oco.oco_package": {"family": "New Tool", "version": "2.0", "install_procedure": "setup.exe /S",
                                      "files": [ids["payload"]]}}
    return (CHANGES + [upload] + with_ids(ids) + CHANGES + [upload] + with_ids(ids) + KEYWORDS + reading + FAILURES
            + generic)


def with_ids(ids):
    """The changes that name an object by the id the world gave it."""
    return [{"oco.oco.oco_job": {"id": ids["job"], "state": "absent"}}]


VOLATILE = [
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:PORT"),
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d"), "TIMESTAMP"),
]


def comparable(results):
    """The results with only what differs between two equal servers replaced: their port, timestamps."""
    text = json.dumps(results, sort_keys=True)
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return json.loads(text)


def both_ways(tmp_path, make_tasks, **options):
    """Run the tasks through ansible-playbook and in-process, each against a fresh server set up alike."""
    runs = {}
    for via in ("playbook", "in-process"):
        server = fresh_server()
        try:
            tasks = make_tasks(world(server, tmp_path))
            runs[via] = oco_helpers.run_tasks(tasks, server, via=via, **options)
            runs[via].writes = server.admin.counters()["writes"]
        finally:
            server.close()
    return runs["playbook"], runs["in-process"], tasks


def fresh_server():
    server = OcoTestServer(db=":memory:")
    server.start()
    return server


def assert_same(playbook, inprocess, tasks):
    assert playbook.rc == 0, str(playbook)
    assert len(playbook.results) == len(tasks) == len(inprocess.results)
    expected, got = comparable(playbook.results), comparable(inprocess.results)
    differ = ["%d %s\n  playbook:   %s\n  in-process: %s"
              % (i, json.dumps(tasks[i]), json.dumps(a, sort_keys=True), json.dumps(b, sort_keys=True))
              for i, (a, b) in enumerate(zip(expected, got)) if a != b]
    assert not differ, "%d of %d results differ:\n%s" % (len(differ), len(tasks), "\n".join(differ))
    assert inprocess.writes == playbook.writes


@pytest.mark.parametrize("mode", [{"diff": True}, {"check": True, "diff": True}], ids=["diff", "check-diff"])
def test_every_module_registers_the_same_both_ways(tmp_path, mode):
    uncovered = sorted(set(oco_helpers.collection_modules()) - {oco_helpers.module_of(t) for t in FAILURES}) + sorted(
        set(n for n in oco_helpers.collection_modules() if not n.endswith("_info")) - {oco_helpers.module_of(t) for t in CHANGES + with_ids({"job": 1})})
    assert not uncovered, "no equivalence case for %s: add one to CHANGES or FAILURES" % ", ".join(uncovered)
    playbook, inprocess, tasks = both_ways(tmp_path, cases_for_every_module, **mode)
    assert oco_inprocess.module_calls(tasks) is not None, "every case must be able to run in-process"
    assert_same(playbook, inprocess, tasks)
    results = playbook.results
    # The cases are representative only if they reach what they are meant to.
    assert any(r.get("changed") for r in results) and any(r.get("failed") for r in results)
    assert any(r.get("diff") for r in results) and any(r.get("warnings") for r in results)
    without_diff = results[tasks.index(KEYWORDS[1])]
    assert without_diff["changed"] is True and "diff" not in without_diff, without_diff
    assert (playbook.writes == 0) is bool(mode.get("check")), playbook.writes


def test_connection_from_environment_and_reader_user_register_the_same(tmp_path):
    def tasks(_ids):
        return [{name: {}} for name in oco_helpers.collection_modules() if name.endswith("_info")] + [
            {"oco.oco.oco_computer": {"hostname": "pc-reader"}}]

    playbook, inprocess, tasks = both_ways(tmp_path, tasks, connection_via="env", username="reader",
                                           password="oco-reader-pw", env={"OCO_TIMEOUT": "20", "OCO_RETRIES": "1"})
    assert_same(playbook, inprocess, tasks)
    assert playbook.results[-1]["failed"] is True


def test_plays_that_need_ansible_take_the_playbook_path():
    plain = {"oco.oco.oco_info": {"url": "http://127.0.0.1:9"}}
    assert oco_inprocess.module_calls([plain, {"name": "x", "oco.oco.oco_info": None, "ignore_errors": True},
                                       dict(plain, check_mode=True, diff=False)]) == [
        ("oco_info", {"url": "http://127.0.0.1:9"}, None, None), ("oco_info", {}, None, None),
        ("oco_info", {"url": "http://127.0.0.1:9"}, True, False)]
    needs_ansible = [
        [{"oco.oco.oco_info": {"url": "{{ url }}"}}],
        [{"name": "{{ x }}", "oco.oco.oco_info": {}}],
        [dict(plain, check_mode=False)], [dict(plain, check_mode="yes")], [dict(plain, diff=1)],
        [dict(plain, diff="{{ d }}")], [dict(plain, no_log=True)], [dict(plain, when=True)],
        [dict(plain, loop=[1])], [dict(plain, ignore_errors=False)], [dict(plain, vars={"a": 1})],
        [{"ansible.builtin.debug": {"msg": "x"}}], [{"oco_info": {}}], [{"oco.oco.oco_nothing": {}}],
        [{"oco.oco.oco_info": "url=http://x"}],
    ]
    for tasks in needs_ansible:
        assert oco_inprocess.module_calls(tasks) is None, tasks
    assert oco_inprocess.module_calls([plain], env={"TZ": "UTC"}) is None
    assert oco_inprocess.module_calls([plain], vars={"a": 1}) is None
    assert oco_inprocess.module_calls([plain], extra_vars={"a": 1}) is None
    assert oco_inprocess.module_calls([plain], env={"OCO_TIMEOUT": 5}) is not None


def test_via_playbook_everywhere_when_asked(monkeypatch, oco_server):
    monkeypatch.setenv(oco_inprocess.VIA_PLAYBOOK_ENV, "1")
    result = oco_helpers.run_tasks([{"oco.oco.oco_info": {}}], oco_server)
    assert "oco.oco.oco_info" in result.playbook and result.results[0]["dialect"] == "jsonrpc"
    monkeypatch.setenv(oco_inprocess.VIA_PLAYBOOK_ENV, "0")
    result = oco_helpers.run_tasks([{"oco.oco.oco_info": {}}], oco_server)
    with pytest.raises(AttributeError, match="via='playbook'"):
        assert result.stdout is None
    assert result.results[0]["dialect"] == "jsonrpc"


def test_in_process_runs_leave_the_process_as_they_found_it(monkeypatch, oco_server, tmp_path):
    """No OCO_* variable, working directory or warning of one call reaches the test or the next call."""
    monkeypatch.setenv("OCO_URL", "http://127.0.0.1:9/outside")
    monkeypatch.chdir(tmp_path)
    before = (dict(os.environ), os.getcwd())
    result = oco_helpers.run_tasks([{"oco.oco.oco_computer": {"hostname": "pc-01", "notes": "a"}},
                                    {"oco.oco.oco_computer": {"hostname": "pc-01", "notes": "b"}},
                                    {"oco.oco.oco_computer": {"hostname": "pc-01", "notes": "a"}}],
                                   oco_server, via="in-process", env={"OCO_RETRIES": "0"})
    assert (dict(os.environ), os.getcwd()) == before
    created, differs, same = result.results
    assert not created["failed"] and created["changed"] is True
    assert [len([w for w in r["warnings"] if "cannot change" in w]) for r in result.results] == [0, 1, 0]
    assert not differs["changed"] and not same["changed"]


def test_a_crash_in_process_shows_its_traceback_and_keeps_secrets_as_written(monkeypatch, oco_server):
    """``shown()`` is what tests search for tracebacks and secrets: an in-process crash must be in it,
    and non-ASCII text as written (an escaped "Pässwörd" would let a leaked secret pass unseen)."""
    module = importlib.import_module("ansible_collections.oco.oco.plugins.modules.oco_info")

    def crash():
        raise RuntimeError("boom with Pässwörd")

    monkeypatch.setattr(module, "main", crash)
    result = oco_helpers.run_tasks([{"oco.oco.oco_info": {}}], oco_server, via="in-process")
    assert result.results[0]["failed"] is True
    assert result.results[0]["msg"].startswith("Module result deserialization failed")
    shown = result.shown()
    assert "Traceback (most recent call last)" in shown and "RuntimeError: boom with Pässwörd" in shown
