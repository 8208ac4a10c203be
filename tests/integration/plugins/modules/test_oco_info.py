"""oco_info end to end: ansible-playbook against the test server, options and env vars alike."""

from __future__ import annotations

INFO_TASK = {"name": "read info", "oco.oco.oco_info": {}}


def test_module_defaults_group(oco_server, run_tasks):
    result = run_tasks([INFO_TASK, dict(INFO_TASK, name="again in check mode", check_mode=True)])
    assert result.rc == 0, str(result)
    first, second = result.results
    assert first["changed"] is False
    assert first["dialect"] == "jsonrpc"
    assert first["server"]["version"]
    assert isinstance(first["server"]["license_computers"], int)
    assert second["server"] == first["server"]
    counters = oco_server.admin.counters()
    assert counters["writes"] == 0


def test_env_vars(run_tasks):
    result = run_tasks([INFO_TASK], connection_via="env", via="playbook")
    assert result.rc == 0, str(result)
    assert result.results[0]["dialect"] == "jsonrpc"


def test_explicit_options_override_env(oco_server, run_tasks):
    task = {"oco.oco.oco_info": {"url": oco_server.url, "username": "admin", "password": "oco-admin-pw"}}
    result = run_tasks([task], connection_via="env", env={"OCO_URL": "http://127.0.0.1:9", "OCO_PASSWORD": "wrong"},
                       via="playbook")
    assert result.rc == 0, str(result)


def test_wrong_password_fails_without_leaking(run_tasks):
    result = run_tasks([INFO_TASK], password="not-the-Pässwörd", via="playbook")
    failed = result.results[0]
    assert failed["failed"] is True
    assert "login as 'admin' refused (HTTP 401): Login failed" in failed["msg"]
    assert "not-the-Pässwörd" not in result.stdout + result.stderr


def test_missing_connection_option_is_named(run_tasks):
    result = run_tasks([{"oco.oco.oco_info": {"url": "http://127.0.0.1:9"}}], connection_via="env",
                       env={"OCO_URL": None, "OCO_USERNAME": None, "OCO_PASSWORD": None})
    assert "missing required arguments: password, username" in result.results[0]["msg"]
