"""Shell helpers of scripts/lib.sh that decide whether a script succeeds."""

from __future__ import annotations

import re
import subprocess

import oco_helpers

LIB = oco_helpers.REPO_ROOT / "scripts" / "lib.sh"

UNCHANGED = """\
TASK [Show them] ***************************************************************
ok: [localhost] => {"msg": ["changed=3 in a message is not a recap"]}

PLAY RECAP *********************************************************************
demo-pc-01                 : ok=5    changed=0    unreachable=0    failed=0    skipped=0    rescued=0    ignored=0
localhost                  : ok=12   changed=0    unreachable=0    failed=0    skipped=1    rescued=0    ignored=0
"""


def recap_shows_no_change(tmp_path, output):
    path = tmp_path / "run.log"
    path.write_text(output, encoding="utf-8")
    return subprocess.run(["bash", "-c", 'source "$1" && recap_shows_no_change "$2"', "lib", str(LIB), str(path)],
                          check=False).returncode


def test_recap_with_changed_zero_on_every_host_passes(tmp_path):
    assert recap_shows_no_change(tmp_path, UNCHANGED) == 0


def test_one_changed_host_fails(tmp_path):
    changed = UNCHANGED.replace("localhost                  : ok=12   changed=0",
                                "localhost                  : ok=12   changed=2")
    assert recap_shows_no_change(tmp_path, changed) != 0


def test_output_without_a_recap_fails(tmp_path):
    # ansible-playbook stopped before its recap (syntax error, interrupted): nothing is proven.
    assert recap_shows_no_change(tmp_path, "ERROR! the playbook could not be found\n") != 0
    assert recap_shows_no_change(tmp_path, "PLAY RECAP ****\n") != 0


PIP_OUTPUT = """\
Looking in indexes: https://pypi.org/simple
Processing /opt/wheels/requests-2.34.2-py3-none-any.whl (from -r requirements-dev.txt (line 3))
Collecting certifi>=2023.5.7 (from requests->-r requirements-dev.txt (line 3))
  Downloading certifi-2026.10.19.post1-py3-none-any.whl (134 kB)
Installing collected packages: certifi, requests
Successfully installed certifi-2026.10.19.post1 requests-2.34.2
"""


def fake_python(tmp_path, output, status):
    """An interpreter stand-in whose `-m pip install ...` prints pip's output and exits with status."""
    (tmp_path / "pip-output.txt").write_text(output, encoding="utf-8")
    script = tmp_path / "python"
    script.write_text('#!/bin/sh\ncat "%s"\nexit %d\n' % (tmp_path / "pip-output.txt", status), encoding="utf-8")
    script.chmod(0o755)
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("# pins\ncertifi==2026.10.19.post1\n\nrequests==2.34.2\nurllib3==2.8.0\n", encoding="utf-8")
    return script, constraints


def pip_install(tmp_path, output, status):
    python, constraints = fake_python(tmp_path, output, status)
    return subprocess.run(["bash", "-c", 'set -euo pipefail; source "$1"; pip_install_with_progress "$2" reqs.txt "$3"',
                           "lib", str(LIB), str(python), str(constraints)],
                          capture_output=True, text=True, check=False, env={"PATH": "/usr/bin:/bin", "TMPDIR": str(tmp_path)})


def test_pip_install_shows_each_package_against_the_pinned_total(tmp_path):
    run = pip_install(tmp_path, PIP_OUTPUT, 0)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:3] == ["  [1/3] requests-2.34.2-py3-none-any.whl", "  [2/3] certifi>=2023.5.7", "  installing 2 packages"]
    assert re.fullmatch(r"  installed in \d+ s", lines[3]) and len(lines) == 4
    assert run.stderr == ""


def test_pip_failure_fails_and_shows_pips_whole_output(tmp_path):
    failed = PIP_OUTPUT.split("Installing", maxsplit=1)[0] + "ERROR: No matching distribution found for certifi==2026.10.19.post1\n"
    run = pip_install(tmp_path, failed, 1)
    assert run.returncode != 0
    assert "pip failed (exit 1)" in run.stderr
    assert "ERROR: No matching distribution found for certifi" in run.stderr
    assert "Looking in indexes" in run.stderr and "pip exit status" not in run.stderr
    # The log of pip's output is not left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["constraints.txt", "pip-output.txt", "python"]
