"""scripts/demo.sh, the README's first command, proves what the README says about a second run."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

import oco_helpers

DEMO = oco_helpers.REPO_ROOT / "scripts" / "demo.sh"
# demo.sh runs the repository's .venv (ansible-core 2.19, Python 3.11) whichever Python runs pytest.
pytestmark = pytest.mark.same_in_every_lane

RECAP_LINE = re.compile(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)\s", re.MULTILINE)


def recaps(output):
    """{host: changed} for each PLAY RECAP in the output, in order."""
    return [dict((host, int(changed)) for host, changed in RECAP_LINE.findall(part))
            for part in output.split("PLAY RECAP")[1:]]


def test_demo_runs_twice_and_its_output_ends_with_a_recap_of_changed_0(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path), ANSIBLE_NOCOLOR="1")
    for name in list(env):
        if name.startswith(("OCO_", "ANSIBLE_COLLECTIONS_PATH")):
            del env[name]
    run = subprocess.run(["bash", str(DEMO)], capture_output=True, text=True, env=env, timeout=900, check=False)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    first, second = recaps(run.stdout)
    hosts = {"localhost", "demo-pc-01", "demo-pc-02", "demo-pc-03"}
    assert set(first) == hosts and set(second) == hosts
    # The first run did the work (registered, grouped, published, deployed); the second found it done.
    assert first["localhost"] > 0 and first["demo-pc-01"] > 0
    assert all(changed == 0 for changed in second.values()), second
    last_lines = run.stdout.rstrip().splitlines()[-len(hosts):]
    assert sorted(RECAP_LINE.match(line).group(1) for line in last_lines) == sorted(hosts)
    assert "Deploy Demo tool 1.0 to Finance: succeeded" in run.stdout
    # The server was stopped and the temp files removed.
    assert list(tmp_path.iterdir()) == []
