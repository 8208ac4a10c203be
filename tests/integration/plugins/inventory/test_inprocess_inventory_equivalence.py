"""An inventory run in-process (tests/oco_inprocess_inventory.py) prints what ansible-inventory prints.

Most inventory tests run ``ansible-inventory --list`` in the pytest process; that is only sound
while both paths give the same output for the same source. Here representative sources (the plain
list, the group tree, filters, the constructed features, hostnames fallbacks, details, reports, a
legacy server, and sources that fail) run through ansible-inventory and in-process, each against a
fresh test server built up the same way. The exit code, everything printed on stdout (the JSON with
its ``__ansible_unsafe`` wrappers) and stderr (warnings, the errors of a failure) and the requests
the server counted must be equal but for the server's address and the source's temporary directory.
"""

from __future__ import annotations

import importlib
import json
import locale
import os
import re

import pytest
from ansible import constants as C, context
from ansible.parsing.vault import VaultSecretsContext
from ansible.utils.context_objects import GlobalCLIArgs
from ansible.utils.display import Display

import oco_helpers
import oco_inprocess
import oco_inprocess_inventory
from oco_test_server import OcoTestServer

STAMP = "2026-03-01 08:00:00"
VIAS = ("ansible-inventory", "in-process")


def world(server):
    """A small group tree (two groups named alike), computers with and without networks, reports."""
    admin = server.admin
    common = dict(created=STAMP, last_ping=STAMP, last_update=STAMP, agent_version="1.1.2", domain="corp.example")
    pc1 = admin.create_computer("pc-01", uid="uid-01", os="Windows 11 Pro", serial="SN-01", networks=[
        {"address": "127.0.0.1", "mac": "00:00:00:00:00:00", "interface": "lo"},
        {"address": "10.1.0.11", "mac": "02:00:00:00:01:11", "interface": "eth0"}], **common)
    pc2 = admin.create_computer("pc-02", uid="uid-02", os="Windows 11 Pro", serial="SN-02", networks=[
        {"address": "fe80::1", "mac": "02:00:00:00:01:12", "interface": "eth0"}], **common)
    srv = admin.create_computer("srv-01", uid="uid-s1", os="Ubuntu 22.04", networks=[
        {"address": "10.2.1.1", "mac": "02:00:00:00:02:01", "interface": "eth0"}], **common)
    fresh = admin.create_computer("new-pc", created=STAMP, notes="ordered")
    berlin = admin.create_computer_group("Berlin")
    berlin_servers = admin.create_computer_group("Servers", parent_id=berlin)
    munich = admin.create_computer_group("Munich")
    munich_servers = admin.create_computer_group("Servers", parent_id=munich)
    admin.create_computer_group("Web (DMZ)", parent_id=munich_servers)
    for computer, group in ((pc1, berlin), (pc2, berlin), (srv, berlin_servers), (srv, munich_servers), (fresh, munich)):
        admin.add_computer_to_group(computer, group)
    admin.set_inventory(pc1, logins=[{"username": "alice", "display_name": "Alice", "uid": "S-1-5-21-1",
                                      "console": "tty1", "timestamp": STAMP}])
    admin.add_installation(pc1, admin.create_package("7-Zip", "23.01", created=STAMP), installed=STAMP)
    windows = admin.create_report("Windows computers",
                                  "SELECT id AS computer_id, hostname FROM computer WHERE os LIKE 'Windows%'")
    admin.create_report("Hostnames only", "SELECT hostname FROM computer")
    admin.reset_counters()
    return {"windows_report": windows, "munich": munich}


def source(**options):
    return json.dumps(dict({"plugin": "oco.oco.oco"}, **options), indent=2)


SOURCES = {
    "plain list": lambda ids: source(),
    "groups and paths": lambda ids: source(group_prefix="", computer_groups=["Berlin/Servers", ids["munich"]]),
    "filters": lambda ids: source(computer_groups=["Berlin", "Munich/Servers"], exclude_computer_groups=["Berlin/Servers"]),
    "report by name": lambda ids: source(report="Windows computers", ansible_host="none"),
    "report by id": lambda ids: source(report=ids["windows_report"], computer_groups=["Berlin"]),
    "constructed": lambda ids: source(
        vars_prefix="", group_prefix="site_",
        compose={"ansible_connection": "'winrm' if os is match('Windows') else 'ssh'", "short_os": "os.split()[0]",
                 "missing": "no_such_field.attr"},
        groups={"servers": "hostname.startswith('srv-')", "unseen": "last_ping is not defined"},
        keyed_groups=[{"key": "os", "prefix": "os"}, {"key": "groups | map(attribute='name') | list", "prefix": "in"}]),
    "hostnames fallback": lambda ids: source(hostnames=["{{ uid ~ '.corp.example' if uid else '' }}", "hostname | upper"]),
    "details": lambda ids: source(details=True, ansible_host="first_ip"),
    "first_ip without details": lambda ids: source(ansible_host="first_ip", batch_size=2),
}

