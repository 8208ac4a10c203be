"""oco.report.list / oco.report.execute."""

import re
import sqlite3

from . import models, php
from .errors import InvalidRequest, ServerError
from .lookup import allow, readable, require
from .perms import REPORT, REPORT_GROUP
from .registry import method
from .store.predefined_reports import executable

_SELECT = re.compile(r'^\s*select\b', re.IGNORECASE)
_DIGITS = re.compile(r'(\d+)')


def natural_key(text):
    """strnatcasecmp-like ordering of localized names."""
    return [int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text or '')]


def natural_case_key(text):
    """strnatcmp-like: numbers by value, letters case-sensitively, so `All Monitors` sorts before
    `All computers` (as a real server lists them) and `Report 9` before `Report 10`."""
    return [(0, int(part), '') if part.isdigit() else (1, 0, part) for part in _DIGITS.split(text or '') if part != '']


def _localize(ctx, rows):
    for row in rows:
        row['name'] = ctx.translate(row['name'])
    return rows


@method('oco.report.list')
def report_list(ctx, data):
    store = ctx.store
    group_id = php.arg(data, 'report_group_id')
    report_sql = 'SELECT id, report_group_id, name, notes, query, created_by_system_user_id FROM report'
    group_sql = 'SELECT id, parent_report_group_id, name FROM report_group'
    if php.empty(group_id):
        reports = _localize(ctx, readable(ctx, REPORT, store.rows(report_sql)))
        groups = _localize(ctx, readable(ctx, REPORT_GROUP, store.rows(group_sql + ' WHERE parent_report_group_id IS NULL')))
        reports.sort(key=lambda r: natural_case_key(r['name']))
        groups.sort(key=lambda g: natural_key(g['name']))
        return {'reports': models.build_all(models.REPORT, reports, hidden=('created_by_system_user_id',)), 'groups': groups}
    group = require(store, 'report_group', php.id_like(group_id))
    allow(ctx, REPORT_GROUP, 'read', group)
    reports = _localize(ctx, store.rows(report_sql + ' WHERE report_group_id = ?', (group['id'],)))
    groups = _localize(ctx, readable(ctx, REPORT_GROUP, store.rows(group_sql + ' WHERE parent_report_group_id = ?',
                                                                   (group['id'],))))
    reports.sort(key=lambda r: natural_case_key(r['name']))
    groups.sort(key=lambda g: natural_key(g['name']))
    return {'name': ctx.translate(group['name']),
            'reports': models.build_all(models.REPORT, reports, hidden=('created_by_system_user_id',)), 'groups': groups}


def run_report_query(store, query):
    """Rows of a report query, executed in a savepoint that is always rolled back.

    Shared with deploy (reports as targets): -32001 for non-SELECT, -32000 with the driver text on SQL errors.
    """
    if not _SELECT.match(query or ''):
        raise InvalidRequest(text='Only SELECT queries are allowed in reports')
    with store.transaction():
        store.execute('SAVEPOINT report_execute')
        try:
            return store.rows(executable(query))
        except sqlite3.Error as exc:
            raise ServerError(text=str(exc)) from exc
        finally:
            store.execute('ROLLBACK TO report_execute')
            store.execute('RELEASE report_execute')


@method('oco.report.execute')
def report_execute(ctx, data):
    report = require(ctx.store, 'report', php.intval(php.arg(data, 'id', 0)))
    allow(ctx, REPORT, 'read', report)
    return run_report_query(ctx.store, report['query'])
