"""Things a naive client (or test double) gets wrong about a real server: one test per point, at the HTTP/JSON level."""

import base64
import urllib.error
import urllib.request

import requests

from oco_test_server import OcoTestServer
from server_api import Api

PAST = '2020-01-01 00:00:00'
PERMISSION_DENIED = 'Permission denied. You do not have the necessary rights.'
NO_JOBS = 'Your request did not produced any jobs. Please check if you have at least one computer and one package selected.'
ACTIVE_JOBS = ('The object could not be deleted because there are still active jobs referencing this object. '
               'Please delete the corresponding jobs first, then try again.')
INFO = {'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}


def rpc(method, data=None, request_id=1, **params):
    params['data'] = data if data is not None else {}
    return {'jsonrpc': '2.0', 'id': request_id, 'method': method, 'params': params}


def deploy(api, **data):
    data.setdefault('name', 'job')
    data.setdefault('date_start', PAST)
    return api.ok('oco.job_container.deploy', data)['id']


def test_point_01_content_type_exactly_application_json(api):
    for ctype in ('application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON', 'text/json'):
        response = api.post(INFO, headers={'Content-Type': ctype})
        assert response.status_code == 400, ctype
        assert response.content == b''
        assert response.reason == 'Content Type Mismatch'
    response = api.post(INFO, headers={'Content-Type': 'application/json'})
    assert response.status_code == 200 and response.json()['result']['success'] is True


def test_point_02_basic_auth_is_preemptive_never_challenged(server):
    url = server.url + '/api-client.php'
    body = b'{"jsonrpc":"2.0","id":1,"method":"oco.info"}'
    bare = requests.post(url, data=body, headers={'Content-Type': 'application/json'}, timeout=10)
    assert bare.status_code == 401
    assert 'WWW-Authenticate' not in bare.headers
    assert bare.text == 'HTTP Basic Auth: The user name cannot be empty'
    # urllib's challenge-driven handler waits for a WWW-Authenticate header that never comes.
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, 'admin', 'oco-admin-pw')
    opener = urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(manager))
    request = urllib.request.Request(url, data=body, headers={'Content-Type': 'application/json'})
    try:
        opener.open(request, timeout=10)
        raise AssertionError('the challenge-driven handler must not get through')
    except urllib.error.HTTPError as exc:
        assert exc.code == 401
    token = base64.b64encode(b'admin:oco-admin-pw').decode()
    request = urllib.request.Request(url, data=body, headers={'Content-Type': 'application/json', 'Authorization': 'Basic ' + token})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def test_point_03_arguments_in_params_data_api_key_beside_it(api, admin):
    admin.set_setting('api_key', 'k3y')
    direct = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create', 'params': {'api_key': 'k3y', 'hostname': 'pc1'}})
    assert direct.json()['error'] == {'code': -32001, 'message': 'The host name cannot be empty', 'data': None}
    wrapped = api.post(rpc('oco.computer.create', {'hostname': 'pc1'}, api_key='k3y')).json()
    assert wrapped['result'] == {'success': True, 'data': {'id': '1'}}
    # api_key inside data is not looked at.
    misplaced = api.post(rpc('oco.computer.create', {'hostname': 'pc2', 'api_key': 'k3y'})).json()
    assert misplaced['error']['code'] == -32002


def test_point_04_wrong_api_key_is_permission_denied(api, admin):
    admin.set_setting('api_key', 'right')
    for params in ({'api_key': 'wrong'}, {}, {'api_key': None}):
        answer = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': params}).json()
        assert answer['error'] == {'code': -32002, 'message': PERMISSION_DENIED, 'data': None}
    assert 'invalid' not in api.err('oco.info', api_key='wrong')[1].lower()
    # Same answer as a missing object permission: a client cannot tell the two apart.
    admin.set_setting('api_key', '')
    cid = admin.create_computer('pc1')
    admin.create_user('noread', 'pw', role={'Special\\ClientApi': True})
    assert api.err('oco.computer.get', {'id': cid}, auth=('noread', 'pw')) == (-32002, PERMISSION_DENIED)


def test_point_05_success_has_no_error_key_failure_no_result(api):
    success = api.post(INFO).json()
    assert set(success) == {'jsonrpc', 'id', 'result'}
    assert set(success['result']) == {'success', 'data'} and success['result']['success'] is True
    failure = api.post(rpc('oco.computer.get', {'id': 42})).json()
    assert set(failure) == {'jsonrpc', 'id', 'error'}
    assert failure['error'] == {'code': -32003, 'message': 'Not found', 'data': None}
    raw = api.post(INFO).content
    assert b'"error"' not in raw


