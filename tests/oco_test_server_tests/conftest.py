"""Fixtures for testing the OCO test server with plain HTTP calls."""

import pytest

from oco_test_server import OcoTestServer
from server_api import Api


@pytest.fixture(name='server')
def server_fixture():
    """A fresh in-memory server per test."""
    with OcoTestServer(db=':memory:') as srv:
        yield srv


@pytest.fixture(name='api')
def api_fixture(server):
    return Api(server)


@pytest.fixture(name='admin')
def admin_fixture(server):
    return server.admin
