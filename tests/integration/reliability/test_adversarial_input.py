"""Input a careless user or an attacker gives, through ansible-playbook: values the server would
accept and then mishandle, links out of a package directory, credentials from elsewhere, write
methods under their legacy names. Each is refused with a message naming the option and the value,
before a single request, or (where only the server knows) without a traceback or a write.
"""

from __future__ import annotations

import os

import pytest

import oco_helpers
import refusal_checks

PACKAGE = "oco.oco.oco_package"
CONTAINER = "oco.oco.oco_job_container"
RPC = "oco.oco.oco_rpc"
COMPUTER = "oco.oco.oco_computer"
DEPLOY = {"name": "rollout", "computers": ["pc1"], "packages": ["Firefox"]}
PKG = {"family": "Fx", "version": "1", "install_procedure": "setup.exe /S"}
INT_MAX = 2 ** 31 - 1

LOCAL = [
    # time frames the server mishandles (a weekday spelt out, a frame over midnight)
    (CONTAINER, dict(DEPLOY, time_frames=["MONDAY 8:00-17:00"]), ["time_frames", "first three letters", "MON 8:00-17:00"]),
    (CONTAINER, dict(DEPLOY, time_frames=["22:00-06:00"]), ["time_frames", "never", "22:00-24:00 and 0:00-06:00"]),
    (CONTAINER, dict(DEPLOY, time_frames=["!SAT 9:00-9:00"]), ["time_frames", "never"]),
    # number options beyond the server's columns, and numbers that are no numbers
    (CONTAINER, dict(DEPLOY, restart_timeout=INT_MAX + 1), ["restart_timeout", str(INT_MAX + 1), "32-bit"]),
    (CONTAINER, dict(DEPLOY, restart_timeout=-INT_MAX - 2), ["restart_timeout", "32-bit"]),
    (CONTAINER, dict(DEPLOY, poll_interval="nan", wait=True), ["poll_interval", "nan"]),
    (CONTAINER, dict(DEPLOY, poll_interval="inf", wait=True), ["poll_interval", "inf"]),
    (PACKAGE, dict(PKG, license_count=INT_MAX + 1), ["license_count", str(INT_MAX + 1)]),
    (PACKAGE, dict(PKG, license_count=-1), ["license_count", "-1"]),
    (PACKAGE, dict(PKG, install_procedure_success_return_codes=[0, 2 ** 32]),
     ["install_procedure_success_return_codes", str(2 ** 32)]),
    # dates outside what the server's DATETIME columns hold, or that crashed the conversion
    (CONTAINER, dict(DEPLOY, date_start="0001-01-01T00:00:00+05:00"), ["date_start", "1000 to 9999"]),
    (CONTAINER, dict(DEPLOY, date_start="0999-12-31 10:00:00"), ["date_start", "1000 to 9999"]),
    (CONTAINER, dict(DEPLOY, date_end="²026-01-01"), ["date_end", "not a date"]),
    # connection limits
    (COMPUTER, {"hostname": "pc1", "timeout": 0}, ["timeout", "0"]),
    (COMPUTER, {"hostname": "pc1", "retries": -1}, ["retries", "-1"]),
    # write methods under the names servers before 1.0.3 know them by
    (RPC, {"method": "oco.deploy", "read_only": True}, ["read_only", "oco.deploy", "changes the server"]),
    (RPC, {"method": "oco.uninstall", "read_only": True}, ["read_only", "oco.uninstall"]),
    (RPC, {"method": "oco.job.remove", "read_only": True}, ["read_only", "oco.job.remove"]),
    (RPC, {"method": "oco.job_container.remove", "read_only": True}, ["read_only", "oco.job_container.remove"]),
]


def test_values_the_server_would_mishandle_are_refused_before_sending(oco_server, run_tasks):
    result = run_tasks([{module: args} for module, args, _words in LOCAL])
    assert "Traceback" not in result.shown()
    refusal_checks.check_refusals(LOCAL, result.results)
    assert oco_server.admin.counters()["http_requests"] == 0


def test_legacy_write_names_do_not_run_in_check_mode(oco_server, run_tasks):
    result = run_tasks([{RPC: {"method": name, "data": {"id": 1}}}
                        for name in ("oco.deploy", "oco.uninstall", "oco.job.remove")], check=True)
    for outcome in result.results:
        assert outcome.get("skipped_in_check_mode") is True and outcome["changed"] is True, outcome
    assert oco_server.admin.counters()["http_requests"] == 0


def test_superscript_digits_are_a_name_not_an_id(oco_server, run_tasks):
    oco_server.admin.create_computer("pc1")
    oco_server.admin.create_package("Firefox", "121.0")
    oco_server.admin.reset_counters()
    result = run_tasks([{CONTAINER: dict(DEPLOY, computers=["²"])},
                        {"oco.oco.oco_computer_info": {"hostname": "²"}}])
    assert "Traceback" not in result.shown()
    deploy, info = result.results
    assert deploy.get("failed") and "no computer matches '²'" in deploy["msg"], deploy
    assert info.get("exception", "(traceback unavailable)") == "(traceback unavailable)", info
    assert oco_server.admin.counters()["writes"] == 0


# ------------------------------------------------------------------ package directories

@pytest.fixture
def package_dir(tmp_path):
    root = tmp_path / "payload"
    root.mkdir()
    (root / "install.cmd").write_text("setup.exe /S\n")
    return root


