"""oco.job_container.deploy / .uninstall: validation, expansion, WOL, job creation."""

import re

from . import constraints, php, phpdate
from .errors import InvalidRequest, PermissionDenied, ServerError
from .methods_report import run_report_query
from .perms import COMPUTER, JOB_CONTAINER, PACKAGE, REPORT

STATE_WAITING, STATE_OS_INCOMPATIBLE, STATE_ALREADY_INSTALLED = 0, -3, -5
POST_ACTION_NONE, POST_ACTION_SHUTDOWN, POST_ACTION_EXIT = 0, 2, 3
OFFLINE_SECONDS = 125   # OCO's COMPUTER_OFFLINE_SECONDS; setting `computer-offline-seconds` overrides it
_MAC = re.compile(r'^[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(\1[0-9A-Fa-f]{2}){4}$')
JOB_COLUMNS = ('job_container_id', 'computer_id', 'package_id', 'procedure', 'success_return_codes', 'upgrade_behavior',
               'is_uninstall', 'download', 'post_action', 'post_action_timeout', 'sequence', 'state', 'message')


def loose_equals(value, number):
    """PHP 8 `$value == $number` for the scalar types JSON can carry."""
    if isinstance(value, bool):
        return value == bool(number)
    if isinstance(value, (int, float)):
        return value == number
    if isinstance(value, str):
        return float(value) == number if php.is_numeric(value) else value == str(number)
    return False


def sql_int(value, column, table='job_container'):
    """What a strict-mode INT column accepts; anything else is the driver's error text (-32000)."""
    if isinstance(value, bool) or php.is_numeric(value):
        return php.intval(value)
    raise ServerError(text="SQLSTATE[22007]: Invalid datetime format: 1366 Incorrect integer value: '%s' for column "
                           "`oco`.`%s`.`%s` at row 1" % (value, table, column))


def _out_of_priority_range(value):
    if isinstance(value, bool):
        return False
    if php.is_numeric(value):
        return not -100 <= float(value) <= 100
    return True


def validate(ctx, data):
    """The checks before target expansion, in the server's order (shared by uninstall); returns the normalised container settings."""
    if not ctx.perms.may_create(JOB_CONTAINER):
        raise PermissionDenied()
    name = php.trim(php.arg(data, 'name', ''))
    if name == '':
        raise InvalidRequest('name_cannot_be_empty')
    restart_timeout = php.arg(data, 'restart_timeout', 5)
    date_start = php.arg(data, 'date_start', ctx.now())
    start = None if php.empty(date_start) else phpdate.strtotime(date_start)
    if php.empty(restart_timeout) or start is None:
        raise InvalidRequest('please_fill_required_fields')
    date_end = php.arg(data, 'date_end')
    if php.empty(date_end):
        date_end = None
    elif phpdate.strtotime(date_end) is None or start >= phpdate.strtotime(date_end):
        raise InvalidRequest('end_time_before_start_time')
    sequence_mode = php.arg(data, 'sequence_mode', 0)
    if not loose_equals(sequence_mode, 0) and not loose_equals(sequence_mode, 1):
        raise InvalidRequest('invalid_input')
    priority = php.arg(data, 'priority', 0)
    if _out_of_priority_range(priority):
        raise InvalidRequest('invalid_input')
    return {'name': name, 'notes': php.strval(php.arg(data, 'description', '')), 'date_start': date_start, 'start': start,
            'date_end': date_end, 'sequence_mode': php.intval(sequence_mode), 'priority': php.intval(priority),
            'restart_timeout': restart_timeout, 'use_wol': php.truthy(php.arg(data, 'use_wol', 1)),
            'shutdown': php.truthy(php.arg(data, 'shutdown_waked_after_completion', 0))}


def id_list(data, key):
    """A scalar where a list is expected simply yields no targets."""
    value = php.arg(data, key, [])
    if isinstance(value, dict):
        return list(value.values())
    return value if isinstance(value, list) else []


def _deployable(ctx, obj_type, row):
    return row is not None and ctx.perms.may(obj_type, 'deploy', row)


