"""End to end: ansible-rulebook loads the example rulebook and the event source from the collection,
and the module its rule runs changes the test server.

Not part of the plain pytest run: ansible-rulebook needs Java and its own venv. scripts/test.sh runs
this file in its "ansible-rulebook end to end" step with OCO_EDA_VENV set to that venv (made by
ensure_eda_venv in scripts/lib.sh); without it the test fails instead of passing unseen.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import yaml

import oco_helpers

START_TIMEOUT = 180.0     # JVM and rule engine start on a busy machine
ACTION_TIMEOUT = 180.0


def eda_bin():
    venv = os.environ.get("OCO_EDA_VENV")
    assert venv, "set OCO_EDA_VENV to the venv made by ensure_eda_venv (scripts/lib.sh)"
    path = Path(venv) / "bin"
    assert (path / "ansible-rulebook").exists(), "no ansible-rulebook in %s" % path
    return path


def wait_for(what, check, process, log, timeout):
    deadline = time.monotonic() + timeout
    while not check():
        if process.poll() is not None:
            raise AssertionError("ansible-rulebook ended (exit %s) before %s:\n%s" % (process.returncode, what, log.read_text()))
        if time.monotonic() > deadline:
            raise AssertionError("no %s within %s s:\n%s" % (what, timeout, log.read_text()))
        time.sleep(0.2)


def group_members(server, group):
    return sorted(row["hostname"] for row in server.admin.sql(
        "SELECT c.hostname FROM computer c JOIN computer_group_member m ON m.computer_id = c.id "
        "JOIN computer_group g ON g.id = m.computer_group_id WHERE g.name = ?", [group]))


def polls(server):
    return server.admin.counters()["calls"].get("oco.job_container.list", 0)


def test_new_linux_computers_rulebook_puts_them_into_the_group(oco_server, tmp_path):
    admin = oco_server.admin
    admin.create_computer_group("Linux servers")
    admin.create_computer("lin-before", os="Ubuntu")
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(
        {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}}}))
    (tmp_path / "vars.yml").write_text(yaml.safe_dump({"interval": 0.2, "linux_group": "Linux servers"}))
    binaries = eda_bin()
    env = oco_helpers.base_env(oco_helpers.connection_env(oco_server))
    env.update(PATH="%s%s%s" % (binaries, os.pathsep, env.get("PATH", "")),
               ANSIBLE_PYTHON_INTERPRETER=str(binaries / "python"))
    log = tmp_path / "ansible-rulebook.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [str(binaries / "ansible-rulebook"), "--rulebook", "oco.oco.group_new_linux_computers",
             "--inventory", "inventory.yml", "--vars", "vars.yml", "--verbose"],
            cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        # Computers made before the first poll are the baseline: create the new ones after it.
        wait_for("first poll", lambda: polls(oco_server) >= 1, process, log, START_TIMEOUT)
        admin.create_computer("win-new", os="Windows 11 Pro")
        admin.create_computer("lin-new", os="Debian GNU/Linux", os_version="12")
        wait_for("group membership of lin-new", lambda: group_members(oco_server, "Linux servers"), process, log,
                 ACTION_TIMEOUT)
        assert group_members(oco_server, "Linux servers") == ["lin-new"]
        text = log.read_text()
        assert "oco-admin-pw" not in text
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
