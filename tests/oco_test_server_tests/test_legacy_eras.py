"""The test server's later legacy releases, 0.13.3, 0.15.5 and 1.0.2: methods, argument
names, row fields, envelope and HTTP statuses of each, in raw HTTP as a client sees them."""

import base64
import json

import pytest
import requests

from oco_test_server import OcoTestServer

ADMIN = ('admin', 'oco-admin-pw')
READER = ('reader', 'oco-reader-pw')


class Raw:
    def __init__(self, server, api_key=''):
        self.url = server.api_url
        self.api_key = api_key
        self.session = requests.Session()

    def call(self, method, data=None, auth=ADMIN, api_key=None):
        body = {'jsonrpc': '2.0', 'id': 7, 'method': method,
                'params': {'api_key': self.api_key if api_key is None else api_key, 'data': data or {}}}
        response = self.session.post(self.url, data=json.dumps(body), auth=auth,
                                     headers={'Content-Type': 'application/json'}, timeout=30)
        if response.headers.get('Content-Type') != 'application/json':
            return response.status_code, response.text
        return response.status_code, response.json()

    def ok(self, method, data=None):
        status, answer = self.call(method, data)
        assert status == 200 and answer['result']['success'] is True, answer
        assert 'jsonrpc' not in answer
        return answer['result']['data']


@pytest.fixture(name='make')
def make_fixture():
    servers = []

    def make(version, **kwargs):
        server = OcoTestServer(legacy=version, **kwargs).start()
        servers.append(server)
        pc1 = server.admin.create_computer('pc1', os='Windows', networks=[
            {'address': '10.0.0.1', 'mac': 'aa:bb:cc:dd:ee:01', 'interface': 'eth0'}])
        pkg = server.admin.create_package('Editor', '1.0', install_procedure='setup.exe')
        return server, Raw(server), pc1, pkg
    yield make
    for server in servers:
        server.close()


@pytest.mark.parametrize('version', ['0.13.3', '0.15.5', '1.0.2'])
def test_method_errors_carry_http_statuses_since_0_13(make, version):
    server, api, _pc1, _pkg = make(version)
    assert server.version == version
    assert api.call('oco.computer.get', {'id': 99}) == (404, {'id': 7, 'error': 'Not found', 'result': {'success': False}})
    assert api.call('oco.no.such.method') == (400, {'id': 7, 'error': 'Unknown Method', 'result': {'success': False}})
    status, answer = api.call('oco.computer.create', {'hostname': 'x'}, auth=READER)
    assert status == 403 and answer['error'] == 'Permission denied. You do not have the necessary rights.'


def test_0_9_0_answers_every_method_error_with_200(make):
    _server, api, _pc1, _pkg = make('0.9.0')
    assert api.call('oco.computer.get', {'id': 99}) == (200, {'id': 7, 'error': 'Not found', 'result': {'success': False, 'data': []}})


@pytest.mark.parametrize('version', ['0.13.3', '0.15.5', '1.0.2'])
def test_a_wrong_api_key_is_answered_after_login_with_200(make, version):
    server, api, _pc1, _pkg = make(version)
    server.admin.set_setting('client-api-key', 'secret')
    assert api.call('oco.computer.list', api_key='wrong') == (
        200, {'id': 7, 'error': 'Invalid API Key', 'result': {'success': False, 'data': []}})
    assert api.call('oco.computer.list', api_key='wrong', auth=('admin', 'bad')) == (401, 'HTTP Basic Auth: Login failed')
    assert api.call('oco.computer.list', api_key='secret')[0] == 200


@pytest.mark.parametrize('version, old_names', [('0.13.3', True), ('0.15.5', False), ('1.0.2', False)])
def test_method_names_changed_in_0_15_0(make, version, old_names):
    _server, api, pc1, pkg = make(version)
    known, unknown = ('oco.deploy', 'oco.job_container.deploy') if old_names else ('oco.job_container.deploy', 'oco.deploy')
    assert api.call(unknown, {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg]})[1]['error'] == 'Unknown Method'
    container = api.ok(known, {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg]})
    jobs = api.ok('oco.job.list' if old_names else 'oco.job_container.job.list', {'id': container['id']})
    assert ('package_procedure' in jobs[0]) is old_names and ('procedure' in jobs[0]) is not old_names
    assert ('last_update' in jobs[0]) is old_names and ('execution_started' in jobs[0]) is not old_names


