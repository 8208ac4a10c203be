"""The 17 client API methods of OCO server v0.9.0 (facts 9.2), on the same store as the current ones.

Each method reuses the current implementation where v0.9.0 behaved the same and reshapes its rows
into the old field names; deploy has its own expansion and job planning because v0.9.0 differed
there (single group ids ignored, one exact OS comparison, `auto_create_uninstall_jobs`, no -5).
`oco.package.create` arrived in v0.9.2, the group, report list, deployment rule and info methods
later still: they are unknown here, as on a real v0.9.0 server.
"""

from . import deploy, jobs, methods_computer, methods_package, methods_report, php
from .errors import InvalidRequest
from .methods_package import package_rows

COMPUTER = ('id', 'hostname', 'os', 'os_version', 'kernel_version', 'architecture', 'cpu', 'gpu', 'ram', 'agent_version',
            'serial', 'manufacturer', 'model', 'bios_version', 'boot_type', 'secure_boot', 'last_ping', 'last_update', 'notes',
            'agent_key', 'server_key', 'software_version', 'computer_network_mac', 'os_license', 'os_locale')
FINAL_STATES = (3, -1, -2, -3, -4)
DEPLOY_KEYS = ('name', 'description', 'computer_ids', 'computer_group_ids', 'package_ids', 'package_group_ids', 'date_start',
               'date_end', 'use_wol', 'restart_timeout')
UNINSTALL_KEYS = ('name', 'description', 'installation_ids', 'date_start', 'date_end', 'use_wol', 'restart_timeout')
POST_ACTION_RESTART, POST_ACTION_SHUTDOWN = 1, 2

_METHODS = {}


def method(name, write=False):
    def decorator(func):
        _METHODS[name] = (func, write)
        return func
    return decorator


def lookup(name):
    """(func, write) or (None, None) for a method v0.9.0 does not have."""
    return _METHODS.get(name, (None, None)) if isinstance(name, str) else (None, None)


def names():
    return sorted(_METHODS)


def only(data, keys):
    """v0.9.0 read only these arguments; anything newer is ignored like any unknown key."""
    return {key: data[key] for key in keys if key in data}


# ------------------------------------------------------------------ row shapes

def computer_row(row):
    return {key: row.get(key) for key in COMPUTER}


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
    """Pending jobs only selected some columns; the rest of the job keys are null (spec seed 000)."""
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


# ------------------------------------------------------------------ computers

@method('oco.computer.list')
def computer_list(ctx, data):  # pylint: disable=unused-argument
    return [computer_row(r) for r in methods_computer.computer_list(ctx, {})['computers']]


@method('oco.computer.get')
def computer_get(ctx, data):
    current = methods_computer.computer_get(ctx, {'id': php.arg(data, 'id', 0)})
    networks = ctx.store.rows('SELECT id, nic_number, address AS addr, netmask, broadcast, mac, interface AS domain '
                              'FROM computer_network WHERE computer_id = ? ORDER BY nic_number, id', (current['general']['id'],))
    return {
        'general': computer_row(current['general']),
        'logins': [{'id': None, 'domainuser_id': r['domain_user_id'], 'console': None, 'timestamp': r['timestamp'],
                    'logon_amount': r['logon_amount'], 'computer_hostname': None,
                    'domainuser_username': r['domain_user_username']} for r in current['logins']],
        'networks': networks,
        'screens': current['screens'],
        'printers': current['printers'],
        'filesystems': [{k: r[k] for k in ('id', 'computer_id', 'device', 'mountpoint', 'filesystem', 'size', 'free')}
                        for r in current['filesystems']],
        'recognised_software': [{'id': r['id'], 'software_id': r['software_id'], 'version': r['software_version'],
                                 'installed': r['installed'], 'software_name': r['software_name'],
                                 'software_description': r['software_description']} for r in current['recognised_software']],
        'installed_packages': [{'id': r['id'], 'computer_id': None, 'package_id': r['package_id'],
                                'installed_procedure': r['installed_procedure'], 'installed': r['installed'],
                                'package_name': r['package_family_name'], 'package_version': r['package_version'],
                                'package_family_id': r['package_family_id']} for r in current['installed_packages']],
        'pending_jobs': static_pending(current['pending_jobs']),
    }


