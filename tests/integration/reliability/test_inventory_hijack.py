"""Computers whose host names would hijack a play, and what the inventory leaves on disk.

A host named ``all`` (or ``localhost``, ``ungrouped``, or the name of a group) would shadow that
group or the control node in host patterns: ``hosts: all`` would target one machine. Such
computers are left out with a warning naming them. The cache holds logins and installed
software, so its files are private.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess

import oco_helpers


def run_command(argv, server, cwd):
    env = oco_helpers.base_env(oco_helpers.connection_env(server))
    env["ANSIBLE_LOCAL_TEMP"] = str(cwd / "tmp")
    argv = [oco_helpers._tool(argv[0]), *argv[1:]]  # pylint: disable=protected-access
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


HIJACKERS = ["all", "ungrouped", "localhost", "127.0.0.1", "oco_servers", "os_Windows", "laptops"]


def test_host_names_that_shadow_groups_are_left_out_with_a_warning(oco_server, tmp_path):
    admin = oco_server.admin
    servers = admin.create_computer_group("Servers")
    ids = {name: admin.create_computer(name, os="Windows") for name in HIJACKERS + ["pc1", "pc2"]}
    admin.add_computer_to_group(ids["pc1"], servers)
    source = ("plugin: oco.oco.oco\n"
              "keyed_groups:\n  - key: oco_os\n    prefix: os\n"
              "groups:\n  laptops: oco_hostname == 'pc2'\n")
    listed = oco_helpers.run_inventory(source, oco_server, args=("--list",), raw=False)
    hosts = set(listed["_meta"]["hostvars"])
    assert hosts == {"pc1", "pc2"}, hosts
    # The groups keep their meaning: all holds the fleet, the OCO and constructed groups their members.
    assert set(listed["oco_servers"]["hosts"]) == {"pc1"}
    assert set(listed["laptops"]["hosts"]) == {"pc2"}
    assert set(listed["os_Windows"]["hosts"]) == {"pc1", "pc2"}

    (tmp_path / "hijack.oco.yml").write_text(source, encoding="utf-8")
    proc = run_command(["ansible-inventory", "-i", str(tmp_path / "hijack.oco.yml"), "--graph"], oco_server, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr and "ecursion" not in proc.stderr
    warnings = " ".join(proc.stderr.split())
    for name in HIJACKERS:
        assert "id %d is left out of the inventory: its host name %r" % (ids[name], name) in warnings, (name, warnings)


def test_a_computer_named_all_in_no_group_does_not_break_the_inventory(oco_server):
    oco_server.admin.create_computer("all")
    oco_server.admin.create_computer("pc1")
    listed = oco_helpers.run_inventory("plugin: oco.oco.oco\n", oco_server)
    assert set(listed["_meta"]["hostvars"]) == {"pc1"}


def test_hosts_all_still_targets_the_whole_fleet(oco_server, tmp_path):
    for name in ("all", "pc1", "pc2"):
        oco_server.admin.create_computer(name)
    source = tmp_path / "fleet.oco.yml"
    source.write_text("plugin: oco.oco.oco\nansible_host: none\n", encoding="utf-8")
    playbook = tmp_path / "play.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  tasks:\n"
                        "    - ansible.builtin.debug:\n        msg: 'target {{ inventory_hostname }}'\n", encoding="utf-8")
    proc = run_command(["ansible-playbook", "-i", str(source), str(playbook)], oco_server, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "target pc1" in proc.stdout and "target pc2" in proc.stdout
    assert "target all" not in proc.stdout


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_cache_files_are_private(oco_server, tmp_path):
    oco_server.admin.create_computer("pc1")
    cache_dir = tmp_path / "new" / "cache"
    source = ("plugin: oco.oco.oco\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
              "cache_connection: %s\n" % cache_dir)
    oco_helpers.run_inventory(source, oco_server, directory=tmp_path / "src")
    files = list(cache_dir.iterdir())
    assert files and all(mode(path) == 0o600 for path in files), [(p.name, oct(mode(p))) for p in files]
    assert mode(cache_dir) == 0o700
    # Rewritten by --flush-cache, still private.
    oco_helpers.run_inventory(source, oco_server, directory=tmp_path / "src", args=("--list", "--flush-cache"))
    assert all(mode(path) == 0o600 for path in cache_dir.iterdir())
    assert "pc1" in json.dumps(json.loads(files[0].read_text()))


def test_the_file_cache_defaults_to_a_private_directory(oco_server, tmp_path):
    oco_server.admin.create_computer("pc1")
    home = tmp_path / "home"
    home.mkdir()
    source = "plugin: oco.oco.oco\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
    env = {"HOME": str(home), "ANSIBLE_CACHE_PLUGIN_CONNECTION": None, "ANSIBLE_INVENTORY_CACHE_CONNECTION": None}
    listed = oco_helpers.run_inventory(source, oco_server, env=env, directory=tmp_path / "src")
    assert "pc1" in listed["_meta"]["hostvars"]
    cache_dir = home / ".cache" / "ansible" / "oco-inventory"
    files = list(cache_dir.iterdir())
    assert files and all(mode(path) == 0o600 for path in files)
    assert mode(cache_dir) == 0o700
