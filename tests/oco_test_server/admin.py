"""The admin door: what the real server offers outside the client API (web UI, agents, setup).

Every command is a method here or a function registered with `registry.admin_command`; the same
names work in-process (`server.admin.create_report(...)`) and over HTTP (`POST /admin/<name>`).
Nothing here touches the api-client.php counters.
"""

import base64
import json

from . import payload, registry
from . import seed as seeding
from .auth import hash_password
from .context import CallContext, now
from .perms import ROLES, Permissions

SETTING_ALIASES = {'api_enabled': 'client-api-enabled', 'api_key': 'client-api-key'}
COMPUTER_FIELDS = ('uid', 'os', 'os_version', 'os_license', 'os_locale', 'kernel_version', 'architecture', 'cpu', 'gpu', 'ram',
                   'agent_version', 'remote_address', 'serial', 'manufacturer', 'model', 'bios_version', 'battery_level',
                   'battery_status', 'uptime', 'boot_type', 'domain', 'secure_boot', 'last_ping', 'last_update',
                   'force_update', 'notes', 'agent_key', 'server_key', 'created', 'agent_timestamp')
INVENTORY_TABLES = {
    'screens': ('computer_screen', ('name', 'manufacturer', 'type', 'resolution', 'size', 'manufactured', 'serialno', 'active')),
    'printers': ('computer_printer', ('name', 'driver', 'paper', 'dpi', 'uri', 'status')),
    'filesystems': ('computer_partition', ('device', 'mountpoint', 'filesystem', 'size', 'free', 'name', 'uuid', 'encrypted')),
}
PACKAGE_FIELDS = ('notes', 'install_procedure', 'install_procedure_success_return_codes', 'install_procedure_post_action',
                  'upgrade_behavior', 'uninstall_procedure', 'uninstall_procedure_success_return_codes',
                  'download_for_uninstall', 'uninstall_procedure_post_action', 'line_endings', 'compatible_os',
                  'compatible_os_version', 'compatible_architecture', 'license_count', 'created')


def _only(kwargs, allowed, what):
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError('unknown %s field(s): %s' % (what, ', '.join(unknown)))
    return kwargs


def _agent_columns(fields):
    """The agent sends its clock as a float unix time; the server stores it as sent."""
    if fields.get('agent_timestamp') is not None:
        fields['agent_timestamp'] = float(fields['agent_timestamp'])
    return fields


def network_row(computer_id, index, net):
    net = dict(net)
    mac = net.pop('mac', '')
    address = net.pop('address', '')
    netmask = net.pop('netmask', '255.255.255.0' if address else '')
    _only(net, ('interface', 'broadcast', 'nic_number'), 'network')
    return (computer_id, net.get('nic_number', index), address, netmask, net.get('broadcast', ''), mac,
            net.get('interface', 'eth%d' % index))


