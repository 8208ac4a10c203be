"""Modules against a large fleet: requests and time per task, requests per poll, upload memory.

Each module runs the way Ansible runs it on the controller, as its own Python process reading its
arguments from a JSON file (no ansible-playbook around it: its fixed ~2 s would hide the module's
own cost). The server counts the requests of each run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from bench_measure import run_child, summarize

TESTS_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = TESTS_DIR.parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

import oco_helpers  # noqa: E402  pylint: disable=wrong-import-position


def run_module(server, workdir, module, args, label):
    args_file = Path(workdir) / ("args-%s.json" % label)
    args_file.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(server.connection(), **args)}), encoding="utf-8")
    out = Path(workdir) / ("out-%s.json" % label)
    env = oco_helpers.base_env({"PYTHONPATH": str(oco_helpers.collections_root())})
    run = run_child([sys.executable, str(REPO_ROOT / "plugins" / "modules" / ("%s.py" % module)), str(args_file)], env,
                    stdout_path=out, server=server)
    text = out.read_text(encoding="utf-8")
    try:
        result = json.loads(text[text.index("{"):])
    except ValueError:
        result = {}
    if run.rc != 0 or result.get("failed"):
        raise RuntimeError("%s failed (rc %d): %s %s" % (module, run.rc, text[-2000:], run.stderr[-2000:]))
    return run, result


def row(name, runs, **extra):
    figures = summarize(runs)
    figures.update(section="modules", name=name, **extra)
    return figures


def no_change_runs(server, workdir, module, args, runs, label, log=print):
    """One run that may change, then ``runs`` runs that must report changed false."""
    _first, _result = run_module(server, workdir, module, args, label + "-setup")
    measured = []
    for index in range(runs):
        run, result = run_module(server, workdir, module, args, label)
        if result.get("changed"):
            raise RuntimeError("%s reported a change on a repeated run: %s" % (module, result))
        measured.append(run)
        log("  run %d/%d %-28s %6.2f s wall %6.2f s cpu  %d requests, %d calls" % (
            index + 1, runs, label, run.wall, run.cpu, run.requests, run.calls))
    return measured


def module_benchmark(server, computers, workdir, runs=5, members=50, wait_jobs=1000, log=print):
    rows = []
    log("modules on %d computers:" % computers)
    hostnames = ["pc-%05d" % number for number in range(1, computers + 1)]

    runs_done = no_change_runs(server, workdir, "oco_computer", {"hostname": hostnames[len(hostnames) // 2]}, runs,
                               "oco_computer", log=log)
    rows.append(row("oco_computer present, no change", runs_done, computers=computers))

    server.admin("create_computer_group", name="Bench membership")
    runs_done = no_change_runs(server, workdir, "oco_group_membership", {
        "type": "computer", "group": "Bench membership", "members": hostnames[:members], "state": "present"}, runs,
        "oco_group_membership", log=log)
    rows.append(row("oco_group_membership, %d members, no change" % members, runs_done, computers=computers))

    rows.append(wait_benchmark(server, computers, workdir, min(wait_jobs, computers), log=log))
    return rows


def wait_benchmark(server, computers, workdir, jobs, log=print):
    """A container of ``jobs`` jobs; background agents finish them while the module polls."""
    group = server.admin("create_computer_group", name="Bench wait")
    group_id = group if isinstance(group, int) else group.get("id", group)
    server.admin("sql", query="INSERT INTO computer_group_member (computer_id, computer_group_id) "
                              "SELECT id, ? FROM computer ORDER BY id LIMIT ?", params=[group_id, jobs])
    family = server.admin("sql", query="SELECT name FROM package_family ORDER BY id LIMIT 1")[0]["name"]
    base = {"name": "Bench wait", "computer_groups": ["Bench wait"], "packages": [family],
            "force_install_same_version": True}
    run_module(server, workdir, "oco_job_container", dict(base, wait=False), "deploy")
    # Agents on a clock: the jobs finish a few polls after the wait starts.
    server.admin("agent_clock", interval=3.0)
    try:
        waiting, result = run_module(server, workdir, "oco_job_container", dict(base, wait=True, poll_interval=0.5),
                                     "wait")
    finally:
        server.admin("agent_clock_stop")
    # The same task on the finished container: what it costs besides polling (lookups, one final read).
    finished, again = run_module(server, workdir, "oco_job_container", dict(base, wait=True, poll_interval=0.5),
                                 "wait-finished")
    overhead = finished.requests - again.get("polls", 1)
    polls = result.get("polls") or 0
    per_poll = (waiting.requests - overhead) / polls if polls else None
    job_count = len(result.get("jobs") or [])
    log("  oco_job_container wait: %d jobs, %d polls, %d requests (%d besides polling) -> %.2f requests per poll, %.1f s" % (
        job_count, polls, waiting.requests, overhead, per_poll or 0, waiting.wall))
    figures = row("oco_job_container wait, %d jobs" % job_count, [waiting], computers=computers)
    figures.update(polls=polls, requests_per_poll=per_poll, job_list_calls=None, status=result.get("status"))
    return figures


def package_benchmark(size_mb, tmpdir=None, log=print):
    """The oco_package upload benchmark (bench_package_upload.py), its figures parsed from its report."""
    argv = [sys.executable, str(Path(__file__).resolve().parent / "bench_package_upload.py"), "--size-mb", str(size_mb)]
    if tmpdir:
        argv += ["--tmpdir", str(tmpdir)]
    log("oco_package upload, %d MiB payload:" % size_mb)
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    log("\n".join("  " + line for line in proc.stdout.splitlines()))
    if proc.returncode not in (0, 1) or "growth for the upload" not in proc.stdout:
        raise RuntimeError("bench_package_upload.py failed: %s %s" % (proc.stdout[-2000:], proc.stderr[-2000:]))

    def number(label):
        match = re.search(r"%s:\s+(-?[\d.]+) MiB(?: = (-?[\d.]+)%%)?(?: \(([\d.]+) s\))?" % re.escape(label), proc.stdout)
        return match

    baseline = number("module peak RSS, 1 KB")
    upload = number("module peak RSS, upload")
    growth = number("growth for the upload")
    return {"section": "modules", "name": "oco_package upload, %d MiB payload" % size_mb, "runs": 1,
            "wall": float(upload.group(3)) if upload and upload.group(3) else None,
            "peak_rss_mib": float(upload.group(1)) if upload else None,
            "baseline_rss_mib": float(baseline.group(1)) if baseline else None,
            "growth_mib": float(growth.group(1)) if growth else None,
            "growth_percent": float(growth.group(2)) if growth and growth.group(2) else None,
            "requests": None, "calls": None, "cpu": None, "payload_mib": size_mb}
