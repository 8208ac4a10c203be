"""Bulk test data: a realistic fleet loaded with executemany (10,000 computers in well under a few seconds)."""

import random

from .context import now

OS_MIX = (
    # (weight, os, os_version, architecture, kernel, boot_type)
    (5, 'Windows 11 Pro', '10.0.22631', 'AMD64', '10.0.22631', 'UEFI'),
    (3, 'Windows 10 Enterprise', '10.0.19045', 'AMD64', '10.0.19045', 'UEFI'),
    (3, 'Ubuntu 22.04.4 LTS', '22.04', 'x86_64', '6.5.0-28-generic', 'UEFI'),
    (1, 'Ubuntu 24.04 LTS', '24.04', 'x86_64', '6.8.0-31-generic', 'UEFI'),
    (2, 'macOS', '14.4.1', 'arm64', '23.4.0', 'UEFI'),
)
APPS = ('7-Zip', 'Firefox', 'Google Chrome', 'LibreOffice', 'VLC media player', 'Notepad++', 'GIMP', 'Inkscape', 'Thunderbird',
        'KeePassXC', 'PuTTY', 'WinSCP', 'Python', 'Git', 'OCO Agent', 'Zoom', 'Teams', 'Acrobat Reader', 'Java Runtime', 'OBS')
HARDWARE = (('FUJITSU', 'ESPRIMO Q556/2'), ('LENOVO', 'ThinkPad T14'), ('Apple Inc.', 'MacBook Air'))
DEPARTMENTS = ('Sales', 'Finance', 'Engineering', 'Support', 'HR', 'Marketing', 'Legal', 'IT', 'Research', 'Logistics')

COMPUTER_COLUMNS = ('hostname', 'os', 'os_version', 'os_license', 'os_locale', 'kernel_version', 'architecture', 'cpu', 'gpu',
                    'ram', 'agent_version', 'remote_address', 'serial', 'manufacturer', 'model', 'bios_version',
                    'battery_level', 'battery_status', 'uptime', 'boot_type', 'domain', 'secure_boot', 'last_ping',
                    'last_update', 'force_update', 'notes', 'agent_key', 'server_key', 'created',
                    'created_by_system_user_id')


def _insert_many(store, table, columns, rows):
    """executemany and return the new ids (one connection, inside one transaction: ids are consecutive)."""
    before = store.value('SELECT COALESCE(MAX(id), 0) FROM %s' % table)
    store.executemany('INSERT INTO %s (%s) VALUES (%s)' % (table, ', '.join(columns), ', '.join('?' * len(columns))), rows)
    return [r[0] for r in store.execute('SELECT id FROM %s WHERE id > ? ORDER BY id' % table, (before,)).fetchall()]


def _computer_rows(rnd, start, count, stamp):
    weights = [m[0] for m in OS_MIX]
    rows, nets = [], []
    for offset in range(count):
        number = start + offset
        _label, os_name, os_version, arch, kernel, boot = rnd.choices(OS_MIX, weights)[0]
        windows = os_name.startswith('Windows')
        address = '10.%d.%d.%d' % ((number >> 16) & 255, (number >> 8) & 255, (number & 255) or 1)
        rows.append((
            'pc-%05d' % number, os_name, os_version, '1' if windows else '', '0407' if windows else 'de_DE', kernel, arch,
            'Intel(R) Core(TM) i5-1145G7 CPU @ 2.60GHz' if arch != 'arm64' else 'Apple M2', 'Intel(R) Iris(R) Xe Graphics',
            str(rnd.choice((8, 16, 32)) * 1073741824), '1.1.%d' % rnd.randint(0, 3), address,
            'SN%08X' % rnd.getrandbits(32)) + (HARDWARE[2] if arch == 'arm64' else rnd.choice(HARDWARE[:2])) + (
            '1.%d.0' % rnd.randint(0, 20),
            None, None, rnd.randint(60, 3000000), boot, 'corp.example' if windows else '', rnd.choice(('0', '1')),
            stamp, stamp, 0, '', '%032x' % rnd.getrandbits(128), '%032x' % rnd.getrandbits(128), stamp, None))
        mac = '02:00:%02x:%02x:%02x:%02x' % ((number >> 24) & 255, (number >> 16) & 255, (number >> 8) & 255, number & 255)
        nets.append((number, 0, address, '255.255.0.0', '10.%d.255.255' % ((number >> 16) & 255), mac,
                     'Ethernet0' if windows else 'eth0'))
        if rnd.random() < 0.2:
            nets.append((number, 1, '', '', '', '02:01:%02x:%02x:%02x:%02x' % (
                (number >> 24) & 255, (number >> 16) & 255, (number >> 8) & 255, number & 255), 'wlan0'))
    return rows, nets


def _group_tree(store, rnd, groups, depth):
    """`groups` groups over `depth` levels, each level about three times the one above."""
    weights = [3 ** level for level in range(max(1, depth))]
    sizes = [max(1, round(groups * w / sum(weights))) for w in weights]
    sizes[-1] = max(1, groups - sum(sizes[:-1]))
    levels, counter = [], 0
    for level, size in enumerate(sizes):
        rows = []
        for _index in range(size):
            counter += 1
            parent = rnd.choice(levels[-1]) if levels else None
            name = '%s %d' % (DEPARTMENTS[counter % len(DEPARTMENTS)], counter) if level else DEPARTMENTS[counter % len(
                DEPARTMENTS)] + (' %d' % counter if counter > len(DEPARTMENTS) else '')
            rows.append((parent, name))
        levels.append(_insert_many(store, 'computer_group', ('parent_computer_group_id', 'name'), rows))
    return levels


