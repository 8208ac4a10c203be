"""oco.job_container.* and oco.remove_installation_assignment."""

from . import deploy, models, php, registry, rules
from .lookup import allow, readable, require
from .perms import COMPUTER, JOB_CONTAINER, PACKAGE
from .registry import method

# rules registers the deployment-rule listeners; importing it here is what loads it.
__all__ = ['rules']

CONTAINER_SELECT = (
    'SELECT jc.*, su.username AS created_by_system_user_username, du.username AS created_by_domain_user_username, '
    '(SELECT MAX(j.execution_finished) FROM job_container_job j WHERE j.job_container_id = jc.id) AS execution_finished '
    'FROM job_container jc LEFT JOIN system_user su ON su.id = jc.created_by_system_user_id '
    'LEFT JOIN domain_user du ON du.id = jc.created_by_domain_user_id')


@method('oco.job_container.list')
def job_container_list(ctx, data):  # pylint: disable=unused-argument
    rows = readable(ctx, JOB_CONTAINER, ctx.store.rows(CONTAINER_SELECT + ' ORDER BY jc.id'))
    return models.build_all(models.JOB_CONTAINER, rows)


@method('oco.job_container.job.list')
def job_container_job_list(ctx, data):
    container = require(ctx.store, 'job_container', php.id_like(php.arg(data, 'id', 0)))
    allow(ctx, JOB_CONTAINER, 'read', container)
    jobs = ctx.store.rows(
        'SELECT j.*, c.hostname AS computer_hostname, pf.name AS package_family_name, p.version AS package_version, '
        'jc.start_time AS job_container_start_time FROM job_container_job j JOIN job_container jc ON jc.id = j.job_container_id '
        'JOIN computer c ON c.id = j.computer_id JOIN package p ON p.id = j.package_id '
        'JOIN package_family pf ON pf.id = p.package_family_id WHERE j.job_container_id = ? ORDER BY j.computer_id, j.sequence, j.id',
        (container['id'],))
    return models.build_all(models.STATIC_JOB, jobs)


@method('oco.job_container.deploy', write=True)
def job_container_deploy(ctx, data):
    return deploy.deploy(ctx, data)


@method('oco.job_container.uninstall', write=True)
def job_container_uninstall(ctx, data):
    return deploy.uninstall(ctx, data)


@method('oco.remove_installation_assignment', write=True)
def remove_installation_assignment(ctx, data):
    store = ctx.store
    assignment = require(store, 'computer_package', php.intval(php.arg(data, 'id', 0)))
    computer = require(store, 'computer', assignment['computer_id'])
    package = require(store, 'package', assignment['package_id'])
    allow(ctx, COMPUTER, 'write', computer)
    allow(ctx, PACKAGE, 'write', package)
    store.execute('DELETE FROM computer_package WHERE id = ?', (assignment['id'],))
    # Software removed outside OCO: deployment rules of the computer's groups may want it back.
    registry.emit(ctx, registry.INSTALLATION_CHANGED, computer_id=computer['id'])
    return []


@method('oco.job_container.remove', write=True)
def job_container_remove(ctx, data):
    container = require(ctx.store, 'job_container', php.intval(php.arg(data, 'id', 0)))
    allow(ctx, JOB_CONTAINER, 'delete', container)
    ctx.store.execute('DELETE FROM job_container WHERE id = ?', (container['id'],))
    return []


@method('oco.job_container.job.remove', write=True)
def job_container_job_remove(ctx, data):
    job = require(ctx.store, 'job_container_job', php.intval(php.arg(data, 'id', 0)))
    container = require(ctx.store, 'job_container', job['job_container_id'])
    allow(ctx, JOB_CONTAINER, 'delete', container)
    ctx.store.execute('DELETE FROM job_container_job WHERE id = ?', (job['id'],))
    return []