def _report_rows(ctx, report_id):
    report = ctx.store.row('SELECT * FROM report WHERE id = ?', (php.id_like(report_id),))
    if report is None:
        return None
    if not ctx.perms.may(REPORT, 'read', report):
        raise PermissionDenied()
    return run_report_query(ctx.store, report['query'])


def expand_computers(ctx, data):
    """Ordered, de-duplicated deployable computer ids: given ids, then direct group members by host name, then report rows."""
    store = ctx.store
    found = {}

    def add(row):
        if _deployable(ctx, COMPUTER, row):
            found.setdefault(row['id'], row)
    for cid in id_list(data, 'computer_ids'):
        add(store.row('SELECT * FROM computer WHERE id = ?', (php.id_like(cid),)))
    for gid in id_list(data, 'computer_group_ids'):
        for row in store.rows('SELECT c.* FROM computer c JOIN computer_group_member m ON m.computer_id = c.id '
                              'WHERE m.computer_group_id = ? ORDER BY c.hostname', (php.id_like(gid),)):
            add(row)
    for rid in id_list(data, 'computer_report_ids'):
        for row in _report_rows(ctx, rid) or ():
            add(store.row('SELECT * FROM computer WHERE id = ?', (php.id_like(row.get('computer_id')),)))
    return list(found)


def _add_package(ctx, packages, package_id, dependency=False, seen=()):
    """Dependencies first (depth first), then the package; the first occurrence keeps its place and flag."""
    package = ctx.store.row('SELECT * FROM package WHERE id = ?', (php.id_like(package_id),))
    if not _deployable(ctx, PACKAGE, package):
        return
    for dep in ctx.store.rows('SELECT dependent_package_id AS id FROM package_dependency WHERE package_id = ? ORDER BY rowid',
                              (package['id'],)):
        if dep['id'] not in seen:
            _add_package(ctx, packages, dep['id'], True, tuple(seen) + (package['id'], dep['id']))
    if package['id'] not in packages:
        packages[package['id']] = dict(package, is_dependency=dependency)


def expand_packages(ctx, data):
    """Ordered {package id: package row + is_dependency}: each package after its dependencies, first occurrence wins."""
    packages = {}
    for pid in id_list(data, 'package_ids'):
        _add_package(ctx, packages, pid)
    for gid in id_list(data, 'package_group_ids'):
        for row in ctx.store.rows('SELECT package_id FROM package_group_member WHERE package_group_id = ? ORDER BY sequence, id',
                                  (php.id_like(gid),)):
            _add_package(ctx, packages, row['package_id'])
    for rid in id_list(data, 'package_report_ids'):
        for row in _report_rows(ctx, rid) or ():
            _add_package(ctx, packages, row.get('package_id'))
    return packages


def send_wol(server, store, computer_ids, source):
    """Magic packets are only recorded; invalid or placeholder MACs are skipped like the real sender does."""
    for cid in computer_ids:
        macs = [r['mac'] for r in store.rows('SELECT mac FROM computer_network WHERE computer_id = ? ORDER BY id', (cid,))]
        server.record_wol([m for m in macs if _MAC.match(m or '')], computer_id=int(cid), source=source)


def wol_state(ctx, settings, computer_ids, source):
    """wol_sent: -1 without WOL, 1 when sent now (start reached), 0 when housekeeping has to send it later."""
    if not settings['use_wol']:
        return -1
    if settings['start'] <= phpdate.now():
        send_wol(ctx.server, ctx.store, computer_ids, source)
        return 1
    return 0


def is_offline(store, computer, now):
    limit = int(store.setting('computer-offline-seconds', OFFLINE_SECONDS))
    last_ping = phpdate.parse_column(computer['last_ping']) if computer.get('last_ping') else None
    return last_ping is None or (now - last_ping).total_seconds() >= limit


