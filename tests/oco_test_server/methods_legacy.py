"""The client API methods of the legacy releases (README.md, "Legacy mode"), on the same store as the current ones.

Each method reuses the current implementation where the release behaved the same and reshapes its
rows into that release's field names. What a release had is asked of its `Era` (eras.py): method
names (`oco.deploy` until 0.15.0, `oco.job_container.deploy` since), argument names (`name`,
`file`/`file_name`, `constraint_ip_ranges`), row fields and list shapes. v0.9.0 deploys with its
own expansion and job planning (single group ids ignored, one exact OS comparison,
`auto_create_uninstall_jobs`, no -5); later releases use the current planning with their own
arguments. A method a release did not have is unknown there, as on the real server.
"""

from . import constraints, deploy, methods_computer, methods_jobs, methods_package, methods_report, methods_rules, php, phpdate
from .errors import InvalidRequest
from .lookup import require
from .methods_package import package_rows

COMPUTER = ('id', 'hostname', 'os', 'os_version', 'kernel_version', 'architecture', 'cpu', 'gpu', 'ram', 'agent_version',
            'serial', 'manufacturer', 'model', 'bios_version', 'boot_type', 'secure_boot', 'last_ping', 'last_update', 'notes',
            'agent_key', 'server_key', 'software_version', 'computer_network_mac', 'os_license', 'os_locale')
# The Computer model of 0.13 to 0.16.0; 0.16.1 added who created it.
COMPUTER_013 = ('id', 'hostname', 'os', 'os_version', 'kernel_version', 'architecture', 'cpu', 'gpu', 'ram', 'agent_version',
                'remote_address', 'serial', 'manufacturer', 'model', 'bios_version', 'uptime', 'boot_type', 'domain',
                'secure_boot', 'last_ping', 'last_update', 'force_update', 'notes', 'agent_key', 'server_key', 'created',
                'software_version', 'computer_network_mac')
FINAL_STATES = (3, -1, -2, -3, -4)
DEPLOY_KEYS = ('name', 'description', 'computer_ids', 'computer_group_ids', 'package_ids', 'package_group_ids', 'date_start',
               'date_end', 'use_wol', 'restart_timeout')
UNINSTALL_KEYS = ('name', 'description', 'installation_ids', 'date_start', 'date_end', 'use_wol', 'restart_timeout')
# Deploy / uninstall arguments by the change that brought them (the rest is in every release).
ARGUMENTS_SINCE = {
    'sequence_mode': 'sequence_mode', 'priority': 'priority', 'force_install_same_version': 'force_install_same_version',
    'shutdown_waked_after_completion': 'shutdown_waked_after_completion', 'computer_report_ids': 'report_targets',
    'package_report_ids': 'report_targets', 'time_frames': 'time_frames',
}
PACKAGE_CREATE_KEYS = ('version', 'description', 'install_procedure', 'install_procedure_success_return_codes',
                       'install_procedure_post_action', 'uninstall_procedure', 'uninstall_procedure_success_return_codes',
                       'download_for_uninstall', 'uninstall_procedure_post_action', 'compatible_os', 'compatible_os_version')
POST_ACTION_RESTART, POST_ACTION_SHUTDOWN = 1, 2
UPGRADE_EXPLICIT_UNINSTALL = 2

_METHODS = {}


def method(name, write=False, since=None, until=None):
    """Register a method the releases from change `since` up to (not including) change `until` have."""
    def decorator(func):
        _METHODS.setdefault(name, []).append((func, write, since, until))
        return func
    return decorator


def lookup(name, era):
    """(func, write) or (None, None) for a method the release does not have."""
    for func, write, since, until in _METHODS.get(name, ()) if isinstance(name, str) else ():
        if (since is None or era.has(since)) and (until is None or not era.has(until)):
            return func, write
    return None, None


def names(era):
    return sorted(name for name in _METHODS if lookup(name, era)[0] is not None)


def only(data, keys):
    """A release read only these arguments; anything newer is ignored like any unknown key."""
    return {key: data[key] for key in keys if key in data}


# ------------------------------------------------------------------ row shapes

def computer_row(row, era=None):
    if era is None or not era.has('permissions'):
        return {key: row.get(key) for key in COMPUTER}
    keys = COMPUTER_013 + (('created_by_system_user_id',) if era.has('created_by') else ())
    return {key: row.get(key) for key in keys}


