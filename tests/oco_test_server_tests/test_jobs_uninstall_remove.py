"""Uninstall, assignment removal, container/job removal, deployment rule jobs."""

import pytest

from server_api import READER


@pytest.fixture
def installed(admin):
    pc = admin.create_computer('pc', networks=[{'mac': 'aa:bb:cc:dd:ee:ff'}])
    pkg = admin.create_package('Fam', '1', uninstall_procedure='remove.cmd', uninstall_procedure_post_action=2,
                               uninstall_procedure_success_return_codes='0,1605')
    assignment = admin.add_installation(pc, pkg)
    return pc, pkg, assignment


def container_named(api, name):
    return [c for c in api.ok('oco.job_container.list') if c['name'] == name]


def test_fact10_07_uninstall_returns_null_id(api, installed):
    pc, pkg, assignment = installed
    assert api.ok('oco.job_container.uninstall', {'name': 'remove Fam', 'installation_ids': [assignment, assignment]}) == \
        {'id': None}
    [container] = container_named(api, 'remove Fam')
    assert container['time_frames'] == '' and container['agent_ip_ranges'] is None and container['wol_sent'] == 1
    jobs = api.ok('oco.job_container.job.list', {'id': container['id']})
    assert len(jobs) == 2   # duplicate ids give duplicate jobs
    for job in jobs:
        assert (job['computer_id'], job['package_id'], job['is_uninstall'], job['sequence'], job['state']) == (pc, pkg, 1, 0, 0)
        assert job['procedure'] == 'remove.cmd' and job['post_action'] == 2 and job['success_return_codes'] == '0,1605'
        assert job['upgrade_behavior'] == 0 and job['download'] == 0
    # The assignment stays until the uninstall job succeeds.
    assert api.ok('oco.computer.get', {'id': pc})['installed_packages'][0]['id'] == assignment


def test_uninstall_validation_and_no_jobs(api, admin, installed):
    _pc, _pkg, assignment = installed
    assert api.err('oco.job_container.uninstall', {'name': ' '}) == (-32001, 'The name cannot be empty')
    assert api.err('oco.job_container.uninstall', {'name': 'x', 'restart_timeout': 0})[1] == 'Please fill the required fields'
    assert api.err('oco.job_container.uninstall', {'name': 'x', 'priority': 200})[0] == -32001
    assert api.err('oco.job_container.uninstall', {'name': 'x', 'installation_ids': [999]})[1].startswith(
        'Your request did not produced any jobs')
    assert api.err('oco.job_container.uninstall', {'name': 'x', 'installation_ids': [assignment],
                                                   'agent_ip_ranges': ['1.2.3']}) == (-32000, 'Invalid IP address')
    admin.clear_wol_log()
    api.ok('oco.job_container.uninstall', {'name': 'later', 'installation_ids': [assignment], 'use_wol': 1,
                                           'date_start': '2999-01-01 00:00:00', 'agent_ip_ranges': ['10.0.0.0/8']})
    assert container_named(api, 'later')[0]['wol_sent'] == 0 and admin.wol_log() == []
    assert api.call('oco.job_container.uninstall', {'name': 'x'}, auth=READER)['error']['code'] == -32002


def test_uninstall_skips_packages_without_deploy(api, admin, installed):
    _pc, pkg, assignment = installed
    role = {'Models\\JobContainer': {'create': True, '*': {'read': True}}, 'Models\\Computer': {'*': {'deploy': True}},
            'Models\\Package': {str(pkg): {'deploy': False}}, 'Special\\ClientApi': True}
    admin.create_user('nopkg', 'pw', role=role)
    answer = api.call('oco.job_container.uninstall', {'name': 'empty', 'installation_ids': [assignment]}, auth=('nopkg', 'pw'))
    assert answer['result']['data'] == {'id': None}
    [container] = container_named(api, 'empty')
    assert api.ok('oco.job_container.job.list', {'id': container['id']}) == []


def test_remove_installation_assignment(api, installed):
    pc, pkg, assignment = installed
    assert api.call('oco.remove_installation_assignment', {'id': assignment}, auth=READER)['error']['code'] == -32002
    assert api.ok('oco.remove_installation_assignment', {'id': assignment}) == []
    assert api.ok('oco.computer.get', {'id': pc})['installed_packages'] == []
    assert api.ok('oco.package.get', {'id': pkg})['installations'] == []
    assert api.err('oco.remove_installation_assignment', {'id': assignment}) == (-32003, 'Not found')
    assert api.call('oco.remove_installation_assignment', {'id': assignment}, auth=READER)['error']['code'] == -32003


