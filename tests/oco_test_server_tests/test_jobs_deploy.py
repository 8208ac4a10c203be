"""oco.job_container.deploy: validation order, expansion, job creation."""

import datetime

import pytest

from server_api import READER

PAST = '2020-01-01 00:00:00'
FUTURE = (datetime.datetime.now() + datetime.timedelta(days=30)).strftime('%Y-%m-%d %H:%M:%S')
WEEKDAYS = ('MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN')


def deploy(api, **data):
    data.setdefault('name', 'job')
    return api.call('oco.job_container.deploy', data)


def jobs_of(api, container_id):
    return api.ok('oco.job_container.job.list', {'id': container_id})


@pytest.fixture
def fleet(admin):
    pc1 = admin.create_computer('pc1', networks=[{'mac': '00:11:22:33:44:55'}], os='Windows 11', os_version='10',
                                architecture='AMD64')
    pc2 = admin.create_computer('pc2', networks=[{'mac': '-'}])
    pkg = admin.create_package('Fam', '1.0')
    return pc1, pc2, pkg


@pytest.mark.parametrize('data, code, message', [
    ({'name': '  '}, -32001, 'The name cannot be empty'),
    ({'restart_timeout': 0}, -32001, 'Please fill the required fields'),
    ({'restart_timeout': '0'}, -32001, 'Please fill the required fields'),
    ({'date_start': 'not a date'}, -32001, 'Please fill the required fields'),
    ({'date_start': ''}, -32001, 'Please fill the required fields'),
    ({'date_start': '2024-01-02 00:00:00', 'date_end': '2024-01-01 00:00:00'}, -32001,
     'The end time cannot be before the start time.'),
    ({'date_start': '2024-01-01 00:00:00', 'date_end': '2024-01-01 00:00:00'}, -32001,
     'The end time cannot be before the start time.'),
    ({'date_end': 'garbage'}, -32001, 'The end time cannot be before the start time.'),
    ({'sequence_mode': 2}, -32001, 'Invalid Value. Please check your input.'),
    ({'sequence_mode': 'abc'}, -32001, 'Invalid Value. Please check your input.'),
    ({'priority': 101}, -32001, 'Invalid Value. Please check your input.'),
    ({'priority': -101}, -32001, 'Invalid Value. Please check your input.'),
    ({}, -32001, 'Your request did not produced any jobs. Please check if you have at least one computer and one package '
                 'selected.'),
])
def test_validation_errors(api, data, code, message):
    data = dict({'name': 'x'}, **data)
    assert api.err('oco.job_container.deploy', data) == (code, message)
    assert api.ok('oco.job_container.list') == []


def test_validation_order_name_before_timeout_before_end(api):
    assert api.err('oco.job_container.deploy', {'name': '', 'restart_timeout': 0})[1] == 'The name cannot be empty'
    assert api.err('oco.job_container.deploy', {'name': 'x', 'restart_timeout': 0, 'date_end': 'x'})[1] == \
        'Please fill the required fields'
    assert api.err('oco.job_container.deploy', {'name': 'x', 'date_end': PAST, 'priority': 500})[1] == \
        'The end time cannot be before the start time.'


def test_sequence_mode_loose_values_pass(api, fleet):
    pc1, _pc2, pkg = fleet
    for value in (True, False, '1', 1.0):
        answer = deploy(api, computer_ids=[pc1], package_ids=[pkg], sequence_mode=value)
        assert 'result' in answer, (value, answer)


def test_permission_reader_gets_32002_and_german(api, fleet):
    pc1, _pc2, pkg = fleet
    answer = api.call('oco.job_container.deploy', {'name': '', 'computer_ids': [pc1], 'package_ids': [pkg]}, auth=READER)
    assert answer['error'] == {'code': -32002, 'message': 'Permission denied. You do not have the necessary rights.',
                               'data': None}
    answer = api.call('oco.job_container.deploy', {'name': 'x'}, headers={'Accept-Language': 'de-DE'})
    assert answer['error']['message'].startswith('Ihre Anfrage erzeugte keine Jobs')


