"""Check mode across chained tasks: a task that uses an object an earlier task of the play would create.

The plays are the documentation's own: the deploying guide's walk-through (publish a package,
group the computers, deploy, uninstall) and the module examples that pre-register a computer and
put it into a group. With ``--check --diff`` no task fails, nothing is written, and the task that
names the object still to be created reports the change with one warning naming that reference.
The same plays without ``--check`` create everything as before, without that warning.
"""

from __future__ import annotations

import ast
import re

import yaml

import oco_helpers

REPO_ROOT = oco_helpers.REPO_ROOT
GUIDE = REPO_ROOT / "docs" / "guides" / "deploying.rst"
CHANGING = ("oco.oco.oco_computer", "oco.oco.oco_package", "oco.oco.oco_group_membership", "oco.oco.oco_job_container")
ASSUMED = "assuming an earlier task would create it"

# The guide's packages read their payload from files/ next to the playbook (in check mode too, or
# the packages could not even be planned).
PAYLOAD_FILES = {name: "payload\n" for name in
                 ("files/firefox-128.0.msi", "files/inventory-tool/install.cmd", "files/inventory-tool/uninstall.cmd")}


def guide_tasks():
    """The deploying guide's tasks that change something, in the order the guide shows them."""
    blocks = re.findall(r"^\.\. code-block:: yaml(?:\+jinja)?\n\n((?:(?:   .*)?\n)+)", GUIDE.read_text(encoding="utf-8"),
                        re.MULTILINE)
    loaded = [yaml.safe_load("\n".join(line[3:] for line in block.splitlines())) for block in blocks]
    # Task lists only: the guide's plays (``hosts:``) run roles, which have tests of their own.
    tasks = [task for block in loaded if isinstance(block, list) for task in block if "hosts" not in task]
    return [task for task in tasks if any(key in CHANGING for key in task)]


def module_examples(name):
    """The EXAMPLES tasks of a module, read without importing it."""
    source = (REPO_ROOT / "plugins" / "modules" / ("%s.py" % name)).read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "EXAMPLES" for t in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError("%s has no EXAMPLES" % name)


def module_of(task):
    return next(key for key in task if key.startswith("oco.oco."))


def planned_warnings(result):
    return [w for w in result.get("warnings", []) if w.startswith("in check mode, ")]


def no_failures(run):
    assert not run.failed_tasks, "\n".join("%s: %s" % (name, result.get("msg")) for _i, name, result in run.failed_tasks)


def office(server, hostnames=("pc-accounting-07", "pc-reception")):
    """Berlin/Office and the computers the guide names; no package yet."""
    admin = server.admin
    berlin = admin.create_computer_group("Berlin")
    group = admin.create_computer_group("Office", parent_id=berlin)
    for hostname in hostnames:
        admin.create_computer(hostname, os="Windows 11 Pro")
    admin.reset_counters()
    return group


# ------------------------------------------------------------------ the deploying guide

