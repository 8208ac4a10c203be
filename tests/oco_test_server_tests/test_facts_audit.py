"""Audit of the test server against the real server: behaviour that was missing or only implied elsewhere."""

from oco_test_server.models import JOB_BASE

PAST = '2020-01-01 00:00:00'
STATIC_JOB_KEYS = [
    'id', 'computer_id', 'package_id', 'procedure', 'success_return_codes', 'upgrade_behavior', 'is_uninstall', 'download',
    'post_action', 'post_action_timeout', 'sequence', 'state', 'download_progress', 'return_code', 'message', 'wol_shutdown_set',
    'download_started', 'execution_started', 'execution_finished', 'computer_hostname', 'package_family_name', 'package_version',
    'job_container_id', 'job_container_start_time', 'job_container_created_by_system_user_id',
    'job_container_created_by_domain_user_id', 'job_container_enabled', 'job_container_sequence_mode', 'job_container_priority',
    'job_container_agent_ip_ranges', 'job_container_time_frames', 'job_container_self_service']
# Jobs of deployment rules: the keys of container jobs without job_container_*, plus the deployment rule ones.
DYNAMIC_JOB_KEYS = [k for k in STATIC_JOB_KEYS if not k.startswith('job_container_')] + [
    'deployment_rule_id', 'deployment_rule_name', 'deployment_rule_created_by_system_user_id', 'deployment_rule_enabled',
    'deployment_rule_sequence_mode', 'deployment_rule_priority']


def test_group_lists_sort_by_name_ignoring_case(api, admin):
    """Computer and package groups and lists: name order under MariaDB's default case-insensitive collation."""
    cid = admin.create_computer('pc1')
    for name in ('zeta', 'Beta', 'alpha'):
        gid = admin.create_computer_group(name)
        admin.add_computer_to_group(cid, gid)
        admin.create_computer_group(name.swapcase() + ' child', parent_id=1)
    assert [g['name'] for g in api.ok('oco.computer.list')['groups']] == ['alpha', 'Beta', 'zeta']
    assert [g['name'] for g in api.ok('oco.computer.list', {'computer_group_id': 1})['groups']] == [
        'ALPHA child', 'bETA child', 'ZETA child']
    assert [g['name'] for g in api.ok('oco.computer.get', {'id': cid})['groups']] == ['alpha', 'Beta', 'zeta']
    pid = admin.create_package('Fam', '1')
    for name in ('zeta', 'Beta', 'alpha'):
        gid = admin.create_package_group(name)
        admin.add_package_to_group(pid, gid)
        admin.create_package_group(name.swapcase() + ' child', parent_id=1)
    assert [g['name'] for g in api.ok('oco.package.list', {'package_family_id': 1})['groups']] == ['alpha', 'Beta', 'zeta']
    assert [g['name'] for g in api.ok('oco.package.list', {'package_group_id': 1})['groups']] == [
        'ALPHA child', 'bETA child', 'ZETA child']
    assert [g['name'] for g in api.ok('oco.package.get', {'id': pid})['groups']] == ['alpha', 'Beta', 'zeta']


def test_recognised_software_sorts_by_name_ignoring_case(api, admin):
    cid = admin.create_computer('pc1')
    admin.set_inventory(cid, software=[{'name': 'vlc'}, {'name': 'Firefox'}, {'name': 'audacity'}])
    names = [s['software_name'] for s in api.ok('oco.computer.get', {'id': cid})['recognised_software']]
    assert names == ['audacity', 'Firefox', 'vlc']


def test_dynamic_jobs_carry_every_declared_job_key(api, admin):
    """deployment_rule.job.list rows have the Job keys (wol_shutdown_set included) as null where not selected."""
    cid = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1')
    rid = admin.create_deployment_rule('rule', admin.create_computer_group('cg'), admin.create_package_group('pg'))
    admin.sql('INSERT INTO deployment_rule_job (deployment_rule_id, computer_id, package_id, sequence, state) VALUES (?, ?, ?, 1, 0)',
              [rid, cid, pid])
    [job] = api.ok('oco.deployment_rule.job.list', {'id': rid})
    assert list(job) == DYNAMIC_JOB_KEYS
    assert job['wol_shutdown_set'] is None and job['deployment_rule_id'] == rid
    assert all(job[k] is None for k in DYNAMIC_JOB_KEYS[-5:])
    [pending] = api.ok('oco.computer.get', {'id': cid})['pending_jobs']
    assert list(pending)[:len(DYNAMIC_JOB_KEYS)] == DYNAMIC_JOB_KEYS
    assert pending['deployment_rule_name'] == 'rule' and pending['computer_id'] is None and pending['wol_shutdown_set'] is None