def test_deploy_basic_result_and_job_fields(api, fleet):
    pc1, _pc2, pkg = fleet
    answer = deploy(api, computer_ids=[pc1], package_ids=[pkg], date_start=PAST, description='notes')
    container_id = answer['result']['data']['id']
    assert isinstance(container_id, str)
    containers = api.ok('oco.job_container.list')
    assert len(containers) == 1
    container = containers[0]
    assert list(container) == ['id', 'name', 'enabled', 'start_time', 'end_time', 'notes', 'wol_sent',
                               'shutdown_waked_after_completion', 'sequence_mode', 'priority', 'agent_ip_ranges', 'time_frames',
                               'self_service', 'created', 'created_by_system_user_id', 'created_by_domain_user_id',
                               'created_by_system_user_username', 'created_by_domain_user_username', 'execution_finished']
    assert container['id'] == int(container_id) and container['notes'] == 'notes' and container['enabled'] == 1
    assert container['start_time'] == PAST and container['end_time'] is None and container['wol_sent'] == 1
    assert container['created_by_system_user_username'] == 'admin' and container['agent_ip_ranges'] is None
    [job] = jobs_of(api, container_id)
    assert job['computer_id'] == pc1 and job['package_id'] == pkg and job['state'] == 0 and job['message'] == ''
    assert job['sequence'] == 1 and job['post_action_timeout'] == 5 and job['procedure'] == 'install.cmd'
    assert job['download'] == 0 and job['is_uninstall'] == 0 and job['return_code'] is None
    assert job['computer_hostname'] == 'pc1' and job['package_family_name'] == 'Fam' and job['package_version'] == '1.0'
    assert job['job_container_id'] == int(container_id) and job['job_container_start_time'] == PAST
    assert job['job_container_enabled'] is None and job['job_container_priority'] is None
    pending = api.ok('oco.computer.get', {'id': pc1})['pending_jobs']
    assert [p['id'] for p in pending] == [job['id']] and pending[0]['job_container_name'] == 'job'
    assert api.ok('oco.package.get', {'id': pkg})['pending_jobs'][0]['computer_hostname'] == 'pc1'


def test_fact10_16_nonexistent_targets_dropped_silently(api, fleet):
    pc1, _pc2, pkg = fleet
    container_id = deploy(api, computer_ids=[999, pc1, pc1], package_ids=[888, pkg], computer_group_ids=[77],
                          package_group_ids=[66], computer_report_ids=[55], package_report_ids=[44])['result']['data']['id']
    assert [(j['computer_id'], j['package_id']) for j in jobs_of(api, container_id)] == [(pc1, pkg)]
    code, message = api.err('oco.job_container.deploy', {'name': 'x', 'computer_ids': [999], 'package_ids': [pkg]})
    assert code == -32001 and message.startswith('Your request did not produced any jobs')
    # A scalar where a list belongs just yields no targets.
    assert api.err('oco.job_container.deploy', {'name': 'x', 'computer_ids': pc1, 'package_ids': [pkg]})[0] == -32001


def test_expansion_order_computers(api, admin):
    zeta = admin.create_computer('zeta')
    alpha = admin.create_computer('alpha')
    beta = admin.create_computer('beta')
    sub_member = admin.create_computer('sub')
    group = admin.create_computer_group('g')
    sub = admin.create_computer_group('s', parent_id=group)
    for cid in (zeta, alpha, beta):
        admin.add_computer_to_group(cid, group)
    admin.add_computer_to_group(sub_member, sub)
    report = admin.create_report('r', 'SELECT id AS computer_id FROM computer WHERE hostname = \'sub\'')
    pkg = admin.create_package('P', '1')
    container_id = deploy(api, computer_ids=[beta], computer_group_ids=[group], computer_report_ids=[report],
                          package_ids=[pkg])['result']['data']['id']
    # job.list orders by computer id: check the set, and the member set without subgroup members.
    assert {j['computer_id'] for j in jobs_of(api, container_id)} == {beta, zeta, alpha, sub_member}
    only_group = deploy(api, computer_group_ids=[group], package_ids=[pkg])['result']['data']['id']
    assert {j['computer_id'] for j in jobs_of(api, only_group)} == {zeta, alpha, beta}