def post_action_timeouts(post_action, timeout):
    """`restart` / `shutdown`: the timeout in minutes for the one post action a job has, -1 otherwise."""
    restart = timeout if post_action == POST_ACTION_RESTART else -1
    shutdown = timeout if post_action == POST_ACTION_SHUTDOWN else -1
    return restart, shutdown


def package_row(row):
    install, uninstall = row.get('install_procedure_post_action'), row.get('uninstall_procedure_post_action')
    return {
        'id': row['id'], 'package_family_id': row['package_family_id'], 'version': row['version'], 'notes': row['notes'],
        'author': row.get('created_by_system_user_username'), 'install_procedure': row['install_procedure'],
        'install_procedure_success_return_codes': row['install_procedure_success_return_codes'],
        'install_procedure_restart': int(install == POST_ACTION_RESTART),
        'install_procedure_shutdown': int(install == POST_ACTION_SHUTDOWN),
        'uninstall_procedure': row['uninstall_procedure'],
        'uninstall_procedure_success_return_codes': row['uninstall_procedure_success_return_codes'],
        'download_for_uninstall': row['download_for_uninstall'],
        'uninstall_procedure_restart': int(uninstall == POST_ACTION_RESTART),
        'uninstall_procedure_shutdown': int(uninstall == POST_ACTION_SHUTDOWN),
        'compatible_os': row['compatible_os'], 'compatible_os_version': row['compatible_os_version'],
        'created': row['created'], 'last_update': row.get('updated') or row['created'],
        'package_group_member_sequence': None, 'name': row['package_family_name'],
    }


def job_last_update(row, fallback):
    stamps = [row.get(k) for k in ('download_started', 'execution_started', 'execution_finished') if row.get(k)]
    return max(stamps) if stamps else fallback


def job_row(row, container_created):
    restart, shutdown = post_action_timeouts(row['post_action'], row['post_action_timeout'])
    return {
        'id': row['id'], 'job_container_id': row['job_container_id'], 'computer_id': row['computer_id'],
        'package_id': row['package_id'], 'package_procedure': row['procedure'],
        'success_return_codes': row['success_return_codes'], 'is_uninstall': row['is_uninstall'], 'download': row['download'],
        'restart': restart, 'shutdown': shutdown, 'sequence': row['sequence'], 'state': row['state'],
        'return_code': row['return_code'], 'message': row['message'], 'last_update': job_last_update(row, container_created),
        'computer_hostname': row['computer_hostname'], 'package_name': row['package_family_name'],
        'package_version': row['package_version'], 'job_container_start_time': row['job_container_start_time'],
    }


def pending_job_row(row):
    """Pending jobs only selected some columns; the rest of the job keys are null, as the v0.9.0 API document shows them."""
    restart, shutdown = post_action_timeouts(row['post_action'], row['post_action_timeout'])
    out = {'id': row['id'], 'job_container_id': row['job_container_id'], 'computer_id': row.get('computer_id'),
           'package_id': row.get('package_id'), 'package_procedure': None, 'success_return_codes': None,
           'is_uninstall': row['is_uninstall'], 'download': row['download'], 'restart': restart, 'shutdown': shutdown,
           'sequence': None, 'state': row['state'], 'return_code': None, 'message': None, 'last_update': None}
    if row.get('computer_hostname') is not None:
        out['computer_hostname'] = row['computer_hostname']
    else:
        out.update(package_name=row.get('package_family_name'), package_version=row.get('package_version'))
    out.update(job_container_start_time=row['job_container_start_time'], job_container_name=row['job_container_name'],
               procedure=row['procedure'])
    return out


def static_pending(rows):
    # Deployment rules came with v0.15: only container jobs existed.
    return [pending_job_row(r) for r in rows if r.get('job_container_id') is not None]


