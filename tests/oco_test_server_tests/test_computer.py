"""oco.computer.*: list, get, create, wol, remove and group membership."""

from oco_test_server.models import COMPUTER


def test_create_returns_string_id_and_preregisters(api, admin):
    assert api.ok('oco.computer.create', {'hostname': '  new-pc  ', 'notes': ' n '}) == {'id': '1'}
    general = api.ok('oco.computer.get', {'id': 1})['general']
    assert general['id'] == 1 and general['hostname'] == 'new-pc' and general['notes'] == ' n '
    assert general['last_ping'] is None and general['agent_key'] == '' and general['uid'] is None
    assert general['created_by_system_user_id'] == 1 and general['created_by_system_user_username'] == 'admin'
    assert admin.sql('SELECT os FROM computer') == [{'os': ''}]


def test_create_errors(api):
    assert api.err('oco.computer.create', {}) == (-32001, 'The host name cannot be empty')
    assert api.err('oco.computer.create', {'hostname': None})[0] == -32001
    api.ok('oco.computer.create', {'hostname': 'PC1'})
    assert api.err('oco.computer.create', {'hostname': ' pc1 '}) == (-32001, 'This hostname already exists')
    assert api.err('oco.computer.create', {'hostname': 'x' * 201})[0] == -32000


def test_duplicate_hostnames_compare_as_utf8mb4_general_ci(api):
    """MariaDB's default collation for OCO's tables: no case, no accents, ß weighs S, emoji all alike."""
    for hostname in ('straße', 'café', 'pc-\U0001F600', 'ıı'):
        api.ok('oco.computer.create', {'hostname': hostname})
    for same in ('STRASE', 'Straße  ', 'CAFE', 'Café', 'pc-\U0001F680', 'II', 'ii'):
        assert api.err('oco.computer.create', {'hostname': same}) == (-32001, 'This hostname already exists'), same
    for different in ('STRASSE', 'cafe-1', 'pc-', 'ƀ'):
        api.ok('oco.computer.create', {'hostname': different})


def test_list_without_group(api, admin):
    b = admin.create_computer('b-pc', agent_key='secret-a', server_key='secret-s')
    admin.create_computer('A-pc')
    admin.create_computer_group('zeta')
    root = admin.create_computer_group('alpha')
    child = admin.create_computer_group('child', parent_id=root)
    admin.add_computer_to_group(b, child)
    data = api.ok('oco.computer.list')
    assert [c['hostname'] for c in data['computers']] == ['A-pc', 'b-pc']
    assert list(data['computers'][0]) == list(COMPUTER)
    assert data['computers'][1]['agent_key'] == 'secret-a' and data['computers'][1]['server_key'] == 'secret-s'
    assert data['groups'] == [{'id': root, 'parent_computer_group_id': None, 'name': 'alpha'},
                              {'id': 1, 'parent_computer_group_id': None, 'name': 'zeta'}]
    assert set(data) == {'computers', 'groups'}
    for empty in (0, '0', '', None):
        assert set(api.ok('oco.computer.list', {'computer_group_id': empty})) == {'computers', 'groups'}


def test_list_with_group_is_not_recursive(api, admin):
    root = admin.create_computer_group('root')
    child = admin.create_computer_group('child', parent_id=root)
    direct = admin.create_computer('direct')
    deep = admin.create_computer('deep')
    admin.add_computer_to_group(direct, root)
    admin.add_computer_to_group(deep, child)
    data = api.ok('oco.computer.list', {'computer_group_id': str(root)})
    assert data['name'] == 'root'
    assert [c['hostname'] for c in data['computers']] == ['direct']
    assert data['groups'] == [{'id': child, 'parent_computer_group_id': root, 'name': 'child'}]
    assert api.err('oco.computer.list', {'computer_group_id': 999})[0] == -32003


def test_empty_list_is_json_array(api):
    raw = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list'}).content
    assert raw == b'{"jsonrpc":"2.0","id":1,"result":{"success":true,"data":{"computers":[],"groups":[]}}}'