@pytest.mark.parametrize('version, plain', [('0.13.3', True), ('0.15.5', False), ('1.0.2', False)])
def test_lists_became_objects_with_groups_in_0_15_2(make, version, plain):
    _server, api, _pc1, pkg = make(version)
    computers = api.ok('oco.computer.list')
    assert isinstance(computers, list) is plain
    status, answer = api.call('oco.package.list', {'id': 1, 'package_family_id': 1})
    packages = answer['result']['data']
    if plain:
        assert answer['error'] is None and packages[0]['id'] == str(pkg)
        assert api.call('oco.report.list')[0] == 400
    else:
        # The rewritten package.list forgot `error` on success until 1.0.3.
        assert status == 200 and 'error' not in answer and packages['packages'][0]['id'] == str(pkg)
        assert 'reports' in api.ok('oco.report.list')
    networks = api.ok('oco.computer.get', {'id': 1})['networks']
    assert ('addr' in networks[0]) is plain and ('address' in networks[0]) is not plain


@pytest.mark.parametrize('version, names', [
    ('0.13.3', ('file', 'package_family_name')), ('0.15.5', ('files', 'package_family_name')),
    ('1.0.2', ('files', 'package_family_name'))])
def test_package_create_reads_its_release_arguments(make, version, names):
    server, api, _pc1, _pkg = make(version)
    content = base64.b64encode(b'MZ payload').decode()
    files_key, family_key = names
    both = {'version': '2', 'install_procedure': 'x.exe', 'name': 'ByName', 'package_family_name': 'ByFamily',
            'file': content, 'file_name': 'one.exe', 'files': [{'name': 'many.exe', 'content': content}]}
    created = api.ok('oco.package.create', both)
    row = server.admin.sql('SELECT f.name FROM package p JOIN package_family f ON f.id = p.package_family_id WHERE p.id = ?',
                           [int(created['id'])])
    assert row == [{'name': 'ByFamily' if family_key == 'package_family_name' else 'ByName'}]
    stored = server.admin.sql('SELECT COUNT(*) AS n FROM package_payload WHERE package_id = ?', [int(created['id'])])
    assert stored[0]['n'] == 1
    # Only the argument of the release carries the payload.
    only_other = {k: v for k, v in both.items() if k not in (files_key, 'version')}
    other = api.ok('oco.package.create', dict(only_other, version='3'))
    assert server.admin.sql('SELECT COUNT(*) AS n FROM package_payload WHERE package_id = ?', [int(other['id'])])[0]['n'] == 0


@pytest.mark.parametrize('version, param', [('0.13.3', 'constraint_ip_ranges'), ('0.15.5', 'constraint_ip_ranges'),
                                            ('1.0.2', 'agent_ip_ranges')])
def test_ip_ranges_and_time_frames_by_release(make, version, param):
    server, api, pc1, pkg = make(version)
    name = 'oco.deploy' if version < '0.15' else 'oco.job_container.deploy'
    other = 'agent_ip_ranges' if param == 'constraint_ip_ranges' else 'constraint_ip_ranges'
    api.ok(name, {'name': 'read', 'computer_ids': [pc1], 'package_ids': [pkg], param: ['10.0.0.0/8'],
                  'time_frames': ['8:00-17:00']})
    api.ok(name, {'name': 'ignored', 'computer_ids': [pc1], 'package_ids': [pkg], other: ['10.0.0.0/8']})
    rows = {r['name']: r for r in server.admin.sql('SELECT name, agent_ip_ranges, time_frames FROM job_container')}
    assert rows['read']['agent_ip_ranges'] == '10.0.0.0/8' and rows['ignored']['agent_ip_ranges'] is None
    assert bool(rows['read']['time_frames']) is (version == '1.0.2')
    container = api.ok('oco.job_container.list')[0]
    assert ('time_frames' in container) is (version == '1.0.2') and 'agent_ip_ranges' in container


def test_php8_hosts_answer_numbers_and_created_ids_as_strings(make):
    _server, api, pc1, pkg = make('1.0.2', legacy_ints=True)
    computers = api.ok('oco.computer.list')['computers']
    assert computers[0]['id'] == pc1 and isinstance(computers[0]['id'], int)
    created = api.ok('oco.job_container.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg]})
    assert isinstance(created['id'], str)


def test_rules_lost_auto_uninstall_in_1_0_2(make):
    for version, has in (('0.15.5', True), ('1.0.2', False)):
        server, api, _pc1, _pkg = make(version)
        group = server.admin.create_computer_group('G')
        package_group = server.admin.create_package_group('P')
        server.admin.create_deployment_rule('R', group, package_group)
        assert ('auto_uninstall' in api.ok('oco.deployment_rule.list')[0]) is has
