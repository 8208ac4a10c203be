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


@pytest.fixture(autouse=True)
def _count_plays(request):
    """Record how the test's plays and inventory runs ran (in-process or a command); the summary counts them."""
    del oco_helpers.RUNS[:]
    yield
    for how in ("in-process", "playbook", "inventory in-process", "inventory ansible-inventory"):
        request.node.user_properties.append(("oco_plays_" + how, oco_helpers.RUNS.count(how)))


_PLAY_COUNTS = {"tests in-process only": 0, "tests with ansible-playbook": 0, "plays in-process": 0,
                "plays via ansible-playbook": 0}
_INVENTORY_COUNTS = {"inventory in-process": 0, "inventory ansible-inventory": 0}


def pytest_runtest_logreport(report):
    if report.when != "teardown":
        return
    counts = dict(prop for prop in report.user_properties if prop[0].startswith("oco_plays_"))
    inprocess, playbook = counts.get("oco_plays_in-process", 0), counts.get("oco_plays_playbook", 0)
    _PLAY_COUNTS["plays in-process"] += inprocess
    _PLAY_COUNTS["plays via ansible-playbook"] += playbook
    if playbook:
        _PLAY_COUNTS["tests with ansible-playbook"] += 1
    elif inprocess:
        _PLAY_COUNTS["tests in-process only"] += 1
    for how in _INVENTORY_COUNTS:
        _INVENTORY_COUNTS[how] += counts.get("oco_plays_" + how, 0)


def pytest_terminal_summary(terminalreporter):
    if any(_PLAY_COUNTS.values()):
        terminalreporter.write_line("oco plays (run_tasks): " + ", ".join("%s %d" % item for item in _PLAY_COUNTS.items()))
    if any(_INVENTORY_COUNTS.values()):
        terminalreporter.write_line("oco inventory runs (run_inventory): in-process %d, via ansible-inventory %d" % (
            _INVENTORY_COUNTS["inventory in-process"], _INVENTORY_COUNTS["inventory ansible-inventory"]))