def test_the_deploying_guide_runs_in_check_mode_before_its_package_exists(oco_server, run_tasks):
    tasks = guide_tasks()
    containers = [task for task in tasks if module_of(task) == "oco.oco.oco_job_container"]
    # The walk-through publishes Firefox 128.0, deploys it, then uninstalls it.
    rollout_task = next(task for task in containers if "packages" in task["oco.oco.oco_job_container"])
    uninstall_task = next(task for task in containers if "uninstall" in task["oco.oco.oco_job_container"])
    rollout, uninstall = rollout_task["oco.oco.oco_job_container"], uninstall_task["oco.oco.oco_job_container"]
    published = [task["oco.oco.oco_package"] for task in tasks if module_of(task) == "oco.oco.oco_package"]
    assert rollout["packages"][0] in [{"family": p["family"], "version": p["version"]} for p in published]
    assert uninstall["uninstall"][0]["package"] == rollout["packages"][0]
    office(oco_server)

    run = run_tasks(tasks, check=True, diff=True, files=PAYLOAD_FILES)
    no_failures(run)
    assert oco_server.admin.counters()["writes"] == 0
    results = dict(zip([task.get("name") for task in tasks], run.results))
    family, version = rollout["packages"][0]["family"], rollout["packages"][0]["version"]

    for task, result in zip(tasks, run.results):
        if module_of(task).endswith("oco_package") or "packages" in task[module_of(task)]:
            assert result["changed"] is True, (task, result)
    deployed = results[rollout_task["name"]]
    [warning] = planned_warnings(deployed)
    assert warning.startswith("in check mode, option packages: no package family matches %r" % family), warning
    assert warning.endswith(ASSUMED)
    assert deployed["diff"]["before"] == {"name": rollout["name"], "state": "absent"}
    after = deployed["diff"]["after"]
    assert after["packages"] == [{"id": None, "family": family, "version": version}]
    assert [g["path"] for g in after["computer_groups"]] == rollout["computer_groups"]
    assert all(isinstance(g["id"], int) for g in after["computer_groups"])

    removed = results[uninstall_task["name"]]
    assert removed["changed"] is True
    [warning] = planned_warnings(removed)
    assert warning.startswith("in check mode, option uninstall[0]: computer %r has no installation of package"
                              % uninstall["uninstall"][0]["computer"]), warning
    [entry] = removed["diff"]["after"]["installations"]
    assert (entry["installation_id"], entry["hostname"], entry["family"], entry["version"]) == (
        None, uninstall["uninstall"][0]["computer"], family, version)
    # Tasks that name only existing objects warn about nothing.
    assert [name for name, result in results.items() if planned_warnings(result)] == [rollout_task["name"], uninstall_task["name"]]

    # Without --check the same tasks publish, deploy and uninstall; the agents finish each job on the first poll.
    oco_server.admin.agent_clock(every=1)
    run = run_tasks(tasks, diff=True, files=PAYLOAD_FILES)
    no_failures(run)
    assert not [r for r in run.results if planned_warnings(r)]
    results = dict(zip([task.get("name") for task in tasks], run.results))
    deployed = results[rollout_task["name"]]
    assert deployed["changed"] is True and deployed["status"] == "succeeded"
    assert deployed["request"]["packages"][0]["id"] > 0
    removed = results[uninstall_task["name"]]
    assert removed["changed"] is True and removed["status"] == "succeeded"
    assert oco_server.admin.counters()["calls"]["oco.package.create"] == len(published)


# ------------------------------------------------------------------ register a computer, then group it

def examples_chain(server):
    """oco_computer's first example (pre-register pc-accounting-07), then oco_group_membership's (group it)."""
    text = yaml.safe_dump([module_examples("oco_computer")[0], module_examples("oco_group_membership")[0]])
    server.admin.create_user("ansible", "example-ansible-pw")
    return yaml.safe_load(text.replace("https://oco.example.com", server.url))


def test_the_examples_register_a_computer_and_group_it_in_check_mode(oco_server, run_tasks):
    register, group_it = tasks = examples_chain(oco_server)
    hostname = register["oco.oco.oco_computer"]["hostname"]
    members = group_it["oco.oco.oco_group_membership"]["members"]
    assert hostname in members
    # The example names the other member by id: computers up to that id exist, the new one does not.
    office(oco_server, hostnames=["pc-%02d" % number for number in range(1, max(m for m in members if isinstance(m, int)) + 1)])
    variables = {"oco_password": "example-ansible-pw"}

    run = run_tasks(tasks, check=True, diff=True, vars=variables)
    no_failures(run)
    assert oco_server.admin.counters()["writes"] == 0
    registered, grouped = run.results
    assert registered["changed"] is True and not planned_warnings(registered)
    assert grouped["changed"] is True
    [warning] = planned_warnings(grouped)
    assert warning.startswith("in check mode, option members: no computer matches %r" % hostname), warning
    assert warning.endswith(ASSUMED)
    assert {"id": None, "name": hostname} in grouped["added"]
    assert "%s (to be created)" % hostname in grouped["diff"]["after"]["added"]
    assert all(isinstance(m["id"], int) for m in grouped["added"] if m["name"] != hostname)

    run = run_tasks(tasks, diff=True, vars=variables)
    no_failures(run)
    registered, grouped = run.results
    assert not planned_warnings(grouped)
    assert registered["changed"] and grouped["changed"]
    new_id = registered["computer"]["id"]
    assert {"id": new_id, "name": hostname} in grouped["added"]
    assert new_id in [m["id"] for m in grouped["members"]]


# ------------------------------------------------------------------ what check mode tolerates and what not

