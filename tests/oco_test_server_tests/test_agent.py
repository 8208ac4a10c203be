"""Agent simulation through the admin door: transitions, installation records, the clock."""

import datetime
import os
import subprocess
import sys
import time

import pytest
import requests

FUTURE = (datetime.datetime.now() + datetime.timedelta(days=1)).strftime('%Y-%m-%d %H:%M:%S')


def deploy(api, **data):
    data.setdefault('name', 'job')
    data.setdefault('date_start', '2020-01-01 00:00:00')
    return int(api.ok('oco.job_container.deploy', data)['id'])


def jobs_of(api, container_id):
    return api.ok('oco.job_container.job.list', {'id': container_id})


def installed(api, computer_id):
    return [(i['package_id'], i['package_version']) for i in api.ok('oco.computer.get', {'id': computer_id})['installed_packages']]


@pytest.fixture
def pcs(admin):
    return admin.create_computer('pc1'), admin.create_computer('pc2')


def test_update_job_timestamps_and_return_code_check(api, admin, pcs):
    pkg = admin.create_package('Fam', '1', install_procedure_success_return_codes='0, ,3010')
    container_id = deploy(api, computer_ids=[pcs[0]], package_ids=[pkg])
    [job] = jobs_of(api, container_id)
    assert admin.agent_update_job(job_id=job['id'], state=1)['download_started'] is not None
    assert admin.agent_update_job(job_id=job['id'], state=2)['execution_started'] is not None
    done = admin.agent_update_job(job_id=job['id'], state=3, return_code=3010, message='reboot needed')
    assert (done['state'], done['return_code'], done['message']) == (3, 3010, 'reboot needed')
    assert done['execution_finished'] is not None
    assert installed(api, pcs[0]) == [(pkg, '1')]
    assert api.ok('oco.job_container.list')[0]['execution_finished'] == done['execution_finished']
    # A "success" with a code outside the list is stored as failed and leaves the records alone.
    other = admin.create_package('Other', '1')
    [job] = jobs_of(api, deploy(api, computer_ids=[pcs[0]], package_ids=[other]))
    assert admin.agent_update_job(job_id=job['id'], state=3, return_code=1)['state'] == -1
    assert installed(api, pcs[0]) == [(pkg, '1')]


def test_empty_success_codes_accept_anything(api, admin, pcs):
    pkg = admin.create_package('Any', '1', install_procedure_success_return_codes='')
    [job] = jobs_of(api, deploy(api, computer_ids=[pcs[0]], package_ids=[pkg]))
    assert admin.agent_update_job(job_id=job['id'], state=3, return_code=42)['state'] == 3


def test_refresh_keeps_assignment_id(api, admin, pcs):
    pkg = admin.create_package('Fam', '1')
    assignment = admin.add_installation(pcs[0], pkg, installed='2001-01-01 00:00:00')
    [job] = jobs_of(api, deploy(api, computer_ids=[pcs[0]], package_ids=[pkg], force_install_same_version=1,
                                name='again'))[-1:]
    admin.agent_update_job(job_id=job['id'], state=3, return_code=0)
    [row] = api.ok('oco.computer.get', {'id': pcs[0]})['installed_packages']
    assert row['id'] == assignment and row['installed'] != '2001-01-01 00:00:00'


def test_upgrade_behavior_1_replaces_family_on_success(api, admin, pcs):
    old = admin.create_package('Fam', '1')
    unrelated = admin.create_package('Else', '1')
    new = admin.create_package('Fam', '2', upgrade_behavior=1)
    keep_new = admin.create_package('Fam', '3', upgrade_behavior=0)
    for pkg in (old, unrelated):
        admin.add_installation(pcs[0], pkg)
    [job] = jobs_of(api, deploy(api, computer_ids=[pcs[0]], package_ids=[new]))
    assert job['upgrade_behavior'] == 1
    admin.agent_update_job(job_id=job['id'], state=3, return_code=0)
    assert sorted(installed(api, pcs[0])) == sorted([(unrelated, '1'), (new, '2')])
    [job] = jobs_of(api, deploy(api, computer_ids=[pcs[0]], package_ids=[keep_new]))
    admin.agent_update_job(job_id=job['id'], state=3, return_code=0)
    assert sorted(installed(api, pcs[0])) == sorted([(unrelated, '1'), (new, '2'), (keep_new, '3')])


