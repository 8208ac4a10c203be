"""The roles against each legacy release: oco.oco.deploy publishes a package and deploys it where the
release has oco.package.create (0.9.2); oco.oco.register_computers registers hosts everywhere and
maps them to computer groups where the release has group methods (0.15.2)."""

from __future__ import annotations

import oco_plays

PACKAGE = {"family": "Tool", "version": "1.0", "install_procedure": "setup.exe /S", "files": ["payload/setup.exe"]}
PACKAGE_TASK = "Ensure the package exists"
INVENTORY = {"all": {"children": {"web": {"hosts": {"web1": None, "web2": None}}}}}


def deploy_play(**role_vars):
    role_vars.setdefault("oco_deploy_package", PACKAGE)
    role_vars.setdefault("oco_deploy_poll_interval", 0.2)
    return [{"name": "deploy", "hosts": "localhost", "gather_facts": False, "connection": "local",
             "roles": [{"role": "oco.oco.deploy", "vars": role_vars}]}]


def register_play(**role_vars):
    return [{"name": "register", "hosts": "all", "gather_facts": False,
             "roles": [{"role": "oco.oco.register_computers", "vars": role_vars}]}]


def test_deploy_role_publishes_and_deploys_from_0_9_2(era, legacy_server, legacy_fleet):
    admin = legacy_server.admin
    admin.agent_clock(interval=0.2)
    result = oco_plays.run_playbook(deploy_play(oco_deploy_computers=["pc1", "pc2"]), legacy_server,
                                    files={"payload/setup.exe": "MZ fake installer"})
    if era < (0, 9, 2):
        assert result.rc != 0, str(result)
        out = result.task(PACKAGE_TASK)
        assert out["failed"] and out["changed"] is False, str(result)
        assert out["msg"].startswith("The OCO server is older than version 0.9.2"), out["msg"]
        assert admin.counters()["writes"] == 0
        return
    assert result.rc == 0, str(result)
    summary = result.fact("oco_deploy_result")
    assert summary["status"] == "succeeded" and summary["succeeded"] == ["pc1", "pc2"], summary
    package = admin.sql("SELECT p.id FROM package p JOIN package_family f ON f.id = p.package_family_id WHERE f.name = 'Tool'")
    assert admin.sql("SELECT COUNT(*) AS n FROM package_payload WHERE package_id = ?", [package[0]["id"]])[0]["n"] == 1


def test_register_role_creates_hosts_everywhere(legacy_server):
    result = oco_plays.run_playbook(register_play(), legacy_server, inventory=INVENTORY)
    assert result.rc == 0, str(result)
    assert sorted(r["hostname"] for r in legacy_server.admin.sql("SELECT hostname FROM computer")) == ["web1", "web2"]
    again = oco_plays.run_playbook(register_play(), legacy_server, inventory=INVENTORY)
    assert again.rc == 0 and again.changed == [], str(again)


def test_register_role_maps_groups_from_0_15_2(era, legacy_server):
    admin = legacy_server.admin
    web = admin.create_computer_group("Web")
    result = oco_plays.run_playbook(register_play(oco_register_computers_group_map={"web": "Web"}), legacy_server,
                                    inventory=INVENTORY)
    members = admin.sql("SELECT c.hostname FROM computer_group_member m JOIN computer c ON c.id = m.computer_id "
                        "WHERE m.computer_group_id = ?", [web])
    if era < (0, 15, 2):
        assert result.rc != 0, str(result)
        assert "The OCO server is older than version 0.15.2" in result.stdout + result.stderr, str(result)
        assert members == []
        return
    assert result.rc == 0, str(result)
    assert sorted(m["hostname"] for m in members) == ["web1", "web2"]
