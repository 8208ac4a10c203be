"""20 forks registering themselves and joining groups at once, while the network loses answers.

The race (each fork creates its own computer, all of them create one shared computer and join the
same groups) runs here with lost write answers (commit_drop), gateway errors on reads and
package groups on top: writes are never sent twice and reads retry only after a connection or
gateway failure, so the faults add failure paths to the race without hiding any part of it. Every
computer must exist once, every membership be in place, no task fail; a second run must change
nothing.
"""

from __future__ import annotations

import oco_helpers
import oco_plays

HOSTS = ["node%02d" % i for i in range(20)]
MEMBERSHIP = "oco.oco.oco_group_membership"


def lab_tasks(hostname, tool):
    """The play's tasks for a computer named ``hostname`` that puts the package ``tool`` into Base."""
    return [
        {"name": "own computer", "oco.oco.oco_computer": {"hostname": hostname}},
        {"name": "shared computer", "oco.oco.oco_computer": {"hostname": "lab-printer-pc"}},
        {"name": "join Lab", MEMBERSHIP: {"type": "computer", "group": "Lab", "members": [hostname, "lab-printer-pc"]}},
        {"name": "join Lab/Wave 1", MEMBERSHIP: {"type": "computer", "group": "Lab/Wave 1", "members": [hostname]}},
        {"name": "package into Base", MEMBERSHIP: {"type": "package", "group": "Base", "members": [tool]}},
    ]


def play(server):
    return {
        "name": "register the lab", "hosts": "lab", "gather_facts": False, "connection": "local",
        "module_defaults": {"group/oco.oco.oco": dict(oco_helpers.connection_options(server), retries=5)},
        "tasks": lab_tasks("{{ inventory_hostname }}", "{{ 'Tool-%02d' % (groups['lab'].index(inventory_hostname) % 5) }}"),
    }


def tasks_of(host):
    """The play's tasks as the fork of ``host`` runs them: templates filled in, the module defaults' retries set."""
    tasks = []
    for task in lab_tasks(host, "Tool-%02d" % (HOSTS.index(host) % 5)):
        name = task.pop("name")
        tasks.append({"name": name, **{module: dict(args, retries=5) for module, args in task.items()}})
    return tasks


def run_forks(server):
    """The play on every host at once (20 forks): the ansible-playbook run and its task records."""
    # Every result shows the arguments its fork sent (ansible-core 2.19 shows them without being asked).
    run = oco_plays.run_playbook([play(server)], server, inventory=oco_plays.local_hosts('lab', HOSTS), connection_via=None,
                                 forks=20, timeout=900, env={"ANSIBLE_INJECT_INVOCATION": "true"})
    return run, run.records


def members(server, table, column, group_column, group_id, name_sql):
    return sorted(r["name"] for r in server.admin.sql(
        "SELECT %s AS name FROM %s m WHERE m.%s = ?" % (name_sql, table, group_column), [group_id]))


def test_twenty_forks_with_lost_answers_end_complete_and_unique(oco_server):
    admin = oco_server.admin
    lab = admin.create_computer_group("Lab")
    wave = admin.create_computer_group("Wave 1", parent_id=lab)
    base = admin.create_package_group("Base")
    for n in range(5):
        admin.create_package("Tool-%02d" % n, "1.0")
    admin.inject_fault("commit_drop", method="oco.computer.create", count=3)
    admin.inject_fault("commit_drop", method="oco.computer.add_to_group", count=3)
    admin.inject_fault("commit_drop", method="oco.package.add_to_group", count=2)
    admin.inject_fault("http503", method="oco.computer.list", count=5)

    proc, lines = run_forks(oco_server)
    output = proc.stdout + proc.stderr
    assert proc.rc == 0, output[-6000:]
    assert "Traceback" not in output
    assert len(lines) == 5 * len(HOSTS)
    assert [line for line in lines if line["status"] != "ok"] == []
    assert sorted(line["host"] for line in lines if line["task"] == "own computer") == HOSTS
    assert admin.faults() == [], "every injected fault fired"

    shared = [line["result"] for line in lines if line["task"] == "shared computer"]
    assert len({r["computer"]["id"] for r in shared}) == 1
    assert sum(1 for r in shared if r["changed"]) == 1
    own = [line["result"] for line in lines if line["task"] == "own computer"]
    assert all(r["changed"] for r in own)

    names = [r["hostname"] for r in admin.sql("SELECT hostname FROM computer ORDER BY hostname")]
    assert names == sorted(HOSTS + ["lab-printer-pc"])
    name_sql = "(SELECT hostname FROM computer c WHERE c.id = m.computer_id)"
    assert members(oco_server, "computer_group_member", "computer_id", "computer_group_id", lab, name_sql) == \
        sorted(HOSTS + ["lab-printer-pc"])
    assert members(oco_server, "computer_group_member", "computer_id", "computer_group_id", wave, name_sql) == HOSTS
    package_sql = ("(SELECT f.name FROM package p JOIN package_family f ON f.id = p.package_family_id "
                   "WHERE p.id = m.package_id)")
    assert members(oco_server, "package_group_member", "package_id", "package_group_id", base, package_sql) == \
        ["Tool-%02d" % n for n in range(5)]
    sequences = sorted(r["sequence"] for r in admin.sql("SELECT sequence FROM package_group_member"))
    assert len(sequences) == 5

    # The same tasks again: everything is in place, nothing changes, nothing is written. Nothing
    # writes, so the server's state cannot move under a run and the forks' order decides nothing:
    # every host's tasks run one after the other, in-process, with the arguments its fork sent.
    admin.reset_counters()
    sent = {(line["host"], line["task"]): line["result"]["invocation"]["module_args"] for line in lines}
    for host in HOSTS:
        for task in tasks_of(host):
            (args,) = [value for key, value in task.items() if key != "name"]
            assert {key: sent[host, task["name"]][key] for key in args} == args, (host, task)
    again = oco_helpers.run_tasks([task for host in HOSTS for task in tasks_of(host)], oco_server, via="in-process")
    assert len(again.results) == 5 * len(HOSTS)
    assert [r for r in again.results if r.get("failed") or r.get("changed")] == []
    assert admin.counters()["writes"] == 0