def test_upgrade_behavior_2_uninstall_job_removes_assignment(api, admin, pcs):
    old = admin.create_package('Fam', '1')
    new = admin.create_package('Fam', '2', upgrade_behavior=2)
    admin.add_installation(pcs[0], old)
    container_id = deploy(api, computer_ids=[pcs[0]], package_ids=[new])
    moved = admin.agents_run()
    assert [(m['package_id'], m['state']) for m in moved] == [(old, 3), (new, 3)]
    assert installed(api, pcs[0]) == [(new, '2')]
    assert [j['state'] for j in jobs_of(api, container_id)] == [3, 3]


def test_uninstall_success_removes_assignment(api, admin, pcs):
    pkg = admin.create_package('Fam', '1')
    assignment = admin.add_installation(pcs[0], pkg)
    api.ok('oco.job_container.uninstall', {'name': 'rm', 'installation_ids': [assignment], 'date_start': '2020-01-01 00:00:00'})
    admin.agents_run()
    assert installed(api, pcs[0]) == []


def test_sequence_mode_abort_flips_every_waiting_job(api, admin, pcs):
    first = admin.create_package('A', '1')
    second = admin.create_package('B', '1')
    container_id = deploy(api, computer_ids=list(pcs), package_ids=[first, second], sequence_mode=1)
    jobs = jobs_of(api, container_id)
    admin.agent_update_job(job_id=jobs[2]['id'], state=1)   # pc2 already downloading its first job
    admin.agent_update_job(job_id=jobs[0]['id'], state=-1, return_code=5)
    states = [(j['state'], j['return_code'], j['message']) for j in jobs_of(api, container_id)]
    assert states[0] == (-1, 5, '')
    assert states[1] == (-1, -8888, 'Aborted after failed job') and states[3] == (-1, -8888, 'Aborted after failed job')
    assert states[2][0] == 1
    # Without abort mode the other jobs just wait.
    container_id = deploy(api, computer_ids=[pcs[0]], package_ids=[first, second], sequence_mode=0, name='ignore')
    jobs = jobs_of(api, container_id)
    admin.agent_update_job(job_id=jobs[0]['id'], state=-1, return_code=5)
    assert [j['state'] for j in jobs_of(api, container_id)] == [-1, 0]


def test_agents_run_fail_in_abort_mode(api, admin, pcs):
    first = admin.create_package('A', '1')
    second = admin.create_package('B', '1')
    container_id = deploy(api, computer_ids=list(pcs), package_ids=[first, second], sequence_mode=1)
    moved = admin.agents_run(fail_hostnames=['PC1'])
    assert [(m['computer_id'], m['state']) for m in moved] == [(pcs[0], -1)]
    assert [j['state'] for j in jobs_of(api, container_id)] == [-1, -1, -1, -1]


def test_agents_run_eligibility_and_order(api, admin, pcs):
    pkg = admin.create_package('Fam', '1')
    future = deploy(api, computer_ids=[pcs[0]], package_ids=[pkg], date_start=FUTURE, name='future')
    expired = deploy(api, computer_ids=[pcs[0]], package_ids=[pkg], date_end='2020-01-02 00:00:00', name='expired')
    disabled = deploy(api, computer_ids=[pcs[0]], package_ids=[pkg], name='disabled')
    admin.sql('UPDATE job_container SET enabled = 0 WHERE id = ?', [disabled])
    low = deploy(api, computer_ids=[pcs[1]], package_ids=[pkg], priority=-5, name='low')
    high = deploy(api, computer_ids=[pcs[1]], package_ids=[pkg], priority=50, name='high')
    blocked = deploy(api, computer_ids=[pcs[1]], package_ids=[pkg], agent_ip_ranges=['!0.0.0.0/0'], name='blocked')
    moved = admin.agents_run(outcome='fail', return_code=7)
    containers = {j['id']: c for c in (low, high) for j in jobs_of(api, c)}
    assert [containers[m['job_id']] for m in moved] == [high, low]
    assert all(m['state'] == -1 and m['return_code'] == 7 for m in moved)
    for untouched in (future, expired, disabled, blocked):
        assert [j['state'] for j in jobs_of(api, untouched)] == [0]
    assert admin.agents_run(container_id=future) == []


