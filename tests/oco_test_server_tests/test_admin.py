"""Admin door, counters, faults, fleet generator, command line and persistence."""

import os
import signal
import subprocess
import sys
import time

import pytest
import requests

from oco_test_server import OcoTestServer

from server_api import Api


def test_counters(api, admin):
    admin.reset_counters()
    api.ok('oco.info')
    api.ok('oco.computer.create', {'hostname': 'pc1'})
    api.post([{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list'}, {'jsonrpc': '2.0', 'id': 2, 'method': 'oco.nope'}])
    api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, auth=('admin', 'bad'))
    admin.create_computer('not-counted')
    assert admin.counters() == {'http_requests': 4, 'reads': 2, 'writes': 1,
                                'calls': {'oco.info': 1, 'oco.computer.create': 1, 'oco.computer.list': 1, 'oco.nope': 1}}
    admin.reset_counters()
    assert admin.counters() == {'http_requests': 0, 'calls': {}, 'reads': 0, 'writes': 0}


def test_admin_over_http(server):
    url = server.url + '/admin/'
    cid = requests.post(url + 'create_computer', json={'hostname': 'via-http', 'os': 'Ubuntu'}, timeout=10).json()
    assert cid == 1
    assert requests.post(url + 'counters', timeout=10).json()['http_requests'] == 0
    bad = requests.post(url + 'no_such_command', json={}, timeout=10)
    assert bad.status_code == 400 and 'unknown admin command' in bad.json()['error']
    bad = requests.post(url + 'create_computer', json={'hostname': 'x', 'bogus': 1}, timeout=10)
    assert bad.status_code == 400 and 'bogus' in bad.json()['error']


def test_fault_latency(api, admin):
    admin.inject_fault('latency', method='oco.info', seconds=0.3)
    assert len(admin.faults()) == 1
    start = time.monotonic()
    api.ok('oco.info')
    assert time.monotonic() - start >= 0.3
    # Used up by that one request: the next one is not delayed (no wall-clock bound needed to see it).
    assert admin.faults() == []
    api.ok('oco.info')


def test_fault_barrier_holds_requests_until_all_arrived(api, admin):
    """Three clients list computers, then create one each: all three lists answer before any create runs."""
    import threading  # pylint: disable=import-outside-toplevel
    admin.inject_fault('barrier', method='oco.computer.list', count=3, seconds=60)
    seen = []

    def client(name):
        seen.append(len(api.ok('oco.computer.list')['computers']))
        api.ok('oco.computer.create', {'hostname': name})

    threads = [threading.Thread(target=client, args=('pc%d' % n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    # At most two answers are held: nothing has been created yet, whatever the scheduling.
    assert admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 0}] and seen == []
    client('pc2')    # the third arrives and releases all three
    for thread in threads:
        thread.join(60)
    assert seen == [0, 0, 0]
    assert admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 3}]
    assert admin.faults() == []


def test_fault_http500_only_for_its_method(api, admin):
    admin.inject_fault('http500', method='oco.computer.create', count=2)
    api.ok('oco.info')
    for _attempt in range(2):
        assert api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create',
                         'params': {'data': {'hostname': 'x'}}}).status_code == 500
    assert api.ok('oco.computer.create', {'hostname': 'x'}) == {'id': '1'}


@pytest.mark.parametrize('kind, status', [('http502', 502), ('http503', 503), ('http504', 504)])
def test_fault_gateway_errors_run_nothing(api, admin, kind, status):
    admin.inject_fault(kind, method='oco.computer.create')
    answer = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create', 'params': {'data': {'hostname': 'x'}}})
    assert answer.status_code == status and answer.headers['Content-Type'] == 'text/html'
    assert admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 0}]
    assert api.ok('oco.computer.create', {'hostname': 'x'}) == {'id': '1'}


def test_fault_drop_executes_nothing(api, admin):
    admin.inject_fault('drop', method='oco.computer.create')
    with pytest.raises(requests.ConnectionError):
        api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create', 'params': {'data': {'hostname': 'x'}}})
    assert admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 0}]