class AdminDoor:
    """Commands for tests, benchmarks and demos; ids are returned as ints."""

    def __init__(self, server):
        self._server = server
        self._store = server.store

    def command(self, name):
        """The callable behind an admin command name (HTTP routing uses this)."""
        if not name.startswith('_') and name != 'command' and callable(getattr(type(self), name, None)):
            return getattr(self, name)
        extra = registry.admin_commands().get(name)
        if extra is None:
            raise AttributeError('unknown admin command %r' % name)
        return lambda **kwargs: extra(self._server, **kwargs)

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(name)
        return self.command(name)

    def commands(self):
        own = [n for n in dir(type(self)) if not n.startswith('_') and callable(getattr(type(self), n))]
        return sorted(set(own) | set(registry.admin_commands()))

    def context(self):
        """A CallContext acting as the first user (the superadmin OCO's setup creates), for admin commands."""
        user = self._store.row('SELECT id, username FROM system_user ORDER BY id LIMIT 1')
        return CallContext(self._server, user, Permissions(self._store, user['id'], ROLES['superadmin']))

    # users and settings ----------------------------------------------------------------------------------

    def create_user(self, username, password, role='superadmin', locked=False):
        """role: 'superadmin', 'readonly' or a permission dict (OCO role JSON)."""
        with self._store.transaction():
            return seeding.create_user(self._store, username, password, role, locked)

    def set_user(self, username, password=None, locked=None, role=None, client_api=None, rename_to=None):
        """Lock/unlock, rename, change password or role, or grant/revoke `Special\\ClientApi` for this user only."""
        store = self._store
        with store.transaction():
            user = store.row('SELECT u.id, r.permissions FROM system_user u JOIN system_user_role r '
                             'ON r.id = u.system_user_role_id WHERE u.username = ?', (username,))
            if user is None:
                raise KeyError('no user %r' % username)
            if rename_to is not None:
                store.execute('UPDATE system_user SET username = ?, display_name = ? WHERE id = ?',
                              (rename_to, rename_to, user['id']))
            if password is not None:
                store.execute('UPDATE system_user SET password = ? WHERE id = ?', (hash_password(password), user['id']))
            if locked is not None:
                store.execute('UPDATE system_user SET locked = ? WHERE id = ?', (1 if locked else 0, user['id']))
            if role is not None or client_api is not None:
                perms = ROLES[role] if isinstance(role, str) else (role or json.loads(user['permissions']))
                perms = dict(perms)
                if client_api is not None:
                    perms['Special\\ClientApi'] = bool(client_api)
                store.execute('UPDATE system_user SET system_user_role_id = ? WHERE id = ?',
                              (seeding.role_id(store, perms), user['id']))
        return True

    def set_setting(self, key, value):
        """Raw setting; `api_enabled` and `api_key` are aliases of client-api-enabled / client-api-key."""
        with self._store.transaction():
            if isinstance(value, bool):
                value = int(value)
            self._store.set_setting(SETTING_ALIASES.get(key, key), value)
        return True

    def get_setting(self, key):
        return self._store.setting(SETTING_ALIASES.get(key, key))

    def set_license(self, computers=20, company=None, expiration=0):
        """Licensed computer count (free licence: 20, company shown as NOT REGISTERED)."""
        with self._store.transaction():
            self._store.set_setting('license-computers', int(computers))
            self._store.set_setting('license-company', company)
            self._store.set_setting('license-expiration', int(expiration))
        return True

    # computers ------------------------------------------------------------------------------------------

    def create_computer(self, hostname, networks=None, **fields):
        """An agent-registered computer; `fields` are computer columns, `networks` [{address, netmask, mac, interface}]."""
        _agent_columns(_only(fields, COMPUTER_FIELDS, 'computer'))
        values = {'hostname': hostname, 'created': now(), 'created_by_system_user_id': None}
        values.update(fields)
        with self._store.transaction():
            cid = self._store.insert('computer', values)
            self._store.executemany('INSERT INTO computer_network (computer_id, nic_number, address, netmask, broadcast, mac, '
                                    'interface) VALUES (?, ?, ?, ?, ?, ?, ?)',
                                    [network_row(cid, i, n) for i, n in enumerate(networks or [])])
        return cid

    def set_inventory(self, computer_id, networks=None, logins=None, screens=None, printers=None, filesystems=None,
                      software=None, **fields):
        """Replace the given inventory sections (what an agent update does); `fields` update computer columns.

        logins: [{username, display_name, uid, console, timestamp}], software: [{name, version, description, installed}].
        """
        _agent_columns(_only(fields, COMPUTER_FIELDS, 'computer'))
        store = self._store
        with store.transaction():
            if store.value('SELECT id FROM computer WHERE id = ?', (computer_id,)) is None:
                raise KeyError('no computer %r' % computer_id)
            if fields:
                store.execute('UPDATE computer SET %s WHERE id = ?' % ', '.join('"%s" = ?' % k for k in fields),
                              tuple(fields.values()) + (computer_id,))
            if networks is not None:
                store.execute('DELETE FROM computer_network WHERE computer_id = ?', (computer_id,))
                store.executemany('INSERT INTO computer_network (computer_id, nic_number, address, netmask, broadcast, mac, '
                                  'interface) VALUES (?, ?, ?, ?, ?, ?, ?)',
                                  [network_row(computer_id, i, n) for i, n in enumerate(networks)])
            for section, rows in (('screens', screens), ('printers', printers), ('filesystems', filesystems)):
                if rows is not None:
                    table, columns = INVENTORY_TABLES[section]
                    store.execute('DELETE FROM %s WHERE computer_id = ?' % table, (computer_id,))
                    for row in rows:
                        store.insert(table, dict(_only(row, columns, section), computer_id=computer_id))
            if logins is not None:
                self._set_logins(computer_id, logins)
            if software is not None:
                store.execute('DELETE FROM computer_software WHERE computer_id = ?', (computer_id,))
                for item in software:
                    sid = store.value('SELECT id FROM software WHERE name = ? AND version = ?',
                                      (item['name'], item.get('version', '')))
                    if sid is None:
                        sid = store.insert('software', {'name': item['name'], 'version': item.get('version', ''),
                                                        'description': item.get('description', '')})
                    store.insert('computer_software', {'computer_id': computer_id, 'software_id': sid,
                                                       'installed': item.get('installed')})
        return True

    def _set_logins(self, computer_id, logins):
        store = self._store
        store.execute('DELETE FROM domain_user_logon WHERE computer_id = ?', (computer_id,))
        for login in logins:
            uid = store.value('SELECT id FROM domain_user WHERE username = ?', (login['username'],))
            if uid is None:
                uid = store.insert('domain_user', {'username': login['username'], 'display_name': login.get('display_name', ''),
                                                   'uid': login.get('uid'), 'created': now()})
            store.insert('domain_user_logon', {'computer_id': computer_id, 'domain_user_id': uid,
                                               'console': login.get('console'), 'timestamp': login.get('timestamp', now())})

    def create_computer_group(self, name, parent_id=None):
        with self._store.transaction():
            return self._store.insert('computer_group', {'name': name, 'parent_computer_group_id': parent_id})

    def add_computer_to_group(self, computer_id, group_id):
        with self._store.transaction():
            cursor = self._store.execute('INSERT OR IGNORE INTO computer_group_member (computer_id, computer_group_id) '
                                         'VALUES (?, ?)', (computer_id, group_id))
            if cursor.rowcount:
                registry.emit(self.context(), registry.COMPUTER_GROUP_CHANGED, computer_group_id=group_id)
        return True

    # packages -------------------------------------------------------------------------------------------

    def create_package_family(self, name, notes='', icon=None, license_count=None):
        """icon: base64 text of the image bytes (binary icons come back as null without show_icons)."""
        with self._store.transaction():
            return self._store.insert('package_family', {'name': name, 'notes': notes, 'license_count': license_count,
                                                         'icon': base64.b64decode(icon) if icon else None, 'created': now()})

    def create_package(self, family, version, files=None, **fields):
        """A package as the web UI would create it; `family` is a family name (created if missing) or id.

        files: {name: base64 content} handled like oco.package.create's files.
        """
        _only(fields, PACKAGE_FIELDS, 'package')
        store = self._store
        with store.transaction():
            if isinstance(family, int):
                family_id = family
            else:
                family_id = store.value('SELECT id FROM package_family WHERE name = ?', (family,))
                if family_id is None:
                    family_id = store.insert('package_family', {'name': family, 'notes': '', 'created': now()})
            values = {'package_family_id': family_id, 'version': version, 'install_procedure': 'install.cmd',
                      'created': now(), 'created_by_system_user_id': self.context().user_id}
            values.update(fields)
            pid = store.insert('package', values)
            blob = payload.build_zip(payload.decode_files([{'name': n, 'content': c} for n, c in (files or {}).items()]))
            if blob is not None:
                store.save_payload(pid, blob)
        return pid

    def create_package_group(self, name, parent_id=None):
        with self._store.transaction():
            return self._store.insert('package_group', {'name': name, 'parent_package_group_id': parent_id})

    def add_package_to_group(self, package_id, group_id):
        from .methods_package import add_member  # pylint: disable=import-outside-toplevel
        with self._store.transaction():
            if add_member(self._store, package_id, group_id):
                registry.emit(self.context(), registry.PACKAGE_GROUP_CHANGED, package_group_id=group_id)
        return True

    def add_package_dependency(self, package_id, depends_on_package_id):
        """`package_id` needs `depends_on_package_id` (deployed first)."""
        with self._store.transaction():
            self._store.execute('INSERT OR IGNORE INTO package_dependency (package_id, dependent_package_id) VALUES (?, ?)',
                                (package_id, depends_on_package_id))
        return True

    def add_installation(self, computer_id, package_id, procedure=None, installed=None):
        """An installation assignment as a succeeded job would leave it."""
        store = self._store
        with store.transaction():
            if procedure is None:
                procedure = store.value('SELECT install_procedure FROM package WHERE id = ?', (package_id,))
            aid = store.insert('computer_package', {
                'computer_id': computer_id, 'package_id': package_id, 'installed_procedure': procedure or '',
                'installed_by_system_user_id': self.context().user_id, 'installed': installed or now()})
            registry.emit(self.context(), registry.INSTALLATION_CHANGED, computer_id=computer_id)
        return aid

    def package_zip_members(self, package_id):
        """Member names of the stored ZIP, or None when the package has no payload."""
        blob = self._store.payload(package_id)
        return None if blob is None else payload.zip_members(blob)

    def package_zip(self, package_id):
        """The stored ZIP as base64 (None without payload)."""
        blob = self._store.payload(package_id)
        return None if blob is None else base64.b64encode(blob).decode('ascii')

    # reports and deployment rules ------------------------------------------------------------------------

    def create_report_group(self, name, parent_id=None):
        with self._store.transaction():
            return self._store.insert('report_group', {'name': name, 'parent_report_group_id': parent_id})

    def create_report(self, name, query, report_group_id=None, notes=''):
        with self._store.transaction():
            return self._store.insert('report', {'name': name, 'query': query, 'report_group_id': report_group_id,
                                                 'notes': notes, 'created': now(),
                                                 'created_by_system_user_id': self.context().user_id})

    def create_deployment_rule(self, name, computer_group_id, package_group_id, notes='', enabled=1, sequence_mode=0,
                               priority=0, post_action_timeout=5):
        with self._store.transaction():
            rid = self._store.insert('deployment_rule', {
                'name': name, 'notes': notes, 'enabled': int(enabled), 'computer_group_id': computer_group_id,
                'package_group_id': package_group_id, 'sequence_mode': sequence_mode, 'priority': priority,
                'post_action_timeout': post_action_timeout, 'created': now(),
                'created_by_system_user_id': self.context().user_id})
            registry.emit(self.context(), registry.DEPLOYMENT_RULE_CHANGED, deployment_rule_id=rid)
        return rid

    # observation and faults ----------------------------------------------------------------------------

    def sql(self, query, params=()):
        """Rows of any SQL statement (tests use it to look at state the API does not expose)."""
        with self._store.transaction():
            cursor = self._store.execute(query, tuple(params))
            if cursor.description is None:
                return cursor.rowcount
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def wol_log(self):
        """Recorded Wake-on-LAN packets: [{mac, computer_id, source}] in send order."""
        return self._server.wol_log()

    def clear_wol_log(self):
        self._server.clear_wol_log()
        return True

    def counters(self):
        return self._server.counters.snapshot()

    def reset_counters(self):
        self._server.counters.reset()
        return True

    def inject_fault(self, kind, method=None, count=1, seconds=0):
        """kind: latency (sleep `seconds`, then answer), http500, http502/http503/http504 (a proxy's answer, nothing runs),
        drop (nothing runs), commit_drop (runs, no answer), barrier (runs `count` requests but holds their answers
        until all were answered, at most `seconds`)."""
        return self._server.faults.inject(kind, method, count, seconds)

    def clear_faults(self):
        self._server.faults.clear()
        return True

    def faults(self):
        return self._server.faults.pending()

    def generate_fleet(self, computers=100, groups=30, depth=3, families=10, packages_per_family=3, reports=True, seed=0,
                       cover_license=True):
        """Bulk test data; see fleet.generate for the summary it returns."""
        from .fleet import generate  # pylint: disable=import-outside-toplevel
        return generate(self._store, computers=computers, groups=groups, depth=depth, families=families,
                        packages_per_family=packages_per_family, reports=reports, seed=seed, cover_license=cover_license)