def test_static_job_list_keys_and_null_container_fields(api, admin):
    cid = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1')
    container = api.ok('oco.job_container.deploy', {'name': 'c', 'computer_ids': [cid], 'package_ids': [pid], 'date_start': PAST})
    [job] = api.ok('oco.job_container.job.list', {'id': container['id']})
    assert list(job) == STATIC_JOB_KEYS
    assert job['job_container_id'] == int(container['id']) and job['job_container_start_time'] == PAST
    assert all(job[k] is None for k in STATIC_JOB_KEYS[24:])
    assert list(JOB_BASE) == STATIC_JOB_KEYS[:len(JOB_BASE)]


def test_explicit_null_permission_counts_as_not_set(api, admin):
    """Role permissions: `role[T][id][M]` is used when set (isset); a JSON null falls through to `*`, an explicit false is final."""
    cid = admin.create_computer('pc1')
    other = admin.create_computer('pc2')
    admin.create_user('nulls', 'pw', role={'Special\\ClientApi': True, 'Models\\Computer': {
        str(cid): {'read': None}, str(other): {'read': False}, '*': {'read': True}}})
    assert api.ok('oco.computer.get', {'id': cid}, auth=('nulls', 'pw'))['general']['hostname'] == 'pc1'
    assert api.err('oco.computer.get', {'id': other}, auth=('nulls', 'pw'))[0] == -32002
    assert [c['hostname'] for c in api.ok('oco.computer.list', auth=('nulls', 'pw'))['computers']] == ['pc1']


def test_empty_object_id_is_echoed_as_php_array(api):
    """json_decode(assoc) turns `{}` into an empty PHP array, which json_encode writes as `[]`."""
    raw = api.post({'jsonrpc': '2.0', 'id': {}, 'method': 'oco.info'}).content
    assert raw.startswith(b'{"jsonrpc":"2.0","id":[],"result":')
    assert api.post({'jsonrpc': '2.0', 'id': {'a': {}}, 'method': 'oco.nope'}).json()['id'] == {'a': []}


def test_text_columns_stay_strings_numbers_typed(api, admin):
    """On PHP 8.1 and later: TEXT columns are strings, integers ints, battery_level/agent_timestamp floats."""
    cid = admin.create_computer('pc1', ram=8589934592, secure_boot=1, os_license=1, os_locale=1031, battery_level=50,
                                agent_timestamp=1700000000, battery_status='1', uptime='60')
    admin.set_inventory(cid, screens=[{'name': 's', 'size': 24}], printers=[{'name': 'p', 'dpi': 600}])
    data = api.ok('oco.computer.get', {'id': cid})
    general = data['general']
    for key, value in (('ram', '8589934592'), ('secure_boot', '1'), ('os_license', '1'), ('os_locale', '1031')):
        assert general[key] == value, key
    assert isinstance(general['battery_level'], float) and isinstance(general['agent_timestamp'], float)
    assert general['battery_status'] == 1 and general['uptime'] == 60 and general['force_update'] == 0
    assert data['screens'][0]['size'] == '24' and data['printers'][0]['dpi'] == '600'
    api.ok('oco.package.create', {'package_family_name': 'F', 'version': 2, 'install_procedure': 'x',
                                  'install_procedure_success_return_codes': 0, 'uninstall_procedure_success_return_codes': 1})
    general = api.ok('oco.package.get', {'id': 1})['general']
    assert general['version'] == '2' and general['install_procedure_success_return_codes'] == '0'
    assert general['uninstall_procedure_success_return_codes'] == '1' and general['install_procedure_post_action'] == 0


def test_info_keys(api, admin):
    info = api.ok('oco.info')
    assert list(info) == ['version', 'wol_satellites', 'extensions', 'license_computers', 'license_company', 'license_expiration',
                          'webserver', 'database', 'php']
    assert info['extensions'] == [] and info['license_computers'] == 20 and isinstance(info['license_expiration'], int)
    assert api.ok('oco.info', headers={'Accept-Language': 'de-DE'})['license_company']
    for number in range(21):
        admin.create_computer('pc%02d' % number)
    assert api.ok('oco.info')['license_computers'] == 0
    assert api.ok('oco.computer.create', {'hostname': 'still-works'}) == {'id': '22'}