def package_row_era(row, era):
    """Package rows of 0.9.2 and later: post actions, then family name and creator by release."""
    if not era.has('post_action'):
        return package_row(row)
    out = {'id': row['id'], 'package_family_id': row['package_family_id'], 'version': row['version'], 'notes': row['notes']}
    if era.has('created_by'):
        out.update(created_by_system_user_id=row.get('created_by_system_user_id'),
                   created_by_system_user_username=row.get('created_by_system_user_username'))
    else:
        out['author'] = row.get('created_by_system_user_username')
    out.update(install_procedure=row['install_procedure'],
               install_procedure_success_return_codes=row['install_procedure_success_return_codes'],
               install_procedure_post_action=row['install_procedure_post_action'])
    if era.has('upgrade_behavior'):
        out['upgrade_behavior'] = row['upgrade_behavior']
    out.update(uninstall_procedure=row['uninstall_procedure'],
               uninstall_procedure_success_return_codes=row['uninstall_procedure_success_return_codes'],
               download_for_uninstall=row['download_for_uninstall'],
               uninstall_procedure_post_action=row['uninstall_procedure_post_action'],
               compatible_os=row['compatible_os'], compatible_os_version=row['compatible_os_version'],
               created=row['created'], last_update=row.get('updated') or row['created'],
               package_group_member_sequence=row.get('package_group_member_sequence'))
    out['package_family_name' if era.has('package_family_name_arg') else 'name'] = row['package_family_name']
    return out


def _family_key(era):
    return 'package_family_name' if era.has('package_family_name_in_joins') else 'package_name'


def job_row_era(row, era, container_created):
    """Job rows of 0.9.2 and later: procedure, timestamps and family name by release."""
    if not era.has('post_action'):
        return job_row(row, container_created)
    out = {'id': row['id'], 'job_container_id': row.get('job_container_id'), 'computer_id': row.get('computer_id'),
           'package_id': row['package_id'],
           ('procedure' if era.has('current_method_names') else 'package_procedure'): row['procedure'],
           'success_return_codes': row.get('success_return_codes'), 'is_uninstall': row['is_uninstall'],
           'download': row['download'], 'post_action': row['post_action'], 'post_action_timeout': row['post_action_timeout'],
           'sequence': row['sequence'], 'state': row['state'], 'return_code': row.get('return_code'),
           'message': row.get('message')}
    if era.has('job_timestamps'):
        out.update({key: row.get(key) for key in ('download_started', 'execution_started', 'execution_finished')})
    else:
        out['last_update'] = job_last_update(row, container_created)
    out.update({'computer_hostname': row.get('computer_hostname'), _family_key(era): row.get('package_family_name'),
                'package_version': row.get('package_version'), 'job_container_start_time': row.get('job_container_start_time')})
    return out


def pending_rows(rows, era):
    if not era.has('post_action'):
        return static_pending(rows)
    # Deployment rules (dynamic jobs) came with 0.15.2.
    kept = [r for r in rows if r.get('job_container_id') is not None or era.has('group_methods')]
    out = []
    for row in kept:
        row = dict(row)
        if not era.has('package_family_name_in_joins') and 'package_family_name' in row:
            row['package_name'] = row.pop('package_family_name')
        out.append(row)
    return out


def container_row(row, era, last_update):
    if not era.has('container_constraints'):
        return {'id': row['id'], 'name': row['name'], 'author': row['author'], 'start_time': row['start_time'],
                'end_time': row['end_time'], 'notes': row['notes'], 'wol_sent': row['wol_sent'], 'created': row['created'],
                'last_update': last_update}
    out = {'id': row['id'], 'name': row['name']}
    if era.has('current_method_names'):
        out['enabled'] = row['enabled']
    out.update({key: row[key] for key in ('start_time', 'end_time', 'notes', 'wol_sent', 'shutdown_waked_after_completion',
                                          'sequence_mode', 'priority', 'agent_ip_ranges')})
    if era.has('time_frames'):
        out['time_frames'] = row['time_frames']
    out['created'] = row['created']
    if era.has('created_by'):
        out.update(self_service=row['self_service'], created_by_system_user_id=row['created_by_system_user_id'],
                   created_by_system_user_username=row['author'])
    else:
        out['author'] = row['author']
    if era.has('job_timestamps'):
        out['execution_finished'] = row.get('execution_finished')
    else:
        out['last_update'] = last_update
    return out


# ------------------------------------------------------------------ computers

@method('oco.computer.list')
def computer_list(ctx, data, era):
    if era.has('group_lists'):
        current = methods_computer.computer_list(ctx, only(data, ('computer_group_id',)))
        return dict(current, computers=[computer_row(r, era) for r in current['computers']])
    # A plain list of every computer; a group id is not read.
    return [computer_row(r, era) for r in methods_computer.computer_list(ctx, {})['computers']]


