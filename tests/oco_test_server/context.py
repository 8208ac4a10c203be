"""What a method implementation gets besides its `data` parameter."""

import time

from . import i18n


def now():
    """Server local time in MariaDB DATETIME format."""
    return time.strftime('%Y-%m-%d %H:%M:%S')


class CallContext:
    """One JSON-RPC call: the server, its store, the authenticated user and the request language."""

    def __init__(self, server, user, perms, lang='en'):
        self.server = server
        self.store = server.store
        self.user = user
        self.user_id = user['id'] if user else None
        self.perms = perms
        self.lang = lang

    def translate(self, key):
        return i18n.translate(self.lang, key)

    @staticmethod
    def now():
        return now()
