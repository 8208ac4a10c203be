"""The housekeeping cron (every two minutes on a real server): purge finished containers, expire overdue jobs, send delayed WOL."""

from . import deploy, phpdate
from .registry import admin_command

SUCCEEDED_AFTER = 4 * 3600     # setting purge-succeeded-jobs-after (seconds)
FAILED_AFTER = 2 * 86400       # setting purge-failed-jobs-after (seconds)
PENDING, FAILED = (0, 1, 2), (-1, -2, -3, -4)


def container_status(states):
    """What the web UI shows: pending wins over failed, everything else (also no jobs) succeeded."""
    if any(s in PENDING for s in states):
        return 'pending'
    if any(s in FAILED for s in states):
        return 'failed'
    return 'succeeded'


def _purge_due(store, container, status, moment):
    finished = store.value('SELECT MAX(execution_finished) FROM job_container_job WHERE job_container_id = ?',
                           (container['id'],))
    if status == 'pending':
        return False
    limit = int(store.setting('purge-%s-jobs-after' % status, SUCCEEDED_AFTER if status == 'succeeded' else FAILED_AFTER))
    # No finished job at all: PHP's strtotime(null) is 0, so the age is huge and the container goes now.
    return finished is None or (moment - phpdate.parse_column(finished)).total_seconds() > limit


def run_housekeeping(server, moment=None):
    store = server.store
    moment = moment or phpdate.now()
    stamp = moment.strftime(phpdate.FORMAT)
    report = {'purged_containers': [], 'expired_jobs': [], 'wol_containers': []}
    with store.transaction():
        for container in store.rows('SELECT * FROM job_container ORDER BY id'):
            rows = store.rows('SELECT state FROM job_container_job WHERE job_container_id = ?', (container['id'],))
            states = [r['state'] for r in rows]
            if _purge_due(store, container, container_status(states), moment):
                store.execute('DELETE FROM job_container WHERE id = ?', (container['id'],))
                report['purged_containers'].append(container['id'])
                continue
            if container['end_time'] is not None and phpdate.parse_column(container['end_time']) < moment:
                pending = store.rows('SELECT id FROM job_container_job WHERE job_container_id = ? AND state IN (0, 1, 2) ORDER BY id',
                                     (container['id'],))
                expired = [r['id'] for r in pending]
                store.execute('UPDATE job_container_job SET state = -2, return_code = NULL, message = \'\', execution_finished = ? '
                              'WHERE job_container_id = ? AND state IN (0, 1, 2)', (stamp, container['id']))
                report['expired_jobs'] += expired
        for container in store.rows('SELECT * FROM job_container WHERE wol_sent = 0 ORDER BY id'):
            if phpdate.parse_column(container['start_time']) <= moment:
                if container['shutdown_waked_after_completion']:
                    deploy.set_wol_shutdown(store, container['id'], moment)
                computers = [r['computer_id'] for r in store.rows(
                    'SELECT DISTINCT computer_id FROM job_container_job WHERE job_container_id = ? ORDER BY computer_id',
                    (container['id'],))]
                deploy.send_wol(server, store, computers, 'housekeeping')
                store.execute('UPDATE job_container SET wol_sent = 1 WHERE id = ?', (container['id'],))
                report['wol_containers'].append(container['id'])
    return report


@admin_command()
def housekeeping(server, now=None):
    """One cron run; `now` ('YYYY-MM-DD HH:MM:SS') lets a test move the clock forward."""
    return run_housekeeping(server, phpdate.at(now))