def test_expansion_order_packages_and_dependencies(api, admin):
    pc = admin.create_computer('pc')
    lib = admin.create_package('Lib', '1')
    base = admin.create_package('Base', '1')
    app = admin.create_package('App', '1')
    extra = admin.create_package('Extra', '1')
    other = admin.create_package('Other', '1')
    admin.add_package_dependency(app, lib)
    admin.add_package_dependency(lib, base)
    group = admin.create_package_group('pg')
    admin.add_package_to_group(other, group)
    admin.add_package_to_group(extra, group)
    report = admin.create_report('pr', 'SELECT id AS package_id FROM package WHERE id = %d' % app)
    container_id = deploy(api, computer_ids=[pc], package_ids=[extra, app], package_group_ids=[group],
                          package_report_ids=[report])['result']['data']['id']
    jobs = jobs_of(api, container_id)
    assert [(j['package_id'], j['sequence']) for j in jobs] == [(extra, 1), (base, 2), (lib, 3), (app, 4), (other, 5)]
    # A dependency that is already installed produces no job at all (and no sequence gap).
    admin.add_installation(pc, base)
    container_id = deploy(api, computer_ids=[pc], package_ids=[app])['result']['data']['id']
    assert [(j['package_id'], j['sequence'], j['state']) for j in jobs_of(api, container_id)] == [(lib, 1, 0), (app, 2, 0)]
    # Requested directly, an installed package gets a -5 job instead.
    container_id = deploy(api, computer_ids=[pc], package_ids=[base])['result']['data']['id']
    assert [(j['package_id'], j['state']) for j in jobs_of(api, container_id)] == [(base, -5)]


def test_report_target_errors(api, admin, fleet):
    pc1, _pc2, pkg = fleet
    not_select = admin.create_report('d', 'DELETE FROM computer')
    broken = admin.create_report('b', 'SELECT nope FROM computer')
    assert api.err('oco.job_container.deploy', {'name': 'x', 'computer_report_ids': [not_select], 'package_ids': [pkg]}) == \
        (-32001, 'Only SELECT queries are allowed in reports')
    assert api.err('oco.job_container.deploy', {'name': 'x', 'package_report_ids': [broken], 'computer_ids': [pc1]})[0] == -32000
    assert admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 2}]
    restricted = {'Models\\JobContainer': {'create': True}, 'Models\\Computer': {'*': {'deploy': True}},
                  'Models\\Package': {'*': {'deploy': True}}, 'Models\\Report': {'*': {'read': False}},
                  'Special\\ClientApi': True}
    admin.create_user('deployer', 'pw', role=restricted)
    answer = api.call('oco.job_container.deploy', {'name': 'x', 'computer_report_ids': [not_select], 'package_ids': [pkg]},
                      auth=('deployer', 'pw'))
    assert answer['error']['code'] == -32002


def test_deploy_permission_filters_targets(api, admin, fleet):
    pc1, pc2, pkg = fleet
    role = {'Models\\JobContainer': {'create': True, '*': {'read': True}},
            'Models\\Computer': {str(pc1): {'deploy': True}, '*': {'deploy': False}},
            'Models\\Package': {'*': {'deploy': True}}, 'Special\\ClientApi': True}
    admin.create_user('limited', 'pw', role=role)
    answer = api.call('oco.job_container.deploy', {'name': 'x', 'computer_ids': [pc2, pc1], 'package_ids': [pkg]},
                      auth=('limited', 'pw'))
    assert [j['computer_id'] for j in jobs_of(api, answer['result']['data']['id'])] == [pc1]
    answer = api.call('oco.job_container.deploy', {'name': 'x', 'computer_ids': [pc2], 'package_ids': [pkg]},
                      auth=('limited', 'pw'))
    assert answer['error']['code'] == -32001


