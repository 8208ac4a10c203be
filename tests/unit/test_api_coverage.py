"""Every method of the OCO client API is reachable from a plugin and listed in the README.

The method names come from the API document (its ``## `oco.xxx` `` headings) plus ``oco.info``,
which the document predates. A copy of the document lives in ``tests/unit/data`` so that a fresh
clone runs the check (its garbled emoji API key example repaired); when OCO_API_SPEC names the
original document, both must name the same methods. A method counts as called when a plugin file names it as a string
literal; the method table and the legacy-dialect translation name every method without calling it,
so they do not count. The README must have a row for it in the table under "API coverage".
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "unit" / "data" / "oco_client_api_1.x.txt"
# The original API document, where a contributor has it (no path of one machine in the repository).
SHARED_SPEC = Path(os.environ["OCO_API_SPEC"]) if os.environ.get("OCO_API_SPEC") else None
EXTRA_METHODS = ("oco.info",)
NOT_CALLS = {ROOT / "plugins" / "module_utils" / "methods.py", ROOT / "plugins" / "module_utils" / "legacy.py"}
HEADING = re.compile(r"^## `(oco\.[a-z_.]+)`", re.MULTILINE)


def spec_methods(text):
    return sorted(set(HEADING.findall(text)) | set(EXTRA_METHODS))


def plugin_sources():
    return {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "plugins").rglob("*.py"))
            if path not in NOT_CALLS}


def callers(method, sources):
    literal = re.compile(r"""["']%s["']""" % re.escape(method))
    return [path.relative_to(ROOT).as_posix() for path, text in sources.items() if literal.search(text)]


def readme_table(text):
    """Method names in the first column of the table under the "API coverage" heading."""
    match = re.search(r"^## API coverage\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    if match is None:
        return None
    return set(re.findall(r"^\|\s*`(oco\.[a-z_.]+)`\s*\|", match.group(1), re.MULTILINE))


@pytest.fixture(scope="module")
def methods():
    found = spec_methods(SPEC.read_text(encoding="utf-8"))
    if SHARED_SPEC is not None:
        assert spec_methods(SHARED_SPEC.read_text(encoding="utf-8")) == found, "%s is out of date" % SPEC
    assert len(found) >= 26, found  # the 25 documented methods and oco.info
    return found


def test_every_api_method_is_called_by_a_plugin(methods):
    sources = plugin_sources()
    missing = [m for m in methods if not callers(m, sources)]
    assert not missing, "no plugin under plugins/ calls %s" % ", ".join(missing)


def test_every_api_method_is_in_the_readme_table(methods):
    table = readme_table((ROOT / "README.md").read_text(encoding="utf-8"))
    assert table is not None, "README.md has no '## API coverage' section"
    missing = [m for m in methods if m not in table]
    assert not missing, "README.md's API coverage table lacks %s" % ", ".join(missing)
    unknown = sorted(table - set(methods))
    assert not unknown, "README.md's API coverage table names methods the API does not have: %s" % ", ".join(unknown)


def test_the_checks_notice_a_missing_method():
    spec = "## `oco.computer.list` - List\n\n## `oco.thing.frobnicate` - Frobnicate\n"
    names = spec_methods(spec)
    assert names == ["oco.computer.list", "oco.info", "oco.thing.frobnicate"]
    sources = {ROOT / "plugins" / "x.py": 'client.call("oco.computer.list")\n'}
    assert callers("oco.computer.list", sources) == ["plugins/x.py"]
    assert callers("oco.thing.frobnicate", sources) == []
    assert callers("oco.computer", sources) == []
    table = readme_table("## API coverage\n\n| method | by |\n|---|---|\n| `oco.computer.list` | x |\n\n## Next\n"
                         "| `oco.thing.frobnicate` | y |\n")
    assert table == {"oco.computer.list"}
    assert readme_table("## Usage\n") is None
