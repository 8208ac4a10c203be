"""oco.package_family.list and oco.package.*."""

import base64

from . import license as lic
from . import models, payload, php, registry
from .errors import InvalidRequest, NotFound, PermissionDenied, ServerError
from .lookup import allow, pending_job_count, pending_jobs, readable, require
from .perms import PACKAGE, PACKAGE_FAMILY, PACKAGE_GROUP
from .registry import method

PACKAGE_SELECT = (
    'SELECT p.*, {sequence} AS package_group_member_sequence, pf.name AS package_family_name, '
    '{icon} AS package_family_icon, su.username AS created_by_system_user_username, '
    '(SELECT COUNT(*) FROM computer_package cp WHERE cp.package_id = p.id) AS install_count{extra} '
    'FROM package p JOIN package_family pf ON pf.id = p.package_family_id '
    'LEFT JOIN system_user su ON su.id = p.created_by_system_user_id {join}')
GROUP_COLUMNS = 'SELECT id, parent_package_group_id, name FROM package_group'
# Name order as MariaDB's default (case-insensitive) collation sorts it.
BY_NAME = 'ORDER BY name COLLATE NOCASE'
# Columns that are TINYINT/INT in MariaDB: strict mode refuses non-numeric text (-32000).
INT_FIELDS = ('install_procedure_post_action', 'upgrade_behavior', 'download_for_uninstall', 'uninstall_procedure_post_action')


def package_rows(store, where, params, sequence='NULL', join='', order='p.id', icon='NULL', extra=''):
    sql = PACKAGE_SELECT.format(sequence=sequence, icon=icon, extra=extra, join=join) + ' WHERE ' + where + ' ORDER BY ' + order
    return store.rows(sql, params)


@method('oco.package_family.list')
def package_family_list(ctx, data):
    rows = ctx.store.rows(
        'SELECT pf.id, pf.name, pf.license_count, pf.notes, pf.icon, '
        '(SELECT COUNT(*) FROM package p WHERE p.package_family_id = pf.id) AS package_count, '
        '(SELECT COUNT(*) FROM computer_package cp JOIN package p ON p.id = cp.package_id '
        ' WHERE p.package_family_id = pf.id) AS install_count, '
        '(SELECT MAX(created) FROM package p WHERE p.package_family_id = pf.id) AS newest_package_created, '
        '(SELECT MIN(created) FROM package p WHERE p.package_family_id = pf.id) AS oldest_package_created '
        'FROM package_family pf ORDER BY pf.name')
    rows = readable(ctx, PACKAGE_FAMILY, rows)
    if php.truthy(php.arg(data, 'show_icons', False)):
        for row in rows:
            if row['icon'] is not None:
                row['icon'] = base64.b64encode(row['icon'] if isinstance(row['icon'], bytes) else row['icon'].encode()).decode()
    return rows


@method('oco.package.list')
def package_list(ctx, data):
    store = ctx.store
    group_id = php.arg(data, 'package_group_id')
    family_id = php.arg(data, 'package_family_id')
    if not php.empty(group_id):
        group = require(store, 'package_group', php.id_like(group_id))
        allow(ctx, PACKAGE_GROUP, 'read', group)
        packages = package_rows(store, 'm.package_group_id = ?', (group['id'],), sequence='m.sequence',
                                join='JOIN package_group_member m ON m.package_id = p.id', order='m.sequence, p.id')
        groups = store.rows(GROUP_COLUMNS + ' WHERE parent_package_group_id = ? ' + BY_NAME, (group['id'],))
        return {'name': group['name'], 'packages': models.build_all(models.PACKAGE, packages),
                'groups': readable(ctx, PACKAGE_GROUP, groups)}
    if php.empty(family_id):
        raise InvalidRequest(text='package_family_id or package_group_id is required')
    family = require(store, 'package_family', php.id_like(family_id))
    allow(ctx, PACKAGE_FAMILY, 'read', family)
    packages = package_rows(store, 'p.package_family_id = ?', (family['id'],))
    groups = store.rows(GROUP_COLUMNS + ' WHERE parent_package_group_id IS NULL ' + BY_NAME)
    return {'name': family['name'], 'packages': models.build_all(models.PACKAGE, packages),
            'groups': readable(ctx, PACKAGE_GROUP, groups)}


