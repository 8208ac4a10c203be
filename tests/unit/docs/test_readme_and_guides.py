"""What the README and the guides tell a new user matches the collection.

- Both connection tables (README, getting started guide) list every connection option with its
  environment variable, as plugins/module_utils/connection.py defines them.
- The deploying guide explains download_for_uninstall wherever it shows an uninstall procedure
  that runs a file from the payload, and every option its examples use exists.
"""

from __future__ import annotations

import re
from importlib import import_module

import yaml

import oco_helpers
from ansible_collections.oco.oco.plugins.module_utils.connection import CONNECTION_OPTIONS, connection_argument_spec

REPO_ROOT = oco_helpers.REPO_ROOT
README = REPO_ROOT / "README.md"
GUIDES = REPO_ROOT / "docs" / "guides"


def expected_connection_table():
    spec = connection_argument_spec()
    return {name: spec[name]["fallback"][1][0] for name in CONNECTION_OPTIONS}


def readme_connection_table():
    return dict(re.findall(r"^\| `([a-z_]+)` \| `(OCO_[A-Z_]+)` \|", README.read_text(encoding="utf-8"), re.MULTILINE))


def guide_connection_table():
    text = (GUIDES / "getting_started.rst").read_text(encoding="utf-8")
    return dict(re.findall(r"^``([a-z_]+)``\s+``(OCO_[A-Z_]+)``", text, re.MULTILINE))


def test_connection_options_include_retries():
    assert expected_connection_table()["retries"] == "OCO_RETRIES"


def test_readme_lists_every_connection_option_and_its_variable():
    assert readme_connection_table() == expected_connection_table()


def test_getting_started_lists_every_connection_option_and_its_variable():
    assert guide_connection_table() == expected_connection_table()


def yaml_blocks(path):
    """The YAML of every ``code-block:: yaml`` / ``yaml+jinja`` in an rst file."""
    blocks = re.findall(r"^\.\. code-block:: yaml(?:\+jinja)?\n\n((?:(?:   .*)?\n)+)", path.read_text(encoding="utf-8"),
                        re.MULTILINE)
    return [yaml.safe_load("\n".join(line[3:] for line in block.splitlines())) for block in blocks]


def module_options(name):
    module = import_module("ansible_collections.oco.oco.plugins.modules.%s" % name)
    options = yaml.safe_load(module.DOCUMENTATION)["options"]
    return set(options) | {alias for option in options.values() for alias in option.get("aliases", [])} | {
        "url", "username", "password", "api_key", "validate_certs", "ca_path", "timeout", "retries"}


def guide_tasks(path):
    return [task for block in yaml_blocks(path) for task in (block if isinstance(block, list) else [])]


def test_deploying_guide_examples_use_existing_options_only():
    tasks = guide_tasks(GUIDES / "deploying.rst")
    used = [(key.split(".")[-1], task[key]) for task in tasks for key in task if key.startswith("oco.oco.")]
    assert len(used) >= 6
    unknown = ["%s: %s" % (name, sorted(set(args) - module_options(name))) for name, args in used
               if set(args) - module_options(name)]
    assert not unknown, unknown


def test_deploying_guide_sets_download_for_uninstall_where_the_uninstall_runs_a_payload_file():
    packages = [task["oco.oco.oco_package"] for task in guide_tasks(GUIDES / "deploying.rst") if "oco.oco.oco_package" in task]
    from_payload = [p for p in packages if p.get("uninstall_procedure", "").split()[:1] in (["uninstall.cmd"], ["uninstall.sh"])]
    assert from_payload, "the deploying guide shows no uninstall procedure that runs a payload file"
    assert all(p.get("download_for_uninstall") is True for p in from_payload)
    text = " ".join((GUIDES / "deploying.rst").read_text(encoding="utf-8").split())
    assert "without it the agent does not download the payload before it uninstalls" in text
