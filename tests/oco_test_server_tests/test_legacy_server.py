"""The legacy mode of the test server: the v0.9.0 client API (README.md of the test server, "Legacy mode")."""

import base64
import json

import pytest
import requests

from oco_test_server import OcoTestServer

ADMIN = ('admin', 'oco-admin-pw')
READER = ('reader', 'oco-reader-pw')
PNG = b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe'


class LegacyApi:
    def __init__(self, server):
        self.server = server
        self.url = server.api_url
        self.session = requests.Session()

    def post(self, body, auth=ADMIN, content_type='application/json', raw=None):
        data = raw if raw is not None else json.dumps(body)
        return self.session.post(self.url, data=data, auth=auth, headers={'Content-Type': content_type}, timeout=30)

    def call(self, method, data=None, direct=None, request_id=1, auth=ADMIN):
        params = dict(direct or {})
        if data is not None:
            params['data'] = data
        response = self.post({'jsonrpc': '2.0', 'id': request_id, 'method': method, 'params': params}, auth=auth)
        assert response.status_code == 200, response.text
        return response.json()

    def ok(self, method, data=None, **kwargs):
        answer = self.call(method, data, **kwargs)
        assert set(answer) == {'id', 'error', 'result'}, answer
        assert answer['error'] is None and answer['result']['success'] is True, answer
        return answer['result']['data']

    def err(self, method, data=None, **kwargs):
        answer = self.call(method, data, **kwargs)
        assert set(answer) == {'id', 'error', 'result'}, answer
        assert answer['result'] == {'success': False, 'data': []}, answer
        return answer['error']


@pytest.fixture(name='server')
def legacy_server_fixture():
    with OcoTestServer(legacy=True) as srv:
        yield srv


@pytest.fixture(name='api')
def legacy_api_fixture(server):
    return LegacyApi(server)


def fleet(admin):
    pc1 = admin.create_computer('pc1', os='Windows 10', os_version='10.0', networks=[
        {'address': '10.0.0.1', 'netmask': '255.0.0.0', 'mac': 'aa:bb:cc:dd:ee:01', 'interface': 'pc1.example'}])
    pc2 = admin.create_computer('pc2', os='Linux', os_version='6.1')
    pkg = admin.create_package('Editor', '1.0', install_procedure='setup.exe', uninstall_procedure='remove.exe',
                               install_procedure_post_action=1, uninstall_procedure_post_action=2)
    return pc1, pc2, pkg


# ------------------------------------------------------------------ transport

def test_reports_version_0_9_0(server):
    assert server.version == '0.9.0'


def test_disabled_api_is_405(server, api):
    server.admin.set_setting('api_enabled', '0')
    assert api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list', 'params': {}}).status_code == 405


def test_content_type_must_be_exact(api):
    response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list', 'params': {}},
                        content_type='application/json; charset=utf-8')
    assert response.status_code == 400 and response.content == b''


