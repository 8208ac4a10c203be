"""oco.deployment_rule.list / oco.deployment_rule.job.list. Rules are created via the admin door."""

from . import models, php
from .lookup import allow, readable, require
from .perms import DEPLOYMENT_RULE
from .registry import method

RULE_SELECT = ('SELECT r.*, su.username AS created_by_system_user_username FROM deployment_rule r '
               'LEFT JOIN system_user su ON su.id = r.created_by_system_user_id')


@method('oco.deployment_rule.list')
def deployment_rule_list(ctx, data):  # pylint: disable=unused-argument
    rules = readable(ctx, DEPLOYMENT_RULE, ctx.store.rows(RULE_SELECT + ' ORDER BY r.id'))
    return models.build_all(models.DEPLOYMENT_RULE, rules)


@method('oco.deployment_rule.job.list')
def deployment_rule_job_list(ctx, data):
    rule = require(ctx.store, 'deployment_rule', php.intval(php.arg(data, 'id', 0)))
    allow(ctx, DEPLOYMENT_RULE, 'read', rule)
    jobs = ctx.store.rows(
        'SELECT j.*, c.hostname AS computer_hostname, pf.name AS package_family_name, p.version AS package_version '
        'FROM deployment_rule_job j JOIN computer c ON c.id = j.computer_id JOIN package p ON p.id = j.package_id '
        'JOIN package_family pf ON pf.id = p.package_family_id WHERE j.deployment_rule_id = ? '
        'ORDER BY j.computer_id, j.sequence', (rule['id'],))
    return models.build_all(models.DYNAMIC_JOB, jobs)