def test_os_incompatible_gets_minus3(api, admin, fleet):
    pc1, pc2, _pkg = fleet
    linux = admin.create_package('Linux', '1', compatible_os='Ubuntu\nDebian', upgrade_behavior=2)
    windows = admin.create_package('Win', '1', compatible_os='Windows 10\n Windows 11 ', compatible_architecture='AMD64')
    arm = admin.create_package('Arm', '1', compatible_architecture='arm64')
    container_id = deploy(api, computer_ids=[pc1, pc2], package_ids=[linux, windows, arm])['result']['data']['id']
    states = {(j['computer_id'], j['package_id']): (j['state'], j['sequence'], j['upgrade_behavior']) for j in jobs_of(api, container_id)}
    assert states[(pc1, linux)] == (-3, 1, 0) and states[(pc1, windows)] == (0, 2, 2) and states[(pc1, arm)][0] == -3
    # pc2 reports no os/architecture: every package counts as compatible.
    assert [states[(pc2, p)][0] for p in (linux, windows, arm)] == [0, 0, 0]


def test_already_installed_minus5_and_force(api, admin, fleet):
    pc1 = fleet[0]
    pkg = admin.create_package('Keep', '1', upgrade_behavior=0)
    admin.add_installation(pc1, pkg)
    container_id = deploy(api, computer_ids=[pc1], package_ids=[pkg])['result']['data']['id']
    assert [j['state'] for j in jobs_of(api, container_id)] == [-5]
    forced = deploy(api, computer_ids=[pc1], package_ids=[pkg], force_install_same_version=1)['result']['data']['id']
    assert [(j['state'], j['is_uninstall']) for j in jobs_of(api, forced)] == [(0, 0)]


def test_upgrade_behavior_2_creates_uninstall_jobs(api, admin):
    pc = admin.create_computer('pc')
    old = admin.create_package('Fam', '1', uninstall_procedure='remove-1', uninstall_procedure_success_return_codes='0,3010',
                               uninstall_procedure_post_action=1, download_for_uninstall=1, files={'a.txt': 'YWJj'})
    older = admin.create_package('Fam', '0.9', uninstall_procedure='remove-0.9')
    new = admin.create_package('Fam', '2', upgrade_behavior=2, install_procedure_post_action=3)
    admin.add_installation(pc, old)
    admin.add_installation(pc, older)
    container_id = deploy(api, computer_ids=[pc], package_ids=[new], restart_timeout=-1)['result']['data']['id']
    jobs = jobs_of(api, container_id)
    assert [(j['package_id'], j['is_uninstall'], j['sequence']) for j in jobs] == [(old, 1, 1), (older, 1, 2), (new, 0, 3)]
    assert jobs[0]['procedure'] == 'remove-1' and jobs[0]['success_return_codes'] == '0,3010' and jobs[0]['download'] == 1
    assert jobs[0]['post_action'] == 1 and jobs[0]['upgrade_behavior'] == 0 and jobs[0]['post_action_timeout'] == -1
    assert jobs[2]['upgrade_behavior'] == 2 and jobs[2]['post_action'] == 3
    # Same version with force + behaviour 2: uninstall and reinstall of that very package.
    admin.add_installation(pc, new)
    forced = deploy(api, computer_ids=[pc], package_ids=[new], force_install_same_version=True)['result']['data']['id']
    assert [(j['package_id'], j['is_uninstall']) for j in jobs_of(api, forced)] == [(old, 1), (older, 1), (new, 1), (new, 0)]
    # Behaviour 0 leaves other versions alone.
    keep = admin.create_package('Fam', '3', upgrade_behavior=0)
    plain = deploy(api, computer_ids=[pc], package_ids=[keep])['result']['data']['id']
    assert [(j['package_id'], j['is_uninstall']) for j in jobs_of(api, plain)] == [(keep, 0)]


