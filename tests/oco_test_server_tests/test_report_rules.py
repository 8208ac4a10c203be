"""oco.report.*, oco.deployment_rule.*, oco.info."""


def test_info(api):
    info = api.ok('oco.info')
    assert info['version'] == '1.2.2' and info['license_computers'] == 20 and info['license_company'] == 'NOT REGISTERED'
    assert info['extensions'] == [] and info['wol_satellites'] is None and info['license_expiration'] == 0
    assert set(info) >= {'webserver', 'database', 'php'}


def test_report_list_and_groups(api, admin):
    group = admin.create_report_group('Mine')
    sub = admin.create_report_group('Sub', parent_id=group)
    r10 = admin.create_report('Report 10', 'SELECT 1 AS x', report_group_id=group)
    r9 = admin.create_report('Report 9', 'SELECT 2 AS x', report_group_id=group)
    assert r10 >= 1000
    data = api.ok('oco.report.list')
    names = [r['name'] for r in data['reports']]
    assert 'Pre-Registered Computers' in names and names.index('Report 9') < names.index('Report 10')
    assert [g['name'] for g in data['groups']] == ['Mine', 'Predefined']
    assert list(data['reports'][0]) == ['id', 'report_group_id', 'name', 'notes', 'query']
    mine = api.ok('oco.report.list', {'report_group_id': group})
    assert mine['name'] == 'Mine' and [r['id'] for r in mine['reports']] == [r9, r10]
    assert mine['groups'] == [{'id': sub, 'parent_report_group_id': group, 'name': 'Sub'}]
    assert api.ok('oco.report.list', {'report_group_id': 1})['name'] == 'Predefined'
    assert api.err('oco.report.list', {'report_group_id': 999})[0] == -32003


def test_report_execute(api, admin):
    cid = admin.create_computer('pc1')
    report = admin.create_report('c', 'SELECT id AS computer_id, hostname, 1.5 AS f FROM computer')
    assert api.ok('oco.report.execute', {'id': report}) == [{'computer_id': cid, 'hostname': 'pc1', 'f': 1.5}]
    empty = admin.create_report('e', '  select id FROM computer WHERE 0')
    assert api.ok('oco.report.execute', {'id': str(empty)}) == []
    delete = admin.create_report('d', 'DELETE FROM computer')
    assert api.err('oco.report.execute', {'id': delete}) == (-32001, 'Only SELECT queries are allowed in reports')
    broken = admin.create_report('b', 'SELECT nope FROM computer')
    code, message = api.err('oco.report.execute', {'id': broken})
    assert code == -32000 and 'nope' in message
    assert api.err('oco.report.execute', {'id': 12345})[0] == -32003
    assert admin.sql('SELECT COUNT(*) AS n FROM computer') == [{'n': 1}]


def test_report_with_language_key_name(api):
    answer = api.ok('oco.report.list', {'report_group_id': 1})
    assert 'SecureBoot Disabled' in [r['name'] for r in answer['reports']]


def test_deployment_rules(api, admin):
    cgroup = admin.create_computer_group('cg')
    pgroup = admin.create_package_group('pg')
    rid = admin.create_deployment_rule('rule', cgroup, pgroup, priority=5)
    rules = api.ok('oco.deployment_rule.list')
    assert rules[0]['id'] == rid and rules[0]['priority'] == 5 and rules[0]['created_by_system_user_username'] == 'admin'
    assert api.ok('oco.deployment_rule.job.list', {'id': rid}) == []
    cid = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1')
    admin.sql('INSERT INTO deployment_rule_job (deployment_rule_id, computer_id, package_id, sequence, state) '
              'VALUES (?, ?, ?, 1, 0)', [rid, cid, pid])
    jobs = api.ok('oco.deployment_rule.job.list', {'id': rid})
    assert jobs[0]['computer_hostname'] == 'pc1' and jobs[0]['deployment_rule_id'] == rid
    assert jobs[0]['deployment_rule_name'] is None
    pending = api.ok('oco.computer.get', {'id': cid})['pending_jobs']
    assert pending[0]['deployment_rule_name'] == 'rule' and pending[0]['deployment_rule_priority'] == 5
    assert api.ok('oco.package.get', {'id': pid})['pending_jobs'][0]['computer_hostname'] == 'pc1'
    assert api.err('oco.deployment_rule.job.list', {'id': 999})[0] == -32003