def set_wol_shutdown(store, container_id, now):
    """Offline targets get a shutdown after their last job (every job sharing the highest sequence)."""
    for last in store.rows('SELECT computer_id, MAX(sequence) AS max_sequence FROM job_container_job '
                           'WHERE job_container_id = ? GROUP BY computer_id', (container_id,)):
        computer = store.row('SELECT * FROM computer WHERE id = ?', (last['computer_id'],))
        if computer is not None and is_offline(store, computer, now):
            store.execute('UPDATE job_container_job SET post_action = ?, wol_shutdown_set = ? WHERE job_container_id = ? '
                          'AND computer_id = ? AND sequence = ? AND (post_action = ? OR post_action = ?)',
                          (POST_ACTION_SHUTDOWN, now.strftime(phpdate.FORMAT), container_id, last['computer_id'],
                           last['max_sequence'], POST_ACTION_NONE, POST_ACTION_EXIT))


def insert_container(ctx, settings, wol_sent, ip_ranges, time_frames):
    return ctx.store.insert('job_container', {
        'name': settings['name'], 'notes': settings['notes'], 'enabled': 1,
        'start_time': phpdate.to_column(php.strval(settings['date_start']), 'start_time'),
        'end_time': None if settings['date_end'] is None else phpdate.to_column(php.strval(settings['date_end']), 'end_time'),
        'wol_sent': wol_sent, 'shutdown_waked_after_completion': 1 if settings['shutdown'] else 0,
        'sequence_mode': settings['sequence_mode'], 'priority': settings['priority'], 'agent_ip_ranges': ip_ranges,
        'time_frames': time_frames, 'self_service': 0, 'created': ctx.now(), 'created_by_system_user_id': ctx.user_id,
        'created_by_domain_user_id': None})


def procedure_text(text, line_endings):
    return text.replace('\r\n', line_endings) if not php.empty(line_endings) else text


def has_payload(store, package_id):
    return store.value('SELECT 1 FROM package_payload WHERE package_id = ?', (package_id,)) is not None


def install_fields(store, package):
    return {'package_id': package['id'], 'procedure': procedure_text(package['install_procedure'], package['line_endings']),
            'success_return_codes': package['install_procedure_success_return_codes'],
            'upgrade_behavior': package['upgrade_behavior'], 'is_uninstall': 0,
            'download': 1 if has_payload(store, package['id']) else 0, 'post_action': package['install_procedure_post_action']}


def uninstall_fields(store, package):
    download = php.truthy(package['download_for_uninstall']) and has_payload(store, package['id'])
    return {'package_id': package['id'], 'procedure': procedure_text(package['uninstall_procedure'], package['line_endings']),
            'success_return_codes': package['uninstall_procedure_success_return_codes'], 'upgrade_behavior': 0,
            'is_uninstall': 1, 'download': 1 if download else 0, 'post_action': package['uninstall_procedure_post_action']}


def compatible(package, computer):
    """os / os_version / architecture: empty on either side, or an exact (trimmed) line match."""
    for package_field, computer_field in (('compatible_os', 'os'), ('compatible_os_version', 'os_version'),
                                          ('compatible_architecture', 'architecture')):
        allowed, actual = package.get(package_field), php.trim(computer.get(computer_field) or '')
        if php.empty(allowed) or actual == '':
            continue
        if actual not in [line.strip() for line in allowed.split('\n')]:
            return False
    return True


def installed_assignments(store, computer_id):
    return store.rows('SELECT cp.id, cp.package_id, p.package_family_id FROM computer_package cp '
                      'JOIN package p ON p.id = cp.package_id WHERE cp.computer_id = ? ORDER BY cp.id', (computer_id,))


def plan_computer(store, computer, packages, force_same_version):
    """The (fields, state) jobs of one computer in sequence order: compatibility, installed packages, the install job."""
    planned = []
    uninstalled = set()
    assignments = installed_assignments(store, computer['id'])
    for package in packages.values():
        if not compatible(package, computer):
            planned.append((dict(install_fields(store, package), upgrade_behavior=0), STATE_OS_INCOMPATIBLE))
            continue
        state = STATE_WAITING
        skip = False
        for assignment in assignments:
            same = assignment['package_id'] == package['id']
            if package['is_dependency'] and same:
                skip = True
                break
            if same and not php.truthy(force_same_version):
                state = STATE_ALREADY_INSTALLED
                break
            if (assignment['package_family_id'] == package['package_family_id'] and package['upgrade_behavior'] == 2
                    and assignment['id'] not in uninstalled):
                uninstalled.add(assignment['id'])
                old = store.row('SELECT * FROM package WHERE id = ?', (assignment['package_id'],))
                planned.append((uninstall_fields(store, old), STATE_WAITING))
        if not skip:
            planned.append((install_fields(store, package), state))
    return planned


