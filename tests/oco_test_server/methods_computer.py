"""oco.computer.*: list, get, create, wol, remove and group membership."""

import re

from . import models, php, registry
from .errors import InvalidRequest, PermissionDenied, ServerError
from .lookup import allow, pending_job_count, pending_jobs, readable, require
from .perms import COMPUTER, COMPUTER_GROUP
from .registry import method

GROUP_COLUMNS = 'SELECT id, parent_computer_group_id, name FROM computer_group'
# Name order as MariaDB's default (case-insensitive) collation sorts it.
BY_NAME = 'ORDER BY name COLLATE NOCASE'
_MAC = re.compile(r'^[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$')


@method('oco.computer.list')
def computer_list(ctx, data):
    store = ctx.store
    group_id = php.arg(data, 'computer_group_id')
    if php.empty(group_id):
        computers = readable(ctx, COMPUTER, store.rows('SELECT * FROM computer ORDER BY hostname'))
        groups = readable(ctx, COMPUTER_GROUP, store.rows(GROUP_COLUMNS + ' WHERE parent_computer_group_id IS NULL ' + BY_NAME))
        return {'computers': models.build_all(models.COMPUTER, computers), 'groups': groups}
    group = require(store, 'computer_group', php.id_like(group_id))
    allow(ctx, COMPUTER_GROUP, 'read', group)
    computers = store.rows('SELECT c.* FROM computer c JOIN computer_group_member m ON m.computer_id = c.id '
                           'WHERE m.computer_group_id = ? ORDER BY c.hostname', (group['id'],))
    groups = readable(ctx, COMPUTER_GROUP, store.rows(GROUP_COLUMNS + ' WHERE parent_computer_group_id = ? ' + BY_NAME,
                                                      (group['id'],)))
    return {'name': group['name'], 'computers': models.build_all(models.COMPUTER, computers), 'groups': groups}


@method('oco.computer.get')
def computer_get(ctx, data):
    store = ctx.store
    computer = require(store, 'computer', php.id_like(php.arg(data, 'id', 0)),
                       'SELECT c.*, su.username AS created_by_system_user_username FROM computer c '
                       'LEFT JOIN system_user su ON su.id = c.created_by_system_user_id WHERE c.id = ?')
    allow(ctx, COMPUTER, 'read', computer)
    cid = computer['id']
    return {
        'general': models.build(models.COMPUTER, computer),
        'groups': store.rows('SELECT g.id, g.parent_computer_group_id, g.name FROM computer_group g '
                             'JOIN computer_group_member m ON m.computer_group_id = g.id WHERE m.computer_id = ? ORDER BY g.name COLLATE NOCASE',
                             (cid,)),
        'logins': models.build_all(models.LOGIN, store.rows(
            'SELECT NULL AS id, NULL AS computer_id, l.domain_user_id, NULL AS console, MAX(l.timestamp) AS timestamp, '
            'COUNT(*) AS logon_amount, NULL AS computer_hostname, du.username AS domain_user_username, '
            'du.display_name AS domain_user_display_name, du.uid AS domain_user_uid '
            'FROM domain_user_logon l JOIN domain_user du ON du.id = l.domain_user_id WHERE l.computer_id = ? '
            'GROUP BY l.domain_user_id ORDER BY timestamp DESC', (cid,))),
        'networks': store.rows('SELECT id, computer_id, nic_number, address, netmask, broadcast, mac, interface '
                               'FROM computer_network WHERE computer_id = ? ORDER BY nic_number, id', (cid,)),
        'screens': store.rows('SELECT id, computer_id, name, manufacturer, type, resolution, size, manufactured, serialno, '
                              'active FROM computer_screen WHERE computer_id = ? ORDER BY active DESC, id', (cid,)),
        'printers': store.rows('SELECT id, computer_id, name, driver, paper, dpi, uri, status FROM computer_printer '
                               'WHERE computer_id = ? ORDER BY name', (cid,)),
        'filesystems': store.rows('SELECT id, computer_id, device, mountpoint, filesystem, size, free, name, uuid, encrypted '
                                  'FROM computer_partition WHERE computer_id = ? ORDER BY id', (cid,)),
        'recognised_software': store.rows(
            'SELECT cs.id, NULL AS computer_id, cs.software_id, cs.installed, s.name AS software_name, '
            's.version AS software_version, s.description AS software_description FROM computer_software cs '
            'JOIN software s ON s.id = cs.software_id WHERE cs.computer_id = ? ORDER BY s.name COLLATE NOCASE', (cid,)),
        'installed_packages': models.build_all(models.INSTALLATION, store.rows(
            'SELECT cp.id, cp.computer_id, cp.package_id, cp.installed_procedure, cp.installed_by_system_user_id, '
            'NULL AS installed_by_domain_user_id, cp.installed, c.hostname AS computer_hostname, p.package_family_id, '
            'pf.name AS package_family_name, p.version AS package_version, su.username AS installed_by_system_user_username, '
            'NULL AS installed_by_domain_user_username FROM computer_package cp JOIN computer c ON c.id = cp.computer_id '
            'JOIN package p ON p.id = cp.package_id JOIN package_family pf ON pf.id = p.package_family_id '
            'LEFT JOIN system_user su ON su.id = cp.installed_by_system_user_id WHERE cp.computer_id = ? '
            'ORDER BY pf.name, p.version', (cid,))),
        'pending_jobs': pending_jobs(store, models, 'computer_id', cid),
    }


