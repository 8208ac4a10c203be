"""Lost answers on every write the modules send: no duplicates, the right final state, a clear result.

For each write method the test server loses two answers through the real modules
(ansible-playbook): ``commit_drop`` (the write runs and commits, the connection closes before the
answer) on object A, then ``drop`` (the connection closes before anything runs) on object B. Each
task is repeated afterwards. The client never resends a write whose answer was lost; the module
reads the server and decides:

- commit_drop: the task succeeds with ``changed: true`` (the write took effect once);
- drop: writes that cannot act twice (removes, group changes) are sent once more after the read
  showed them missing; a create fails saying it was not carried out and to run the task again;
  the repeated task then does it.

Either way the method is executed exactly twice on the server (once for A, once for B; a dropped
request never reaches it) and the final state holds each object exactly once (or not at all).
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import pytest

from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

INSTALL = "msiexec /quiet /i setup.msi"


def rows(admin, query, *params):
    return admin.sql(query, list(params))


def count(admin, query, *params):
    return rows(admin, query, *params)[0]["n"]


@dataclasses.dataclass
class Case:
    method: str
    setup: Callable
    task: Callable        # (ctx, "a" | "b") -> task
    done: Callable        # (admin, ctx, "a" | "b") -> True when the goal holds exactly once


# ---------------------------------------------------------------------------------------- computers

def computers_setup(admin, tmp_path):
    ids = {w: admin.create_computer("pc-%s" % w) for w in "ab"}
    ids["group"] = admin.create_computer_group("Lossy")
    return ids


def member_rows(admin, ctx, which):
    return count(admin, "SELECT COUNT(*) AS n FROM computer_group_member WHERE computer_id = ? AND computer_group_id = ?",
                 ctx[which], ctx["group"])


def with_members(admin, tmp_path):
    ids = computers_setup(admin, tmp_path)
    for which in "ab":
        admin.add_computer_to_group(ids[which], ids["group"])
    return ids


# ----------------------------------------------------------------------------------------- packages

def payload(tmp_path):
    path = tmp_path / "setup.msi"
    path.write_bytes(b"MSI bytes")
    return str(path)


def packages_setup(admin, tmp_path):
    ids = {w: admin.create_package("Lossy-%s" % w, "1.0", install_procedure=INSTALL) for w in "ab"}
    ids["group"] = admin.create_package_group("Lossy")
    ids["file"] = payload(tmp_path)
    return ids


def package_rows(admin, family):
    return count(admin, "SELECT COUNT(*) AS n FROM package p JOIN package_family f ON f.id = p.package_family_id "
                        "WHERE f.name = ? AND p.version = '1.0'", family)


def package_member_rows(admin, ctx, which):
    return count(admin, "SELECT COUNT(*) AS n FROM package_group_member WHERE package_id = ? AND package_group_id = ?",
                 ctx[which], ctx["group"])


def with_package_members(admin, tmp_path):
    ids = packages_setup(admin, tmp_path)
    for which in "ab":
        admin.add_package_to_group(ids[which], ids["group"])
    return ids


# ----------------------------------------------------------------------------------- job containers

def deploy_setup(admin, tmp_path):
    ids = {"pc": admin.create_computer("pc-target", os="Windows"),
           "package": admin.create_package("Firefox", "121.0")}
    return ids


def containers_named(admin, name):
    return count(admin, "SELECT COUNT(*) AS n FROM job_container WHERE name = ?", name)


def uninstall_setup(admin, tmp_path):
    ids = deploy_setup(admin, tmp_path)
    admin.add_installation(ids["pc"], ids["package"])
    ids["other_pc"] = admin.create_computer("pc-other", os="Windows")
    admin.add_installation(ids["other_pc"], ids["package"])
    return ids


def uninstall_task(ctx, which):
    host = "pc-target" if which == "a" else "pc-other"
    return {"oco.oco.oco_job_container": {"name": "removal-%s" % which,
                                          "uninstall": [{"computer": host, "package": "Firefox"}]}}


def deployed(server, names):
    """Containers deployed through the API (as a user would), one job each."""
    admin = server.admin
    pc = admin.create_computer("pc-target", os="Windows")
    package = admin.create_package("Firefox", "121.0")
    client = OcoClient(server.url, "admin", "oco-admin-pw", retries=0)
    for name in names:
        client.call("oco.job_container.deploy", {"name": name, "computer_ids": [pc], "package_ids": [package],
                                                 "use_wol": 0})
    return {"pc": pc, "package": package}


def containers_setup_factory(server):
    def setup(admin, tmp_path):
        deployed(server, ["rollout-a", "rollout-b"])
        return {}
    return setup


def jobs_setup_factory(server):
    def setup(admin, tmp_path):
        ids = deployed(server, ["rollout-a", "rollout-b"])
        for which in "ab":
            ids[which] = rows(admin, "SELECT j.id FROM job_container_job j JOIN job_container c ON c.id = j.job_container_id "
                                     "WHERE c.name = ?", "rollout-%s" % which)[0]["id"]
        return ids
    return setup


# ------------------------------------------------------------------------------------ installations

def installations_setup(admin, tmp_path):
    ids = {"package": admin.create_package("Firefox", "121.0")}
    for which in "ab":
        ids["pc-" + which] = admin.create_computer("pc-%s" % which)
        ids[which] = admin.add_installation(ids["pc-" + which], ids["package"])
    return ids


def cases(server):
    membership = "oco.oco.oco_group_membership"
    return [
        Case("oco.computer.create", lambda admin, tmp: {},
             lambda ctx, w: {"oco.oco.oco_computer": {"hostname": "new-%s" % w, "notes": "ünïcode 🌈"}},
             lambda admin, ctx, w: count(admin, "SELECT COUNT(*) AS n FROM computer WHERE hostname = ?", "new-" + w) == 1),
        Case("oco.computer.remove", computers_setup,
             lambda ctx, w: {"oco.oco.oco_computer": {"hostname": "pc-%s" % w, "state": "absent"}},
             lambda admin, ctx, w: count(admin, "SELECT COUNT(*) AS n FROM computer WHERE id = ?", ctx[w]) == 0),
        Case("oco.computer.add_to_group", computers_setup,
             lambda ctx, w: {membership: {"type": "computer", "group": "Lossy", "members": ["pc-%s" % w]}},
             lambda admin, ctx, w: member_rows(admin, ctx, w) == 1),
        Case("oco.computer.remove_from_group", with_members,
             lambda ctx, w: {membership: {"type": "computer", "group": "Lossy", "members": ["pc-%s" % w],
                                          "state": "absent"}},
             lambda admin, ctx, w: member_rows(admin, ctx, w) == 0),
        Case("oco.package.create", lambda admin, tmp: {"file": payload(tmp)},
             lambda ctx, w: {"oco.oco.oco_package": {"family": "New-%s" % w, "version": "1.0", "install_procedure": INSTALL,
                                                     "files": [ctx["file"]]}},
             lambda admin, ctx, w: package_rows(admin, "New-" + w) == 1),
        Case("oco.package.remove", packages_setup,
             lambda ctx, w: {"oco.oco.oco_package": {"family": "Lossy-%s" % w, "version": "1.0", "state": "absent"}},
             lambda admin, ctx, w: package_rows(admin, "Lossy-" + w) == 0),
        Case("oco.package.add_to_group", packages_setup,
             lambda ctx, w: {membership: {"type": "package", "group": "Lossy",
                                          "members": [{"family": "Lossy-%s" % w, "version": "1.0"}]}},
             lambda admin, ctx, w: package_member_rows(admin, ctx, w) == 1),
        Case("oco.package.remove_from_group", with_package_members,
             lambda ctx, w: {membership: {"type": "package", "group": "Lossy",
                                          "members": [{"family": "Lossy-%s" % w, "version": "1.0"}], "state": "absent"}},
             lambda admin, ctx, w: package_member_rows(admin, ctx, w) == 0),
        Case("oco.job_container.deploy", deploy_setup,
             lambda ctx, w: {"oco.oco.oco_job_container": {"name": "rollout-%s" % w, "computers": ["pc-target"],
                                                           "packages": ["Firefox"]}},
             lambda admin, ctx, w: containers_named(admin, "rollout-" + w) == 1),
        Case("oco.job_container.uninstall", uninstall_setup, uninstall_task,
             lambda admin, ctx, w: containers_named(admin, "removal-" + w) == 1),
        Case("oco.job_container.remove", containers_setup_factory(server),
             lambda ctx, w: {"oco.oco.oco_job_container": {"name": "rollout-%s" % w, "state": "absent"}},
             lambda admin, ctx, w: containers_named(admin, "rollout-" + w) == 0),
        Case("oco.job_container.job.remove", jobs_setup_factory(server),
             lambda ctx, w: {"oco.oco.oco_job": {"id": ctx[w]}},
             lambda admin, ctx, w: count(admin, "SELECT COUNT(*) AS n FROM job_container_job WHERE id = ?", ctx[w]) == 0),
        Case("oco.remove_installation_assignment", installations_setup,
             lambda ctx, w: {"oco.oco.oco_installation": {"computer": "pc-%s" % w, "package": "Firefox"}},
             lambda admin, ctx, w: count(admin, "SELECT COUNT(*) AS n FROM computer_package WHERE id = ?", ctx[w]) == 0),
    ]


METHODS = [
    "oco.computer.create", "oco.computer.remove", "oco.computer.add_to_group", "oco.computer.remove_from_group",
    "oco.package.create", "oco.package.remove", "oco.package.add_to_group", "oco.package.remove_from_group",
    "oco.job_container.deploy", "oco.job_container.uninstall", "oco.job_container.remove",
    "oco.job_container.job.remove", "oco.remove_installation_assignment",
]


@pytest.mark.parametrize("method", METHODS)
def test_lost_answers_leave_no_duplicates(oco_server, run_tasks, tmp_path, method):
    case = next(c for c in cases(oco_server) if c.method == method)
    admin = oco_server.admin
    ctx = case.setup(admin, tmp_path)
    admin.reset_counters()
    admin.inject_fault("commit_drop", method=method)
    admin.inject_fault("drop", method=method)
    result = run_tasks([case.task(ctx, "a"), case.task(ctx, "b"), case.task(ctx, "b"), case.task(ctx, "a")], diff=True)
    output = result.shown()
    assert "Traceback" not in output, str(result)
    committed, dropped, repeat_b, repeat_a = result.results

    assert not committed.get("failed"), str(result)
    assert committed["changed"] is True, committed

    if dropped.get("failed"):
        # Not carried out, and the message says so: the repeated task does it.
        assert method in dropped["msg"] and "run the task again" in dropped["msg"], dropped["msg"]
        assert not repeat_b.get("failed") and repeat_b["changed"] is True, str(result)
    else:
        assert dropped["changed"] is True, dropped
        assert not repeat_b.get("failed") and repeat_b["changed"] is False, str(result)
    assert not repeat_a.get("failed") and repeat_a["changed"] is False, str(result)

    assert case.done(admin, ctx, "a") and case.done(admin, ctx, "b")
    # Executed for A once and for B once (a dropped request never reaches the method): nothing twice.
    counters = admin.counters()
    assert counters["calls"][method] == 2, counters
    assert admin.faults() == []


def test_lost_wake_on_lan_is_reported_not_repeated(oco_server, run_tasks):
    """WoL leaves no state to read back: a lost answer fails the task, saying the packet may have gone out."""
    admin = oco_server.admin
    admin.create_computer("pc-wake", networks=[{"mac": "00:11:22:33:44:55", "address": "10.0.0.5"}])
    admin.reset_counters()
    admin.inject_fault("commit_drop", method="oco.computer.wol")
    admin.inject_fault("drop", method="oco.computer.wol")
    wake = {"oco.oco.oco_computer": {"hostname": "pc-wake", "wol": True}}
    result = run_tasks([wake, wake, wake])
    assert "Traceback" not in result.shown()
    committed, dropped, again = result.results
    for lost in (committed, dropped):
        assert lost["failed"] is True and "oco.computer.wol" in lost["msg"] and "may have carried it out" in lost["msg"]
    assert not again.get("failed") and again["changed"] is True and again["wol_sent"] is True
    assert admin.counters()["calls"]["oco.computer.wol"] == 2  # the dropped request never ran
    # One packet from the committed call, none from the dropped one, one from the last run.
    assert [entry["mac"] for entry in admin.wol_log()] == ["00:11:22:33:44:55"] * 2