def test_get_sections(api, admin):
    cid = admin.create_computer('pc1', os='Windows 11 Pro', networks=[{'address': '10.0.0.5', 'mac': 'aa:bb:cc:dd:ee:ff',
                                                                       'interface': 'Ethernet0'}])
    admin.set_inventory(cid, logins=[{'username': 'alice', 'timestamp': '2024-01-01 10:00:00'},
                                     {'username': 'alice', 'timestamp': '2024-01-02 10:00:00'},
                                     {'username': 'bob', 'timestamp': '2023-01-01 10:00:00'}],
                        screens=[{'name': 'Screen'}], printers=[{'name': 'XPS', 'dpi': '600'}],
                        filesystems=[{'device': 'C:', 'size': 100, 'free': 50}],
                        software=[{'name': 'VLC', 'version': '3.0'}], battery_level=0.5, uptime=100)
    family_pkg = admin.create_package('Firefox', '120.0')
    admin.add_installation(cid, family_pkg)
    group = admin.create_computer_group('g')
    admin.add_computer_to_group(cid, group)
    data = api.ok('oco.computer.get', {'id': cid})
    assert list(data) == ['general', 'groups', 'logins', 'networks', 'screens', 'printers', 'filesystems',
                          'recognised_software', 'installed_packages', 'pending_jobs']
    assert data['general']['battery_level'] == 0.5 and data['general']['uptime'] == 100
    assert data['groups'] == [{'id': group, 'parent_computer_group_id': None, 'name': 'g'}]
    assert [(x['domain_user_username'], x['logon_amount']) for x in data['logins']] == [('alice', 2), ('bob', 1)]
    assert data['logins'][0]['timestamp'] == '2024-01-02 10:00:00' and data['logins'][0]['id'] is None
    assert data['networks'][0]['mac'] == 'aa:bb:cc:dd:ee:ff' and data['networks'][0]['nic_number'] == 0
    assert data['printers'][0]['dpi'] == '600'
    assert data['filesystems'][0]['size'] == 100
    assert data['recognised_software'][0]['software_name'] == 'VLC'
    installed = data['installed_packages'][0]
    assert installed['package_family_name'] == 'Firefox' and installed['package_version'] == '120.0'
    assert installed['installed_by_domain_user_id'] is None and installed['computer_hostname'] == 'pc1'
    assert data['pending_jobs'] == []


def test_get_missing(api):
    assert api.err('oco.computer.get', {})[0] == -32003
    assert api.err('oco.computer.get', {'id': 'abc'})[0] == -32003


def test_wol(api, admin, server):
    cid = admin.create_computer('pc1', networks=[{'mac': 'aa:bb:cc:dd:ee:ff'}, {'mac': '-'}, {'mac': 'not-a-mac'}])
    assert api.ok('oco.computer.wol', {'id': str(cid)}) == []
    assert admin.wol_log() == [{'mac': 'aa:bb:cc:dd:ee:ff', 'computer_id': cid, 'source': 'oco.computer.wol'}]
    nomac = admin.create_computer('pc2', networks=[{'mac': '?'}])
    code, message = api.err('oco.computer.wol', {'id': nomac})
    assert code == -32000 and message.startswith('No WOL packet could be sent')
    assert api.err('oco.computer.wol', {'id': 999})[0] == -32003
    assert server.wol_log() == admin.wol_log()


def _pending_job(admin, cid, state=0):
    pid = admin.create_package('Fam', '1.%d' % state)
    container = admin.sql("INSERT INTO job_container (name, start_time) VALUES ('c', '2024-01-01 00:00:00')")
    assert container == 1
    jc = admin.sql('SELECT MAX(id) AS id FROM job_container')[0]['id']
    admin.sql('INSERT INTO job_container_job (job_container_id, computer_id, package_id, state, sequence) VALUES (?, ?, ?, ?, 1)',
              [jc, cid, pid, state])
    return pid


def test_remove_force_and_active_jobs(api, admin):
    cid = admin.create_computer('pc1')
    _pending_job(admin, cid)
    assert api.err('oco.computer.remove', {'id': cid, 'force': False})[0] == -32001
    assert api.err('oco.computer.remove', {'id': cid, 'force': '0'})[1].startswith('The object could not be deleted')
    pending = api.ok('oco.computer.get', {'id': cid})['pending_jobs']
    assert pending[0]['job_container_name'] == 'c' and pending[0]['computer_id'] is None
    assert api.ok('oco.computer.remove', {'id': cid, 'force': 'false'}) == []   # "false" is truthy in PHP
    assert admin.sql('SELECT COUNT(*) AS n FROM job_container_job') == [{'n': 0}]
    assert admin.sql('SELECT COUNT(*) AS n FROM job_container') == [{'n': 1}]
    assert api.err('oco.computer.remove', {'id': cid})[0] == -32003


def test_remove_without_jobs_not_forced(api, admin):
    cid = admin.create_computer('pc1')
    assert api.ok('oco.computer.remove', {'id': cid, 'force': 0}) == []


def test_group_membership(api, admin):
    cid = admin.create_computer('pc1')
    gid = admin.create_computer_group('g')
    args = {'computer_id': cid, 'computer_group_id': gid}
    assert api.ok('oco.computer.add_to_group', args) == []
    assert api.ok('oco.computer.add_to_group', args) == []
    assert admin.sql('SELECT COUNT(*) AS n FROM computer_group_member') == [{'n': 1}]
    assert api.ok('oco.computer.remove_from_group', args) == []
    assert api.ok('oco.computer.remove_from_group', args) == []
    assert api.err('oco.computer.add_to_group', {'computer_id': 99, 'computer_group_id': gid})[0] == -32003
    assert api.err('oco.computer.add_to_group', {'computer_id': cid, 'computer_group_id': 99})[0] == -32003
    assert api.err('oco.computer.remove_from_group', {'computer_id': cid})[0] == -32003