def _networks(ctx, computer_id, era):
    address = 'address' if era.has('network_address') else 'address AS addr'
    interface = 'interface' if era.has('network_interface') else 'interface AS domain'
    columns = 'id, computer_id, ' if era.has('permissions') else 'id, '
    return ctx.store.rows('SELECT %snic_number, %s, netmask, broadcast, mac, %s FROM computer_network WHERE computer_id = ? '
                          'ORDER BY nic_number, id' % (columns, address, interface), (computer_id,))


@method('oco.computer.get')
def computer_get(ctx, data, era):
    current = methods_computer.computer_get(ctx, {'id': php.arg(data, 'id', 0)})
    user = 'domain_user' if era.has('domain_user_names') else 'domainuser'
    out = {'general': computer_row(current['general'], era)}
    if era.has('group_lists'):
        out['groups'] = current['groups']
    out.update({
        'logins': [{'id': None, user + '_id': r['domain_user_id'], 'console': None, 'timestamp': r['timestamp'],
                    'logon_amount': r['logon_amount'], 'computer_hostname': None,
                    user + '_username': r['domain_user_username']} for r in current['logins']],
        'networks': _networks(ctx, current['general']['id'], era),
        'screens': current['screens'],
        'printers': current['printers'],
        'filesystems': [{k: r[k] for k in ('id', 'computer_id', 'device', 'mountpoint', 'filesystem', 'size', 'free')}
                        for r in current['filesystems']],
        'recognised_software': [{'id': r['id'], 'software_id': r['software_id'], 'version': r['software_version'],
                                 'installed': r['installed'], 'software_name': r['software_name'],
                                 'software_description': r['software_description']} for r in current['recognised_software']],
        'installed_packages': [{'id': r['id'], 'computer_id': None, 'package_id': r['package_id'],
                                'installed_procedure': r['installed_procedure'], 'installed': r['installed'],
                                _family_key(era): r['package_family_name'], 'package_version': r['package_version'],
                                'package_family_id': r['package_family_id']} for r in current['installed_packages']],
        'pending_jobs': pending_rows(current['pending_jobs'], era),
    })
    return out


@method('oco.computer.create', write=True)
def computer_create(ctx, data, era):  # pylint: disable=unused-argument
    return methods_computer.computer_create(ctx, only(data, ('hostname', 'notes')))


@method('oco.computer.wol', write=True)
def computer_wol(ctx, data, era):  # pylint: disable=unused-argument
    return methods_computer.computer_wol(ctx, only(data, ('id',)))


@method('oco.computer.remove', write=True)
def computer_remove(ctx, data, era):
    if era.has('remove_force'):
        return methods_computer.computer_remove(ctx, only(data, ('id', 'force')))
    # No `force` before 0.10.0: the computer goes, pending jobs with it.
    return methods_computer.computer_remove(ctx, dict(only(data, ('id',)), force=True))


@method('oco.computer.add_to_group', write=True, since='group_methods')
def computer_add_to_group(ctx, data, era):  # pylint: disable=unused-argument
    return methods_computer.computer_add_to_group(ctx, only(data, ('computer_id', 'computer_group_id')))


@method('oco.computer.remove_from_group', write=True, since='group_methods')
def computer_remove_from_group(ctx, data, era):  # pylint: disable=unused-argument
    return methods_computer.computer_remove_from_group(ctx, only(data, ('computer_id', 'computer_group_id')))


# ------------------------------------------------------------------ packages

@method('oco.package_family.list')
def package_family_list(ctx, data, era):  # pylint: disable=unused-argument
    # Icons are emitted raw: a binary one cannot be JSON-encoded and, before 0.11.0, empties the whole answer.
    return ctx.store.rows('SELECT id, name, notes, icon FROM package_family ORDER BY name')


@method('oco.package.list')
def package_list(ctx, data, era):
    if era.has('group_lists'):
        current = methods_package.package_list(ctx, only(data, ('package_family_id', 'package_group_id')))
        return dict(current, packages=[package_row_era(r, era) for r in current['packages']])
    family_id = php.id_like(php.arg(data, 'id', 0))
    if era.has('permissions'):
        # Since 0.13.0 the family is looked up first: an unknown one is "not found".
        require(ctx.store, 'package_family', family_id)
    # `id` is the family id; before 0.13.0 an unknown family simply has no packages.
    return [package_row_era(r, era) for r in package_rows(ctx.store, 'p.package_family_id = ?', (family_id,))]


