"""Deployment rule evaluation: the dynamic jobs a rule implies for its groups.

Rules are re-evaluated when their groups' memberships change, when an installation record of a
member computer is created or removed through the API, and when a rule is created.
"""

from . import registry
from .deploy import (STATE_ALREADY_INSTALLED, STATE_OS_INCOMPATIBLE, STATE_WAITING, compatible, install_fields,
                     installed_assignments, uninstall_fields)

STATE_DOWNLOAD_STARTED, STATE_EXECUTION_STARTED, STATE_SUCCEEDED, STATE_FAILED = 1, 2, 3, -1
JOB_COLUMNS = ('deployment_rule_id', 'computer_id', 'package_id', 'procedure', 'success_return_codes', 'upgrade_behavior',
               'is_uninstall', 'download', 'post_action', 'post_action_timeout', 'sequence', 'state', 'message')
# Re-evaluation must not undo agent results: (stored state, computed state) pairs that keep the stored one.
_KEEP = {(STATE_SUCCEEDED, STATE_ALREADY_INSTALLED), (STATE_FAILED, STATE_WAITING),
         (STATE_DOWNLOAD_STARTED, STATE_WAITING), (STATE_EXECUTION_STARTED, STATE_WAITING)}


def _planned(store, rule):
    """(computer id, fields, state, sequence) for every member computer x member package, in sequence order."""
    computers = store.rows('SELECT c.* FROM computer c JOIN computer_group_member m ON m.computer_id = c.id '
                           'WHERE m.computer_group_id = ? ORDER BY c.hostname', (rule['computer_group_id'],))
    packages = store.rows('SELECT p.* FROM package p JOIN package_group_member m ON m.package_id = p.id '
                          'WHERE m.package_group_id = ? ORDER BY m.sequence, m.id', (rule['package_group_id'],))
    planned = []
    for computer in computers:
        assignments = installed_assignments(store, computer['id'])
        uninstalled = set()
        jobs = []
        for package in packages:
            if not compatible(package, computer):
                jobs.append((dict(install_fields(store, package), upgrade_behavior=0), STATE_OS_INCOMPATIBLE))
                continue
            if any(a['package_id'] == package['id'] for a in assignments):
                jobs.append((install_fields(store, package), STATE_ALREADY_INSTALLED))
                continue
            if package['upgrade_behavior'] == 2:
                for assignment in assignments:
                    if assignment['package_family_id'] == package['package_family_id'] and assignment['id'] not in uninstalled:
                        uninstalled.add(assignment['id'])
                        old = store.row('SELECT * FROM package WHERE id = ?', (assignment['package_id'],))
                        jobs.append((uninstall_fields(store, old), STATE_WAITING))
            jobs.append((install_fields(store, package), STATE_WAITING))
        planned.extend((computer['id'], fields, state, seq) for seq, (fields, state) in enumerate(jobs, start=1))
    return planned


def evaluate(store, rule_id):
    """Upsert the rule's jobs keyed by (computer, package, is_uninstall) and drop the obsolete ones."""
    rule = store.row('SELECT * FROM deployment_rule WHERE id = ?', (rule_id,))
    if rule is None:
        return
    keep = []
    for computer_id, fields, state, sequence in _planned(store, rule):
        values = dict(fields, deployment_rule_id=rule['id'], computer_id=computer_id, sequence=sequence, state=state,
                      post_action_timeout=rule['post_action_timeout'], message='')
        old = store.row('SELECT id, state FROM deployment_rule_job WHERE deployment_rule_id = ? AND computer_id = ? '
                        'AND package_id = ? AND is_uninstall = ?', (rule['id'], computer_id, fields['package_id'],
                                                                    fields['is_uninstall']))
        if old is None:
            keep.append(store.insert('deployment_rule_job', {k: values[k] for k in JOB_COLUMNS}))
            continue
        keep.append(old['id'])
        finished = old['state'] in (STATE_SUCCEEDED, STATE_FAILED)
        new_state = old['state'] if (old['state'], state) in _KEEP else state
        store.execute('UPDATE deployment_rule_job SET "procedure" = CASE WHEN ? THEN "procedure" ELSE ? END, '
                      'success_return_codes = CASE WHEN ? THEN success_return_codes ELSE ? END, '
                      'download = CASE WHEN ? THEN download ELSE ? END, post_action = ?, post_action_timeout = ?, '
                      'sequence = ?, state = ? WHERE id = ?',
                      (finished, values['procedure'], finished, values['success_return_codes'], finished, values['download'],
                       values['post_action'], values['post_action_timeout'], sequence, new_state, old['id']))
    marks = ', '.join('?' * len(keep))
    store.execute('DELETE FROM deployment_rule_job WHERE deployment_rule_id = ? AND id NOT IN (%s)' % marks,
                  (rule['id'],) + tuple(keep))


def evaluate_where(store, column, value):
    for rule in store.rows('SELECT id FROM deployment_rule WHERE %s = ? ORDER BY id' % column, (value,)):
        evaluate(store, rule['id'])


@registry.on(registry.DEPLOYMENT_RULE_CHANGED)
def _rule_changed(ctx, deployment_rule_id):
    evaluate(ctx.store, deployment_rule_id)


@registry.on(registry.COMPUTER_GROUP_CHANGED)
def _computer_group_changed(ctx, computer_group_id):
    evaluate_where(ctx.store, 'computer_group_id', computer_group_id)


@registry.on(registry.PACKAGE_GROUP_CHANGED)
def _package_group_changed(ctx, package_group_id):
    evaluate_where(ctx.store, 'package_group_id', package_group_id)


@registry.on(registry.INSTALLATION_CHANGED)
def _installation_changed(ctx, computer_id):
    for group in ctx.store.rows('SELECT computer_group_id FROM computer_group_member WHERE computer_id = ? ORDER BY id',
                                (computer_id,)):
        evaluate_where(ctx.store, 'computer_group_id', group['computer_group_id'])
