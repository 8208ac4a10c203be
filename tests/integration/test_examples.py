"""Every plugin's EXAMPLES run against the test server, so the documentation never shows a task
that does not work.

The examples are written for a real server (``https://oco.example.com``, user ``ansible``,
password in ``oco_password``). The variant that runs here changes only what must change: the URL
becomes the test server's, the user ``ansible`` exists there with the password given as
``oco_password`` (and as OCO_* environment variables for the tasks and sources that rely on them),
and ``seed_examples`` creates the objects the examples name, with the ids they use. Paths on the
controller (payload files, the inventory cache directory) are created or moved into a temp dir.

A plugin without EXAMPLES, or whose EXAMPLES never call it, fails here; so does a plugin whose
examples are not covered by a runner below (add one when a new kind of plugin appears).
Roles' README files are covered too: every fenced YAML block holding a play runs.
"""

from __future__ import annotations

import ast
import base64
import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import requests
import yaml

import oco_helpers

REPO_ROOT = oco_helpers.REPO_ROOT
EXAMPLE_URL = "https://oco.example.com"
EXAMPLE_USER = "ansible"
EXAMPLE_PASSWORD = "example-ansible-pw"
PLUGIN_KINDS = {"modules": "module", "inventory": "inventory", "lookup": "lookup"}
OLD = "2026-01-05 10:00:00"
RECENT = "2026-11-30 08:00:00"


def plugin_files():
    """``(kind, name, path)`` of every plugin of the collection."""
    found = []
    for directory, kind in PLUGIN_KINDS.items():
        for path in sorted((REPO_ROOT / "plugins" / directory).glob("*.py")):
            if path.name != "__init__.py":
                found.append((kind, path.stem, path))
    return found


def examples_of(path):
    """The EXAMPLES string of a plugin file, read without importing it."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def role_readme_plays():
    """``(role, index, play_text)`` for every fenced YAML block with a play in roles/*/README.md."""
    found = []
    for readme in sorted(REPO_ROOT.glob("roles/*/README.md")):
        blocks = re.findall(r"```ya?ml\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
        plays = [b for b in blocks if re.search(r"^\s*-?\s*hosts:", b, re.M)]
        found.extend((readme.parent.name, i, text) for i, text in enumerate(plays))
    return found


# --------------------------------------------------------------------------------------- the seed

def _next_id(server, table, wanted):
    """Make the next row of ``table`` get the id an example names (ids only grow, as on a real server)."""
    current = server.admin.sql("SELECT COALESCE(MAX(id), 0) AS top FROM %s" % table)[0]["top"]
    assert current < wanted, "%s already has ids up to %d; seed the row with id %d earlier" % (table, current, wanted)
    server.admin.sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    server.admin.sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, wanted - 1))


def _rpc(server, method, data):
    answer = requests.post(server.url + "/api-client.php", timeout=30,
                           auth=(oco_helpers.ADMIN_USER, oco_helpers.ADMIN_PASSWORD),
                           json={"jsonrpc": "2.0", "id": 1, "method": method, "params": {"api_key": "", "data": data}})
    answer.raise_for_status()
    body = answer.json()
    assert "error" not in body or body["error"] is None, body
    return body["result"]


