"""The 14 predefined reports OCO 1.2.2 ships: ids, names, shipped texts, and rows on SQLite."""

import pytest

NAMES = {
    1: 'SecureBoot Disabled', 2: 'Packages Without Installations', 3: 'Recognized Software Chrome',
    4: 'Domain Users With Multiple PCs', 5: 'Expired Job Containers', 6: 'Pre-Registered Computers', 7: 'All Monitors',
    8: '7 Days No Agent Contact', 9: 'Total Disk Space (All Computers)', 10: 'Total RAM Space (All Computers)',
    11: 'All 19" Monitors', 12: 'Computers with less than 20 GiB on Drive C:', 13: 'Critical Services',
    14: 'Critical Events',
}


def test_ids_names_group_and_order(api):
    data = api.ok('oco.report.list', {'report_group_id': 1})
    assert data['name'] == 'Predefined'
    assert {r['id']: r['name'] for r in data['reports']} == NAMES
    names = [r['name'] for r in data['reports']]
    # Case-sensitive: upper case before lower case, digits before letters.
    assert names[:3] == ['7 Days No Agent Contact', 'All 19" Monitors', 'All Monitors']
    shipped = {r['id']: r['query'] for r in data['reports']}
    assert shipped[1] == 'SELECT id AS computer_id, hostname, os, os_version FROM computer WHERE secure_boot = 0'
    assert 'NOW() - INTERVAL 7 DAY' in shipped[8] and 'SUBSTRING_INDEX' in shipped[11]


def test_every_predefined_report_runs_on_an_empty_server(api):
    for report_id in NAMES:
        rows = api.ok('oco.report.execute', {'id': report_id})
        if report_id in (9, 10):
            assert len(rows) == 1 and all(v is None for v in rows[0].values()), rows   # SUM over nothing
        else:
            assert rows == [], (report_id, rows)


def test_rows_on_the_same_data(api, admin):
    pre = int(api.ok('oco.computer.create', {'hostname': 'pre-registered'})['id'])
    seen = admin.create_computer('seen', secure_boot='0', last_update='2026-01-01 10:00:00', last_ping='2026-01-01 10:00:00',
                                 ram='17179869184')
    admin.set_inventory(seen, screens=[{'name': 'small', 'size': '41 x 26', 'serialno': 'S1'},
                                       {'name': 'big', 'size': '60 x 34', 'serialno': 'S2'},
                                       {'name': 'unknown', 'size': '', 'serialno': ''}],
                        filesystems=[{'device': 'C:', 'mountpoint': 'C:', 'filesystem': 'NTFS', 'size': 100 * 2 ** 30,
                                      'free': 10 * 2 ** 30}],
                        software=[{'name': 'Google Chrome', 'version': '120'}, {'name': 'VLC', 'version': '3'}])
    package = admin.create_package('Unused', '1.0')

    assert api.ok('oco.report.execute', {'id': 1}) == [{'computer_id': seen, 'hostname': 'seen', 'os': '', 'os_version': ''}]
    unused = api.ok('oco.report.execute', {'id': 2})
    assert [(r['package_id'], r['install_count']) for r in unused] == [(package, 0)]
    assert [r['name'] for r in api.ok('oco.report.execute', {'id': 3})] == ['Google Chrome']
    assert api.ok('oco.report.execute', {'id': 6}) == [{'computer_id': pre, 'hostname': 'pre-registered'}]
    assert [r['name'] for r in api.ok('oco.report.execute', {'id': 7})] == ['small', 'big']
    assert {r['computer_id'] for r in api.ok('oco.report.execute', {'id': 8})} == {pre, seen}
    assert api.ok('oco.report.execute', {'id': 10}) == [{'Total RAM (GiB)': 16.0}]
    nineteen = api.ok('oco.report.execute', {'id': 11})
    assert [(r['name'], r['Size (inches)']) for r in nineteen] == [('small', 19.0)]
    assert api.ok('oco.report.execute', {'id': 12}) == [{'computer_id': seen, 'hostname': 'seen', 'Free Space (GiB)': 10.0}]


@pytest.mark.parametrize('table, row, report_id, expected', [
    ('computer_event', {'log': 'System', 'timestamp': '2026-01-01 10:00:00', 'level': 2, 'event_id': 41, 'data': 'boom'},
     14, {'level': 'ERROR', 'Error Description': 'boom', 'event_id': 41}),
    ('computer_service', {'status': 2, 'name': 'backup', 'details': 'failed', 'timestamp': '2026-01-01 10:00:00'},
     13, {'status': 2, 'details': 'failed'}),
])
def test_event_and_service_reports(api, admin, table, row, report_id, expected):
    cid = admin.create_computer('pc1')
    columns = dict(row, computer_id=cid)
    admin.sql('INSERT INTO %s (%s) VALUES (%s)' % (table, ', '.join(columns), ', '.join('?' * len(columns))),
              list(columns.values()))
    rows = api.ok('oco.report.execute', {'id': report_id})
    assert len(rows) == 1 and rows[0]['hostname'] == 'pc1'
    assert {k: rows[0][k] for k in expected} == expected
