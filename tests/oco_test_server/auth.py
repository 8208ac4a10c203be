"""HTTP Basic authentication against system users."""

import base64
import binascii
import hashlib
import hmac
import os
import time

from . import i18n
from .errors import PhpFatal
from .perms import CLIENT_API, Permissions


def hash_password(password):
    salt = os.urandom(8).hex()
    return salt + '$' + hashlib.sha256((salt + password).encode('utf-8')).hexdigest()


def check_password(stored, password):
    if not stored or '$' not in stored:
        return False
    salt, digest = stored.split('$', 1)
    return hmac.compare_digest(digest, hashlib.sha256((salt + password).encode('utf-8')).hexdigest())


def basic_credentials(header):
    """(user, password) as PHP_AUTH_USER/PHP_AUTH_PW would hold them; ('', '') when absent."""
    if not header or not header[:6].lower() == 'basic ':
        return '', ''
    try:
        raw = base64.b64decode(header[6:].strip(), validate=False)
    except (binascii.Error, ValueError):
        return '', ''
    user, _sep, password = raw.partition(b':')
    try:
        return user.decode('utf-8'), password.decode('utf-8')
    except UnicodeDecodeError as exc:
        # The real server dies while logging a non-UTF-8 user name (HTTP 500).
        raise PhpFatal('invalid UTF-8 in credentials') from exc


class AuthFailure(Exception):
    def __init__(self, key):
        super().__init__(key)
        self.key = key

    def body(self, lang):
        return 'HTTP Basic Auth: ' + i18n.translate(lang, self.key)


def login(server, header):
    """The user row for valid HTTP Basic credentials, or AuthFailure; what every dialect's login does.

    Delays follow `server.auth_failure_delay` (the real server: 2 s, half of it for a locked user).
    """
    username, password = basic_credentials(header)
    if username == '' or password == '':
        raise AuthFailure('username_cannot_be_empty')
    user = server.store.row('SELECT u.id, u.username, u.password, u.locked, r.permissions FROM system_user u '
                            'LEFT JOIN system_user_role r ON r.id = u.system_user_role_id WHERE u.username = ?', (username,))
    delay = float(server.auth_failure_delay or 0)
    if user is None:
        time.sleep(delay)
        raise AuthFailure('user_does_not_exist')
    if str(user['locked']) not in ('0', ''):
        time.sleep(delay / 2)
        raise AuthFailure('user_locked')
    if not check_password(user['password'], password):
        time.sleep(delay)
        raise AuthFailure('login_failed')
    return user


def authenticate(server, header):
    """Return (user row, Permissions) or raise AuthFailure: login, then the `Special\\ClientApi` check (>= 1.0.3)."""
    user = login(server, header)
    store = server.store
    try:
        perms = Permissions.from_json(store, int(user['id']), user['permissions'])
    except ValueError as exc:
        raise PhpFatal('invalid role') from exc
    if not perms.special(CLIENT_API):
        raise AuthFailure('api_login_not_allowed')
    with store.transaction():
        store.execute('UPDATE system_user SET last_login = ? WHERE id = ?', (time.strftime('%Y-%m-%d %H:%M:%S'), user['id']))
    return user, perms
