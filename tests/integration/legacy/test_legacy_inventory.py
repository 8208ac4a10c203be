"""The oco.oco.oco inventory plugin against each legacy release: hosts and details everywhere, the
computer-group tree from 0.15.2 on, and before that a warning that every host is ungrouped."""

from __future__ import annotations

import json

import pytest

import oco_helpers
from oco_helpers import CommandFailed


def inventory_with_warnings(server, source):
    """``ansible-inventory --list`` output and its stderr, where the plugin's warnings go."""
    run = oco_helpers.run_inventory_command(source, server)
    assert run.rc == 0, run.stderr
    return oco_helpers.unwrap_unsafe(json.loads(run.stdout)), " ".join(run.stderr.split())


def test_hosts_details_and_first_ip(legacy_server, legacy_fleet, run_inventory):
    legacy_server.admin.add_installation(legacy_fleet["pc1"], legacy_fleet["7zip"])
    inventory = run_inventory("plugin: oco.oco.oco\nansible_host: first_ip\ndetails: true\n")
    hostvars = inventory["_meta"]["hostvars"]
    assert sorted(hostvars) == ["pc1", "pc2"]
    pc1 = hostvars["pc1"]
    assert pc1["ansible_host"] == "10.0.0.1"
    assert pc1["oco_id"] == legacy_fleet["pc1"] and pc1["oco_os"] == "Windows"
    assert pc1["oco_networks"][0]["address"] == "10.0.0.1"
    assert pc1["oco_installed_packages"][0]["package_family_name"] == "7-Zip"
    assert pc1["oco_groups"] == []
    assert "oco_agent_key" not in pc1 and "oco_server_key" not in pc1
    # Only Ansible's own groups: a v0.9.0 server lists no computer groups.
    assert sorted(g for g in inventory if g != "_meta") == ["all", "ungrouped"]
    # One request per computer for the details: the server knows no batches.
    calls = legacy_server.admin.counters()["calls"]
    assert calls.get("oco.computer.get") == 2 and calls.get("oco.computer.list") == 1


def test_compose_and_keyed_groups_work_on_legacy_hostvars(legacy_server, legacy_fleet, run_inventory):
    inventory = run_inventory("plugin: oco.oco.oco\nkeyed_groups:\n  - key: oco_os\n    prefix: os\n"
                              "compose:\n  nic: oco_id * 10\n")
    assert sorted(inventory["os_Windows"]["hosts"]) == ["pc1", "pc2"]
    assert inventory["_meta"]["hostvars"]["pc2"]["nic"] == legacy_fleet["pc2"] * 10


def test_group_filter_fails_naming_the_group(legacy_server, legacy_fleet, run_inventory):
    with pytest.raises(CommandFailed) as caught:
        run_inventory("plugin: oco.oco.oco\ncomputer_groups: [Office]\n")
    assert "Office" in str(caught.value)


def test_groups_from_0_15_2_and_a_warning_before(era, legacy_server, legacy_fleet):
    admin = legacy_server.admin
    office = admin.create_computer_group("Office")
    admin.add_computer_to_group(legacy_fleet["pc1"], office)
    inventory, warnings = inventory_with_warnings(legacy_server, "plugin: oco.oco.oco\n")
    assert sorted(inventory["_meta"]["hostvars"]) == ["pc1", "pc2"]
    if era >= (0, 15, 2):
        assert inventory["oco_office"]["hosts"] == ["pc1"]
        assert "ungrouped" not in warnings
    else:
        assert "oco_office" not in inventory
        assert "The OCO server is older than version 0.15.2, the first version with computer groups in the API" in warnings
        assert "every host is ungrouped" in warnings