@method('oco.package.get')
def package_get(ctx, data):
    store = ctx.store
    pid = php.id_like(php.arg(data, 'id', 0))
    found = package_rows(store, 'p.id = ?', (pid,), icon='pf.icon', extra=', su2.username AS updated_by_system_user_username',
                         join='LEFT JOIN system_user su2 ON su2.id = p.updated_by_system_user_id')
    if not found:
        raise NotFound()
    package = found[0]
    allow(ctx, PACKAGE, 'read', package)
    return {
        'general': models.build(models.PACKAGE, package),
        'groups': store.rows('SELECT g.id, g.parent_package_group_id, g.name FROM package_group g '
                             'JOIN package_group_member m ON m.package_group_id = g.id WHERE m.package_id = ? ORDER BY g.name COLLATE NOCASE',
                             (package['id'],)),
        'installations': models.build_all(models.INSTALLATION, store.rows(
            'SELECT cp.id, cp.computer_id, cp.package_id, cp.installed_procedure, cp.installed_by_system_user_id, '
            'NULL AS installed_by_domain_user_id, cp.installed, c.hostname AS computer_hostname, p.package_family_id, '
            'NULL AS package_family_name, NULL AS package_version, su.username AS installed_by_system_user_username, '
            'NULL AS installed_by_domain_user_username FROM computer_package cp JOIN computer c ON c.id = cp.computer_id '
            'JOIN package p ON p.id = cp.package_id LEFT JOIN system_user su ON su.id = cp.installed_by_system_user_id '
            'WHERE cp.package_id = ? ORDER BY c.hostname', (package['id'],))),
        'pending_jobs': pending_jobs(store, models, 'package_id', package['id']),
    }


def _sql_int(value, column):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip('+-').isdigit():
        return int(value)
    raise ServerError(text="SQLSTATE[22007]: Invalid datetime format: 1366 Incorrect integer value: '%s' for column "
                           "`oco`.`package`.`%s` at row 1" % (php.strval(value) if not isinstance(value, (list, dict)) else 'Array',
                                                              column))


@method('oco.package.create', write=True)
def package_create(ctx, data):
    store = ctx.store
    files = payload.decode_files(php.arg(data, 'files'))
    if not lic.is_valid(store):
        raise ServerError('your_license_is_invalid')
    if not ctx.perms.may_create(PACKAGE):
        raise PermissionDenied()
    family_name = php.arg(data, 'package_family_name', '')
    version = php.arg(data, 'version', '')
    install_procedure = php.arg(data, 'install_procedure', '')
    if php.empty(family_name) or php.empty(install_procedure) or php.empty(version):
        raise InvalidRequest('please_fill_required_fields')
    family_name, version = php.strval(family_name), php.strval(version)
    if store.value('SELECT p.id FROM package p JOIN package_family pf ON pf.id = p.package_family_id '
                   'WHERE pf.name = ? COLLATE general_ci AND p.version = ? COLLATE general_ci',
                   (family_name, version)) is not None:
        raise InvalidRequest('package_exists_with_version')
    zip_blob = payload.build_zip(files)
    family = store.row('SELECT * FROM package_family WHERE name = ? COLLATE general_ci ORDER BY id LIMIT 1',
                       (family_name,))
    if family is None:
        if not ctx.perms.may_create(PACKAGE_FAMILY):
            raise PermissionDenied()
        family_id = store.insert('package_family', {'name': family_name, 'notes': '', 'created': ctx.now()})
    else:
        allow(ctx, PACKAGE_FAMILY, 'create', family)
        family_id = family['id']
    license_count = php.arg(data, 'license_count')
    if license_count is not None:
        license_count = _sql_int(license_count, 'license_count')
        license_count = None if license_count < 0 else license_count
    line_endings = php.arg(data, 'line_endings')
    values = {
        'package_family_id': family_id, 'version': version, 'notes': php.strval(php.arg(data, 'description', '')),
        'install_procedure': php.strval(install_procedure),
        'install_procedure_success_return_codes': php.strval(php.arg(data, 'install_procedure_success_return_codes', '0')),
        'install_procedure_post_action': php.arg(data, 'install_procedure_post_action', 0),
        'upgrade_behavior': php.arg(data, 'upgrade_behavior', 0),
        'uninstall_procedure': php.strval(php.arg(data, 'uninstall_procedure', '')),
        'uninstall_procedure_success_return_codes': php.strval(php.arg(data, 'uninstall_procedure_success_return_codes', '0')),
        'download_for_uninstall': php.arg(data, 'download_for_uninstall', 0),
        'uninstall_procedure_post_action': php.arg(data, 'uninstall_procedure_post_action', 0),
        'line_endings': None if php.empty(line_endings) else php.strval(line_endings),
        'compatible_os': php.strval(php.arg(data, 'compatible_os', '')),
        'compatible_os_version': php.strval(php.arg(data, 'compatible_os_version', '')),
        'compatible_architecture': php.strval(php.arg(data, 'compatible_architecture', '')),
        'license_count': license_count, 'created': ctx.now(), 'created_by_system_user_id': ctx.user_id,
        'updated': None, 'updated_by_system_user_id': None,
    }
    for column in INT_FIELDS:
        values[column] = _sql_int(values[column], column)
    new_id = store.insert('package', values)
    if zip_blob is not None:
        store.save_payload(new_id, zip_blob)
    return {'id': str(new_id)}


