"""The password, the API key and the agent/server keys never show: not in task results, warnings,
errors at -vvvv, diffs, check mode, the inventory cache or ``ansible-inventory --list``.

The secrets are distinctive Unicode strings, so a plain substring search over everything ansible
printed or wrote finds any leak, including the base64 Basic-auth token and JSON-escaped forms.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

import oco_helpers

USER = "ünï-admin"
PASSWORD = "Pässwörd-☃-🔑-7f3a"
API_KEY = "Schlüssel-🗝-ключ-91c2"
AGENT_KEY = "agent-ключ-🤫-5d0e"
SERVER_KEY = "server-ключ-🙊-b7a4"


def forms(secret):
    """The secret as text, JSON-escaped (ASCII-only JSON) and UTF-8 bytes shown as repr."""
    return {secret, json.dumps(secret)[1:-1], repr(secret.encode("utf-8"))[2:-1]}


SECRETS = set().union(*(forms(s) for s in (PASSWORD, API_KEY, AGENT_KEY, SERVER_KEY)))
SECRETS.add(base64.b64encode(("%s:%s" % (USER, PASSWORD)).encode("utf-8")).decode("ascii"))


def assert_clean(text, where):
    leaked = sorted(s for s in SECRETS if s in text)
    assert not leaked, "%s leaks %r" % (where, leaked)


@pytest.fixture
def secured():
    from oco_test_server import OcoTestServer

    server = OcoTestServer(db=":memory:", api_key=API_KEY)
    server.start()
    try:
        admin = server.admin
        admin.create_user(USER, PASSWORD)
        pc = admin.create_computer("pc-secret", agent_key=AGENT_KEY, server_key=SERVER_KEY,
                                   networks=[{"mac": "02:00:00:00:00:01", "address": "10.0.0.1"}])
        group = admin.create_computer_group("Office")
        admin.add_computer_to_group(pc, group)
        admin.create_package("Firefox", "121.0")
        admin.create_report("Secret keys", "SELECT id AS computer_id, agent_key, server_key FROM computer")
        yield server
    finally:
        server.close()


def test_no_secret_in_any_playbook_output(secured, tmp_path):
    rpc = "oco.oco.oco_rpc"
    tasks = [
        {"oco.oco.oco_info": {}},
        {"oco.oco.oco_computer": {"hostname": "pc-new", "notes": "n"}},
        {"oco.oco.oco_computer": {"hostname": "pc-other"}, "check_mode": True},
        {"oco.oco.oco_computer_info": {"hostname": "pc-secret", "details": True}},
        {"oco.oco.oco_computer_info": {"computer_group": "Ofice"}},
        {rpc: {"method": "oco.computer.get", "data": {"id": 1}, "read_only": True}},
        {rpc: {"method": "oco.computer.list", "read_only": True}},
        {"oco.oco.oco_report_info": {"report": "Secret keys", "execute": True}},
        {"oco.oco.oco_group_membership": {"type": "computer", "group": "Office", "members": ["pc-new"]}},
        {"oco.oco.oco_job_container": {"name": "r", "computers": ["pc-secret"], "packages": ["Firefox"],
                                       "agent_ip_ranges": ["10.0.0.0/x"]}},
        {"oco.oco.oco_job_container": {"name": "r", "computers": ["pc-secret"], "packages": ["Firefox"]}},
        {"oco.oco.oco_computer_info": {"api_key": API_KEY + "-wrong"}},
        {"oco.oco.oco_computer_info": {"password": PASSWORD + "-wrong"}},
        {"oco.oco.oco_computer_info": {"url": secured.url.replace("http://", "https://")}},
        {"ansible.builtin.debug": {"msg": "{{ lookup('oco.oco.oco_report', 'Secret keys') }}"}},
        {"ansible.builtin.debug": {"msg": "{{ lookup('oco.oco.oco_report', 'Secret kes') }}"}},
        {"oco.oco.oco_computer": {"hostname": "pc-new", "state": "absent"}},
    ]
    secured.admin.inject_fault("http500", method="oco.computer.list", count=1)
    secured.admin.inject_fault("commit_drop", method="oco.computer.add_to_group")
    for check, diff in ((False, True), (True, True)):
        result = oco_helpers.run_tasks(tasks, secured, connection_via="env", username=USER, password=PASSWORD,
                                       api_key=API_KEY, check=check, diff=diff, env={"ANSIBLE_VERBOSITY": "4"}, via="playbook")
        outcome = [bool(r.get("failed")) for r in result.results]
        # Successes and failures both happened, so both paths were searched.
        assert any(outcome) and not all(outcome), str(result)
        assert "Traceback" not in result.stdout + result.stderr
        assert "-vvvv" in result.stdout or "<localhost> ESTABLISH" in result.stdout or "EXEC" in result.stdout
        where = "ansible-playbook%s" % (" --check" if check else "")
        assert_clean(result.stdout, where + " stdout")
        assert_clean(result.stderr, where + " stderr")
        assert_clean(json.dumps(result.results, ensure_ascii=False), where + " results")
        assert_clean(json.dumps(result.results), where + " results (ASCII JSON)")
    # The report rows carry the keys: that the report ran proves the stripping, not an empty table.
    assert result.results[7].get("rows"), result.results[7]


def test_no_secret_in_inventory_output_or_cache(secured, tmp_path):
    cache = tmp_path / "cache"
    source = tmp_path / "test.oco.yml"
    source.write_text("plugin: oco.oco.oco\ndetails: true\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
                      "cache_connection: %s\n" % cache, encoding="utf-8")
    env = oco_helpers.base_env(dict(
        OCO_URL=secured.url, OCO_USERNAME=USER, OCO_PASSWORD=PASSWORD, OCO_API_KEY=API_KEY,
        ANSIBLE_INVENTORY_UNPARSED_FAILED="true", ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp")))
    inventory = oco_helpers._tool("ansible-inventory")  # pylint: disable=protected-access
    runs = [
        ([inventory, "-i", str(source), "--list", "-vvvv"], env),
        ([inventory, "-i", str(source), "--list", "--export", "-vvvv"], env),
        ([inventory, "-i", str(source), "--host", "pc-secret", "-vvvv"], env),
        ([inventory, "-i", str(source), "--list", "-vvvv", "--flush-cache"], dict(env, OCO_API_KEY=API_KEY + "x")),
        ([inventory, "-i", str(source), "--list", "-vvvv", "--flush-cache"], dict(env, OCO_PASSWORD=PASSWORD + "x")),
    ]
    outputs = []
    for argv, run_env in runs:
        proc = subprocess.run(argv, cwd=tmp_path, env=run_env, capture_output=True, text=True, timeout=300, check=False)
        outputs.append(proc)
        assert_clean(proc.stdout, " ".join(argv[3:]) + " stdout")
        assert_clean(proc.stderr, " ".join(argv[3:]) + " stderr")
    assert outputs[0].returncode == 0 and "pc-secret" in outputs[0].stdout, outputs[0].stderr
    assert outputs[3].returncode != 0 and "ermission" in outputs[3].stderr
    assert outputs[4].returncode != 0 and "401" in outputs[4].stderr
    files = [p for p in Path(cache).rglob("*") if p.is_file()]
    assert files, "the cache was not written"
    for path in files:
        assert_clean(path.read_text(encoding="utf-8", errors="replace"), str(path))
