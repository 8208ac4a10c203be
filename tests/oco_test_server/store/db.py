"""One SQLite connection shared by all server threads, guarded by a re-entrant lock."""

import math
import os
import shutil
import sqlite3
import tempfile
import threading
from contextlib import contextmanager

from . import schema
from .. import collation


def _stringify(value):
    # PHP <= 8.0 PDO returns every non-null column as string; blobs stay raw bytes.
    if value is None or isinstance(value, (bytes, str)):
        return value
    return str(value)


def _sqrt(value):
    try:
        return math.sqrt(float(value)) if value is not None and float(value) >= 0 else None
    except (TypeError, ValueError):
        return None


def _pow(base, exponent):
    try:
        return math.pow(float(base), float(exponent)) if base is not None and exponent is not None else None
    except (TypeError, ValueError, OverflowError):
        return None


class Store:
    """Query helpers returning rows as dicts (column alias -> value)."""

    def __init__(self, path=':memory:', stringify=False):
        self.path = path
        self.stringify = stringify
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.execute('PRAGMA foreign_keys = ON')
        # MariaDB functions report queries use that not every SQLite build has.
        self.conn.create_function('sqrt', 1, _sqrt, deterministic=True)
        self.conn.create_function('pow', 2, _pow, deterministic=True)
        # Name equality as the real server's database compares names (host names, families, versions).
        collation.register(self.conn)
        if path != ':memory:':
            self.conn.execute('PRAGMA journal_mode = WAL')
        with self.lock:
            schema.create(self.conn)
        # Package ZIPs live beside a database file (so they survive a restart), or in a temporary
        # folder that goes with an in-memory database.
        if path == ':memory:':
            self.payload_dir = tempfile.mkdtemp(prefix='oco-test-server-packages-')
            self._own_payload_dir = True
        else:
            self.payload_dir = path + '.packages'
            self._own_payload_dir = False
            os.makedirs(self.payload_dir, exist_ok=True)

    def close(self):
        with self.lock:
            self.conn.close()
        if self._own_payload_dir:
            shutil.rmtree(self.payload_dir, ignore_errors=True)

    def _payload_path(self, package_id):
        return os.path.join(self.payload_dir, '%d.zip' % int(package_id))

    def save_payload(self, package_id, blob):
        """Store a package's ZIP (inside the caller's transaction for the index row)."""
        with open(self._payload_path(package_id), 'wb') as handle:
            handle.write(blob)
        self.insert('package_payload', {'package_id': package_id, 'size': len(blob)})

    def payload(self, package_id):
        """The package's ZIP as bytes, or None without payload."""
        if self.value('SELECT 1 FROM package_payload WHERE package_id = ?', (package_id,)) is None:
            return None
        with open(self._payload_path(package_id), 'rb') as handle:
            return handle.read()

    def delete_payload(self, package_id):
        """Remove the ZIP file of a package being deleted (its index row goes with the package)."""
        try:
            os.remove(self._payload_path(package_id))
        except FileNotFoundError:
            pass

    @contextmanager
    def transaction(self):
        """Serialise a unit of work; nested use joins the outer transaction."""
        with self.lock:
            if self.conn.in_transaction:
                yield self
                return
            self.conn.execute('BEGIN IMMEDIATE')
            try:
                yield self
            except BaseException:
                self.conn.execute('ROLLBACK')
                raise
            self.conn.execute('COMMIT')

    def _convert(self, cursor):
        names = [d[0] for d in cursor.description]
        if self.stringify:
            return [dict(zip(names, map(_stringify, row))) for row in cursor]
        return [dict(zip(names, row)) for row in cursor]

    def rows(self, sql, params=()):
        with self.lock:
            return self._convert(self.conn.execute(sql, params))

    def row(self, sql, params=()):
        found = self.rows(sql, params)
        return found[0] if found else None

    def value(self, sql, params=()):
        """First column of the first row, never stringified (for internal use)."""
        with self.lock:
            found = self.conn.execute(sql, params).fetchone()
        return found[0] if found else None

    def execute(self, sql, params=()):
        with self.lock:
            return self.conn.execute(sql, params)

    def executemany(self, sql, seq):
        with self.lock:
            return self.conn.executemany(sql, seq)

    def insert(self, table, values):
        """Insert a dict and return the new row id."""
        cols = ', '.join('"%s"' % c for c in values)
        marks = ', '.join('?' for _value in values)
        return self.execute('INSERT INTO %s (%s) VALUES (%s)' % (table, cols, marks), tuple(values.values())).lastrowid

    def setting(self, key, default=None):
        found = self.value('SELECT value FROM setting WHERE key = ?', (key,))
        return default if found is None else found

    def set_setting(self, key, value):
        self.execute('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
                     (key, None if value is None else str(value)))
