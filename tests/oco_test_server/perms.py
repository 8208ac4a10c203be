"""OCO's role permission evaluation for the object types the client API touches."""

import json

from . import php

COMPUTER = 'Models\\Computer'
COMPUTER_GROUP = 'Models\\ComputerGroup'
PACKAGE = 'Models\\Package'
PACKAGE_FAMILY = 'Models\\PackageFamily'
PACKAGE_GROUP = 'Models\\PackageGroup'
JOB_CONTAINER = 'Models\\JobContainer'
DEPLOYMENT_RULE = 'Models\\DeploymentRule'
REPORT = 'Models\\Report'
REPORT_GROUP = 'Models\\ReportGroup'
CLIENT_API = 'Special\\ClientApi'

OBJECT_TYPES = (COMPUTER, COMPUTER_GROUP, PACKAGE, PACKAGE_FAMILY, PACKAGE_GROUP, JOB_CONTAINER, DEPLOYMENT_RULE,
                REPORT, REPORT_GROUP)
ALL_METHODS = ('create', 'read', 'write', 'deploy', 'wol', 'download', 'delete')

SUPERADMIN = dict({t: {'create': True, '*': {m: True for m in ALL_METHODS}} for t in OBJECT_TYPES},
                  **{CLIENT_API: True, 'Special\\WebFrontend': True, 'Special\\GeneralConfiguration': True})
# There is no built-in read-only role in OCO; this is what an administrator would configure.
READ_ONLY = dict({t: {'*': {'read': True}} for t in OBJECT_TYPES}, **{CLIENT_API: True})
ROLES = {'superadmin': SUPERADMIN, 'readonly': READ_ONLY}

# member type -> (group type, membership table, member column, group column, group table, parent column)
_GROUPING = {
    COMPUTER: (COMPUTER_GROUP, 'computer_group_member', 'computer_id', 'computer_group_id', 'computer_group',
               'parent_computer_group_id'),
    PACKAGE: (PACKAGE_GROUP, 'package_group_member', 'package_id', 'package_group_id', 'package_group',
              'parent_package_group_id'),
    REPORT: (REPORT_GROUP, None, None, 'report_group_id', 'report_group', 'parent_report_group_id'),
}
_GROUP_TABLES = {COMPUTER_GROUP: ('computer_group', 'parent_computer_group_id'),
                 PACKAGE_GROUP: ('package_group', 'parent_package_group_id'),
                 REPORT_GROUP: ('report_group', 'parent_report_group_id')}


class Permissions:
    """Answers "may this user do M on O" for one request's user."""

    def __init__(self, store, user_id, role):
        self.store = store
        self.user_id = user_id
        self.role = role if isinstance(role, dict) else {}

    @classmethod
    def from_json(cls, store, user_id, role_json):
        """Invalid role JSON is a plain exception in OCO (HTTP 500); the caller handles that."""
        role = json.loads(role_json or '')
        if not isinstance(role, dict) or not role:
            raise ValueError('invalid role permissions')
        return cls(store, user_id, role)

    def special(self, name):
        return php.truthy(self.role.get(name))

    def may_create(self, obj_type):
        """Class-level check (object without id)."""
        entry = self.role.get(obj_type)
        return isinstance(entry, dict) and php.truthy(entry.get('create'))

    def may(self, obj_type, method, obj):
        """`obj` is a row with at least `id` (and `created_by_system_user_id` where the type has one)."""
        entry = self.role.get(obj_type)
        if isinstance(entry, dict):
            for key in (str(obj.get('id')), 'own', '*'):
                if key == 'own' and str(obj.get('created_by_system_user_id')) != str(self.user_id):
                    continue
                rights = entry.get(key)
                # isset(): an explicit false is final, a null counts as not set.
                if isinstance(rights, dict) and rights.get(method) is not None:
                    return php.truthy(rights[method])
        inherited = self._inherited(obj_type, method, obj)
        return bool(inherited)

    def _inherited(self, obj_type, method, obj):
        if obj_type in _GROUP_TABLES:
            return self._walk(obj_type, [obj.get('id')], method)
        grouping = _GROUPING.get(obj_type)
        if grouping:
            group_type, table, member_col, group_col, _name_col, _parent_col = grouping
            if table:
                sql = 'SELECT %s AS g FROM %s WHERE %s = ?' % (group_col, table, member_col)
                gids = [r['g'] for r in self.store.rows(sql, (obj.get('id'),))]
            else:
                gids = [obj.get(group_col)]
            found = self._walk(group_type, gids, 'items', method)
            if found is not None:
                return found
        if obj_type == PACKAGE:
            family = obj.get('package_family_id')
            if family is None:
                family = self.store.value('SELECT package_family_id FROM package WHERE id = ?', (obj.get('id'),))
            rights = self._group_entry(PACKAGE_FAMILY, family)
            items = rights.get('items') if isinstance(rights, dict) else None
            if isinstance(items, dict) and items.get(method) is not None:
                return php.truthy(items[method])
        return None

    def _group_entry(self, group_type, gid):
        entry = self.role.get(group_type)
        return entry.get(str(gid)) if isinstance(entry, dict) else None

    def _walk(self, group_type, gids, *path):
        """First hit on the group or one of its ancestors wins."""
        table, parent_col = _GROUP_TABLES[group_type]
        if not isinstance(self.role.get(group_type), dict):
            return None
        for gid in gids:
            seen = set()
            while gid is not None and gid not in seen:
                seen.add(gid)
                rights = self._group_entry(group_type, gid)
                for step in path[:-1]:
                    rights = rights.get(step) if isinstance(rights, dict) else None
                if isinstance(rights, dict) and rights.get(path[-1]) is not None:
                    return php.truthy(rights[path[-1]])
                gid = self.store.value('SELECT %s FROM %s WHERE id = ?' % (parent_col, table), (gid,))
        return None