@method('oco.computer.create', write=True)
def computer_create(ctx, data):
    if not ctx.perms.may_create(COMPUTER):
        raise PermissionDenied()
    hostname = php.trim(php.arg(data, 'hostname', ''))
    notes = php.strval(php.arg(data, 'notes', ''))
    if hostname == '':
        raise InvalidRequest('hostname_cannot_be_empty')
    if ctx.store.value('SELECT id FROM computer WHERE trim(hostname) = ? COLLATE general_ci', (hostname,)) is not None:
        raise InvalidRequest('hostname_already_exists')
    if len(hostname) > 200:
        raise ServerError(text="SQLSTATE[22001]: String data, right truncated: 1406 Data too long for column 'hostname' at row 1")
    new_id = ctx.store.insert('computer', {'hostname': hostname, 'notes': notes, 'created': ctx.now(),
                                           'created_by_system_user_id': ctx.user_id})
    return {'id': str(new_id)}


@method('oco.computer.wol', write=True)
def computer_wol(ctx, data):
    computer = require(ctx.store, 'computer', php.intval(php.arg(data, 'id', 0)))
    allow(ctx, COMPUTER, 'wol', computer)
    macs = [r['mac'] for r in ctx.store.rows('SELECT mac FROM computer_network WHERE computer_id = ? ORDER BY id',
                                             (computer['id'],))
            if r['mac'] not in (None, '', '-', '?')]
    if not macs:
        raise ServerError('no_mac_addresses_for_wol')
    # Invalid MAC syntax is skipped silently, like the real magic-packet sender does.
    ctx.server.record_wol([m for m in macs if _MAC.match(m)], computer_id=int(computer['id']), source='oco.computer.wol')
    return []


@method('oco.computer.remove', write=True)
def computer_remove(ctx, data):
    computer = require(ctx.store, 'computer', php.intval(php.arg(data, 'id', 0)))
    allow(ctx, COMPUTER, 'delete', computer)
    if not php.truthy(php.arg(data, 'force', True)) and pending_job_count(ctx.store, 'computer_id', computer['id']):
        raise InvalidRequest('delete_failed_active_jobs')
    ctx.store.execute('DELETE FROM computer WHERE id = ?', (computer['id'],))
    return []


def _computer_and_group(ctx, data):
    computer = require(ctx.store, 'computer', php.id_like(php.arg(data, 'computer_id', 0)))
    group = require(ctx.store, 'computer_group', php.id_like(php.arg(data, 'computer_group_id', 0)))
    return computer, group


@method('oco.computer.add_to_group', write=True)
def computer_add_to_group(ctx, data):
    computer, group = _computer_and_group(ctx, data)
    allow(ctx, COMPUTER, 'write', computer)
    allow(ctx, COMPUTER_GROUP, 'write', group)
    cursor = ctx.store.execute('INSERT OR IGNORE INTO computer_group_member (computer_id, computer_group_id) VALUES (?, ?)',
                               (computer['id'], group['id']))
    if cursor.rowcount:
        registry.emit(ctx, registry.COMPUTER_GROUP_CHANGED, computer_group_id=int(group['id']))
    return []


@method('oco.computer.remove_from_group', write=True)
def computer_remove_from_group(ctx, data):
    _computer, group = _computer_and_group(ctx, data)
    allow(ctx, COMPUTER_GROUP, 'write', group)
    computer_id = php.id_like(php.arg(data, 'computer_id', 0))
    cursor = ctx.store.execute('DELETE FROM computer_group_member WHERE computer_id = ? AND computer_group_id = ?',
                               (computer_id, group['id']))
    if cursor.rowcount:
        registry.emit(ctx, registry.COMPUTER_GROUP_CHANGED, computer_group_id=int(group['id']))
    return []