def test_remove_container_and_job(api, admin, installed):
    pc, pkg, _assignment = installed
    other = admin.create_package('Other', '1')
    container_id = api.ok('oco.job_container.deploy', {'name': 'c', 'computer_ids': [pc], 'package_ids': [pkg, other],
                                                       'force_install_same_version': 1})['id']
    jobs = api.ok('oco.job_container.job.list', {'id': container_id})
    assert api.call('oco.job_container.job.remove', {'id': jobs[0]['id']}, auth=READER)['error']['code'] == -32002
    assert api.err('oco.job_container.job.remove', {'id': 9999}, auth=READER) == (-32003, 'Not found')
    assert api.ok('oco.job_container.job.remove', {'id': jobs[0]['id']}) == []
    assert [j['id'] for j in api.ok('oco.job_container.job.list', {'id': container_id})] == [j['id'] for j in jobs[1:]]
    assert api.err('oco.job_container.job.remove', {'id': jobs[0]['id']})[0] == -32003
    assert api.call('oco.job_container.remove', {'id': container_id}, auth=READER)['error']['code'] == -32002
    assert api.ok('oco.job_container.remove', {'id': container_id}) == []
    assert api.ok('oco.job_container.list') == []
    assert api.err('oco.job_container.remove', {'id': container_id}) == (-32003, 'Not found')
    assert api.err('oco.job_container.job.list', {'id': container_id})[0] == -32003
    # Assignments are untouched by removals.
    assert len(api.ok('oco.computer.get', {'id': pc})['installed_packages']) == 1


def test_reader_lists_but_cannot_write(api, installed):
    pc, pkg, _assignment = installed
    container_id = api.ok('oco.job_container.deploy', {'name': 'c', 'computer_ids': [pc], 'package_ids': [pkg]})['id']
    assert [c['id'] for c in api.ok('oco.job_container.list', auth=READER)] == [int(container_id)]
    assert len(api.ok('oco.job_container.job.list', {'id': container_id}, auth=READER)) == 1
    assert api.err('oco.job_container.job.list', {'id': 999}, auth=READER)[0] == -32003


def test_deployment_rule_jobs_follow_groups_and_installations(api, admin):
    cgroup = admin.create_computer_group('cg')
    pgroup = admin.create_package_group('pg')
    pc1 = admin.create_computer('pc1')
    pc2 = admin.create_computer('pc2')
    first = admin.create_package('A', '1')
    second = admin.create_package('B', '1', compatible_os='Linux')
    admin.set_inventory(pc2, os='Windows')
    admin.add_computer_to_group(pc1, cgroup)
    admin.add_package_to_group(first, pgroup)
    rule = admin.create_deployment_rule('rule', cgroup, pgroup, post_action_timeout=9)
    jobs = api.ok('oco.deployment_rule.job.list', {'id': rule})
    assert [(j['computer_id'], j['package_id'], j['state'], j['sequence'], j['post_action_timeout']) for j in jobs] == \
        [(pc1, first, 0, 1, 9)]
    api.ok('oco.package.add_to_group', {'package_id': second, 'package_group_id': pgroup})
    api.ok('oco.computer.add_to_group', {'computer_id': pc2, 'computer_group_id': cgroup})
    jobs = api.ok('oco.deployment_rule.job.list', {'id': rule})
    assert [(j['computer_id'], j['package_id'], j['state']) for j in jobs] == \
        [(pc1, first, 0), (pc1, second, 0), (pc2, first, 0), (pc2, second, -3)]
    pending = api.ok('oco.computer.get', {'id': pc1})['pending_jobs']
    assert [p['deployment_rule_name'] for p in pending] == ['rule', 'rule']
    assignment = admin.add_installation(pc1, first)
    assert [(j['package_id'], j['state']) for j in api.ok('oco.deployment_rule.job.list', {'id': rule})
            if j['computer_id'] == pc1] == [(first, -5), (second, 0)]
    api.ok('oco.remove_installation_assignment', {'id': assignment})
    assert [(j['package_id'], j['state']) for j in api.ok('oco.deployment_rule.job.list', {'id': rule})
            if j['computer_id'] == pc1] == [(first, 0), (second, 0)]
    api.ok('oco.computer.remove_from_group', {'computer_id': pc1, 'computer_group_id': cgroup})
    assert {j['computer_id'] for j in api.ok('oco.deployment_rule.job.list', {'id': rule})} == {pc2}
