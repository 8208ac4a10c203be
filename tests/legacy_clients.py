"""What the OcoClient tests against the test server's legacy releases start from: a computer, a
package and a client logged in as the administrator."""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

PC1_NETWORK = {"address": "10.0.0.1", "mac": "aa:bb:cc:dd:ee:01", "interface": "lan"}


def create_fleet(server, **package_fields):
    """(id of pc1, id of the package Editor 1.0); the counters are reset afterwards."""
    pc1 = server.admin.create_computer("pc1", networks=[PC1_NETWORK])
    package = server.admin.create_package("Editor", "1.0", install_procedure="setup.exe", **package_fields)
    server.admin.reset_counters()
    return pc1, package


def client_for(server, **kwargs):
    """An OcoClient for ``server`` with a short back-off, so retries do not slow the tests."""
    return OcoClient(server.url, "admin", "oco-admin-pw", retry_backoff=0.01, **kwargs)
