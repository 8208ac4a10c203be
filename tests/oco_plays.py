"""Run whole playbooks (several hosts, roles, check mode) against the test server.

``oco_helpers.run_tasks`` runs a list of tasks on localhost; the roles need real plays: an
inventory of several hosts, ``roles:``, and the task records of every host.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import tempfile
from pathlib import Path

import yaml

import oco_helpers


@dataclasses.dataclass
class PlayRun:
    rc: int
    stdout: str
    stderr: str
    playbook: str
    records: list
    """``{"task", "host", "status", "result"}`` of every task result, in the order they came."""

    def task(self, name, host=None):
        """The result of the last run of the task ``name`` (on ``host``), or None."""
        found = [r["result"] for r in self.records
                 if r["task"] == name and (host is None or r["host"] == host) and r["status"] != "skipped"]
        return found[-1] if found else None

    def ran(self, name):
        """Records of the task ``name`` that did not skip."""
        return [r for r in self.records if r["task"] == name and r["status"] != "skipped"]

    @property
    def changed(self):
        """Records of the tasks that reported a change."""
        return [r for r in self.records if r["result"].get("changed")]

    def fact(self, name, host="localhost"):
        """Value of a fact set by a set_fact task (the last one that set it)."""
        for record in reversed(self.records):
            facts = record["result"].get("ansible_facts") or {}
            if name in facts and (record["host"] == host or host is None):
                return facts[name]
        return None

    def __str__(self):
        return f"ansible-playbook rc={self.rc}\n--- playbook\n{self.playbook}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run_playbook(plays, server, *, inventory="localhost,", check=False, diff=False, env=None,
                 connection_via="env", extra_vars=None, username=oco_helpers.ADMIN_USER,
                 password=oco_helpers.ADMIN_PASSWORD, files=None, forks=None, timeout=600) -> PlayRun:
    """Run ``plays`` (a list of play dicts, or the path of a playbook file) against ``server``.

    ``connection_via="env"`` gives the connection as OCO_* environment variables (as an AWX
    credential does); None gives none (the plays carry it). ``inventory`` is either an
    ``ansible-playbook -i`` argument or a dict written as a YAML inventory file. ``files``
    (``{relative path: text}``) are written next to the playbook. ``forks`` runs that many hosts at once.
    """
    playbook_file = Path(plays) if isinstance(plays, (str, Path)) else None
    playbook_text = playbook_file.read_text(encoding="utf-8") if playbook_file else yaml.safe_dump(plays, sort_keys=False)
    run_env = {}
    if connection_via == "env":
        run_env.update(oco_helpers.connection_env(server, username, password))
    elif connection_via is not None:
        raise ValueError(f"connection_via must be 'env' or None, not {connection_via!r}")
    run_env.update(env or {})
    with tempfile.TemporaryDirectory(prefix="oco-plays-") as work:
        work = Path(work)
        (work / "playbook.yml").write_text(playbook_text, encoding="utf-8")
        oco_helpers.write_files(work, files)
        if isinstance(inventory, dict):
            (work / "inventory.yml").write_text(yaml.safe_dump(inventory), encoding="utf-8")
            inventory = str(work / "inventory.yml")
        record = work / "results.jsonl"
        argv = [oco_helpers._tool("ansible-playbook"), "-i", inventory, str(playbook_file or work / "playbook.yml")]
        if forks:
            argv += ["-f", str(forks)]
        if check:
            argv.append("--check")
        if diff:
            argv.append("--diff")
        if extra_vars:
            (work / "extra_vars.json").write_text(json.dumps(extra_vars), encoding="utf-8")
            argv += ["-e", f"@{work / 'extra_vars.json'}"]
        proc_env = oco_helpers.base_env(run_env)
        proc_env.update(oco_helpers.recording_env(record, work))
        proc = subprocess.run(argv, cwd=work, env=proc_env, capture_output=True, text=True, timeout=timeout, check=False)
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return PlayRun(proc.returncode, proc.stdout, proc.stderr, playbook_text, [json.loads(line) for line in lines])


def local_hosts(group, hosts) -> dict:
    """A YAML inventory of ``hosts`` in ``group``, each run on the controller (several forks of one play)."""
    return {group: {"hosts": {host: {"ansible_connection": "local"} for host in hosts}}}