def test_agents_run_filters_and_ip_matching(api, admin, pcs):
    admin.set_inventory(pcs[0], remote_address='10.1.2.3')
    admin.set_inventory(pcs[1], remote_address='192.168.0.9')
    pkg = admin.create_package('Fam', '1')
    container_id = deploy(api, computer_ids=list(pcs), package_ids=[pkg], agent_ip_ranges=['!10.1.0.0/16', '10.0.0.0/8'])
    assert admin.agents_run(computer_ids=[pcs[1]]) == []
    assert admin.agents_run() == []
    other = deploy(api, computer_ids=list(pcs), package_ids=[pkg], agent_ip_ranges=['10.0.0.0/8'], name='other')
    moved = admin.agents_run(container_id=other)
    assert [m['computer_id'] for m in moved] == [pcs[0]]
    assert [j['state'] for j in jobs_of(api, container_id)] == [0, 0]


def test_agents_run_over_http_admin_door(server, api, pcs):
    pkg = server.admin.create_package('Fam', '1')
    deploy(api, computer_ids=[pcs[0]], package_ids=[pkg])
    answer = requests.post(server.url + '/admin/agents_run', json={'outcome': 'succeed'}, timeout=10)
    assert answer.status_code == 200 and answer.json()[0]['state'] == 3
    answer = requests.post(server.url + '/admin/agents_run', json={'outcome': 'maybe'}, timeout=10)
    assert answer.status_code == 400
    assert requests.post(server.url + '/admin/agent_update_job', json={'job_id': 999, 'state': 3}, timeout=10).status_code == 400


def test_rule_jobs_run_and_stay_succeeded(api, admin, pcs):
    cgroup = admin.create_computer_group('cg')
    pgroup = admin.create_package_group('pg')
    pkg = admin.create_package('Fam', '1')
    admin.add_computer_to_group(pcs[0], cgroup)
    admin.add_package_to_group(pkg, pgroup)
    rule = admin.create_deployment_rule('rule', cgroup, pgroup)
    moved = admin.agents_run()
    assert [(m['kind'], m['state']) for m in moved] == [('dynamic', 3)]
    assert [j['state'] for j in api.ok('oco.deployment_rule.job.list', {'id': rule})] == [3]
    assert installed(api, pcs[0]) == [(pkg, '1')]


