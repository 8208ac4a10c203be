"""The pytest plugin users load (oco_test_server.pytest_plugin): fixture, options, errors.

Each case runs a small test file in its own pytest process, as a user's suite would.
"""

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

USER_TESTS = '''
import pytest
import requests


def call(server, method, auth=('admin', 'oco-admin-pw'), api_key=None, **kwargs):
    params = {'data': {}}
    if api_key:
        params['api_key'] = api_key
    body = {'jsonrpc': '2.0', 'id': 1, 'method': method, 'params': params}
    return requests.post(server.api_url, json=body, auth=auth, timeout=10, **kwargs).json()


def test_fresh_server_with_admin_door_and_counters(oco_server):
    assert oco_server.admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 0}]
    assert call(oco_server, 'oco.info')['result']['data']['version'] == '1.2.2'
    assert oco_server.admin.counters()['reads'] == 1
    assert oco_server.environment()['OCO_URL'] == oco_server.url
    assert oco_server.connection('reader')['password'] == 'oco-reader-pw'


def test_each_test_gets_its_own_server(oco_server):
    assert oco_server.admin.counters()['http_requests'] == 0


def test_fault_injection(oco_server):
    oco_server.admin.inject_fault('http503', method='oco.info')
    answer = requests.post(oco_server.api_url, auth=('admin', 'oco-admin-pw'), timeout=10,
                           json={'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': {}})
    assert answer.status_code == 503
    assert 'result' in call(oco_server, 'oco.info')    # one fault, then the server answers again


@pytest.mark.oco_server(api_key='k-1')
def test_api_key_option(oco_server):
    assert call(oco_server, 'oco.info')['error']['code'] == -32002
    assert 'result' in call(oco_server, 'oco.info', api_key='k-1')
    assert oco_server.environment()['OCO_API_KEY'] == 'k-1'


@pytest.mark.oco_server(https=True)
def test_https_option(oco_server):
    assert oco_server.url.startswith('https://')
    assert 'result' in call(oco_server, 'oco.info', verify=oco_server.connection()['ca_path'])
'''

BAD_OPTION = '''
import pytest


@pytest.mark.oco_server(colour='blue')
def test_unknown_option(oco_server):
    pass
'''


def run_user_suite(tmp_path, source):
    (tmp_path / 'test_user.py').write_text(source, encoding='utf-8')
    env = {k: v for k, v in os.environ.items() if not k.startswith('PYTEST_')}
    env['PYTHONPATH'] = str(TESTS)
    return subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-p', 'oco_test_server.pytest_plugin',
                           '-q', 'test_user.py'], cwd=str(tmp_path), env=env, capture_output=True, text=True, check=False)


def test_fixture_options_and_admin_door(tmp_path):
    result = run_user_suite(tmp_path, USER_TESTS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '5 passed' in result.stdout


def test_unknown_option_is_named(tmp_path):
    result = run_user_suite(tmp_path, BAD_OPTION)
    assert result.returncode != 0
    assert "unknown oco_server option(s): colour" in result.stdout + result.stderr