def seed_examples(server, skip=()):
    """Create what the EXAMPLES name. ``skip`` lists objects an example creates itself."""
    admin = server.admin
    admin.create_user(EXAMPLE_USER, EXAMPLE_PASSWORD)
    ids = {}

    def computer(hostname, ip, mac, os_name="Windows 11 Pro", **fields):
        fields.setdefault("last_ping", None)
        cid = admin.create_computer(hostname, os=os_name, **fields)
        admin.set_inventory(cid, networks=[{"address": ip, "netmask": "255.255.255.0", "mac": mac, "interface": "Ethernet0"}])
        ids[hostname] = cid
        return cid

    # Computers: pc-reception gets id 12 (oco_group_membership and oco_rpc name it by id).
    _next_id(server, "computer", 12)
    assert computer("pc-reception", "10.1.2.12", "02:00:00:00:00:12", last_ping=RECENT) == 12
    computer("pc-accounting-07", "10.1.2.7", "02:00:00:00:00:07", last_ping=RECENT)
    computer("pc-old-01", "10.1.9.1", "02:00:00:00:09:01", last_ping=OLD, last_update=OLD)
    computer("srv-berlin-01", "10.1.1.1", "02:00:00:00:01:01", os_name="Ubuntu 24.04 LTS", last_ping=RECENT)
    computer("srv-berlin-02", "10.1.1.2", "02:00:00:00:01:02", os_name="Windows Server 2022")

    def group(path):
        parent = None
        for depth, name in enumerate(path.split("/")):
            key = "/".join(path.split("/")[:depth + 1])
            if key not in ids:
                ids[key] = admin.create_computer_group(name, parent_id=parent)
            parent = ids[key]
        return parent

    # oco_group_membership takes pc-old-01 out of the group with id 7.
    _next_id(server, "computer_group", 7)
    ids["group 7"] = admin.create_computer_group("Clean-up")
    for path in ("Berlin/Office", "Berlin/Accounting/Payroll", "Berlin/Servers", "Office/Berlin", "Retired"):
        group(path)
    for host, path in (("pc-accounting-07", "Berlin/Accounting"), ("pc-accounting-07", "Berlin/Accounting/Payroll"),
                       ("pc-reception", "Office/Berlin"), ("srv-berlin-01", "Berlin/Servers"),
                       ("srv-berlin-02", "Berlin/Servers"), ("pc-old-01", "Retired"), ("pc-old-01", "group 7")):
        admin.add_computer_to_group(ids[host], ids[path])

    # Packages: one with id 31 (oco_group_membership), families the examples name.
    payload = {"setup.cmd": base64.b64encode(b"@echo installing\r\n").decode("ascii")}
    _next_id(server, "package", 31)
    ids["package 31"] = admin.create_package("Thunderbird", "128.5", files=payload)
    for family, version in (("Firefox", "115.0"), ("Firefox", "128.0"), ("LibreOffice", "24.2"), ("7-Zip", "24.08")):
        if "%s %s" % (family, version) in skip:
            continue
        ids["%s %s" % (family, version)] = admin.create_package(family, version, files=payload,
                                                                uninstall_procedure="uninstall.cmd")
    ids["package group Standard software"] = admin.create_package_group("Standard software")
    baseline = admin.create_package_group("Baseline")
    ids["package group Baseline/Office"] = admin.create_package_group("Office", parent_id=baseline)
    admin.add_package_to_group(ids["LibreOffice 24.2"], ids["package group Baseline/Office"])
    admin.add_package_to_group(ids["package 31"], ids["package group Standard software"])

    # Installation records: Firefox 128.0 on pc-accounting-07 (oco_installation, oco_package_info),
    # one with id 31, 7-Zip on pc-reception (uninstalled by oco_job_container).
    _next_id(server, "computer_package", 31)
    admin.add_installation(ids["srv-berlin-01"], ids["LibreOffice 24.2"])
    if "Firefox 128.0" in ids:
        admin.add_installation(ids["pc-accounting-07"], ids["Firefox 128.0"])
    if "7-Zip 24.08" in ids:
        admin.add_installation(ids["pc-reception"], ids["7-Zip 24.08"])

    # A user report (the first gets id 1000, as on a real server) and a deployment rule.
    ids["report 1000"] = admin.create_report("Windows computers", "SELECT id AS computer_id, hostname FROM computer "
                                             "WHERE os LIKE 'Windows%'")
    assert ids["report 1000"] == 1000
    ids["rule Office baseline"] = admin.create_deployment_rule(
        "Office baseline", ids["Berlin/Office"], ids["package group Baseline/Office"])

    # A container with a pending job with id 4711 (oco_job removes it, oco_job_container_info reads it).
    _next_id(server, "job_container_job", 4711)
    # oco_job_container creates "Firefox rollout" itself and waits for it: there the seed's
    # container (whose job waits for a later start) gets another name.
    container = "Patch day" if "Firefox rollout" in skip else "Firefox rollout"
    _rpc(server, "oco.job_container.deploy", {"name": container, "computer_ids": [ids["srv-berlin-02"]],
                                              "package_ids": [ids["Firefox 115.0"]], "date_start": "2026-12-31 22:00:00"})
    assert admin.sql("SELECT id FROM job_container_job") == [{"id": 4711}]
    return ids


