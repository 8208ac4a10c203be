"""Integration tests against the test server's legacy releases (the pre-1.0.3 dialect).

Every test runs against each modelled release: v0.9.0 (the first client API), v0.13.3, v0.15.5 and
v1.0.2 (the last of their eras), and v1.0.2 once more answering numbers as numbers (a PHP 8 host)
instead of strings. `oco_server` is overridden here, so `run_tasks` and `run_inventory` of
tests/conftest.py talk to the legacy server with the same modules and plugins as everywhere else.
`era` is the release as a version tuple, for the assertions that differ between releases.
"""

from __future__ import annotations

import pytest

from oco_test_server import OcoTestServer
from oco_test_server.eras import ERAS, parse

RELEASES = ERAS + ("1.0.2-php8",)
# Renamed in 0.15.0: what the server counts when the collection calls the current method.
OLD_NAMES = {"oco.job_container.deploy": "oco.deploy", "oco.job_container.uninstall": "oco.uninstall",
             "oco.job_container.job.list": "oco.job.list", "oco.job_container.job.remove": "oco.job.remove"}


@pytest.fixture(name="sent")
def sent_fixture(era):
    """``sent(method)``: the name the legacy server knows the current ``method`` by."""
    return lambda method: OLD_NAMES.get(method, method) if era < (0, 15, 0) else method


@pytest.fixture(name="release", params=RELEASES, scope="module")
def release_fixture(request):
    return request.param


@pytest.fixture(name="era")
def era_fixture(release):
    return parse(release.split("-")[0])


@pytest.fixture(name="legacy_server")
def legacy_server_fixture(release):
    server = OcoTestServer(db=":memory:", legacy=release.split("-")[0], legacy_ints=release.endswith("php8"))
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(name="oco_server")
def legacy_as_oco_server(legacy_server):
    return legacy_server


@pytest.fixture(name="legacy_fleet")
def legacy_fleet_fixture(legacy_server):
    """pc1 and pc2 (Windows), Firefox 120/121 and 7-Zip made the way a legacy admin would: in the web UI."""
    admin = legacy_server.admin
    ids = {}
    for index, host in enumerate(("pc1", "pc2"), start=1):
        ids[host] = admin.create_computer(host, os="Windows", networks=[
            {"address": "10.0.0.%d" % index, "mac": "00:11:22:33:44:%02d" % index, "interface": host + ".corp"}])
    ids["firefox120"] = admin.create_package("Firefox", "120.0", install_procedure="ff120.exe", created="2021-06-01 00:00:00")
    ids["firefox121"] = admin.create_package("Firefox", "121.0", install_procedure="ff121.exe", created="2021-06-02 00:00:00",
                                             install_procedure_post_action=1)
    ids["7zip"] = admin.create_package("7-Zip", "24.08", install_procedure="7z.exe", uninstall_procedure="7z-remove.exe")
    admin.reset_counters()
    return ids
