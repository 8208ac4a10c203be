"""SQLite storage of the test server."""

from .db import Store

__all__ = ['Store']