def test_line_endings_download_and_sequence_counter(api, admin, fleet):
    pc1, pc2, _pkg = fleet
    crlf = admin.create_package('Script', '1', install_procedure='line1\r\nline2', line_endings='\n', files={'x.sh': 'ZWNobw=='})
    plain = admin.create_package('Plain', '1', install_procedure='a\r\nb')
    container_id = deploy(api, computer_ids=[pc1, pc2], package_ids=[crlf, plain], restart_timeout='7')['result']['data']['id']
    jobs = jobs_of(api, container_id)
    assert [(j['computer_id'], j['sequence']) for j in jobs] == [(pc1, 1), (pc1, 2), (pc2, 1), (pc2, 2)]
    assert jobs[0]['procedure'] == 'line1\nline2' and jobs[0]['download'] == 1 and jobs[0]['post_action_timeout'] == 7
    assert jobs[1]['procedure'] == 'a\r\nb' and jobs[1]['download'] == 0


def test_fact10_13_restart_timeout_zero_rejected_and_use_wol_default_on(api, admin, fleet):
    pc1, _pc2, pkg = fleet
    assert api.err('oco.job_container.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg],
                                                'restart_timeout': 0}) == (-32001, 'Please fill the required fields')
    admin.clear_wol_log()
    deploy(api, computer_ids=[pc1], package_ids=[pkg])
    assert admin.wol_log() == [{'mac': '00:11:22:33:44:55', 'computer_id': pc1, 'source': 'oco.job_container.deploy'}]
    assert api.ok('oco.job_container.list')[0]['wol_sent'] == 1


def test_wol_states(api, admin, fleet):
    pc1, pc2, pkg = fleet
    admin.clear_wol_log()
    deploy(api, computer_ids=[pc1, pc2], package_ids=[pkg], use_wol=0)
    deploy(api, computer_ids=[pc1], package_ids=[pkg], date_start=FUTURE)
    assert admin.wol_log() == []
    assert [c['wol_sent'] for c in api.ok('oco.job_container.list')] == [-1, 0]


def test_shutdown_waked_after_completion(api, admin, fleet):
    pc1, pc2, pkg = fleet
    now = datetime.datetime.now().strftime('%Y-%m-%d %H:%M:%S')
    admin.set_inventory(pc2, last_ping=now)
    restart = admin.create_package('Restart', '1', install_procedure_post_action=1)
    second = admin.create_package('Second', '1')
    container_id = deploy(api, computer_ids=[pc1, pc2], package_ids=[pkg, second], shutdown_waked_after_completion=1)
    jobs = jobs_of(api, container_id['result']['data']['id'])
    last_pc1 = [j for j in jobs if j['computer_id'] == pc1][-1]
    assert last_pc1['post_action'] == 2 and last_pc1['wol_shutdown_set'] is not None
    assert all(j['post_action'] == 0 and j['wol_shutdown_set'] is None for j in jobs if j is not last_pc1)
    kept = deploy(api, computer_ids=[pc1], package_ids=[restart], shutdown_waked_after_completion=1)['result']['data']['id']
    assert jobs_of(api, kept)[0]['post_action'] == 1


@pytest.mark.parametrize('ranges, stored', [
    (['10.0.0.0/8', ' !10.1.0.0/16 ', '', 5, '192.168.1.1', '::1', 'fe80::/10', '10.0.0.0/99'],
     '10.0.0.0/8, !10.1.0.0/16, 192.168.1.1, ::1, fe80::/10, 10.0.0.0/99'),
    ([], None),
    ({'a': '10.0.0.1'}, '10.0.0.1'),
])
def test_ip_ranges_accepted(api, fleet, ranges, stored):
    pc1, _pc2, pkg = fleet
    deploy(api, computer_ids=[pc1], package_ids=[pkg], agent_ip_ranges=ranges)
    assert api.ok('oco.job_container.list')[0]['agent_ip_ranges'] == stored