FAILURES = {
    "bad password": (source(), {"password": "wrong-password"}),
    "unknown option": (source(detials=True, hostname=["uid"]), {}),
    "bad filter": (source(computer_groups=["Berlinn"]), {}),
    "ambiguous filter": (source(exclude_computer_groups=["Servers"]), {}),
    "report without computer ids": (source(report="Hostnames only"), {}),
    "bad option value": (source(batch_size=0), {}),
    "strict compose": (source(strict=True, compose={"x": "oco_no_such_field.attr"}), {}),
    "duplicate host names": (source(hostnames=["os", "hostname"]), {}),
    "file name no plugin takes": (source(), {"filename": "site.yml"}),
}


def fresh_server(**options):
    server = OcoTestServer(db=":memory:", **options)
    server.start()
    return server


def comparable(value, server):
    """``value`` with what differs between two runs replaced: the server's port, the source's temp dir."""
    text = json.dumps(value, sort_keys=True)
    text = text.replace(server.url, "URL").replace(re.sub(r"^https?://", "", server.url.rstrip("/")), "HOST:PORT")
    text = re.sub(r"127\.0\.0\.1:\d+", "HOST:PORT", text)
    text = re.sub(r"/[^\s\"']*/oco-inventory-[^/\s\"']+", "SOURCE_DIR", text)
    return json.loads(text)


def run(via, make_source, *, server_options=None, build=world, **options):
    """One run against a fresh server set up by ``build``: (what was printed, request counters)."""
    server = fresh_server(**(server_options or {}))
    try:
        ids = build(server)
        printed = oco_helpers.run_inventory_command(make_source(ids), server, via=via, **options)
        outcome = {"rc": printed.rc, "stdout": printed.stdout, "stderr": printed.stderr}
        if printed.rc == 0:
            outcome["output"] = json.loads(printed.stdout)
        return comparable(outcome, server), server.admin.counters()
    finally:
        server.close()


def differences(expected, got, path="") -> list:
    """Where two JSON values differ, as ``path: expected != got`` lines."""
    if isinstance(expected, dict) and isinstance(got, dict):
        return [line for key in sorted(set(expected) | set(got), key=str)
                for line in differences(expected.get(key, "<missing>"), got.get(key, "<missing>"), "%s/%s" % (path, key))]
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        return [line for index, (a, b) in enumerate(zip(expected, got)) for line in differences(a, b, "%s[%d]" % (path, index))]
    return [] if expected == got else ["%s: %r != %r" % (path or "/", expected, got)]


def both_ways(make_source, **options):
    runs = {via: run(via, make_source, **options) for via in VIAS}
    (expected, expected_counters), (got, got_counters) = runs["ansible-inventory"], runs["in-process"]
    differ = differences(expected, got)
    assert not differ, "ansible-inventory != in-process:\n" + "\n".join(differ[:20])
    assert got_counters == expected_counters
    return expected, expected_counters


@pytest.mark.parametrize("case", sorted(SOURCES))
def test_same_inventory_both_ways(case):
    outcome, counters = both_ways(SOURCES[case])
    # The cases are representative only if they reach what they are meant to.
    assert outcome["rc"] == 0, outcome
    assert counters["http_requests"] > 0 and counters["writes"] == 0
    assert outcome["output"]["_meta"]["hostvars"], "no hosts: the case shows nothing"
    if case == "constructed":
        assert "servers" in outcome["output"] and "os_Windows_11_Pro" in outcome["output"]
    # ansible-inventory marks the plugin's values unsafe; the in-process output carries the same wrappers.
    assert "__ansible_unsafe" in json.dumps(outcome["output"])


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_same_failure_both_ways(case):
    text, options = FAILURES[case]
    outcome, _counters = both_ways(lambda ids: text, **options)
    assert outcome["rc"] != 0, outcome
    assert "Traceback" not in outcome["stdout"] + outcome["stderr"]
    # The words a test searches for: the plugin's own message, as the command printed it.
    assert "Failed to parse inventory with 'auto' plugin" in outcome["stderr"] or case == "file name no plugin takes"


@pytest.mark.parametrize("release", ["0.9.0", "0.15.5", "1.0.2"])
def test_same_inventory_from_a_legacy_server_both_ways(release):
    def legacy_world(server):
        admin = server.admin
        pc1 = admin.create_computer("pc1", os="Windows", created=STAMP, networks=[
            {"address": "10.0.0.1", "mac": "00:11:22:33:44:01", "interface": "eth0"}])
        admin.create_computer("pc2", os="Windows", created=STAMP)
        office = admin.create_computer_group("Office")
        admin.add_computer_to_group(pc1, office)
        admin.reset_counters()
        return {}

    options = {"server_options": {"legacy": release}, "build": legacy_world}
    listed, _counters = both_ways(lambda ids: source(details=True, ansible_host="first_ip",
                                                     keyed_groups=[{"key": "oco_os", "prefix": "os"}]), **options)
    assert sorted(listed["output"]["_meta"]["hostvars"]) == ["pc1", "pc2"]
    # Before 0.15.2 the plugin warns that every host is ungrouped: the warning is printed alike.
    assert ("every host is ungrouped" in listed["stderr"]) is (release == "0.9.0")
    failed, _counters = both_ways(lambda ids: source(computer_groups=["Nothing"]), **options)
    assert failed["rc"] != 0 and "Nothing" in failed["stderr"]