# ---------------------------------------------------------------------------------------- runners

def _connection_env(server):
    return {"OCO_URL": server.url, "OCO_USERNAME": EXAMPLE_USER, "OCO_PASSWORD": EXAMPLE_PASSWORD}


def _with_test_server(text, server):
    return text.replace(EXAMPLE_URL, server.url)


# Controller-side files the examples read, created in the playbook's directory (the modules run
# on localhost with it as their working directory).
PAYLOAD_FILES = {"files/firefox-128.0.msi": "example payload\n", "build/maintenance/install.ps1": "example payload\n"}

# What each example needs beyond the shared seed: objects it creates itself (skipped in the seed),
# files next to the play, and the simulated agents that finish the jobs it waits for.
VARIANTS = {
    "oco_package": {"skip": {"Firefox 128.0"}, "files": PAYLOAD_FILES},
    "oco_job_container": {"skip": {"Firefox rollout"}, "agents": True},
}


def run_task_examples(server, name, text):
    variant = VARIANTS.get(name, {})
    tasks = yaml.safe_load(_with_test_server(text, server))
    assert isinstance(tasks, list) and tasks, "EXAMPLES of %s is not a list of tasks" % name
    uses_plugin = "oco.oco.%s" % name
    assert any(uses_plugin in task or uses_plugin in json.dumps(task) for task in tasks), \
        "EXAMPLES of %s never call it" % name
    if variant.get("agents"):
        server.admin.agent_clock(every=1)
    result = oco_helpers.run_tasks(tasks, server, username=EXAMPLE_USER, password=EXAMPLE_PASSWORD,
                                   vars={"oco_password": EXAMPLE_PASSWORD}, env=_connection_env(server),
                                   files=variant.get("files"))
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert len(result.results) == len(tasks), str(result)
    return result.results


def run_inventory_examples(server, name, text):
    sources = [doc for doc in re.split(r"^---\s*$", text, flags=re.M) if doc.strip()]
    assert sources, "EXAMPLES of the inventory plugin %s hold no source" % name
    outputs = []
    with tempfile.TemporaryDirectory(prefix="oco-example-inventory-") as work:
        for source in sources:
            config = yaml.safe_load(source)
            assert config.get("plugin") == "oco.oco.%s" % name, source
            # The file name the example's comment gives, so its name pattern is tested too.
            match = re.search(r"#\s*(?:\S*/)?(\S+\.ya?ml)", source)
            filename = match.group(1) if match else "example.oco.yml"
            text_here = _with_test_server(source, server).replace("/tmp/oco-inventory-cache", str(Path(work) / "cache"))
            inventory = oco_helpers.run_inventory(text_here, server, filename=filename, username=EXAMPLE_USER,
                                                  password=EXAMPLE_PASSWORD)
            hosts = inventory.get("_meta", {}).get("hostvars", {})
            assert hosts, "%s gave no hosts:\n%s" % (filename, json.dumps(inventory, indent=1))
            outputs.append((filename, inventory))
    return outputs


# ------------------------------------------------------------------------------------------ tests

PLUGINS = plugin_files()


