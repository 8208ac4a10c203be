"""Tests of rollout.yml against a simulated OCO server (the oco.oco pytest plugin's oco_server fixture).

Run with the collection installed (ansible-galaxy collection install oco.oco):

    PYTHONPATH=~/.ansible/collections pytest -p ansible_collections.oco.oco.tests.oco_test_server.pytest_plugin
"""

import os
import re
import subprocess
from pathlib import Path

PLAYBOOK = Path(__file__).with_name('rollout.yml')


def run_playbook(oco_server, *options):
    """ansible-playbook against the simulated server; returns (exit code, output, changed count)."""
    env = dict(os.environ, **oco_server.environment())
    result = subprocess.run(['ansible-playbook', str(PLAYBOOK), *options], env=env, capture_output=True, text=True,
                            check=False)
    recap = re.search(r'localhost\s*:\s*ok=\d+\s+changed=(\d+)', result.stdout)
    return result.returncode, result.stdout + result.stderr, int(recap.group(1)) if recap else None


def office_with(oco_server, *hostnames):
    """The group "Office" with computers whose agents have reported (as after their first contact)."""
    admin = oco_server.admin
    office = admin.create_computer_group('Office')
    for hostname in hostnames:
        admin.add_computer_to_group(admin.create_computer(hostname, os='Windows 11', last_ping='2026-01-01 08:00:00'),
                                    office)
    return office


def installed_on(oco_server):
    rows = oco_server.admin.sql('SELECT c.hostname FROM computer_package i JOIN computer c ON c.id = i.computer_id '
                                'ORDER BY c.hostname')
    return [row['hostname'] for row in rows]


def test_rollout_reaches_every_office_computer_and_runs_twice_without_change(oco_server):
    office_with(oco_server, 'pc-01', 'pc-02')
    oco_server.admin.agent_clock(interval=0.2)   # simulated agents run their due jobs five times a second

    code, output, changed = run_playbook(oco_server)
    assert code == 0, output
    assert changed == 2 and installed_on(oco_server) == ['pc-01', 'pc-02']

    oco_server.admin.reset_counters()
    code, output, changed = run_playbook(oco_server)
    assert code == 0 and changed == 0, output
    assert oco_server.admin.counters()['writes'] == 0


def test_check_mode_sends_no_write(oco_server):
    office_with(oco_server, 'pc-01')
    # Published earlier: in check mode the deploy task needs the package to exist already.
    oco_server.admin.create_package('Support tools', '1.0', install_procedure='install.cmd',
                                    uninstall_procedure='uninstall.cmd')
    code, output, changed = run_playbook(oco_server, '--check')
    assert code == 0 and changed == 1, output
    assert oco_server.admin.counters()['writes'] == 0 and installed_on(oco_server) == []


def test_a_failing_agent_fails_the_play(oco_server):
    office_with(oco_server, 'pc-01', 'pc-02')
    oco_server.admin.agent_clock(interval=0.2, fail_hostnames=['pc-02'])
    code, output, _changed = run_playbook(oco_server)
    assert code != 0 and 'pc-02' in output
    assert installed_on(oco_server) == ['pc-01']


def test_a_server_error_is_reported_and_nothing_is_deployed(oco_server):
    office_with(oco_server, 'pc-01')
    oco_server.admin.inject_fault('http500', method='oco.package.create')
    code, output, _changed = run_playbook(oco_server)
    assert code != 0 and '500' in output, output
    assert oco_server.admin.counters()['calls'].get('oco.job_container.deploy', 0) == 0