@method('oco.package.get')
def package_get(ctx, data, era):
    current = methods_package.package_get(ctx, {'id': php.arg(data, 'id', 0)})
    general = dict(package_row_era(current['general'], era), icon=current['general'].get('package_family_icon'))
    out = {'general': general}
    if era.has('group_lists'):
        out['groups'] = current['groups']
    out.update({
        'installations': [{'id': r['id'], 'computer_id': r['computer_id'], 'package_id': r['package_id'],
                           'installed_procedure': r['installed_procedure'], 'installed': r['installed'],
                           'computer_hostname': r['computer_hostname']} for r in current['installations']],
        'pending_jobs': pending_rows(current['pending_jobs'], era),
    })
    return out


@method('oco.package.create', write=True, since='package_create')
def package_create(ctx, data, era):
    """The arguments of the release, in the current method's names; anything else is not read."""
    current = only(data, PACKAGE_CREATE_KEYS)
    current['package_family_name'] = php.arg(data, 'package_family_name' if era.has('package_family_name_arg') else 'name', '')
    if era.has('upgrade_behavior'):
        current.update(only(data, ('upgrade_behavior',)))
    if era.has('files_arg'):
        current.update(only(data, ('files',)))
    elif not php.empty(php.arg(data, 'file')):
        # One base64 file, stored under `file_name` (default "file").
        current['files'] = [{'name': php.arg(data, 'file_name', 'file'), 'content': data['file']}]
    return methods_package.package_create(ctx, current)


@method('oco.package.remove', write=True)
def package_remove(ctx, data, era):
    if era.has('remove_force'):
        return methods_package.package_remove(ctx, only(data, ('id', 'force')))
    return methods_package.package_remove(ctx, dict(only(data, ('id',)), force=True))


@method('oco.package.add_to_group', write=True, since='group_methods')
def package_add_to_group(ctx, data, era):  # pylint: disable=unused-argument
    return methods_package.package_add_to_group(ctx, only(data, ('package_id', 'package_group_id')))


@method('oco.package.remove_from_group', write=True, since='group_methods')
def package_remove_from_group(ctx, data, era):  # pylint: disable=unused-argument
    return methods_package.package_remove_from_group(ctx, only(data, ('package_id', 'package_group_id')))


# ------------------------------------------------------------------ job containers

def _container_rows(store, where='', params=()):
    return store.rows('SELECT jc.*, su.username AS author, (SELECT MAX(j.execution_finished) FROM job_container_job j '
                      'WHERE j.job_container_id = jc.id) AS execution_finished FROM job_container jc '
                      'LEFT JOIN system_user su ON su.id = jc.created_by_system_user_id ' + where + ' ORDER BY jc.id', params)


@method('oco.job_container.list')
def job_container_list(ctx, data, era):  # pylint: disable=unused-argument
    out = []
    for row in _container_rows(ctx.store):
        stamps = ctx.store.rows('SELECT download_started, execution_started, execution_finished FROM job_container_job '
                                'WHERE job_container_id = ?', (row['id'],))
        last = max([job_last_update(s, row['created']) or '' for s in stamps] + [row['created'] or '']) or None
        out.append(container_row(row, era, last))
    return out


def _job_list(ctx, data, era):
    rows = methods_jobs.job_container_job_list(ctx, {'id': php.arg(data, 'id', 0)})
    created = ctx.store.value('SELECT created FROM job_container WHERE id = ?', (php.id_like(php.arg(data, 'id', 0)),))
    return [job_row_era(r, era, created) for r in rows]


@method('oco.job.list', until='current_method_names')
def job_list(ctx, data, era):
    return _job_list(ctx, data, era)


@method('oco.job_container.job.list', since='current_method_names')
def job_container_job_list(ctx, data, era):
    return _job_list(ctx, data, era)


def _group_members(ctx, sql, group_ids):
    # Fixed in v0.13.3: before, the group ids of one kind were only expanded when there were two or more.
    if len(group_ids) < 2:
        return []
    found = []
    for gid in group_ids:
        found.extend(r['id'] for r in ctx.store.rows(sql, (php.id_like(gid),)))
    return found


def _compatible(package, computer):
    """One exact comparison per attribute; an empty package field allows every computer."""
    for package_field, computer_field in (('compatible_os', 'os'), ('compatible_os_version', 'os_version')):
        allowed = package.get(package_field)
        if not php.empty(allowed) and allowed != computer.get(computer_field):
            return False
    return True


