"""pytest plugin: an OCO test server per test, for testing playbooks without an OCO server.

Load it in your own test suite with the installed collection on PYTHONPATH:

    PYTHONPATH=~/.ansible/collections pytest -p ansible_collections.oco.oco.tests.oco_test_server.pytest_plugin

(or ``pytest_plugins = ['ansible_collections.oco.oco.tests.oco_test_server.pytest_plugin']`` in a
conftest.py). The ``oco_server`` fixture is a started OcoTestServer with an empty in-memory state:

- ``oco_server.url``, ``oco_server.connection()`` (module options), ``oco_server.environment()``
  (``OCO_URL``, ``OCO_USERNAME``, ...) to point playbooks, the inventory plugin or the lookup at it;
- ``oco_server.admin``: the admin door (create computers, groups, packages, reports; let agents run
  jobs with ``agents_run()``; ``counters()`` of API reads and writes; ``inject_fault(...)``).

Options per test: ``@pytest.mark.oco_server(api_key='k', https=True, legacy=False, stringify=False,
auth_failure_delay=0.0)``.
"""

import pytest

from .server import OcoTestServer

SERVER_OPTIONS = ('api_key', 'https', 'legacy', 'stringify', 'auth_failure_delay')


def pytest_configure(config):
    config.addinivalue_line('markers', 'oco_server(**options): options of the oco_server fixture (%s)'
                            % ', '.join(SERVER_OPTIONS))


@pytest.fixture(name='oco_server')
def oco_server_fixture(request):
    """A fresh OCO test server on 127.0.0.1 (empty in-memory state), closed after the test."""
    marker = request.node.get_closest_marker('oco_server')
    options = dict(marker.kwargs) if marker else {}
    unknown = sorted(set(options) - set(SERVER_OPTIONS))
    if unknown:
        raise pytest.UsageError('unknown oco_server option(s): %s (known: %s)' % (', '.join(unknown), ', '.join(SERVER_OPTIONS)))
    with OcoTestServer(db=':memory:', **options) as server:
        yield server