@method('oco.package.remove', write=True)
def package_remove(ctx, data):
    store = ctx.store
    package = require(store, 'package', php.intval(php.arg(data, 'id', 0)))
    allow(ctx, PACKAGE, 'delete', package)
    if not php.truthy(php.arg(data, 'force', True)):
        if pending_job_count(store, 'package_id', package['id']):
            raise InvalidRequest('delete_failed_active_jobs')
        if store.value('SELECT COUNT(*) FROM package_dependency WHERE dependent_package_id = ?', (package['id'],)):
            raise InvalidRequest('delete_failed_dependent_packages')
    store.execute('DELETE FROM package WHERE id = ?', (package['id'],))
    store.delete_payload(package['id'])
    return []


def _package_and_group(ctx, data):
    package = require(ctx.store, 'package', php.id_like(php.arg(data, 'package_id', 0)))
    group = require(ctx.store, 'package_group', php.id_like(php.arg(data, 'package_group_id', 0)))
    return package, group


@method('oco.package.add_to_group', write=True)
def package_add_to_group(ctx, data):
    package, group = _package_and_group(ctx, data)
    allow(ctx, PACKAGE, 'write', package)
    allow(ctx, PACKAGE_GROUP, 'write', group)
    if add_member(ctx.store, package['id'], group['id']):
        registry.emit(ctx, registry.PACKAGE_GROUP_CHANGED, package_group_id=int(group['id']))
    return []


def add_member(store, package_id, group_id):
    """Append at max(sequence)+1; False when already a member."""
    if store.value('SELECT id FROM package_group_member WHERE package_id = ? AND package_group_id = ?', (package_id, group_id)):
        return False
    sequence = store.value('SELECT COALESCE(MAX(sequence), 0) + 1 FROM package_group_member WHERE package_group_id = ?',
                           (group_id,))
    store.insert('package_group_member', {'package_id': package_id, 'package_group_id': group_id, 'sequence': sequence})
    return True


@method('oco.package.remove_from_group', write=True)
def package_remove_from_group(ctx, data):
    _package, group = _package_and_group(ctx, data)
    allow(ctx, PACKAGE_GROUP, 'write', group)
    store = ctx.store
    cursor = store.execute('DELETE FROM package_group_member WHERE package_id = ? AND package_group_id = ?',
                           (php.id_like(php.arg(data, 'package_id', 0)), group['id']))
    if cursor.rowcount:
        members = store.rows('SELECT id FROM package_group_member WHERE package_group_id = ? ORDER BY sequence, id',
                             (group['id'],))
        store.executemany('UPDATE package_group_member SET sequence = ? WHERE id = ?',
                          [(pos, m['id']) for pos, m in enumerate(members, 1)])
        registry.emit(ctx, registry.PACKAGE_GROUP_CHANGED, package_group_id=int(group['id']))
    return []