def test_point_06_rpc_errors_http_200_transport_errors_bare(api, admin):
    for method, data in (('oco.nope', {}), ('oco.computer.get', {'id': 9}), ('oco.computer.create', {})):
        response = api.post(rpc(method, data))
        assert response.status_code == 200
        assert response.headers['Content-Type'] == 'application/json'
        assert 'error' in response.json()
    corrupt = api.post(None, raw='{not json')
    assert corrupt.status_code == 400 and corrupt.content == b'' and corrupt.reason == 'Payload Corrupt'
    unauthorized = api.post(INFO, auth=('admin', 'wrong'))
    assert unauthorized.status_code == 401 and unauthorized.text == 'HTTP Basic Auth: Login failed'
    assert unauthorized.headers['Content-Type'].startswith('text/html')
    admin.set_setting('api_enabled', 0)
    disabled = api.post(INFO)
    assert disabled.status_code == 405 and disabled.content == b'' and disabled.reason == 'API Disabled'


def test_point_07_uninstall_returns_null_id(api, admin):
    cid = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1.0', uninstall_procedure='uninstall.cmd')
    assignment = admin.add_installation(cid, pid)
    response = api.post(rpc('oco.job_container.uninstall', {'name': 'remove', 'installation_ids': [assignment]}))
    assert b'"data":{"id":null}' in response.content
    assert response.json()['result']['data'] == {'id': None}
    containers = api.ok('oco.job_container.list')
    assert [c['name'] for c in containers] == ['remove']


def test_point_08_created_ids_are_strings_row_ids_ints(api):
    computer_id = api.ok('oco.computer.create', {'hostname': 'pc1'})['id']
    package_id = api.ok('oco.package.create', {'package_family_name': 'F', 'version': '1', 'install_procedure': 'x'})['id']
    container_id = deploy(api, computer_ids=[int(computer_id)], package_ids=[int(package_id)])
    assert (computer_id, package_id, container_id) == ('1', '1', '1')
    assert api.ok('oco.computer.list')['computers'][0]['id'] == 1
    assert api.ok('oco.package.get', {'id': package_id})['general']['id'] == 1
    assert api.ok('oco.job_container.list')[0]['id'] == 1
    with OcoTestServer(stringify=True) as old_php:
        old = Api(old_php)
        assert old.ok('oco.computer.create', {'hostname': 'pc1'}) == {'id': '1'}
        row = old.ok('oco.computer.list')['computers'][0]
        assert row['id'] == '1' and row['force_update'] == '0'


def test_point_09_empty_results_are_json_arrays(api, admin):
    cid = admin.create_computer('pc1', networks=[{'mac': 'aa:bb:cc:dd:ee:ff'}])
    gid = admin.create_computer_group('g')
    pid = admin.create_package('Fam', '1')
    assignment = admin.add_installation(cid, pid)
    report = admin.create_report('none', 'SELECT id FROM computer WHERE 0')
    calls = [('oco.computer.add_to_group', {'computer_id': cid, 'computer_group_id': gid}),
             ('oco.computer.remove_from_group', {'computer_id': cid, 'computer_group_id': gid}),
             ('oco.computer.wol', {'id': cid}), ('oco.remove_installation_assignment', {'id': assignment}),
             ('oco.report.execute', {'id': report}), ('oco.job_container.list', {}), ('oco.deployment_rule.list', {}),
             ('oco.package.remove', {'id': pid}), ('oco.computer.remove', {'id': cid})]
    for method, data in calls:
        raw = api.post(rpc(method, data)).content
        assert raw.endswith(b'"result":{"success":true,"data":[]}}'), (method, raw)
    info = api.post(INFO).content
    assert b'"extensions":[]' in info


def test_point_10_list_methods_return_objects(api, admin):
    cgroup = admin.create_computer_group('cg')
    pid = admin.create_package('Fam', '1')
    pgroup = admin.create_package_group('pg')
    rgroup = admin.create_report_group('rg')
    computers = api.ok('oco.computer.list')
    assert isinstance(computers, dict) and list(computers) == ['computers', 'groups']
    assert list(api.ok('oco.computer.list', {'computer_group_id': cgroup})) == ['name', 'computers', 'groups']
    by_family = api.ok('oco.package.list', {'package_family_id': 1})
    assert list(by_family) == ['name', 'packages', 'groups'] and by_family['packages'][0]['id'] == pid
    assert list(api.ok('oco.package.list', {'package_group_id': pgroup})) == ['name', 'packages', 'groups']
    reports = api.ok('oco.report.list')
    assert isinstance(reports, dict) and list(reports) == ['reports', 'groups']
    assert list(api.ok('oco.report.list', {'report_group_id': rgroup})) == ['name', 'reports', 'groups']