def test_fault_commit_drop_executes(api, admin):
    admin.inject_fault('commit_drop')
    with pytest.raises(requests.ConnectionError):
        api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create', 'params': {'data': {'hostname': 'x'}}})
    assert admin.sql('SELECT hostname FROM computer') == [{'hostname': 'x'}]
    assert admin.faults() == []
    admin.inject_fault('drop', count=5)
    admin.clear_faults()
    api.ok('oco.info')


def test_user_management(api, admin):
    admin.create_user('temp', 'pw1')
    assert api.ok('oco.info', auth=('temp', 'pw1'))
    admin.set_user('temp', password='pw2')
    assert api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, auth=('temp', 'pw1')).status_code == 401
    admin.set_user('temp', locked=True)
    assert api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, auth=('temp', 'pw2')).text.endswith('User locked')
    admin.set_user('temp', locked=False, role='readonly')
    assert api.err('oco.computer.create', {'hostname': 'x'}, auth=('temp', 'pw2'))[0] == -32002


def test_fleet_10000(api, admin):
    # How fast: tests/benchmarks (figures printed there, not timed here).
    summary = admin.generate_fleet(computers=10000, groups=300, depth=3, families=12, packages_per_family=3, seed=1)
    assert len(summary['computer_ids']) == 10000 and len(summary['group_ids']) == 300
    assert len(summary['group_levels']) == 3 and len(summary['package_ids']) == 36
    data = api.ok('oco.computer.list')
    computers = data['computers']
    assert len(computers) == 10000 and computers[0]['hostname'] == 'pc-00001'
    assert computers[0]['agent_key'] and computers[0]['server_key']
    assert {c['os'].split()[0] for c in computers} == {'Windows', 'Ubuntu', 'macOS'}
    assert len(data['groups']) == len(summary['root_group_ids'])
    rows = api.ok('oco.report.execute', {'id': summary['report_ids']['windows_computers']})
    assert rows and 'computer_id' in rows[0]
    rows = api.ok('oco.report.execute', {'id': summary['report_ids']['first_family_packages']})
    assert len(rows) == 3 and 'package_id' in rows[0]
    leaf = summary['group_levels'][-1][0]
    assert api.ok('oco.computer.list', {'computer_group_id': leaf})['name']
    assert api.ok('oco.package.create', {'package_family_name': 'New', 'version': '1', 'install_procedure': 'x'})


def test_file_state_survives_restart(tmp_path):
    db = str(tmp_path / 'oco.db')
    with OcoTestServer(db=db, api_key='key1') as server:
        Api(server).ok('oco.computer.create', {'hostname': 'persistent'}, api_key='key1')
    with OcoTestServer(db=db) as server:
        assert Api(server).ok('oco.computer.list', api_key='key1')['computers'][0]['hostname'] == 'persistent'


def test_https():
    with OcoTestServer(https=True) as server:
        assert server.url.startswith('https://')
        response = requests.post(server.api_url, data='{"jsonrpc":"2.0","id":1,"method":"oco.info"}',
                                 headers={'Content-Type': 'application/json'}, auth=('admin', 'oco-admin-pw'),
                                 verify=server.ca_path, timeout=10)
        assert response.json()['result']['data']['version'] == '1.2.2'


def test_command_line(tmp_path):
    db = str(tmp_path / 'cli.db')
    env = dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), '..'))
    for expected in (30, 30):
        with subprocess.Popen([sys.executable, '-m', 'oco_test_server', '--port', '0', '--db', db, '--fleet', '30',
                               '--api-key', 'k'], stdout=subprocess.PIPE, env=env, text=True) as proc:
            try:
                line = proc.stdout.readline()
                assert line.startswith('OCO test server listening on http://127.0.0.1:')
                url = line.split()[-1]
                answer = requests.post(url + '/api-client.php', auth=('admin', 'oco-admin-pw'), timeout=10,
                                       headers={'Content-Type': 'application/json'},
                                       data='{"jsonrpc":"2.0","id":1,"method":"oco.computer.list","params":{"api_key":"k"}}').json()
                assert len(answer['result']['data']['computers']) == expected
            finally:
                proc.send_signal(signal.SIGTERM)
                assert proc.wait(timeout=10) == 0
