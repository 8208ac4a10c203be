"""Every module and both roles under --check (and --diff): each mutating one reports the change it
would make, each reading one reports none, and the test server counts zero write requests.

The modules come from plugins/modules, so a new module fails here until it has a check-mode case.
"""

from __future__ import annotations


from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

import oco_helpers
import oco_plays


def world(server, tmp_path):
    """One of everything, so that each task below would change something."""
    admin = server.admin
    pc = admin.create_computer("pc-old", os="Windows", networks=[{"mac": "02:00:00:00:00:07", "address": "10.0.0.7"}])
    other = admin.create_computer("pc-other", os="Windows")
    office = admin.create_computer_group("Office")
    admin.add_computer_to_group(other, office)
    firefox = admin.create_package("Firefox", "121.0")
    admin.create_package("Old Tool", "1.0")
    base = admin.create_package_group("Base")
    admin.add_installation(pc, firefox)
    client = OcoClient(server.url, "admin", "oco-admin-pw", retries=0)
    client.call("oco.job_container.deploy", {"name": "old rollout", "computer_ids": [other], "package_ids": [firefox],
                                             "use_wol": 0})
    job = admin.sql("SELECT id FROM job_container_job ORDER BY id")[0]["id"]
    payload = tmp_path / "setup.msi"
    payload.write_bytes(b"MSI")
    admin.reset_counters()
    return {"pc": pc, "office": office, "base": base, "job": job, "payload": str(payload)}


def test_every_mutating_module_in_check_mode_writes_nothing(oco_server, run_tasks, tmp_path):
    ids = world(oco_server, tmp_path)
    membership = "oco.oco.oco_group_membership"
    tasks = [
        {"oco.oco.oco_computer": {"hostname": "pc-new", "notes": "n"}},
        {"oco.oco.oco_computer": {"hostname": "pc-old", "state": "absent", "force": True}},
        {"oco.oco.oco_computer": {"hostname": "pc-old", "wol": True}},
        {membership: {"type": "computer", "group": "Office", "members": ["pc-old"]}},
        {membership: {"type": "computer", "group": "Office", "members": ["pc-other"], "state": "absent"}},
        {membership: {"type": "computer", "group": "Office", "members": ["pc-old"], "state": "exact"}},
        {membership: {"type": "package", "group": "Base", "members": ["Firefox"]}},
        {"oco.oco.oco_package": {"family": "New Tool", "version": "2.0", "install_procedure": "setup.exe /S",
                                 "files": [ids["payload"]]}},
        {"oco.oco.oco_package": {"family": "Old Tool", "version": "1.0", "state": "absent"}},
        {"oco.oco.oco_job_container": {"name": "rollout", "computers": ["pc-old"], "packages": ["Firefox"]}},
        {"oco.oco.oco_job_container": {"name": "removal", "uninstall": [{"computer": "pc-old", "package": "Firefox"}]}},
        {"oco.oco.oco_job_container": {"name": "old rollout", "state": "absent"}},
        {"oco.oco.oco_installation": {"computer": "pc-old", "package": "Firefox"}},
        {"oco.oco.oco_job": {"id": ids["job"]}},
        {"oco.oco.oco_rpc": {"method": "oco.computer.create", "data": {"hostname": "raw"}}},
    ]
    # Modules that only read: they run in check mode too, and change nothing.
    reading = [{name: {}} for name in oco_helpers.collection_modules() if name.endswith("_info")]
    uncovered = sorted(set(oco_helpers.collection_modules()) - {oco_helpers.module_of(t) for t in tasks + reading})
    assert not uncovered, "no check-mode case for %s: add one to this test" % ", ".join(uncovered)
    result = run_tasks(tasks + reading, check=True, diff=True, via="playbook")
    assert "Traceback" not in result.stdout + result.stderr
    assert len(result.results) == len(tasks) + len(reading)
    everything = tasks + reading
    problems = ["%d %s: %s" % (i, list(everything[i].items())[0], r.get("msg") or r) for i, r in enumerate(result.results)
                if r.get("failed") or r.get("changed") is not (i < len(tasks))]
    assert not problems, "\n".join(problems)
    counters = oco_server.admin.counters()
    assert counters["writes"] == 0, counters
    assert oco_server.admin.wol_log() == []
    assert [r["hostname"] for r in oco_server.admin.sql("SELECT hostname FROM computer ORDER BY id")] == ["pc-old", "pc-other"]


def test_roles_in_check_mode_write_nothing(oco_server, tmp_path):
    admin = oco_server.admin
    for host in ("pc1", "pc2"):
        admin.create_computer(host)
    admin.create_computer_group("Office")
    admin.reset_counters()
    plays = [
        {"name": "register", "hosts": "all", "gather_facts": False,
         "roles": [{"role": "oco.oco.register_computers",
                    "vars": {"oco_register_computers_group_map": {"web": "Office"},
                             "oco_register_computers_exact": True}}]},
        {"name": "deploy", "hosts": "localhost", "gather_facts": False, "connection": "local",
         "roles": [{"role": "oco.oco.deploy",
                    "vars": {"oco_deploy_package": {"family": "Tool", "version": "1.0", "install_procedure": "setup.exe /S",
                                                    "files": ["payload/setup.exe"]},
                             "oco_deploy_computer_groups": ["Office"], "oco_deploy_poll_interval": 0.2}}]},
    ]
    inventory = {"all": {"children": {"web": {"hosts": {"web1": None, "web2": None}}},
                         "hosts": {"localhost": {"ansible_connection": "local"}}}}
    result = oco_plays.run_playbook(plays, oco_server, inventory=inventory, check=True, diff=True,
                                    files={"payload/setup.exe": "MZ fake installer"})
    assert result.rc == 0, str(result)
    assert "Traceback" not in str(result)
    assert result.changed, str(result)
    assert admin.counters()["writes"] == 0
    assert admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"] == 2
