"""The module base: settings fixed at construction, one error path, results and diffs (module_utils/module.py)."""

from __future__ import annotations

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule

CONNECTION = {"url": "https://oco.example.test", "username": "ansible", "password": "s3cret-pw", "api_key": "k3y-123"}


def build(args=None, spec=None, **settings):
    with patch_module_args(dict(CONNECTION, **(args or {}))):
        return OcoModule(argument_spec=spec or {}, **settings)


def ended(capsys, action, args=None, spec=None):
    """The JSON a module built from ``args`` prints when ``action(module)`` ends it."""
    with patch_module_args(dict(CONNECTION, **(args or {}))):
        module = OcoModule(argument_spec=spec or {})
        with pytest.raises(SystemExit):
            action(module)
    return json.loads(capsys.readouterr().out)


def test_settings_are_constructor_arguments_and_may_depend_on_params():
    spec = {"agent_keys": dict(type="bool", default=False), "method": dict(type="str")}
    module = build({"agent_keys": True, "method": "x.read"}, spec, keep_secrets=lambda params: params["agent_keys"],
                   read_only_methods=lambda params: (params["method"],))
    assert module.client.keep_secrets is True
    assert module.client.is_write("x.read") is False and module.client.is_write("x.other") is True
    plain = build()
    assert plain.client.keep_secrets is False and plain.client.read_only_methods == ()


def test_errors_fail_with_the_message_without_secrets_and_the_partial_result(capsys):
    def fail(module):
        module.partial_result = {"package": {"id": 3}}
        with module.errors():
            assert module.client is not None  # the client whose secrets are scrubbed
            raise OcoError("login with s3cret-pw and k3y-123 refused")

    result = ended(capsys, fail)
    assert result["failed"] is True and result["msg"] == "login with ******** and ******** refused"
    assert result["package"] == {"id": 3}


def test_finish_shows_the_diff_only_in_diff_mode(capsys):
    result = ended(capsys, lambda module: module.finish(1, {"state": "absent"}, None, thing={}), {"_ansible_diff": True})
    assert result["changed"] is True and result["diff"] == {"before": {"state": "absent"}, "after": {}}
    result = ended(capsys, lambda module: module.finish(0, {"state": "absent"}, {"state": "absent"}, thing={}))
    assert result["changed"] is False and "diff" not in result


def test_every_bad_reference_fails_at_once(capsys):
    result = ended(capsys, lambda module: module.check_references("members", "computer", module.params["members"]),
                   {"members": [True, "ok", ""]}, {"members": dict(type="list", elements="raw")})
    assert result["msg"] == ("invalid option members=True: not a computer reference; "
                             "invalid option members='': an empty name")


@pytest.mark.parametrize("value, why", [("  ", "a host name is required"), ("x" * 201, "longer than the 200 characters")])
def test_name_option(capsys, value, why):
    result = ended(capsys, lambda module: module.name_option("hostname", "host name", max_length=200),
                   {"hostname": value}, {"hostname": dict(type="str")})
    assert result["msg"].startswith("invalid option hostname=") and why in result["msg"]
    assert build({"hostname": " pc-01 "}, {"hostname": dict(type="str")}).name_option("hostname", "host name") == "pc-01"