@method('oco.computer.create', write=True)
def computer_create(ctx, data):
    return methods_computer.computer_create(ctx, only(data, ('hostname', 'notes')))


@method('oco.computer.wol', write=True)
def computer_wol(ctx, data):
    return methods_computer.computer_wol(ctx, only(data, ('id',)))


@method('oco.computer.remove', write=True)
def computer_remove(ctx, data):
    # No `force` before v0.10.0: the computer goes, pending jobs with it.
    return methods_computer.computer_remove(ctx, dict(only(data, ('id',)), force=True))


# ------------------------------------------------------------------ packages

@method('oco.package_family.list')
def package_family_list(ctx, data):  # pylint: disable=unused-argument
    # Icons are emitted raw: a binary one cannot be JSON-encoded and empties the whole answer.
    return ctx.store.rows('SELECT id, name, notes, icon FROM package_family ORDER BY name')


@method('oco.package.list')
def package_list(ctx, data):
    # `id` is the family id; an unknown family simply has no packages.
    return [package_row(r) for r in package_rows(ctx.store, 'p.package_family_id = ?', (php.id_like(php.arg(data, 'id', 0)),))]


@method('oco.package.get')
def package_get(ctx, data):
    current = methods_package.package_get(ctx, {'id': php.arg(data, 'id', 0)})
    general = dict(package_row(current['general']), icon=current['general'].get('package_family_icon'))
    return {
        'general': general,
        'installations': [{'id': r['id'], 'computer_id': r['computer_id'], 'package_id': r['package_id'],
                           'installed_procedure': r['installed_procedure'], 'installed': r['installed'],
                           'computer_hostname': r['computer_hostname']} for r in current['installations']],
        'pending_jobs': static_pending(current['pending_jobs']),
    }


@method('oco.package.remove', write=True)
def package_remove(ctx, data):
    return methods_package.package_remove(ctx, dict(only(data, ('id',)), force=True))


# ------------------------------------------------------------------ job containers

def _container_rows(store, where='', params=()):
    return store.rows('SELECT jc.*, su.username AS author FROM job_container jc '
                      'LEFT JOIN system_user su ON su.id = jc.created_by_system_user_id ' + where + ' ORDER BY jc.id', params)


@method('oco.job_container.list')
def job_container_list(ctx, data):  # pylint: disable=unused-argument
    out = []
    for row in _container_rows(ctx.store):
        stamps = ctx.store.rows('SELECT download_started, execution_started, execution_finished FROM job_container_job '
                                'WHERE job_container_id = ?', (row['id'],))
        last = max([job_last_update(s, row['created']) or '' for s in stamps] + [row['created'] or '']) or None
        out.append({'id': row['id'], 'name': row['name'], 'author': row['author'], 'start_time': row['start_time'],
                    'end_time': row['end_time'], 'notes': row['notes'], 'wol_sent': row['wol_sent'], 'created': row['created'],
                    'last_update': last})
    return out


@method('oco.job.list')
def job_list(ctx, data):
    rows = jobs.job_container_job_list(ctx, {'id': php.arg(data, 'id', 0)})
    created = ctx.store.value('SELECT created FROM job_container WHERE id = ?', (php.id_like(php.arg(data, 'id', 0)),))
    return [job_row(r, created) for r in rows]


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


@method('oco.deploy', write=True)
def legacy_deploy(ctx, data):
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


@method('oco.uninstall', write=True)
def legacy_uninstall(ctx, data):
    return deploy.uninstall(ctx, only(data, UNINSTALL_KEYS))


@method('oco.remove_installation_assignment', write=True)
def remove_installation_assignment(ctx, data):
    return jobs.remove_installation_assignment(ctx, only(data, ('id',)))


@method('oco.job_container.remove', write=True)
def job_container_remove(ctx, data):
    return jobs.job_container_remove(ctx, only(data, ('id',)))


@method('oco.job.remove', write=True)
def job_remove(ctx, data):
    return jobs.job_container_job_remove(ctx, only(data, ('id',)))


@method('oco.report.execute')
def report_execute(ctx, data):
    return methods_report.report_execute(ctx, only(data, ('id',)))