def test_a_link_out_of_the_package_directory_uploads_nothing(oco_server, run_tasks, package_dir, tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("PRIVATE-KEY-MATERIAL")
    (package_dir / "notes.txt").symlink_to(secret)
    result = run_tasks([{PACKAGE: dict(PKG, files=[str(package_dir)])},
                        {PACKAGE: dict(PKG, files=[str(package_dir)], follow_links=True)}])
    for outcome in result.results:
        assert outcome.get("failed") and "notes.txt" in outcome["msg"] and "outside the directory" in outcome["msg"], outcome
    assert "PRIVATE-KEY-MATERIAL" not in result.shown()
    assert oco_server.admin.counters()["http_requests"] == 0


def test_links_inside_are_reported_or_followed(oco_server, run_tasks, package_dir):
    (package_dir / "setup.cmd").symlink_to(package_dir / "install.cmd")
    (package_dir / "dangling").symlink_to(package_dir / "missing")
    result = run_tasks([
        {PACKAGE: dict(PKG, files=[str(package_dir)])},
        {PACKAGE: dict(PKG, version="2", files=[str(package_dir)], follow_links=True)},
    ])
    skipped, followed = result.results
    assert skipped["changed"] is True and not skipped.get("failed"), skipped
    warnings = " ".join(skipped.get("warnings", []))
    assert "setup.cmd" in warnings and "follow_links" in warnings and "dangling" in warnings, warnings
    assert "dangling" in " ".join(followed.get("warnings", [])) and "setup.cmd" not in " ".join(followed.get("warnings", []))
    admin = oco_server.admin
    members = {row["version"]: sorted(admin.package_zip_members(row["id"]))
               for row in admin.sql("SELECT id, version FROM package")}
    assert members == {"1": ["install.cmd"], "2": ["install.cmd", "setup.cmd"]}, members


def test_odd_file_names_fail_naming_the_file(oco_server, run_tasks, package_dir):
    (package_dir / "a\\b.cmd").write_text("x")
    other = package_dir.parent / "other"
    other.mkdir()
    with open(os.path.join(os.fsencode(str(other)), b"caf\xe9.cmd"), "wb") as handle:
        handle.write(b"x")
    result = run_tasks([{PACKAGE: dict(PKG, files=[str(package_dir)])}, {PACKAGE: dict(PKG, files=[str(other)])}])
    assert "Traceback" not in result.shown()
    backslash, latin1 = result.results
    assert backslash.get("failed") and "backslash" in backslash["msg"] and "a\\b.cmd" in backslash["msg"], backslash
    assert latin1.get("failed") and "not UTF-8" in latin1["msg"] and "caf\\xe9.cmd" in latin1["msg"], latin1
    assert oco_server.admin.counters()["http_requests"] == 0


# ------------------------------------------------------------------ credentials

def test_configured_credentials_win_over_netrc_and_the_url(oco_server, tmp_path):
    oco_server.admin.create_computer("pc1")
    home = tmp_path / "home"
    home.mkdir()
    netrc = home / ".netrc"
    netrc.write_text("machine 127.0.0.1 login intruder password netrc-pass-0815\n")
    netrc.chmod(0o600)
    url = oco_server.url.replace("http://", "http://intruder:url-pass-4711@")
    result = oco_helpers.run_tasks([{"oco.oco.oco_computer_info": {"hostname": "pc1", "url": url}}], oco_server,
                                   env={"HOME": str(home), "NETRC": str(netrc)}, via="playbook")
    [outcome] = result.results
    assert not outcome.get("failed"), outcome
    assert outcome["computers"][0]["hostname"] == "pc1"
    assert any("url contains credentials" in warning for warning in outcome.get("warnings", [])), outcome
    output = result.stdout + result.stderr + str(outcome)
    assert "url-pass-4711" not in output and "netrc-pass-0815" not in output


def test_inventory_refuses_timeout_zero_before_sending(oco_server):
    with pytest.raises(oco_helpers.CommandFailed) as info:
        oco_helpers.run_inventory("plugin: oco.oco.oco\ntimeout: 0\n", oco_server)
    output = info.value.stdout + info.value.stderr
    assert "invalid option timeout=0" in output and "Traceback" not in output
    assert oco_server.admin.counters()["http_requests"] == 0


# ------------------------------------------------------------------ roles

@pytest.mark.parametrize("role, variables", [
    ("oco.oco.register_computers", {}),
    ("oco.oco.deploy", {"oco_deploy_package": {"family": "Firefox", "version": "121.0"}, "oco_deploy_computers": ["pc1"]}),
])
def test_roles_accept_retries_in_their_connection(oco_server, run_tasks, role, variables):
    variable = "oco_register_computers_connection" if role.endswith("register_computers") else "oco_deploy_connection"
    connection = dict(oco_helpers.connection_options(oco_server), retries=1)
    result = run_tasks([{"ansible.builtin.include_role": {"name": role}, "vars": dict(variables, **{variable: connection})}],
                       check=True, via="playbook")
    output = result.stdout + result.stderr
    assert "Validating arguments against arg spec" in output, output
    assert "Validation of arguments failed" not in output and "Unsupported parameters" not in output, output


def test_a_container_without_jobs_is_a_failure_not_a_success(oco_server, run_tasks):
    admin = oco_server.admin
    admin.create_computer("pc1")
    admin.create_package("Firefox", "121.0")
    assert run_tasks([{CONTAINER: DEPLOY}]).results[0]["changed"] is True
    # What the real server leaves when a deploy fails half-way (restart_timeout beyond its INT column):
    # the container, without a single job.
    admin.sql("DELETE FROM job_container_job")
    admin.reset_counters()
    result = run_tasks([{CONTAINER: DEPLOY}, {CONTAINER: dict(DEPLOY, wait=True, wait_timeout=5, poll_interval=0.1)}])
    for outcome in result.results:
        assert outcome.get("failed") is True, outcome
        assert "has no jobs" in outcome["msg"] and "state: absent" in outcome["msg"], outcome["msg"]
        assert outcome["status"] == "succeeded" and outcome["jobs"] == []
    assert admin.counters()["writes"] == 0
