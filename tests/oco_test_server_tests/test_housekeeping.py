"""The housekeeping run: expiry, purge, delayed WOL."""

import datetime

import pytest
import requests

PAST = '2020-01-01 00:00:00'


def later(**delta):
    return (datetime.datetime.now() + datetime.timedelta(**delta)).strftime('%Y-%m-%d %H:%M:%S')


def deploy(api, **data):
    data.setdefault('name', 'job')
    data.setdefault('date_start', PAST)
    return int(api.ok('oco.job_container.deploy', data)['id'])


def container_ids(api):
    return [c['id'] for c in api.ok('oco.job_container.list')]


@pytest.fixture
def pc_pkg(admin):
    return admin.create_computer('pc', networks=[{'mac': '00:11:22:33:44:55'}, {'mac': '?'}]), admin.create_package('Fam', '1')


def test_expiry_sets_minus2_and_keeps_finished_jobs(api, admin, pc_pkg):
    pc, pkg = pc_pkg
    other = admin.create_package('Other', '1')
    container_id = deploy(api, computer_ids=[pc], package_ids=[pkg, other], date_end=later(minutes=5))
    first, second = api.ok('oco.job_container.job.list', {'id': container_id})
    admin.agent_update_job(job_id=first['id'], state=3, return_code=0)
    admin.agent_update_job(job_id=second['id'], state=2)
    report = admin.housekeeping()
    assert report['expired_jobs'] == [] and report['purged_containers'] == []
    report = admin.housekeeping(now=later(minutes=10))
    assert report['expired_jobs'] == [second['id']]
    jobs = api.ok('oco.job_container.job.list', {'id': container_id})
    assert [(j['state'], j['return_code'], j['message']) for j in jobs] == [(3, 0, ''), (-2, None, '')]
    assert jobs[1]['execution_finished'] is not None
    # Failed now (an expired job), so it goes only after purge-failed-jobs-after (2 days by default).
    assert admin.housekeeping(now=later(days=1))['purged_containers'] == []
    assert admin.housekeeping(now=later(days=3))['purged_containers'] == [container_id]
    assert container_ids(api) == []


def test_purge_succeeded_after_setting(api, admin, pc_pkg):
    pc, pkg = pc_pkg
    container_id = deploy(api, computer_ids=[pc], package_ids=[pkg])
    admin.agents_run()
    assert admin.housekeeping()['purged_containers'] == []
    assert admin.housekeeping(now=later(hours=3))['purged_containers'] == []
    admin.set_setting('purge-succeeded-jobs-after', 60)
    assert admin.housekeeping(now=later(minutes=2))['purged_containers'] == [container_id]


def test_failed_container_purge(api, admin, pc_pkg):
    pc, pkg = pc_pkg
    container_id = deploy(api, computer_ids=[pc], package_ids=[pkg])
    admin.agents_run(outcome='fail')
    assert admin.housekeeping(now=later(days=1))['purged_containers'] == []
    assert admin.housekeeping(now=later(days=2, minutes=1))['purged_containers'] == [container_id]


def test_fact10_17_containers_without_finished_job_vanish_at_next_run(api, admin, pc_pkg):
    pc, pkg = pc_pkg
    admin.add_installation(pc, pkg)
    only_installed = deploy(api, computer_ids=[pc], package_ids=[pkg])   # only a -5 job
    admin.set_inventory(pc, os='Windows')
    incompatible = deploy(api, computer_ids=[pc], package_ids=[admin.create_package('Mac', '1', compatible_os='macOS')])
    waiting = deploy(api, computer_ids=[pc], package_ids=[admin.create_package('New', '1')])
    admin.sql('INSERT INTO job_container (name, start_time) VALUES (?, ?)', ['empty', PAST])
    empty = admin.sql("SELECT id FROM job_container WHERE name = 'empty'")[0]['id']
    assert admin.housekeeping()['purged_containers'] == [only_installed, incompatible, empty]
    assert container_ids(api) == [waiting]


def test_delayed_wol_sent_when_start_reached(api, admin, pc_pkg):
    pc, pkg = pc_pkg
    admin.clear_wol_log()
    start = later(hours=1)
    container_id = deploy(api, computer_ids=[pc], package_ids=[pkg], date_start=start, shutdown_waked_after_completion=1)
    assert api.ok('oco.job_container.list')[0]['wol_sent'] == 0
    assert admin.housekeeping()['wol_containers'] == [] and admin.wol_log() == []
    assert admin.housekeeping(now=later(hours=2))['wol_containers'] == [container_id]
    assert admin.wol_log() == [{'mac': '00:11:22:33:44:55', 'computer_id': pc, 'source': 'housekeeping'}]
    assert api.ok('oco.job_container.list')[0]['wol_sent'] == 1
    [job] = api.ok('oco.job_container.job.list', {'id': container_id})
    assert job['post_action'] == 2 and job['wol_shutdown_set'] is not None
    assert admin.housekeeping(now=later(hours=3))['wol_containers'] == []


def test_housekeeping_over_http(server, api, admin, pc_pkg):
    pc, pkg = pc_pkg
    admin.add_installation(pc, pkg)
    deploy(api, computer_ids=[pc], package_ids=[pkg])
    answer = requests.post(server.url + '/admin/housekeeping', json={}, timeout=10)
    assert answer.status_code == 200 and len(answer.json()['purged_containers']) == 1
    assert requests.post(server.url + '/admin/housekeeping', json={'now': 'garbage'}, timeout=10).status_code == 400


def test_agent_clock_with_housekeeping_purges(api, admin, pc_pkg):
    pc, pkg = pc_pkg
    admin.set_setting('purge-succeeded-jobs-after', -1)
    deploy(api, computer_ids=[pc], package_ids=[pkg])
    admin.agent_clock(every=1000, housekeeping=True)
    assert container_ids(api) != []
    admin.agent_clock_tick()
    admin.agent_clock_stop()
    assert container_ids(api) == []