@pytest.mark.parametrize('body', [
    [{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list', 'params': {}}],     # a batch
    {'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list'},                      # params missing
    {'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list', 'params': None},      # params null
    {'jsonrpc': '1.0', 'id': 1, 'method': 'oco.computer.list', 'params': {}},
    {'jsonrpc': '2.0', 'method': 'oco.computer.list', 'params': {}},                 # no id
    {'jsonrpc': '2.0', 'id': 1, 'params': {}},
])
def test_invalid_bodies_are_400_before_authentication(api, body):
    response = api.post(body, auth=('nobody', 'wrong'))
    assert (response.status_code, response.reason, response.content) == (400, 'Payload Corrupt', b'')


def test_batch_runs_nothing(server, api):
    api.post([{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create', 'params': {'data': {'hostname': 'x'}}}])
    assert server.admin.sql('SELECT COUNT(*) AS n FROM computer')[0]['n'] == 0


def test_bad_credentials_are_401_with_text_body(api):
    response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list', 'params': {}}, auth=('admin', 'wrong'))
    assert response.status_code == 401
    assert response.text == 'HTTP Basic Auth: Login failed'


def test_any_valid_user_may_do_everything(api):
    # No roles before v0.13: the read-only user of the current server writes here.
    assert api.ok('oco.computer.create', {'hostname': 'by-reader'}, auth=READER) == {'id': '1'}


def test_no_api_key_is_checked(server, api):
    server.admin.set_setting('api_key', 'secret')
    assert api.ok('oco.computer.list', {}) == []


# ------------------------------------------------------------------ envelope

def test_success_envelope_has_no_jsonrpc_member_and_error_null(api):
    answer = api.call('oco.computer.list', {}, request_id='abc')
    assert answer == {'id': 'abc', 'error': None, 'result': {'success': True, 'data': []}}


def test_failure_envelope_is_a_string_with_http_200(api):
    assert api.err('oco.computer.get', {'id': 42}) == 'Not found'


def test_failure_messages_are_localised(api):
    response = api.session.post(api.url, auth=ADMIN, headers={'Content-Type': 'application/json', 'Accept-Language': 'de'},
                                data=json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.get',
                                                 'params': {'data': {'id': 42}}}))
    assert response.json()['error'] == 'Nicht gefunden'


@pytest.mark.parametrize('method', [
    'oco.info', 'oco.computer.add_to_group', 'oco.computer.remove_from_group', 'oco.package.add_to_group',
    'oco.package.remove_from_group', 'oco.report.list', 'oco.deployment_rule.list', 'oco.deployment_rule.job.list',
    'oco.package.create', 'oco.job_container.deploy', 'oco.job_container.uninstall', 'oco.job_container.job.list',
    'oco.job_container.job.remove', 'no.such.method'])
def test_methods_v0_9_0_lacks_are_unknown(server, api, method):
    answer = api.call(method, {})
    assert answer == {'id': 1, 'error': 'Unknown Method', 'result': {'success': False}}
    assert server.admin.counters()['writes'] == 0


def test_arguments_in_params_and_in_params_data_data_wins(server, api):
    pc1 = fleet(server.admin)[0]
    assert api.ok('oco.computer.get', direct={'id': pc1})['general']['hostname'] == 'pc1'
    assert api.ok('oco.computer.get', {'id': pc1}, direct={'id': 999})['general']['hostname'] == 'pc1'
    assert api.err('oco.computer.get', {'id': 999}, direct={'id': pc1}) == 'Not found'


def test_every_value_is_a_string(server, api):
    fleet(server.admin)
    computer = api.ok('oco.computer.list', {})[0]
    assert computer['id'] == '1'
    assert all(value is None or isinstance(value, str) for value in computer.values())


def test_binary_icon_empties_the_answer(server, api):
    server.admin.create_package_family('Iconic', icon=base64.b64encode(PNG).decode())
    response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.package_family.list', 'params': {}})
    assert (response.status_code, response.content) == (200, b'')


def test_counters_count_legacy_method_names(server, api):
    fleet(server.admin)
    server.admin.reset_counters()
    api.ok('oco.computer.list', {})
    api.ok('oco.computer.create', {'hostname': 'new'})
    counters = server.admin.counters()
    assert counters['calls'] == {'oco.computer.list': 1, 'oco.computer.create': 1}
    assert (counters['reads'], counters['writes']) == (1, 1)


# ------------------------------------------------------------------ shapes

def test_computer_list_is_a_plain_list_without_newer_columns(server, api):
    fleet(server.admin)
    computers = api.ok('oco.computer.list', {})
    assert [c['hostname'] for c in computers] == ['pc1', 'pc2']
    for newer in ('uid', 'remote_address', 'battery_level', 'uptime', 'force_update', 'created_by_system_user_id', 'domain'):
        assert newer not in computers[0]
    assert {'agent_key', 'server_key', 'os_license', 'os_locale'} <= set(computers[0])


def test_computer_get_old_sections_and_field_names(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    server.admin.add_installation(pc1, pkg)
    server.admin.set_inventory(pc1, logins=[{'username': 'hulk', 'timestamp': '2021-06-01 10:00:00'}])
    data = api.ok('oco.computer.get', {'id': pc1})
    assert sorted(data) == sorted(['general', 'logins', 'networks', 'screens', 'printers', 'filesystems',
                                   'recognised_software', 'installed_packages', 'pending_jobs'])
    assert data['networks'] == [{'id': '1', 'nic_number': '0', 'addr': '10.0.0.1', 'netmask': '255.0.0.0', 'broadcast': '',
                                 'mac': 'aa:bb:cc:dd:ee:01', 'domain': 'pc1.example'}]
    assert data['logins'][0]['domainuser_username'] == 'hulk' and 'domain_user_username' not in data['logins'][0]
    installed = data['installed_packages'][0]
    assert (installed['package_name'], installed['package_version'], installed['computer_id']) == ('Editor', '1.0', None)


def test_package_family_list_and_package_list_by_family_id(server, api):
    pkg = fleet(server.admin)[2]
    families = api.ok('oco.package_family.list', {})
    assert families == [{'id': '1', 'name': 'Editor', 'notes': '', 'icon': None}]
    packages = api.ok('oco.package.list', {'id': 1})
    assert [p['id'] for p in packages] == [str(pkg)]
    row = packages[0]
    assert (row['name'], row['author'], row['install_procedure_restart'], row['install_procedure_shutdown'],
            row['uninstall_procedure_restart'], row['uninstall_procedure_shutdown']) == ('Editor', 'admin', '1', '0', '0', '1')
    assert row['last_update'] == row['created']
    for newer in ('package_family_name', 'upgrade_behavior', 'line_endings', 'compatible_architecture', 'license_count',
                  'install_procedure_post_action', 'created_by_system_user_id'):
        assert newer not in row
    # The current argument name means nothing to v0.9.0.
    assert api.ok('oco.package.list', {'package_family_id': 1}) == []
    assert api.ok('oco.package.list', {'id': 77}) == []


def test_package_get_has_no_groups(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    server.admin.add_installation(pc1, pkg)
    data = api.ok('oco.package.get', {'id': pkg})
    assert sorted(data) == ['general', 'installations', 'pending_jobs']
    assert data['installations'][0]['computer_hostname'] == 'pc1'


# ------------------------------------------------------------------ deploy and jobs

def test_deploy_jobs_and_container_in_old_shapes(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    container_id = api.ok('oco.deploy', {'name': 'Roll out', 'computer_ids': [pc1], 'package_ids': [pkg],
                                         'restart_timeout': 10, 'use_wol': 0})['id']
    assert container_id == '1'
    jobs = api.ok('oco.job.list', {'id': container_id})
    assert len(jobs) == 1
    job = jobs[0]
    assert (job['package_procedure'], job['restart'], job['shutdown'], job['package_name'], job['state']) == (
        'setup.exe', '10', '-1', 'Editor', '0')
    assert 'procedure' not in job and 'post_action' not in job and 'execution_finished' not in job
    container = api.ok('oco.job_container.list', {})[0]
    assert set(container) == {'id', 'name', 'author', 'start_time', 'end_time', 'notes', 'wol_sent', 'created', 'last_update'}
    assert (container['author'], container['wol_sent']) == ('admin', '-1')
    pending = api.ok('oco.computer.get', {'id': pc1})['pending_jobs'][0]
    assert (pending['procedure'], pending['package_procedure'], pending['restart'], pending['job_container_name']) == (
        'setup.exe', None, '10', 'Roll out')


def test_deploy_ignores_options_v0_9_0_did_not_have(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    api.ok('oco.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg], 'sequence_mode': 1, 'priority': 50,
                          'agent_ip_ranges': ['10.0.0.0/8'], 'time_frames': ['8:00-9:00']})
    row = server.admin.sql('SELECT sequence_mode, priority, agent_ip_ranges, time_frames FROM job_container')[0]
    assert row == {'sequence_mode': 0, 'priority': 0, 'agent_ip_ranges': None, 'time_frames': None}


def test_deploy_validation_messages(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    assert api.err('oco.deploy', {'name': ' ', 'computer_ids': [pc1], 'package_ids': [pkg]}) == 'The name cannot be empty'
    assert api.err('oco.deploy', {'name': 'x', 'computer_ids': [99], 'package_ids': [pkg]}).startswith(
        'Your request did not produced any jobs')


def test_single_group_id_contributes_nothing_two_do(server, api):
    pc1, pc2, pkg = fleet(server.admin)
    group = server.admin.create_computer_group('Lab')
    other = server.admin.create_computer_group('Empty')
    server.admin.add_computer_to_group(pc1, group)
    server.admin.add_computer_to_group(pc2, group)
    assert api.err('oco.deploy', {'name': 'one', 'computer_group_ids': [group], 'package_ids': [pkg]}).startswith(
        'Your request did not produced any jobs')
    cid = api.ok('oco.deploy', {'name': 'two', 'computer_group_ids': [group, other], 'package_ids': [pkg]})['id']
    assert sorted(j['computer_hostname'] for j in api.ok('oco.job.list', {'id': cid})) == ['pc1', 'pc2']


def test_os_check_is_one_exact_comparison(server, api):
    pc1, pc2 = fleet(server.admin)[:2]
    # The current server accepts any line of a multi-line list; v0.9.0 compared the whole text.
    pkg = server.admin.create_package('Tool', '2', install_procedure='t', compatible_os='Windows 10\nLinux')
    win = server.admin.create_package('WinTool', '1', install_procedure='w', compatible_os='Windows 10')
    cid = api.ok('oco.deploy', {'name': 'os', 'computer_ids': [pc1, pc2], 'package_ids': [pkg, win]})['id']
    states = {(j['computer_hostname'], j['package_name']): j['state'] for j in api.ok('oco.job.list', {'id': cid})}
    assert states == {('pc1', 'Tool'): '-3', ('pc1', 'WinTool'): '0', ('pc2', 'Tool'): '-3', ('pc2', 'WinTool'): '-3'}


def test_auto_uninstall_jobs_even_for_the_same_version_and_no_already_installed_state(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    server.admin.add_installation(pc1, pkg)
    cid = api.ok('oco.deploy', {'name': 're', 'computer_ids': [pc1], 'package_ids': [pkg]})['id']
    jobs = api.ok('oco.job.list', {'id': cid})
    assert [(j['is_uninstall'], j['state'], j['sequence']) for j in jobs] == [('1', '0', '1'), ('0', '0', '2')]
    cid = api.ok('oco.deploy', {'name': 'plain', 'computer_ids': [pc1], 'package_ids': [pkg],
                                'auto_create_uninstall_jobs': 0})['id']
    assert [(j['is_uninstall'], j['state']) for j in api.ok('oco.job.list', {'id': cid})] == [('0', '0')]


def test_uninstall_returns_null_id_and_agents_complete_legacy_jobs(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    cid = api.ok('oco.deploy', {'name': 'in', 'computer_ids': [pc1], 'package_ids': [pkg], 'date_start': '2020-01-01 00:00:00',
                                'use_wol': 0})['id']
    moved = server.admin.agents_run()
    assert [m['state'] for m in moved] == [3]
    assert api.ok('oco.job.list', {'id': cid})[0]['state'] == '3'
    installation = api.ok('oco.computer.get', {'id': pc1})['installed_packages'][0]
    assert api.ok('oco.uninstall', {'name': 'out', 'installation_ids': [installation['id']],
                                    'date_start': '2020-01-01 00:00:00'}) == {'id': None}
    server.admin.agents_run()
    assert api.ok('oco.computer.get', {'id': pc1})['installed_packages'] == []


def test_remove_methods_by_old_names(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    server.admin.add_installation(pc1, pkg)
    cid = api.ok('oco.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg]})['id']
    jobs = api.ok('oco.job.list', {'id': cid})
    assert api.ok('oco.job.remove', {'id': jobs[0]['id']}) == []
    assert len(api.ok('oco.job.list', {'id': cid})) == len(jobs) - 1
    installation = api.ok('oco.computer.get', {'id': pc1})['installed_packages'][0]
    assert api.ok('oco.remove_installation_assignment', {'id': installation['id']}) == []
    assert api.ok('oco.job_container.remove', {'id': cid}) == []
    assert api.err('oco.job_container.remove', {'id': cid}) == 'Not found'


def test_computer_remove_has_no_force_and_ignores_pending_jobs(server, api):
    pc1, pkg = fleet(server.admin)[0::2]
    api.ok('oco.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg]})
    assert api.ok('oco.computer.remove', {'id': pc1, 'force': False}) == []
    assert api.err('oco.computer.remove', {'id': pc1}) == 'Not found'
    assert api.ok('oco.package.remove', {'id': pkg, 'force': 0}) == []


def test_create_wol_and_report_execute(server, api):
    pc1 = fleet(server.admin)[0]
    assert api.ok('oco.computer.create', {'hostname': 'new', 'notes': 'n'}) == {'id': '3'}
    assert api.err('oco.computer.create', {'hostname': 'NEW'}) == 'This hostname already exists'
    assert api.ok('oco.computer.wol', {'id': pc1}) == []
    assert server.admin.wol_log()[0]['mac'] == 'aa:bb:cc:dd:ee:01'
    report = server.admin.create_report('hosts', 'SELECT id AS computer_id, hostname FROM computer ORDER BY id')
    assert api.ok('oco.report.execute', {'id': report}) == [
        {'computer_id': '1', 'hostname': 'pc1'}, {'computer_id': '2', 'hostname': 'pc2'}, {'computer_id': '3', 'hostname': 'new'}]
