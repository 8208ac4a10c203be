"""oco.package_family.list and oco.package.* with their payloads."""

import base64
import io
import zipfile

from oco_test_server.models import PACKAGE

from server_api import READER

REQUIRED = {'package_family_name': 'Firefox', 'version': '120.0', 'install_procedure': 'setup.exe /S'}


def b64(data):
    return base64.b64encode(data).decode()


def test_create_defaults_and_get(api, admin):
    created = api.ok('oco.package.create', dict(REQUIRED, description='browser'))
    assert created == {'id': '1'}
    data = api.ok('oco.package.get', {'id': 1})
    general = data['general']
    assert list(general)[:len(PACKAGE)] == list(PACKAGE)
    assert general['notes'] == 'browser' and general['upgrade_behavior'] == 0
    assert general['install_procedure_success_return_codes'] == '0' and general['line_endings'] is None
    assert general['package_family_name'] == 'Firefox' and general['created_by_system_user_username'] == 'admin'
    assert 'updated_by_system_user_username' in general
    assert data['groups'] == [] and data['installations'] == [] and data['pending_jobs'] == []
    assert admin.package_zip_members(1) is None
    family = admin.sql('SELECT license_count, notes FROM package_family')
    assert family == [{'license_count': None, 'notes': ''}]


def test_create_validation_order(api, admin):
    assert api.err('oco.package.create', {}) == (-32001, 'Please fill the required fields')
    assert api.err('oco.package.create', dict(REQUIRED, version='0'))[0] == -32001
    assert api.err('oco.package.create', dict(REQUIRED, files=[{'name': 'a', 'content': '!!!'}])) == (-32001, 'Payload corrupt')
    assert api.err('oco.package.create', dict(REQUIRED, files=[{'name': 'a', 'content': b64(b'0')}]))[1] == 'Payload corrupt'
    api.ok('oco.package.create', REQUIRED)
    assert api.err('oco.package.create', dict(REQUIRED, package_family_name='FIREFOX')) == (
        -32001, 'A package with this name already exists with this version.')
    assert api.err('oco.package.create', dict(REQUIRED, version='2', upgrade_behavior='abc'))[0] == -32000
    for i in range(21):
        admin.create_computer('pc%d' % i)
    code, message = api.err('oco.package.create', dict(REQUIRED, version='3'))
    assert code == -32000 and message.startswith('Your license is invalid')
    assert api.ok('oco.info')['license_computers'] == 0
    admin.set_license(computers=100, company='ACME')
    assert api.ok('oco.package.create', dict(REQUIRED, version='3')) == {'id': '2'}
    info = api.ok('oco.info')
    assert info['license_computers'] == 100 and info['license_company'] == 'ACME'


def test_create_options(api):
    api.ok('oco.package.create', dict(REQUIRED, license_count=-5, line_endings='', compatible_os='Windows 11 Pro\nWindows 10',
                                      upgrade_behavior=2, install_procedure_post_action='1'))
    general = api.ok('oco.package.get', {'id': 1})['general']
    assert general['license_count'] is None and general['line_endings'] is None
    assert general['upgrade_behavior'] == 2 and general['install_procedure_post_action'] == 1
    assert general['compatible_os'] == 'Windows 11 Pro\nWindows 10'


def test_files_single_plain_file_is_wrapped_under_basename(api, admin):
    api.ok('oco.package.create', dict(REQUIRED, files=[{'name': 'sub/dir/setup.exe', 'content': b64(b'MZ...')},
                                                       {'name': '', 'content': b64(b'skipped')}]))
    assert admin.package_zip_members(1) == ['setup.exe']


