"""Shared row lookups: existence before permission, as every id-taking method does it."""

from .errors import NotFound, PermissionDenied


def require(store, table, obj_id, sql=None):
    """The row or NotFound; `sql` may select extra joined columns (`?` = id)."""
    if obj_id is None:
        raise NotFound()
    found = store.row(sql or 'SELECT * FROM %s WHERE id = ?' % table, (obj_id,))
    if found is None:
        raise NotFound()
    return found


def allow(ctx, obj_type, method, obj):
    if not ctx.perms.may(obj_type, method, obj):
        raise PermissionDenied()


def readable(ctx, obj_type, rows):
    """List methods drop what the user may not read, silently."""
    return [row for row in rows if ctx.perms.may(obj_type, 'read', row)]


STATIC_PENDING = (
    'SELECT j.id, j.job_container_id, jc.name AS job_container_name, jc.start_time AS job_container_start_time, '
    'jc.enabled AS job_container_enabled, jc.priority AS job_container_priority, '
    'jc.self_service AS job_container_self_service, {target}, j.is_uninstall, j.state, j."procedure", j.download, '
    'j.post_action, j.post_action_timeout, j.sequence '
    'FROM job_container_job j JOIN job_container jc ON jc.id = j.job_container_id {join} '
    'WHERE j.{column} = ? AND j.state IN (0, 1, 2)')
DYNAMIC_PENDING = (
    'SELECT j.id, j.deployment_rule_id, dr.name AS deployment_rule_name, dr.enabled AS deployment_rule_enabled, '
    'dr.priority AS deployment_rule_priority, {target}, j.is_uninstall, j.state, j."procedure", j.download, '
    'j.post_action, j.post_action_timeout, j.sequence '
    'FROM deployment_rule_job j JOIN deployment_rule dr ON dr.id = j.deployment_rule_id {join} '
    'WHERE j.{column} = ? AND j.state IN (0, 1, 2)')
_BY_COMPUTER = {'target': 'j.package_id, pf.name AS package_family_name, p.version AS package_version',
                'join': 'JOIN package p ON p.id = j.package_id JOIN package_family pf ON pf.id = p.package_family_id',
                'column': 'computer_id'}
_BY_PACKAGE = {'target': 'j.computer_id, c.hostname AS computer_hostname', 'join': 'JOIN computer c ON c.id = j.computer_id',
               'column': 'package_id'}


def pending_jobs(store, models, column, obj_id):
    """Static and dynamic jobs in state 0/1/2, by container/rule priority desc, then sequence."""
    fmt = _BY_COMPUTER if column == 'computer_id' else _BY_PACKAGE
    static = store.rows(STATIC_PENDING.format(**fmt), (obj_id,))
    dynamic = store.rows(DYNAMIC_PENDING.format(**fmt), (obj_id,))

    def prio(row):
        value = row.get('job_container_priority', row.get('deployment_rule_priority'))
        return (-int(value or 0), int(row.get('sequence') or 0))
    built = [(prio(r), models.build(models.STATIC_JOB, r)) for r in static]
    built += [(prio(r), models.build(models.DYNAMIC_JOB, r)) for r in dynamic]
    built.sort(key=lambda item: item[0])
    return [job for _key, job in built]


def pending_job_count(store, column, obj_id):
    return (store.value('SELECT COUNT(*) FROM job_container_job WHERE %s = ? AND state IN (0, 1, 2)' % column, (obj_id,))
            + store.value('SELECT COUNT(*) FROM deployment_rule_job WHERE %s = ? AND state IN (0, 1, 2)' % column, (obj_id,)))