def _plan(store, computer, packages, auto_uninstall):
    planned = []
    for package in packages.values():
        if not _compatible(package, computer):
            planned.append((dict(deploy.install_fields(store, package), upgrade_behavior=0), deploy.STATE_OS_INCOMPATIBLE))
            continue
        if auto_uninstall:
            # Every installed package of the family gets an uninstall job, the same version included.
            for assignment in deploy.installed_assignments(store, computer['id']):
                if assignment['package_family_id'] == package['package_family_id']:
                    old = store.row('SELECT * FROM package WHERE id = ?', (assignment['package_id'],))
                    planned.append((deploy.uninstall_fields(store, old), deploy.STATE_WAITING))
        planned.append((dict(deploy.install_fields(store, package), upgrade_behavior=0), deploy.STATE_WAITING))
    return planned


def deploy_090(ctx, data):
    legacy = only(data, DEPLOY_KEYS)
    settings = deploy.validate(ctx, legacy)
    computer_ids = []
    for cid in deploy.id_list(legacy, 'computer_ids'):
        found = ctx.store.value('SELECT id FROM computer WHERE id = ?', (php.id_like(cid),))
        if found is not None and found not in computer_ids:
            computer_ids.append(found)
    for cid in _group_members(ctx, 'SELECT c.id FROM computer c JOIN computer_group_member m ON m.computer_id = c.id '
                                   'WHERE m.computer_group_id = ? ORDER BY c.hostname', deploy.id_list(legacy, 'computer_group_ids')):
        if cid not in computer_ids:
            computer_ids.append(cid)
    package_ids = deploy.id_list(legacy, 'package_ids') + _group_members(
        ctx, 'SELECT package_id AS id FROM package_group_member WHERE package_group_id = ? ORDER BY sequence, id',
        deploy.id_list(legacy, 'package_group_ids'))
    packages = deploy.expand_packages(ctx, {'package_ids': package_ids})
    if not computer_ids or not packages:
        raise InvalidRequest('no_jobs_created')
    wol_sent = deploy.wol_state(ctx, dict(settings, shutdown=False), computer_ids, 'oco.deploy')
    timeout = deploy.sql_int(settings['restart_timeout'], 'restart', 'job')
    container_id = deploy.insert_container(ctx, dict(settings, shutdown=False, sequence_mode=0, priority=0), wol_sent, None, None)
    auto_uninstall = php.truthy(php.arg(data, 'auto_create_uninstall_jobs', 1))
    for cid in computer_ids:
        computer = ctx.store.row('SELECT * FROM computer WHERE id = ?', (cid,))
        for sequence, (fields, state) in enumerate(_plan(ctx.store, computer, packages, auto_uninstall), start=1):
            deploy.insert_job(ctx.store, container_id, cid, fields, sequence, state, timeout)
    return {'id': str(container_id)}


def era_arguments(data, era, keys):
    """The deploy/uninstall arguments the release reads, with its IP range parameter as `agent_ip_ranges`."""
    current = only(data, keys)
    for key, change in ARGUMENTS_SINCE.items():
        if key in data and era.has(change):
            current[key] = data[key]
    ip_name = 'agent_ip_ranges' if era.has('agent_ip_ranges') else 'constraint_ip_ranges'
    if era.has('constraint_ip_ranges') and ip_name in data:
        current['agent_ip_ranges'] = data[ip_name]
    return current