def test_connection_from_the_source_and_a_reader_both_ways():
    def text(_ids):
        return source(username="reader", details=True)

    outcome, _counters = both_ways(text, password="oco-reader-pw", env={"OCO_USERNAME": None, "OCO_TIMEOUT": "20"})
    assert outcome["rc"] == 0 and "plain http" in outcome["stderr"]


def test_runs_that_need_the_command_take_it(oco_server, monkeypatch):
    why_not = oco_inprocess_inventory.why_not_in_process
    assert why_not(("--list",), {"OCO_URL": "x", "OCO_PASSWORD": None}, None) is None
    assert "arguments" in why_not(("--list", "--flush-cache"), None, None)
    assert "arguments" in why_not(("--graph",), None, None)
    assert "ANSIBLE_INVENTORY_CACHE" in why_not(("--list",), {"ANSIBLE_INVENTORY_CACHE": "1"}, None)
    assert "HOME" in why_not(("--list",), {"HOME": "/tmp"}, None)
    assert "across runs" in why_not(("--list",), None, "/tmp/source")
    with pytest.raises(ValueError, match="cannot run in-process"):
        oco_helpers.run_inventory(source(), oco_server, env={"REQUESTS_CA_BUNDLE": ""}, via="in-process")
    monkeypatch.setenv("ANSIBLE_INVENTORY_ENABLED", "auto")
    assert "changed since" in why_not(("--list",), None, None)
    monkeypatch.delenv("ANSIBLE_INVENTORY_ENABLED")
    assert why_not(("--list",), None, None) is None


def test_via_the_command_everywhere_when_asked(monkeypatch, oco_server):
    oco_server.admin.create_computer("pc-01")
    del oco_helpers.RUNS[:]
    monkeypatch.setenv(oco_inprocess.VIA_PLAYBOOK_ENV, "1")
    oco_helpers.run_inventory(source(), oco_server)
    monkeypatch.setenv(oco_inprocess.VIA_PLAYBOOK_ENV, "0")
    oco_helpers.run_inventory(source(), oco_server)
    oco_helpers.run_inventory(source(), oco_server, via="ansible-inventory")
    assert oco_helpers.RUNS == ["inventory ansible-inventory", "inventory in-process", "inventory ansible-inventory"]


def process_state():
    """What an in-process run must leave as it found it: environment, working directory, ansible-core's
    process-wide state, and the inventory plugin's class and module."""
    plugin = importlib.import_module("ansible_collections.oco.oco.plugins.inventory.oco")
    display = Display()
    return {
        "environment": dict(os.environ), "cwd": os.getcwd(), "locale": locale.setlocale(locale.LC_ALL),
        "cliargs": (id(context.CLIARGS), id(GlobalCLIArgs._Singleton__instance)),  # pylint: disable=protected-access
        "vault": VaultSecretsContext.current(optional=True),
        "shown": (set(display._warns), set(display._errors), display.verbosity),  # pylint: disable=protected-access
        "constants": (C.INVENTORY_UNPARSED_IS_FAILED, C.INVENTORY_ANY_UNPARSED_IS_FAILED),
        "plugin class": dict(vars(plugin.InventoryModule)),
        "plugin module": {name: id(value) for name, value in vars(plugin).items()},
    }


def test_in_process_runs_leave_the_process_as_they_found_it(monkeypatch, oco_server, tmp_path):
    """No OCO_* or ANSIBLE_* variable, working directory, command line or warning of one run reaches the
    test or the next run: each run sees its own source and its own connection."""
    oco_server.admin.create_computer("pc-01")
    monkeypatch.setenv("OCO_URL", "http://127.0.0.1:9/outside")
    monkeypatch.chdir(tmp_path)
    before = process_state()
    first = oco_helpers.run_inventory(source(), oco_server, via="in-process")
    with pytest.raises(oco_helpers.CommandFailed) as failed:
        oco_helpers.run_inventory(source(), oco_server, password="wrong", via="in-process")
    oco_server.admin.create_computer("pc-02")
    second = oco_helpers.run_inventory(source(hostnames=["hostname | upper"]), oco_server, via="in-process")
    with pytest.raises(oco_helpers.CommandFailed) as again:
        oco_helpers.run_inventory(source(), oco_server, password="wrong", via="in-process")
    assert process_state() == before
    assert sorted(first["_meta"]["hostvars"]) == ["pc-01"]
    assert sorted(second["_meta"]["hostvars"]) == ["PC-01", "PC-02"]
    # A warning or an error is shown by every run, as by every command, not once per process.
    assert "refused (HTTP 401)" in failed.value.stderr and "refused (HTTP 401)" in again.value.stderr
    assert failed.value.stderr.count("plain http") == again.value.stderr.count("plain http") == 1