def generate(store, computers=100, groups=30, depth=3, families=10, packages_per_family=3, reports=True, seed=0,
             cover_license=True):
    """Load a fleet and return a summary of the created ids."""
    rnd = random.Random(seed)
    stamp = now()
    with store.transaction():
        admin_id = store.value("SELECT id FROM system_user WHERE username = 'admin'")
        start = (store.value('SELECT COALESCE(MAX(id), 0) FROM computer') or 0) + 1
        rows, nets = _computer_rows(rnd, start, computers, stamp)
        rows = [r[:-1] + (admin_id,) for r in rows]
        computer_ids = _insert_many(store, 'computer', COMPUTER_COLUMNS, rows)
        by_number = dict(zip(range(start, start + computers), computer_ids))
        store.executemany('INSERT INTO computer_network (computer_id, nic_number, address, netmask, broadcast, mac, interface) '
                          'VALUES (?, ?, ?, ?, ?, ?, ?)', [(by_number[n[0]],) + n[1:] for n in nets])

        levels = _group_tree(store, rnd, groups, depth) if groups else []
        all_groups = [g for level in levels for g in level]
        members = []
        if all_groups:
            for cid in computer_ids:
                members.append((cid, rnd.choice(levels[-1])))
                if rnd.random() < 0.3:
                    members.append((cid, rnd.choice(all_groups)))
        store.executemany('INSERT OR IGNORE INTO computer_group_member (computer_id, computer_group_id) VALUES (?, ?)', members)

        family_rows = [((APPS[i % len(APPS)] + ('' if i < len(APPS) else ' %d' % (i // len(APPS) + 1))), '', stamp)
                       for i in range(families)]
        existing = {r['name'].lower() for r in store.rows('SELECT name FROM package_family')}
        family_rows = [f for f in family_rows if f[0].lower() not in existing]
        family_ids = _insert_many(store, 'package_family', ('name', 'notes', 'created'), family_rows)
        package_rows = []
        for fid, (fname, _notes, _versions) in zip(family_ids, family_rows):
            for version in range(1, packages_per_family + 1):
                package_rows.append((fid, '%d.%d.0' % (version, rnd.randint(0, 9)), 'fleet package of ' + fname,
                                     'install.cmd /quiet', 'uninstall.cmd /quiet', 0, stamp, admin_id))
        package_ids = _insert_many(store, 'package', (
            'package_family_id', 'version', 'notes', 'install_procedure', 'uninstall_procedure', 'upgrade_behavior', 'created',
            'created_by_system_user_id'), package_rows)

        package_group_ids = []
        if package_ids:
            package_group_ids = _insert_many(store, 'package_group', ('parent_package_group_id', 'name'),
                                             [(None, 'Base software'), (None, 'Office')])
            base = package_ids[::max(1, packages_per_family)][:5]
            store.executemany('INSERT INTO package_group_member (package_id, package_group_id, sequence) VALUES (?, ?, ?)',
                              [(pid, package_group_ids[0], seq) for seq, pid in enumerate(base, 1)])
            installs = [(cid, rnd.choice(package_ids), 'install.cmd /quiet', admin_id, stamp)
                        for cid in computer_ids if rnd.random() < 0.5]
            store.executemany('INSERT INTO computer_package (computer_id, package_id, installed_procedure, '
                              'installed_by_system_user_id, installed) VALUES (?, ?, ?, ?, ?)', installs)

        report_ids, report_group_ids = {}, []
        if reports:
            root = store.insert('report_group', {'name': 'Fleet', 'parent_report_group_id': None})
            sub = store.insert('report_group', {'name': 'Fleet packages', 'parent_report_group_id': root})
            report_group_ids = [root, sub]
            definitions = (
                ('windows_computers', root, 'Windows computers',
                 "SELECT id AS computer_id, hostname, os FROM computer WHERE os LIKE 'Windows%' ORDER BY hostname"),
                ('ubuntu_computers', root, 'Ubuntu computers',
                 "SELECT id AS computer_id, hostname FROM computer WHERE os LIKE 'Ubuntu%' ORDER BY hostname"),
                ('first_family_packages', sub, 'Packages of the first family',
                 'SELECT p.id AS package_id, pf.name AS package_family_name, p.version FROM package p '
                 'JOIN package_family pf ON pf.id = p.package_family_id WHERE pf.id = %d' % (family_ids[0] if family_ids else 0)),
            )
            for key, group, name, query in definitions:
                report_ids[key] = store.insert('report', {'report_group_id': group, 'name': name, 'notes': '', 'query': query,
                                                          'created': stamp, 'created_by_system_user_id': admin_id})
        if cover_license:
            total = store.value('SELECT COUNT(*) FROM computer')
            licensed = int(store.setting('license-computers', 20))
            if total > licensed:
                store.set_setting('license-computers', total + 100)
    return {
        'computer_ids': computer_ids, 'group_ids': all_groups, 'root_group_ids': levels[0] if levels else [],
        'group_levels': levels, 'memberships': len(members), 'family_ids': family_ids, 'package_ids': package_ids,
        'package_group_ids': package_group_ids, 'report_group_ids': report_group_ids, 'report_ids': report_ids,
    }