# ------------------------------------------------------------------ job containers

RUNS = ["run%02d" % i for i in range(10)]


def deploy_play(server):
    return {
        "name": "deploy from every run", "hosts": "runs", "gather_facts": False, "connection": "local",
        # Each run holds at its first list until all ten arrived: the barrier outlasts no client timeout.
        "module_defaults": {"group/oco.oco.oco": dict(oco_helpers.connection_options(server), timeout=300)},
        "tasks": [{"name": "deploy", "oco.oco.oco_job_container": {
            "name": "Fleet rollout", "computers": ["pc1", "pc2"], "packages": ["Firefox"]}}],
    }


def run_deploys(server):
    """The play on every host at once (len(RUNS) forks): the ansible-playbook run and its task records."""
    run = oco_plays.run_playbook([deploy_play(server)], server, inventory=oco_plays.local_hosts('runs', RUNS), connection_via=None,
                                 forks=len(RUNS), timeout=900)
    return run, run.records


def test_ten_runs_deploying_one_name_leave_one_container(oco_server):
    """Ten forks find no container, all deploy, and all but the first remove their own duplicate.

    The barrier holds every run's first read of the container list until all ten have asked, so each
    finds none and creates one, however the processes are scheduled: the hardest interleaving, every
    time. Ids grow with each create, so the first container is the one every run keeps.
    """
    admin = oco_server.admin
    pcs = [admin.create_computer(host, os="Windows") for host in ("pc1", "pc2")]
    firefox = admin.create_package("Firefox", "121.0")
    admin.reset_counters()
    admin.inject_fault("barrier", method="oco.job_container.list", count=len(RUNS), seconds=600)

    proc, lines = run_deploys(oco_server)
    output = proc.stdout + proc.stderr
    assert proc.rc == 0, output[-6000:]
    assert "Traceback" not in output
    assert admin.faults() == [], "every run passed the barrier"
    assert [line["status"] for line in lines] == ["ok"] * len(RUNS)

    kept = admin.sql("SELECT id FROM job_container WHERE name = 'Fleet rollout'")
    assert len(kept) == 1
    jobs = admin.sql("SELECT computer_id, package_id FROM job_container_job ORDER BY computer_id")
    assert jobs == [{"computer_id": pc, "package_id": firefox} for pc in pcs]
    results = [line["result"] for line in lines]
    assert {r["job_container"]["id"] for r in results} == {kept[0]["id"]}
    # One run created the container; the nine others created one too and removed it again.
    assert sum(1 for r in results if r["changed"]) == 1
    removed = sorted(r["duplicate_removed"] for r in results if not r["changed"])
    assert len(removed) == len(RUNS) - 1 and kept[0]["id"] not in removed
    assert all("removed the duplicate it had just created (id %d)" % r["duplicate_removed"] in " ".join(r["warnings"])
               for r in results if not r["changed"])
    calls = admin.counters()["calls"]
    assert calls["oco.job_container.deploy"] == len(RUNS)
    assert calls["oco.job_container.remove"] == len(RUNS) - 1


def test_late_deploy_answer_is_found_not_sent_again(oco_server, run_tasks):
    """The answer comes after the client's timeout: the module reads the list until the container shows."""
    admin = oco_server.admin
    admin.create_computer("pc1", os="Windows")
    admin.create_package("Firefox", "121.0")
    admin.reset_counters()
    # The server works on the deploy for 3 seconds; the client waits 1 second for an answer.
    admin.inject_fault("latency", method="oco.job_container.deploy", seconds=3)
    deploy = {"oco.oco.oco_job_container": {"name": "slow", "computers": ["pc1"], "packages": ["Firefox"], "timeout": 1}}
    result = run_tasks([deploy, deploy])
    late, again = result.results
    assert not late.get("failed"), str(result)
    assert late["changed"] is True
    listed = admin.sql("SELECT id FROM job_container WHERE name = 'slow'")
    assert len(listed) == 1
    assert late["job_container"]["id"] == listed[0]["id"]
    assert again["changed"] is False and again["job_container"]["id"] == listed[0]["id"]
    assert admin.counters()["calls"]["oco.job_container.deploy"] == 1