def test_point_11_package_list_needs_family_or_group_groups_are_root(api, admin):
    message = 'package_family_id or package_group_id is required'
    for data in ({}, {'package_family_id': 0}, {'package_family_id': '0', 'package_group_id': ''}, {'id': 1}):
        assert api.err('oco.package.list', data) == (-32001, message)
    assert api.err('oco.package.list', {}, headers={'Accept-Language': 'de'}) == (-32001, message)
    admin.create_package('Fam', '1')
    root = admin.create_package_group('Root')
    admin.create_package_group('Child', parent_id=root)
    # The family has nothing to do with any group: `groups` are the root package groups.
    assert api.ok('oco.package.list', {'package_family_id': '1'})['groups'] == [
        {'id': root, 'parent_package_group_id': None, 'name': 'Root'}]


def test_point_12_remove_force_defaults_true_string_false_truthy(api, admin):
    cids = [admin.create_computer('pc%d' % i) for i in range(3)]
    pid = admin.create_package('Fam', '1')
    deploy(api, computer_ids=cids, package_ids=[pid])
    for falsy in (0, '0', False, ''):
        assert api.err('oco.computer.remove', {'id': cids[0], 'force': falsy}) == (-32001, ACTIVE_JOBS)
        assert api.err('oco.package.remove', {'id': pid, 'force': falsy}) == (-32001, ACTIVE_JOBS)
    assert api.ok('oco.computer.remove', {'id': cids[0], 'force': 'false'}) == []
    assert api.ok('oco.computer.remove', {'id': cids[1], 'force': None}) == []
    assert api.ok('oco.computer.remove', {'id': cids[2]}) == []
    assert api.ok('oco.package.remove', {'id': pid}) == []


def test_point_13_restart_timeout_zero_rejected_use_wol_default_on(api, admin):
    cid = admin.create_computer('pc1', networks=[{'mac': '00:11:22:33:44:55'}])
    pid = admin.create_package('Fam', '1')
    targets = {'name': 'x', 'computer_ids': [cid], 'package_ids': [pid], 'date_start': PAST}
    for zero in (0, '0', False, ''):
        assert api.err('oco.job_container.deploy', dict(targets, restart_timeout=zero)) == (-32001, 'Please fill the required fields')
    assert api.ok('oco.job_container.list') == []
    deploy(api, computer_ids=[cid], package_ids=[pid])
    assert api.ok('oco.job_container.list')[0]['wol_sent'] == 1
    assert admin.wol_log() == [{'mac': '00:11:22:33:44:55', 'computer_id': cid, 'source': 'oco.job_container.deploy'}]
    deploy(api, computer_ids=[cid], package_ids=[pid], use_wol=0, restart_timeout=-1)
    assert api.ok('oco.job_container.list')[1]['wol_sent'] == -1


def test_point_14_api_upgrade_behavior_default_zero(api, admin):
    api.ok('oco.package.create', {'package_family_name': 'F', 'version': '1', 'install_procedure': 'x'})
    api.ok('oco.package.create', {'package_family_name': 'F', 'version': '2', 'install_procedure': 'x', 'upgrade_behavior': None})
    assert [api.ok('oco.package.get', {'id': i})['general']['upgrade_behavior'] for i in (1, 2)] == [0, 0]
    # Behaviour 0 keeps the old version: no uninstall job for it.
    cid = admin.create_computer('pc1')
    admin.add_installation(cid, 1)
    container = deploy(api, computer_ids=[cid], package_ids=[2])
    jobs = api.ok('oco.job_container.job.list', {'id': container})
    assert [(j['package_id'], j['is_uninstall'], j['upgrade_behavior']) for j in jobs] == [(2, 0, 0)]


def test_point_15_idempotent_membership_not_idempotent_create(api, admin):
    cid = admin.create_computer('pc1')
    gid = admin.create_computer_group('g')
    pid = admin.create_package('Fam', '1')
    pgid = admin.create_package_group('pg')
    for _attempt in range(2):
        assert api.ok('oco.computer.add_to_group', {'computer_id': cid, 'computer_group_id': gid}) == []
        assert api.ok('oco.package.add_to_group', {'package_id': pid, 'package_group_id': pgid}) == []
    for _attempt in range(2):
        assert api.ok('oco.computer.remove_from_group', {'computer_id': cid, 'computer_group_id': gid}) == []
        assert api.ok('oco.package.remove_from_group', {'package_id': pid, 'package_group_id': pgid}) == []
    assert api.err('oco.computer.create', {'hostname': ' PC1 '}) == (-32001, 'This hostname already exists')
    assert api.err('oco.package.create', {'package_family_name': 'fam', 'version': '1', 'install_procedure': 'x'}) == (
        -32001, 'A package with this name already exists with this version.')
    for method in ('oco.computer.remove', 'oco.package.remove', 'oco.job_container.remove', 'oco.job_container.job.remove',
                   'oco.remove_installation_assignment'):
        assert api.err(method, {'id': 999}) == (-32003, 'Not found'), method