def test_files_single_zip_is_stored_as_is(api, admin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('inner/a.txt', 'a')
        archive.writestr('b.txt', 'b')
    api.ok('oco.package.create', dict(REQUIRED, files=[{'name': 'whatever.bin', 'content': b64(buffer.getvalue())}]))
    assert admin.package_zip_members(1) == ['inner/a.txt', 'b.txt']
    assert base64.b64decode(admin.package_zip(1)) == buffer.getvalue()


def test_files_several_are_zipped_with_names(api, admin):
    files = [{'name': 'a.txt', 'content': b64(b'1')}, {'name': 'dir/b.txt', 'content': b64(b'2')},
             {'name': 'a.txt', 'content': b64(b'3')}]
    api.ok('oco.package.create', dict(REQUIRED, files=files))
    assert admin.package_zip_members(1) == ['a.txt', 'dir/b.txt']


def test_family_list_and_icons(api, admin):
    admin.create_package_family('Binary', icon=b64(b'\x89PNG\r\n\x1a\n\xff'))
    admin.create_package_family('Svg', icon=b64(b'<svg/>'))
    pid = admin.create_package('Svg', '1.0')
    admin.add_installation(admin.create_computer('pc1'), pid)
    families = api.ok('oco.package_family.list')
    assert [f['name'] for f in families] == ['Binary', 'Svg']
    assert families[0]['icon'] is None and families[1]['icon'] == '<svg/>'
    assert families[1]['package_count'] == 1 and families[1]['install_count'] == 1
    with_icons = api.ok('oco.package_family.list', {'show_icons': 'false'})
    assert base64.b64decode(with_icons[0]['icon']).startswith(b'\x89PNG')


def test_package_list_modes(api, admin):
    p1 = admin.create_package('Fam', '1.0')
    p2 = admin.create_package('Fam', '2.0')
    root = admin.create_package_group('root')
    sub = admin.create_package_group('sub', parent_id=root)
    admin.add_package_to_group(p2, root)
    admin.add_package_to_group(p1, root)
    by_family = api.ok('oco.package.list', {'package_family_id': 1})
    assert by_family['name'] == 'Fam' and [p['id'] for p in by_family['packages']] == [p1, p2]
    assert by_family['groups'] == [{'id': root, 'parent_package_group_id': None, 'name': 'root'}]
    by_group = api.ok('oco.package.list', {'package_group_id': root, 'package_family_id': 999})
    assert [(p['id'], p['package_group_member_sequence']) for p in by_group['packages']] == [(p2, 1), (p1, 2)]
    assert by_group['groups'] == [{'id': sub, 'parent_package_group_id': root, 'name': 'sub'}]
    assert api.err('oco.package.list', {}) == (-32001, 'package_family_id or package_group_id is required')
    assert api.err('oco.package.list', {'package_family_id': 99})[0] == -32003
    assert api.err('oco.package.list', {'package_group_id': 99})[0] == -32003


def test_group_membership_sequence(api, admin):
    pids = [admin.create_package('Fam', v) for v in ('1', '2', '3')]
    gid = admin.create_package_group('g')
    for pid in pids:
        assert api.ok('oco.package.add_to_group', {'package_id': pid, 'package_group_id': gid}) == []
    api.ok('oco.package.add_to_group', {'package_id': pids[0], 'package_group_id': gid})
    api.ok('oco.package.remove_from_group', {'package_id': pids[0], 'package_group_id': gid})
    api.ok('oco.package.remove_from_group', {'package_id': pids[0], 'package_group_id': gid})
    rows = admin.sql('SELECT package_id, sequence FROM package_group_member ORDER BY sequence')
    assert rows == [{'package_id': pids[1], 'sequence': 1}, {'package_id': pids[2], 'sequence': 2}]
    assert api.ok('oco.package.get', {'id': pids[1]})['groups'] == [{'id': gid, 'parent_package_group_id': None, 'name': 'g'}]
    assert api.err('oco.package.add_to_group', {'package_id': 99, 'package_group_id': gid})[0] == -32003
    assert api.err('oco.package.add_to_group', {'package_id': pids[1], 'package_group_id': gid}, auth=READER)[0] == -32002


def test_remove(api, admin):
    base = admin.create_package('Base', '1')
    app = admin.create_package('App', '1')
    admin.add_package_dependency(app, base)
    cid = admin.create_computer('pc1')
    admin.add_installation(cid, base)
    assert api.err('oco.package.remove', {'id': base, 'force': False})[1].startswith('The package could not be deleted')
    assert api.ok('oco.package.remove', {'id': base}) == []
    assert admin.sql('SELECT COUNT(*) AS n FROM computer_package') == [{'n': 0}]
    assert admin.sql("SELECT COUNT(*) AS n FROM package_family WHERE name = 'Base'") == [{'n': 1}]
    assert api.err('oco.package.remove', {'id': base})[0] == -32003
    assert api.err('oco.package.remove', {'id': app}, auth=READER)[0] == -32002
    assert api.err('oco.package.get', {'id': base})[0] == -32003


def test_installations_in_package_get(api, admin):
    pid = admin.create_package('Fam', '1')
    cid = admin.create_computer('pc1')
    assignment = admin.add_installation(cid, pid)
    rows = api.ok('oco.package.get', {'id': pid})['installations']
    assert rows[0]['id'] == assignment and rows[0]['computer_hostname'] == 'pc1'
    assert rows[0]['package_family_name'] is None and rows[0]['package_family_id'] == 1
