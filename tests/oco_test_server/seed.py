"""Initial rows: roles, the two standard users, settings. Existing rows (a reused DB file) are kept."""

import json

from .auth import hash_password
from .perms import ROLES

USERS = (('admin', 'oco-admin-pw', 'superadmin'), ('reader', 'oco-reader-pw', 'readonly'))
FREE_LICENSE_COMPUTERS = 20


def role_id(store, name):
    """Id of a named role, created from perms.ROLES (or a dict of permissions) when missing."""
    if isinstance(name, dict):
        return store.insert('system_user_role', {'name': 'custom', 'permissions': json.dumps(name)})
    found = store.value('SELECT id FROM system_user_role WHERE name = ?', (name,))
    if found is None:
        found = store.insert('system_user_role', {'name': name, 'permissions': json.dumps(ROLES[name])})
    return found


def create_user(store, username, password, role='superadmin', locked=False):
    return store.insert('system_user', {
        'username': username, 'display_name': username, 'password': hash_password(password),
        'locked': 1 if locked else 0, 'created': '2024-01-01 00:00:00', 'system_user_role_id': role_id(store, role)})


def seed(store, api_key=None):
    with store.transaction():
        for name in ROLES:
            role_id(store, name)
        for username, password, role in USERS:
            if store.value('SELECT id FROM system_user WHERE username = ?', (username,)) is None:
                create_user(store, username, password, role)
        if store.setting('client-api-enabled') is None:
            store.set_setting('client-api-enabled', '1')
        if store.setting('client-api-key') is None or api_key is not None:
            store.set_setting('client-api-key', api_key or '')
        if store.setting('license-computers') is None:
            store.set_setting('license-computers', FREE_LICENSE_COMPUTERS)
