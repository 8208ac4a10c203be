"""meta/runtime.yml must list every module in the action group ``oco``.

A module missing from the group silently ignores ``module_defaults: {group/oco.oco.oco: ...}``
and then fails for lack of a url; a stale entry breaks ``group/oco.oco.oco`` for every module.
Run ``python tests/unit/test_runtime_meta.py`` to print the list the group should hold.
"""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def module_names():
    return sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("*.py") if p.stem != "__init__")


def action_group():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    return (runtime.get("action_groups") or {}).get("oco") or []


def expected_yaml():
    return "action_groups:\n  oco:\n" + "".join(f"    - {name}\n" for name in module_names())


def test_action_group_lists_every_module():
    group = action_group()
    assert len(group) == len(set(group)), f"duplicate entries in action group oco: {group}"
    modules = module_names()
    missing = sorted(set(modules) - set(group))
    stale = sorted(set(group) - set(modules))
    assert not missing and not stale, (
        f"meta/runtime.yml action group oco is out of date: missing {missing}, "
        f"without a module {stale}. It should read:\n{expected_yaml()}"
    )


def test_action_group_is_sorted():
    group = action_group()
    assert group == sorted(group), f"keep the action group sorted:\n{expected_yaml()}"


def test_requires_ansible():
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    assert runtime["requires_ansible"] == ">=2.19.0"


if __name__ == "__main__":
    print(expected_yaml(), end="")
