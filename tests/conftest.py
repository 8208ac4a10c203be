"""Shared pytest setup: the collection importable as ansible_collections.oco.oco, test server
fixtures and the playbook/inventory runners (see tests/oco_helpers.py)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

import oco_helpers  # noqa: E402  (needs tests/ on sys.path)
from ansible.plugins.loader import init_plugin_loader  # noqa: E402

# Once per session, before any test module imports ansible_collections.oco.oco...
init_plugin_loader([str(oco_helpers.collections_root())])


def _started_server():
    from oco_test_server import OcoTestServer

    server = OcoTestServer(db=":memory:")
    server.start()
    return server


def _close_in_background(server):
    """Stopping the HTTP loop waits for its next poll tick; the next test need not wait for that."""
    threading.Thread(target=server.close, name="oco-test-server-close", daemon=True).start()


@pytest.fixture
def oco_server():
    """A fresh OCO test server (in-memory database) for one test."""
    server = _started_server()
    try:
        yield server
    finally:
        _close_in_background(server)


@pytest.fixture(scope="module")
def oco_server_module():
    """One OCO test server shared by the tests of a module (they must not depend on each other's writes)."""
    server = _started_server()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def run_tasks(oco_server):
    """``run_tasks(tasks, **options)`` -> PlaybookResult, against the ``oco_server`` fixture."""

    def run(tasks, **options):
        return oco_helpers.run_tasks(tasks, oco_server, **options)

    return run


@pytest.fixture
def run_inventory(oco_server):
    """``run_inventory(source_yaml_text, **options)`` -> parsed ``ansible-inventory --list`` output."""

    def run(source, **options):
        return oco_helpers.run_inventory(source, oco_server, **options)

    return run