def test_fact10_19_ip_ranges_and_time_frames_syntax(api, admin, fleet):
    pc1, _pc2, pkg = fleet
    base = {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg]}
    assert api.err('oco.job_container.deploy', dict(base, agent_ip_ranges=['300.1.1.1'])) == (-32000, 'Invalid IP address')
    assert api.err('oco.job_container.deploy', dict(base, agent_ip_ranges=['!bogus/8'])) == (-32000, 'Invalid IP address')
    for broken in (['10.0.0.0/'], ['10.0.0.0/x']):
        answer = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.job_container.deploy',
                           'params': {'data': dict(base, agent_ip_ranges=broken)}})
        assert answer.status_code == 500 and answer.text == ''
    for not_a_list in ({'agent_ip_ranges': '10.0.0.0/8'}, {'time_frames': '8:00-17:00'}, {'time_frames': 5}):
        answer = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.job_container.deploy',
                           'params': {'data': dict(base, **not_a_list)}})
        assert answer.status_code == 500
    today = WEEKDAYS[datetime.date.today().weekday()]
    other = WEEKDAYS[(datetime.date.today().weekday() + 1) % 7]
    for bad in ('8:00 - 17:00', '8:0-17:00', '8:00-17:00-18:00', 'morning', '%s 8:00 -17:00' % today):
        assert api.err('oco.job_container.deploy', dict(base, time_frames=[bad])) == (-32000, 'Invalid time input'), bad
    deploy(api, computer_ids=[pc1], package_ids=[pkg],
           time_frames=['8:00-17:00', '!12:00-13:00', '25:00-26:99', '%s garbage' % other, '%s 7:30-9:00' % today.lower()])
    assert api.ok('oco.job_container.list')[0]['time_frames'] == \
        '8:00-17:00, !12:00-13:00, 25:00-26:99, %s garbage, %s 7:30-9:00' % (other, today.lower())
    # The syntax check runs after WOL: the bad request above did wake the computer.
    assert any(e['source'] == 'oco.job_container.deploy' for e in admin.wol_log())
    assert len(api.ok('oco.job_container.list')) == 1


def test_dates_php_accepts_but_mariadb_rejects(api, fleet):
    pc1, _pc2, pkg = fleet
    code, message = api.err('oco.job_container.deploy', {'name': 'x', 'computer_ids': [pc1], 'package_ids': [pkg],
                                                         'date_start': 'tomorrow'})
    assert code == -32000 and 'Incorrect datetime value' in message
    deploy(api, computer_ids=[pc1], package_ids=[pkg], date_start='2024-05-06', date_end='2024-05-07 10:00')
    container = api.ok('oco.job_container.list')[0]
    assert container['start_time'] == '2024-05-06 00:00:00' and container['end_time'] == '2024-05-07 10:00:00'


def test_deploy_twice_creates_two_containers(api, fleet):
    pc1, _pc2, pkg = fleet
    first = deploy(api, computer_ids=[pc1], package_ids=[pkg])['result']['data']['id']
    second = deploy(api, computer_ids=[pc1], package_ids=[pkg])['result']['data']['id']
    assert first != second and [j['state'] for j in jobs_of(api, second)] == [0]


def test_fact10_14_api_upgrade_behavior_default_creates_no_uninstall_jobs(api, admin, fleet):
    pc1 = fleet[0]
    old = admin.create_package('Tool', '1')
    admin.add_installation(pc1, old)
    new = int(api.ok('oco.package.create', {'package_family_name': 'Tool', 'version': '2', 'install_procedure': 'i'})['id'])
    container_id = deploy(api, computer_ids=[pc1], package_ids=[new])['result']['data']['id']
    assert [(j['package_id'], j['is_uninstall'], j['upgrade_behavior']) for j in jobs_of(api, container_id)] == [(new, 0, 0)]


def test_fact10_20_bad_batch_element_after_deploy_keeps_container(api, fleet):
    pc1, _pc2, pkg = fleet
    batch = [{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.job_container.deploy',
              'params': {'data': {'name': 'batched', 'computer_ids': [pc1], 'package_ids': [pkg]}}},
             {'jsonrpc': '2.0', 'method': 'oco.job_container.list'}]
    answer = api.post(batch)
    assert answer.status_code == 400 and answer.text == ''
    assert [c['name'] for c in api.ok('oco.job_container.list')] == ['batched']