def insert_job(store, container_id, computer_id, fields, sequence, state, timeout):
    values = dict(fields, job_container_id=container_id, computer_id=computer_id, sequence=sequence, state=state,
                  post_action_timeout=timeout, message='')
    return store.insert('job_container_job', {k: values[k] for k in JOB_COLUMNS})


def deploy(ctx, data):
    ip_param, frame_param = php.arg(data, 'agent_ip_ranges', []), php.arg(data, 'time_frames', [])
    constraints.entries(ip_param, 'agent_ip_ranges')
    constraints.entries(frame_param, 'time_frames')
    settings = validate(ctx, data)
    computer_ids = expand_computers(ctx, data)
    packages = expand_packages(ctx, data)
    if not computer_ids or not packages:
        raise InvalidRequest('no_jobs_created')
    wol_sent = wol_state(ctx, settings, computer_ids, 'oco.job_container.deploy')
    ip_ranges = constraints.compile_ip_ranges(ip_param)
    time_frames = constraints.compile_time_frames(frame_param, phpdate.now())
    timeout = sql_int(settings['restart_timeout'], 'post_action_timeout', 'job_container_job')
    container_id = insert_container(ctx, settings, wol_sent, ip_ranges, time_frames)
    force = php.arg(data, 'force_install_same_version', 0)
    for cid in computer_ids:
        computer = ctx.store.row('SELECT * FROM computer WHERE id = ?', (cid,))
        for sequence, (fields, state) in enumerate(plan_computer(ctx.store, computer, packages, force), start=1):
            insert_job(ctx.store, container_id, cid, fields, sequence, state, timeout)
    if wol_sent == 1 and settings['shutdown']:
        set_wol_shutdown(ctx.store, container_id, phpdate.now())
    return {'id': str(container_id)}


def uninstall(ctx, data):
    ip_param = php.arg(data, 'agent_ip_ranges', [])
    constraints.entries(ip_param, 'agent_ip_ranges')
    settings = validate(ctx, data)
    store = ctx.store
    installation_ids = id_list(data, 'installation_ids')
    computer_ids = []
    for aid in installation_ids:
        assignment = store.row('SELECT * FROM computer_package WHERE id = ?', (php.id_like(aid),))
        computer = assignment and store.row('SELECT * FROM computer WHERE id = ?', (assignment['computer_id'],))
        if _deployable(ctx, COMPUTER, computer) and computer['id'] not in computer_ids:
            computer_ids.append(computer['id'])
    wol_sent = wol_state(ctx, settings, computer_ids, 'oco.job_container.uninstall')
    if not computer_ids:
        raise InvalidRequest('no_jobs_created')
    ip_ranges = constraints.compile_ip_ranges(ip_param)
    timeout = sql_int(settings['restart_timeout'], 'post_action_timeout', 'job_container_job')
    container_id = insert_container(ctx, settings, wol_sent, ip_ranges, '')
    for aid in installation_ids:
        assignment = store.row('SELECT * FROM computer_package WHERE id = ?', (php.id_like(aid),))
        if assignment is None:
            continue
        package = store.row('SELECT * FROM package WHERE id = ?', (assignment['package_id'],))
        computer = store.row('SELECT * FROM computer WHERE id = ?', (assignment['computer_id'],))
        if _deployable(ctx, COMPUTER, computer) and _deployable(ctx, PACKAGE, package):
            # Every uninstall job gets sequence 0, duplicates included.
            insert_job(store, container_id, computer['id'], uninstall_fields(store, package), 0, STATE_WAITING, timeout)
    if wol_sent == 1 and settings['shutdown']:
        set_wol_shutdown(store, container_id, phpdate.now())
    # The real function never returns the new container id.
    return {'id': None}
