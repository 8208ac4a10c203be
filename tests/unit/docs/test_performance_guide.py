"""The performance guide's commands work from a checkout, and the guide says they need one.

Every ``bash scripts/NAME.sh`` it shows exists; every option it passes to scripts/bench.sh is one
that tests/benchmarks/run.py (which the script runs) accepts; and since the collection's build
leaves scripts/ out, the guide says that the benchmark is run from a checkout.
"""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

import oco_helpers

REPO_ROOT = oco_helpers.REPO_ROOT
GUIDE = REPO_ROOT / "docs" / "guides" / "performance.rst"


def guide_commands():
    return re.findall(r"^\s*\$ bash (scripts/\S+)(.*?)(?:#.*)?$", GUIDE.read_text(encoding="utf-8"), re.MULTILINE)


def test_the_guide_shows_commands():
    assert [script for script, _args in guide_commands()].count("scripts/bench.sh") >= 4


def test_every_script_the_guide_runs_exists_and_bench_runs_the_benchmark():
    for script, _args in guide_commands():
        assert (REPO_ROOT / script).is_file(), script
    assert "tests/benchmarks/run.py" in (REPO_ROOT / "scripts" / "bench.sh").read_text(encoding="utf-8")


def test_every_option_the_guide_passes_to_bench_is_known_to_the_benchmark():
    shown = {option for script, args in guide_commands() if script == "scripts/bench.sh"
             for option in re.findall(r"--[a-z][a-z-]*", args)}
    assert {"--sizes", "--runs", "--package-mb", "--profile", "--help"} <= shown
    known = set(re.findall(r"--[a-z][a-z-]*", subprocess.run(
        [sys.executable, str(REPO_ROOT / "tests" / "benchmarks" / "run.py"), "--help"],
        capture_output=True, text=True, check=True).stdout))
    assert shown <= known, shown - known


def test_the_guide_says_the_benchmark_needs_a_checkout_as_the_build_leaves_scripts_out():
    galaxy = yaml.safe_load((REPO_ROOT / "galaxy.yml").read_text(encoding="utf-8"))
    assert "scripts" in galaxy["build_ignore"]
    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    assert "run it from a git checkout" in text and "does not contain ``scripts/``" in text