def test_check_mode_tolerates_a_name_nothing_creates_but_not_what_cannot_be_planned(oco_server, run_tasks):
    admin = oco_server.admin
    office(oco_server)
    hamburg = admin.create_computer_group("Hamburg")
    admin.create_computer_group("Office", parent_id=hamburg)
    admin.create_package("Hello tool", "0.1")
    for _twice in range(2):
        admin.create_report("Twice", "SELECT id AS computer_id FROM computer")
    admin.reset_counters()
    deploy = {"name": "rollout", "computers": ["pc-reception"], "packages": [{"family": "Hello tool", "version": "0.1"}]}
    cases = {
        # A typo: no earlier task creates it, but a task could, so check mode cannot tell.
        "typo": {"oco.oco.oco_group_membership": {"type": "computer", "group": "Berlin/Office", "members": ["pc-recepton"]}},
        "typo version": {"oco.oco.oco_job_container": dict(deploy, packages=[{"family": "Hello tool", "version": "0.2"}])},
        # A computer still to be created has no installation: nothing to read, nothing to remove yet.
        "new computer uninstall": {"oco.oco.oco_job_container": {"name": "removal", "uninstall": [
            {"computer": "lab-pc-new", "package": "Hello tool"}]}},
        "new computer record": {"oco.oco.oco_installation": {"computer": "lab-pc-new", "package": "Hello tool"}},
        # Several objects of that name: which one is meant cannot be planned.
        "ambiguous group": {"oco.oco.oco_job_container": dict(deploy, computers=[], computer_groups=["Office"])},
        "ambiguous report": {"oco.oco.oco_job_container": dict(deploy, computers=[], computer_reports=["Twice"])},
        # No module can create groups or reports: the real run would fail too.
        "missing group": {"oco.oco.oco_group_membership": {"type": "computer", "group": "Lab", "members": ["pc-reception"]}},
        "missing group target": {"oco.oco.oco_job_container": dict(deploy, computers=[], computer_groups=["Berlin/Lab"])},
        # An object still to be created has no id yet.
        "missing id": {"oco.oco.oco_job_container": dict(deploy, computers=[999])},
        # Malformed: refused before any request.
        "malformed": {"oco.oco.oco_group_membership": {"type": "computer", "group": "Berlin/Office", "members": [""]}},
    }
    results = dict(zip(cases, run_tasks(list(cases.values()), check=True, diff=True).results))
    assert oco_server.admin.counters()["writes"] == 0

    typo = results.pop("typo")
    assert typo["changed"] is True and not typo.get("failed"), typo
    assert planned_warnings(typo) == ["in check mode, option members: no computer matches 'pc-recepton' (closest: "
                                      "pc-reception); %s" % ASSUMED]
    assert typo["added"] == [{"id": None, "name": "pc-recepton"}]
    version = results.pop("typo version")
    assert version["changed"] is True and not version.get("failed"), version
    assert planned_warnings(version) == ["in check mode, option packages: no package of family 'Hello tool' matches "
                                         "'0.2' (closest: 0.1); %s" % ASSUMED]
    uninstall = results.pop("new computer uninstall")
    assert uninstall["changed"] is True and not uninstall.get("failed"), uninstall
    [warning] = planned_warnings(uninstall)
    assert warning.startswith("in check mode, option uninstall[0].computer: no computer matches 'lab-pc-new'"), warning
    assert warning.endswith(ASSUMED) and warning.count("option ") == 1, warning
    assert uninstall["request"]["installations"] == [{"installation_id": None, "computer_id": None, "hostname": "lab-pc-new",
                                                      "package_id": None, "family": "Hello tool", "version": None}]
    record = results.pop("new computer record")
    assert record["changed"] is False and record["installations"] == [] and not record.get("failed"), record
    [warning] = planned_warnings(record)
    assert warning.startswith("in check mode, option computer: no computer matches 'lab-pc-new'"), warning
    assert warning.endswith(ASSUMED) and warning.count("option ") == 1, warning
    # No case reads a computer's details: the only one named is still to be created.
    assert "oco.computer.get" not in oco_server.admin.counters()["calls"]
    expected = {
        "ambiguous group": "computer_groups: 2 computer groups match 'Office'",
        "ambiguous report": "computer_reports: 2 reports match 'Twice'",
        "missing group": "no computer group matches 'Lab'",
        "missing group target": "computer_groups: no computer group matches 'Berlin/Lab'",
        "missing id": "computers: no computer has id 999",
        "malformed": "invalid option members=''",
    }
    for case, message in expected.items():
        assert results[case].get("failed") and message in results[case]["msg"], (case, results[case])
        assert not planned_warnings(results[case]), (case, results[case])


def test_outside_check_mode_the_name_still_fails_as_before(oco_server, run_tasks):
    office(oco_server)
    result = run_tasks([{"oco.oco.oco_group_membership": {"type": "computer", "group": "Berlin/Office",
                                                          "members": ["pc-recepton"]}}]).results[0]
    assert result["failed"] and result["msg"] == "members: no computer matches 'pc-recepton' (closest: pc-reception)"
    assert not planned_warnings(result)
    assert oco_server.admin.counters()["writes"] == 0
