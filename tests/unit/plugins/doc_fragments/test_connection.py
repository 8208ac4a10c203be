"""The connection options are documented once: both fragments and the argument spec agree."""

from __future__ import annotations

import re

import yaml

from ansible_collections.oco.oco.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.oco.oco.plugins.module_utils.connection import CONNECTION_OPTIONS, connection_argument_spec

MODULE = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
PLUGIN = yaml.safe_load(ModuleDocFragment.PLUGIN)["options"]


def summary(options, env_of):
    return {name: (spec["type"], spec.get("default"), spec.get("required", False), env_of(spec))
            for name, spec in options.items()}


def module_env(spec):
    """The variable a module option's description names (modules cannot declare ``env:``)."""
    found = re.findall(r"E\((OCO_[A-Z_]+)\) environment variable", " ".join(spec["description"]))
    assert len(found) == 1, spec["description"]
    return found[0]


def test_module_and_plugin_fragments_list_the_same_options():
    plugin = summary(PLUGIN, lambda spec: [entry["name"] for entry in spec["env"]][0])
    assert summary(MODULE, module_env) == plugin
    assert list(MODULE) == list(PLUGIN) == list(CONNECTION_OPTIONS)


def test_descriptions_differ_only_by_the_environment_sentence():
    for name, spec in MODULE.items():
        assert spec["description"][:-1] == PLUGIN[name]["description"], name


def test_argument_spec_matches_the_documentation():
    spec = connection_argument_spec()
    documented = summary(MODULE, module_env)
    actual = {name: (option["type"], option.get("default"), option.get("required", False), option["fallback"][1][0])
              for name, option in spec.items()}
    assert actual == documented


def test_secrets_are_not_logged():
    spec = connection_argument_spec()
    assert {name for name, option in spec.items() if option.get("no_log")} == {"password", "api_key"}