def deploy_013(ctx, data, era):
    """0.13.3 to 1.0.2: the current planning, and before 1.0.2 `auto_create_uninstall_jobs` (default 1)
    decides for every package whether other installed versions of its family get an uninstall job."""
    data = dict(data)
    current = era_arguments(data, era, DEPLOY_KEYS)
    ip_param, frame_param = php.arg(current, 'agent_ip_ranges', []), php.arg(current, 'time_frames', [])
    constraints.entries(ip_param, 'agent_ip_ranges')
    constraints.entries(frame_param, 'time_frames')
    settings = deploy.validate(ctx, current)
    computer_ids = deploy.expand_computers(ctx, current)
    packages = deploy.expand_packages(ctx, current)
    if not computer_ids or not packages:
        raise InvalidRequest('no_jobs_created')
    if not era.has('per_package_upgrade'):
        auto = php.truthy(php.arg(data, 'auto_create_uninstall_jobs', 1))
        for package in packages.values():
            explicit = not era.has('upgrade_behavior') or package['upgrade_behavior'] == UPGRADE_EXPLICIT_UNINSTALL
            package['upgrade_behavior'] = UPGRADE_EXPLICIT_UNINSTALL if auto and explicit else 0
    wol_sent = deploy.wol_state(ctx, settings, computer_ids, 'oco.job_container.deploy')
    ip_ranges = constraints.compile_ip_ranges(ip_param)
    time_frames = constraints.compile_time_frames(frame_param, phpdate.now()) if era.has('time_frames') else None
    timeout = deploy.sql_int(settings['restart_timeout'], 'post_action_timeout', 'job_container_job')
    container_id = deploy.insert_container(ctx, settings, wol_sent, ip_ranges, time_frames)
    force = php.arg(current, 'force_install_same_version', 0)
    for cid in computer_ids:
        computer = ctx.store.row('SELECT * FROM computer WHERE id = ?', (cid,))
        for sequence, (fields, state) in enumerate(deploy.plan_computer(ctx.store, computer, packages, force), start=1):
            deploy.insert_job(ctx.store, container_id, cid, fields, sequence, state, timeout)
    if wol_sent == 1 and settings['shutdown']:
        deploy.set_wol_shutdown(ctx.store, container_id, phpdate.now())
    return {'id': str(container_id)}


def _deploy(ctx, data, era):
    return deploy_013(ctx, data, era) if era.has('single_group_expanded') else deploy_090(ctx, data)


@method('oco.deploy', write=True, until='current_method_names')
def legacy_deploy(ctx, data, era):
    return _deploy(ctx, data, era)


@method('oco.job_container.deploy', write=True, since='current_method_names')
def job_container_deploy(ctx, data, era):
    return _deploy(ctx, data, era)


def _uninstall(ctx, data, era):
    if not era.has('single_group_expanded'):
        return deploy.uninstall(ctx, only(data, UNINSTALL_KEYS))
    current = era_arguments(data, era, UNINSTALL_KEYS)
    current.pop('time_frames', None)
    return deploy.uninstall(ctx, current)


@method('oco.uninstall', write=True, until='current_method_names')
def legacy_uninstall(ctx, data, era):
    return _uninstall(ctx, data, era)


@method('oco.job_container.uninstall', write=True, since='current_method_names')
def job_container_uninstall(ctx, data, era):
    return _uninstall(ctx, data, era)


@method('oco.remove_installation_assignment', write=True)
def remove_installation_assignment(ctx, data, era):  # pylint: disable=unused-argument
    return methods_jobs.remove_installation_assignment(ctx, only(data, ('id',)))


@method('oco.job_container.remove', write=True)
def job_container_remove(ctx, data, era):  # pylint: disable=unused-argument
    return methods_jobs.job_container_remove(ctx, only(data, ('id',)))


@method('oco.job.remove', write=True, until='current_method_names')
def job_remove(ctx, data, era):  # pylint: disable=unused-argument
    return methods_jobs.job_container_job_remove(ctx, only(data, ('id',)))


@method('oco.job_container.job.remove', write=True, since='current_method_names')
def job_container_job_remove(ctx, data, era):  # pylint: disable=unused-argument
    return methods_jobs.job_container_job_remove(ctx, only(data, ('id',)))


# ------------------------------------------------------------------ deployment rules and reports (0.15.2)

@method('oco.deployment_rule.list', since='group_methods')
def deployment_rule_list(ctx, data, era):  # pylint: disable=unused-argument
    rows = methods_rules.deployment_rule_list(ctx, {})
    if era.has('per_package_upgrade'):
        return rows
    # Until 1.0.2 a rule had its own `auto_uninstall` flag (default 1).
    return [dict(row, auto_uninstall=1) for row in rows]


@method('oco.deployment_rule.job.list', since='group_methods')
def deployment_rule_job_list(ctx, data, era):  # pylint: disable=unused-argument
    return methods_rules.deployment_rule_job_list(ctx, only(data, ('id',)))


@method('oco.report.list', since='group_methods')
def report_list(ctx, data, era):  # pylint: disable=unused-argument
    return methods_report.report_list(ctx, only(data, ('report_group_id',)))


@method('oco.report.execute')
def report_execute(ctx, data, era):  # pylint: disable=unused-argument
    return methods_report.report_execute(ctx, only(data, ('id',)))
