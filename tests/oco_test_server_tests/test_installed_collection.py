"""The test server as users get it: from the collection tarball, installed, with no checkout around.

Builds the tarball with ansible-galaxy, installs it into a temporary collections path and runs the
documented start command and the guide's example (docs/guides/simulated_oco: playbook + pytest
test loading the pytest plugin) against the installed copy.
"""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / 'docs' / 'guides' / 'simulated_oco'
PACKAGE = 'ansible_collections.oco.oco.tests.oco_test_server'
BIN = Path(sys.executable).parent


@pytest.fixture(name='installed', scope='module')
def installed_fixture(tmp_path_factory):
    """(tarball, collections path) of the collection built from this checkout and installed."""
    work = tmp_path_factory.mktemp('installed')
    galaxy = str(BIN / 'ansible-galaxy')
    collections = work / 'collections'
    env = user_env(collections)
    subprocess.run([galaxy, 'collection', 'build', '--output-path', str(work), str(REPO)], check=True, capture_output=True,
                   env=env)
    tarball = next(work.glob('oco-oco-*.tar.gz'))
    # --force: a copy of the collection elsewhere on the configured paths must not make galaxy skip this one.
    subprocess.run([galaxy, 'collection', 'install', '--force', '-p', str(collections), str(tarball)], check=True,
                   capture_output=True, env=env)
    assert (collections / 'ansible_collections' / 'oco' / 'oco' / 'tests' / 'oco_test_server' / 'pytest_plugin.py').is_file()
    return tarball, collections


def user_env(collections):
    """A user's shell: the installed collection on the paths, nothing of this checkout."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('ANSIBLE_', 'PYTEST_', 'OCO_')) and k not in ('PYTHONPATH', 'COV_CORE_SOURCE')}
    env.update(PYTHONPATH=str(collections), ANSIBLE_COLLECTIONS_PATH=str(collections),
               PATH='%s%s%s' % (BIN, os.pathsep, env.get('PATH', '')))
    return env


def test_tarball_ships_the_server_the_plugin_and_the_example(installed):
    tarball, _collections = installed
    with tarfile.open(tarball) as archive:
        names = set(archive.getnames())
    assert {'tests/oco_test_server/__main__.py', 'tests/oco_test_server/pytest_plugin.py',
            'tests/oco_test_server/store/schema.py', 'tests/oco_test_server/README.md',
            'docs/guides/simulated_oco/rollout.yml', 'docs/guides/simulated_oco/test_rollout.py'} <= names


def test_start_command_serves_and_agents_finish_jobs(installed):
    _tarball, collections = installed
    env = user_env(collections)
    shown = subprocess.run([sys.executable, '-m', PACKAGE, '--help'], env=env, capture_output=True, text=True, check=False,
                           cwd=str(collections.parent))
    assert shown.returncode == 0, shown.stderr
    help_text = shown.stdout
    for command in ('--agents SECONDS', 'agents_run', 'agent_update_job', 'agent_clock', 'housekeeping'):
        assert command in help_text

    process = subprocess.Popen([sys.executable, '-m', PACKAGE, '--port', '0', '--agents', '0.2'], env=env,
                               stdout=subprocess.PIPE, text=True, cwd=str(collections.parent))
    try:
        line = process.stdout.readline()
        assert line.startswith('OCO test server listening on http://127.0.0.1:'), line
        url = line.split()[-1]
        computer = admin(url, 'create_computer', hostname='pc-01')
        package = admin(url, 'create_package', family='Tools', version='1')
        deploy = {'name': 'rollout', 'computer_ids': [computer], 'package_ids': [package], 'date_start': '2020-01-01 00:00:00'}
        container = rpc(url, 'oco.job_container.deploy', deploy)
        assert wait_for_jobs(url, container['id']) == [3]
        assert admin(url, 'agent_clock_status')['running'] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def admin(url, command, **kwargs):
    return requests.post('%s/admin/%s' % (url, command), json=kwargs, timeout=10).json()


def rpc(url, method, data):
    answer = requests.post(url + '/api-client.php', auth=('admin', 'oco-admin-pw'), timeout=10,
                           headers={'Content-Type': 'application/json'},
                           data=json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': method, 'params': {'data': data}})).json()
    assert 'error' not in answer, answer
    return answer['result']['data']


def wait_for_jobs(url, container_id, rounds=150):
    """Job states once none is pending any more (the background agents move them every 0.2 s)."""
    states = []
    for _round in range(rounds):
        states = [job['state'] for job in rpc(url, 'oco.job_container.job.list', {'id': container_id})]
        if states and all(state not in (0, 1, 2) for state in states):
            return states
        time.sleep(0.2)
    return states


def test_guide_example_passes_from_the_installed_collection(installed, tmp_path):
    _tarball, collections = installed
    project = tmp_path / 'project'
    shutil.copytree(EXAMPLE, project)
    env = user_env(collections)
    where = subprocess.run([sys.executable, '-c', 'import %s.pytest_plugin as p; print(p.__file__)' % PACKAGE], env=env,
                           capture_output=True, text=True, check=True, cwd=str(project)).stdout.strip()
    assert Path(where).is_relative_to(collections)
    result = subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-p', PACKAGE + '.pytest_plugin',
                             '-q', 'test_rollout.py'], env=env, capture_output=True, text=True, check=False,
                            cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert '4 passed' in result.stdout