def test_point_16_deploy_drops_bad_targets_marks_installed_and_incompatible(api, admin):
    pc1 = admin.create_computer('pc1', os='Windows 11 Pro')
    plain = admin.create_package('Plain', '1')
    installed = admin.create_package('Installed', '1')
    linux = admin.create_package('Linux', '1', compatible_os='Ubuntu 24.04 LTS')
    admin.add_installation(pc1, installed)
    admin.create_user('nodeploy', 'pw', role={'Special\\ClientApi': True, 'Models\\JobContainer': {'create': True}})
    container = deploy(api, computer_ids=[999, pc1, 'x'], package_ids=[888, plain, installed, linux], computer_group_ids=[77])
    jobs = api.ok('oco.job_container.job.list', {'id': container})
    assert [(j['package_id'], j['state'], j['sequence']) for j in jobs] == [(plain, 0, 1), (installed, -5, 2), (linux, -3, 3)]
    assert api.err('oco.job_container.deploy', {'name': 'x', 'computer_ids': [999], 'package_ids': [plain]}) == (-32001, NO_JOBS)
    assert api.err('oco.job_container.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [plain]},
                   auth=('nodeploy', 'pw')) == (-32001, NO_JOBS)


def test_point_17_containers_vanish_by_housekeeping(api, admin):
    pc1 = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1')
    admin.add_installation(pc1, pid)
    only_installed = deploy(api, name='already', computer_ids=[pc1], package_ids=[pid])
    pending = deploy(api, name='pending', computer_ids=[pc1], package_ids=[pid], force_install_same_version=1)
    assert [j['state'] for j in api.ok('oco.job_container.job.list', {'id': only_installed})] == [-5]
    admin.housekeeping()
    assert [c['name'] for c in api.ok('oco.job_container.list')] == ['pending']
    assert api.err('oco.job_container.job.list', {'id': only_installed}) == (-32003, 'Not found')
    assert api.ok('oco.job_container.job.list', {'id': pending})[0]['state'] == 0


def test_point_18_agent_and_server_keys_exposed(api, admin):
    cid = admin.create_computer('pc1', agent_key='agent-secret', server_key='server-secret')
    listed = api.ok('oco.computer.list')['computers'][0]
    general = api.ok('oco.computer.get', {'id': cid})['general']
    for row in (listed, general):
        assert row['agent_key'] == 'agent-secret' and row['server_key'] == 'server-secret'
    assert api.ok('oco.computer.list', {'computer_group_id': admin.create_computer_group('g')})['computers'] == []


def test_point_19_time_frames_strict_broken_mask_crashes(api, admin):
    cid = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1')
    targets = {'name': 'x', 'computer_ids': [cid], 'package_ids': [pid], 'date_start': PAST, 'use_wol': 0}
    for frame in ('8:00 - 17:00', '8:00 -17:00', '8:00-17:00-18:00', '8-17', '8:0-17:00'):
        assert api.err('oco.job_container.deploy', dict(targets, time_frames=[frame])) == (-32000, 'Invalid time input'), frame
    assert api.err('oco.job_container.deploy', dict(targets, agent_ip_ranges=['10.0.0.300'])) == (-32000, 'Invalid IP address')
    for mask in ('10.0.0.0/', '10.0.0.0/x'):
        response = api.post(rpc('oco.job_container.deploy', dict(targets, agent_ip_ranges=[mask])))
        assert response.status_code == 500, mask
        assert b'jsonrpc' not in response.content
    assert api.ok('oco.job_container.list') == []
    deploy(api, **dict(targets, time_frames=[' 8:00-17:00 ', '!25:00-26:00'], agent_ip_ranges=['10.0.0.0/8']))
    container = api.ok('oco.job_container.list')[0]
    assert container['time_frames'] == '8:00-17:00, !25:00-26:00' and container['agent_ip_ranges'] == '10.0.0.0/8'


def test_point_20_bad_batch_element_aborts_after_side_effects(api, admin):
    body = [rpc('oco.computer.create', {'hostname': 'first'}, request_id=1),
            {'jsonrpc': '2.0', 'id': None, 'method': 'oco.info'},
            rpc('oco.computer.create', {'hostname': 'never'}, request_id=3)]
    response = api.post(body)
    assert response.status_code == 400 and response.content == b'' and response.reason == 'Payload Corrupt'
    assert [r['hostname'] for r in admin.sql('SELECT hostname FROM computer')] == ['first']
    assert api.err('oco.computer.create', {'hostname': 'first'}) == (-32001, 'This hostname already exists')