def test_every_plugin_is_covered():
    assert PLUGINS, "no plugins found"
    for kind, name, path in PLUGINS:
        text = examples_of(path)
        assert text and text.strip(), "%s has no EXAMPLES" % path.relative_to(REPO_ROOT)
        assert kind in ("module", "lookup", "inventory"), "no runner for %s plugins (%s)" % (kind, name)


@pytest.mark.parametrize("kind,name,path", PLUGINS, ids=["%s-%s" % (k, n) for k, n, _p in PLUGINS])
def test_examples_run(oco_server, kind, name, path):
    text = examples_of(path)
    assert text and text.strip(), "%s has no EXAMPLES" % path.relative_to(REPO_ROOT)
    ids = seed_examples(oco_server, skip=VARIANTS.get(name, {}).get("skip", ()))
    if kind == "inventory":
        outputs = run_inventory_examples(oco_server, name, text)
        by_file = dict(outputs)
        if name == "oco":
            # The examples promise these results; check them, not just that they ran.
            assert set(by_file["prod.oco.yml"]["_meta"]["hostvars"]) >= {"pc-reception", "pc-accounting-07", "pc-old-01"}
            windows = by_file["windows.oco.yml"]["_meta"]["hostvars"]
            assert set(windows) == {"srv-berlin-01.corp.example", "srv-berlin-02.corp.example"}
            assert windows["srv-berlin-01.corp.example"]["ansible_host"] == "10.1.1.1"
            assert windows["srv-berlin-01.corp.example"]["ansible_connection"] == "ssh"
            assert windows["srv-berlin-02.corp.example"]["ansible_connection"] == "winrm"
            # OCO's predefined report lists computers whose agent never reported (srv-berlin-02) too.
            assert set(by_file["no-agent.oco.yml"]["_meta"]["hostvars"]) == {"pc-old-01", "srv-berlin-02"}
        return
    results = run_task_examples(oco_server, name, text)
    assert any(r.get("changed") is not None or "msg" in r or r.get("ansible_facts") for r in results)
    if name == "oco_job":
        assert not oco_server.admin.sql("SELECT id FROM job_container_job WHERE id = 4711")
    if name == "oco_computer":
        assert not oco_server.admin.sql("SELECT id FROM computer WHERE hostname = 'pc-old-01'")
        assert any(entry["computer_id"] == ids["pc-accounting-07"] for entry in oco_server.admin.wol_log())


ROLE_PLAYS = role_readme_plays()
if ROLE_PLAYS:
    @pytest.mark.parametrize("role,index,play", ROLE_PLAYS, ids=["%s-%d" % (r, i) for r, i, _p in ROLE_PLAYS])
    def test_role_readme_examples_run(oco_server, role, index, play):
        # The README plays publish 7-Zip 24.08 themselves, from files next to the playbook.
        seed_examples(oco_server, skip={"7-Zip 24.08"})
        oco_server.admin.agent_clock(every=1)
        with tempfile.TemporaryDirectory(prefix="oco-role-example-") as work:
            for relative in re.findall(r"^\s*-\s+(files/[^\s#]+)", play, re.M):
                (Path(work) / relative).parent.mkdir(parents=True, exist_ok=True)
                (Path(work) / relative).write_bytes(b"example payload\n")
            playbook = Path(work) / "playbook.yml"
            playbook.write_text(_with_test_server(play, oco_server), encoding="utf-8")
            env = oco_helpers.base_env(_connection_env(oco_server))
            env["ANSIBLE_LOCAL_TEMP"] = str(Path(work) / "tmp")
            argv = [oco_helpers._tool("ansible-playbook"),  # pylint: disable=protected-access
                    "-i", "localhost,", "-c", "local", "-e", "oco_password=%s" % EXAMPLE_PASSWORD, str(playbook)]
            proc = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, "roles/%s/README.md play %d failed:\n%s\n%s" % (role, index, proc.stdout, proc.stderr)