def until(condition, what, seconds=60):
    """Wait for a background thread's work; the generous limit only stops a hung run."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, 'still waiting for %s after %d s' % (what, seconds)
        time.sleep(0.02)


def test_agent_clock_runs_and_stops(api, admin, pcs):
    pkg = admin.create_package('Fam', '1')
    container_id = deploy(api, computer_ids=list(pcs), package_ids=[pkg])
    status = admin.agent_clock(interval=0.05, failure_rate=1.0, seed=1)
    assert status['running'] is True and status['mode'] == 'background'
    until(lambda: all(j['state'] != 0 for j in jobs_of(api, container_id)), 'the background agents')
    assert [j['state'] for j in jobs_of(api, container_id)] == [-1, -1]
    stopped = admin.agent_clock_stop()
    assert stopped['running'] is False and stopped['ticks'] >= 1 and stopped['jobs_moved'] == 2
    assert admin.agent_clock_status()['running'] is False


def test_stepped_clock_moves_jobs_only_on_the_nth_poll(api, admin, pcs):
    pkg = admin.create_package('Fam', '1')
    container_id = deploy(api, computer_ids=list(pcs), package_ids=[pkg])
    status = admin.agent_clock(every=3)
    assert status['mode'] == 'stepped' and status['running'] is True
    api.ok('oco.job_container.list')             # not a poll of job states: does not count
    assert [j['state'] for j in jobs_of(api, container_id)] == [0, 0]   # poll 1
    time.sleep(0.2)                              # wall time moves nothing
    assert [j['state'] for j in jobs_of(api, container_id)] == [0, 0]   # poll 2
    assert [j['state'] for j in jobs_of(api, container_id)] == [3, 3]   # poll 3: the agents stepped first
    status = admin.agent_clock_status()
    assert (status['polls'], status['ticks'], status['jobs_moved']) == (3, 1, 2)


def test_stepped_clock_counts_polls_over_http_and_steps_by_hand(server, api, admin, pcs):
    pkg = admin.create_package('Fam', '1')
    container_id = deploy(api, computer_ids=[pcs[0]], package_ids=[pkg])
    answer = requests.post(server.url + '/admin/agent_clock', json={'every': 100, 'fail_hostnames': ['PC1']}, timeout=10)
    assert answer.status_code == 200 and answer.json()['every'] == 100
    moved = admin.agent_clock_tick()
    assert [(m['job_id'], m['state']) for m in moved] == [(jobs_of(api, container_id)[0]['id'], -1)]
    assert admin.agent_clock_tick(steps=2) == []
    assert admin.agent_clock_status()['ticks'] == 3
    admin.agent_clock_stop()
    with pytest.raises(ValueError, match='no agent clock'):
        admin.agent_clock_tick()


def test_agent_clock_seeded_failure_rate(server, admin):
    pkg = admin.create_package('Fam', '1')
    for index in range(10):
        pc = admin.create_computer('bulk%d' % index)
        server.admin.sql("INSERT INTO job_container (name, start_time, created) VALUES ('c', '2020-01-01 00:00:00', '2020-01-01')")
        cid = server.admin.sql('SELECT MAX(id) AS id FROM job_container')[0]['id']
        server.admin.sql('INSERT INTO job_container_job (job_container_id, computer_id, package_id, sequence) VALUES (?, ?, ?, 1)',
                         [cid, pc, pkg])
    admin.agent_clock(every=1, failure_rate=0.5, seed=3, housekeeping=False)
    assert len(admin.agent_clock_tick()) == 10
    states = [r['state'] for r in server.admin.sql('SELECT state FROM job_container_job ORDER BY id')]
    assert set(states) == {3, -1}
    # The same seed makes the same choices.
    server.admin.sql('UPDATE job_container_job SET state = 0')
    admin.agent_clock(every=1, failure_rate=0.5, seed=3, housekeeping=False)
    admin.agent_clock_tick()
    assert [r['state'] for r in server.admin.sql('SELECT state FROM job_container_job ORDER BY id')] == states


def test_server_stop_ends_the_background_clock(server, admin):
    admin.agent_clock(interval=0.05)
    assert admin.agent_clock_status()['running'] is True
    server.stop()
    until(lambda: admin.agent_clock_status()['running'] is False, 'the clock to notice the stopped server')


def test_agent_clock_rejects_bad_arguments(admin):
    with pytest.raises(ValueError, match='interval'):
        admin.agent_clock(interval=0)
    with pytest.raises(ValueError, match='failure_rate'):
        admin.agent_clock(failure_rate=2)
    for every in (0, 1.5, True):
        with pytest.raises(ValueError, match='every'):
            admin.agent_clock(every=every)
    with pytest.raises(ValueError, match='not both'):
        admin.agent_clock(interval=1, every=2)
    assert admin.agent_clock_status()['running'] is False


def test_command_line_agents_option_starts_a_background_clock():
    """`python -m oco_test_server --agents SECONDS`: what scripts/demo.sh relies on."""
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=tests_dir, PYTHONUNBUFFERED='1')
    with subprocess.Popen([sys.executable, '-m', 'oco_test_server', '--port', '0', '--agents', '0.5'], env=env,
                          stdout=subprocess.PIPE, text=True) as process:
        try:
            line = process.stdout.readline()
            assert line.startswith('OCO test server listening on '), line
            url = line.split()[-1]
            status = requests.post(url + '/admin/agent_clock_status', json={}, timeout=10).json()
            assert (status['running'], status['mode'], status['interval']) == (True, 'background', 0.5)
        finally:
            process.terminate()
        assert process.wait(timeout=30) == 0
