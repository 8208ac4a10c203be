"""A stateful stand-in for the OCO server's client API (api-client.php), for tests and demos."""

from .server import OcoTestServer

__all__ = ['OcoTestServer']
