"""Options of the event source: the modules' connection options and OCO_* variables, clear errors
naming the option and the value before any request, documentation that matches the code."""

from __future__ import annotations

import ast
import asyncio
import os
import subprocess
import sys

import pytest
import yaml

import oco_helpers
from eda_helpers import SOURCE, connection, load_source

MODULE = load_source()
parse_options = MODULE["parse_options"]
OcoValidationError = MODULE["errors"].OcoValidationError
GUIDE = oco_helpers.REPO_ROOT / "docs" / "guides" / "eda.rst"


def documentation():
    for node in ast.parse(SOURCE.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in ("DOCUMENTATION", "EXAMPLES"):
            yield node.targets[0].id, yaml.safe_load(ast.literal_eval(node.value))


def test_connection_falls_back_to_the_same_environment_variables_as_the_modules():
    environ = {"OCO_URL": "https://oco.example.com", "OCO_USERNAME": "eda", "OCO_PASSWORD": "pw",
               "OCO_API_KEY": "key", "OCO_VALIDATE_CERTS": "false", "OCO_CA_PATH": "~/ca.pem",
               "OCO_TIMEOUT": "7", "OCO_RETRIES": "0"}
    options = parse_options({}, environ=environ)
    assert (options["url"], options["username"], options["password"], options["api_key"]) == \
        ("https://oco.example.com", "eda", "pw", "key")
    assert options["validate_certs"] is False and options["timeout"] == 7 and options["retries"] == 0
    assert not options["ca_path"].startswith("~")
    given = parse_options({"url": "https://other.example.com", "timeout": 9}, environ=environ)
    assert (given["url"], given["timeout"]) == ("https://other.example.com", 9)


def test_defaults():
    options = parse_options({"url": "https://oco.example.com", "username": "u", "password": "p"}, environ={})
    assert options["interval"] == 60.0 and options["agent_silent_after"] == 3600
    assert options["events"] == ["computer_registered", "computer_removed", "agent_silent", "agent_back",
                                 "job_succeeded", "job_failed", "job_container_finished"]
    assert options["state_file"] is None and options["emit_existing"] is False
    assert options["validate_certs"] is True and options["timeout"] == 30 and options["retries"] == 3
    # A rulebook variable that is not set renders as an empty string.
    assert parse_options({"url": "u", "username": "u", "password": "p", "state_file": ""}, environ={})["state_file"] is None


BASE = {"url": "https://oco.example.com", "username": "u", "password": "p"}


@pytest.mark.parametrize("args, message", [
    ({"url": None}, "missing option url: set it in the rulebook source or the OCO_URL environment variable"),
    ({"password": None}, "missing option password: set it in the rulebook source or the OCO_PASSWORD"),
    ({"interval": "often"}, "invalid option interval 'often': expected a number of seconds"),
    ({"interval": 0}, "invalid option interval 0.0: it must be more than 0 seconds"),
    ({"agent_silent_after": 1.5}, "invalid option agent_silent_after 1.5: expected a whole number"),
    ({"agent_silent_after": -1}, "invalid option agent_silent_after -1: it must be more than 0 seconds"),
    ({"events": ["job_failed", "job_exploded"]}, "invalid option events job_exploded: known event types are"),
    ({"emit_existing": "maybe"}, "invalid option emit_existing 'maybe': expected true or false"),
    ({"timeout": "soon"}, "invalid option timeout 'soon': expected a whole number"),
    ({"intervall": 5}, "unknown option intervall for oco.oco.oco_events; known options: agent_silent_after"),
])
def test_bad_options_name_the_option_and_the_value(args, message):
    given = {k: v for k, v in dict(BASE, **args).items() if v is not None}
    with pytest.raises(OcoValidationError) as caught:
        parse_options(given, environ={})
    assert message in str(caught.value)


def test_rulebook_arguments_of_ansible_rulebook_itself_are_accepted():
    options = parse_options({"url": "u", "username": "u", "password": "p", "eda_feedback_queue": object()}, environ={})
    assert "eda_feedback_queue" not in options


def test_bad_option_stops_main_before_any_request(oco_server):
    with pytest.raises(OcoValidationError, match="invalid option interval"):
        asyncio.run(MODULE["main"](asyncio.Queue(), connection(oco_server, interval=-3)))
    with pytest.raises(OcoValidationError, match="cannot read option state_file"):
        bad = oco_helpers.REPO_ROOT / "galaxy.yml"
        asyncio.run(MODULE["main"](asyncio.Queue(), connection(oco_server, state_file=str(bad))))
    assert oco_server.admin.counters()["http_requests"] == 0


def test_backoff_doubles_up_to_ten_minutes():
    backoff = MODULE["backoff"]
    assert [backoff(60, n) for n in range(1, 6)] == [120, 240, 480, 600, 600]
    assert backoff(0.5, 1) == 1.0 and backoff(900, 3) == 900


def test_documentation_matches_the_options_and_the_guide():
    docs = dict(documentation())
    documented = set(docs["DOCUMENTATION"]["options"])
    code = set(MODULE["SOURCE_OPTIONS"])
    assert documented == code
    assert docs["DOCUMENTATION"]["options"]["events"]["choices"] == list(MODULE["EVENT_TYPES"])
    for name, spec in docs["DOCUMENTATION"]["options"].items():
        if "default" in spec:
            assert spec["default"] == MODULE["SOURCE_OPTIONS"][name]["default"], name
    guide = GUIDE.read_text(encoding="utf-8")
    for name in sorted(code | set(MODULE["connection_argument_spec"]())) + list(MODULE["EVENT_TYPES"]):
        assert "``%s``" % name in guide, name
    for play in docs["EXAMPLES"]:
        assert "oco.oco.oco_events" in play["sources"][0]


def test_loads_by_path_without_ansible_collection_loader():
    """ansible-rulebook runs the file by path in a plain interpreter: the collection must import anyway."""
    installed = oco_helpers.collections_root() / "ansible_collections" / "oco" / "oco" / SOURCE.relative_to(oco_helpers.REPO_ROOT)
    code = ("import runpy, sys; source = runpy.run_path(sys.argv[1]); "
            "print(source['EVENT_TYPES'][0], source['EventTracker'].__module__, sys.path[-1])")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ANSIBLE_COLLECTIONS_PATH")}
    done = subprocess.run([sys.executable, "-c", code, str(installed)], capture_output=True, text=True, env=env,
                          cwd=str(installed.parent), check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["computer_registered", "ansible_collections.oco.oco.plugins.module_utils.events",
                                   str(oco_helpers.collections_root())]
