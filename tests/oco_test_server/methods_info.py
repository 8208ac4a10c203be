"""oco.info: the server version, its licence and the software it runs on."""

import json
import sqlite3

from . import license as lic
from .registry import method


@method('oco.info')
def info(ctx, data):  # pylint: disable=unused-argument
    satellites = ctx.store.setting('wol-satellites')
    out = {'version': ctx.server.version,
           'wol_satellites': json.loads(satellites) if satellites else None,
           'extensions': []}
    out.update(lic.info(ctx.store, ctx.translate))
    out.update({'webserver': 'Apache/2.4.62 (Debian)', 'database': 'SQLite ' + sqlite3.sqlite_version, 'php': '8.2.29'})
    return out
