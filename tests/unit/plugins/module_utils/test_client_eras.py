"""OcoClient against every legacy release the test server models: the release is told from the
answers, and each one gets the method names and arguments it reads."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils import errors
from legacy_clients import client_for, create_fleet
from oco_test_server import OcoTestServer

RELEASES = [("0.9.0", False), ("0.13.3", False), ("0.15.5", False), ("1.0.2", False), ("0.13.3", True), ("1.0.2", True)]


@pytest.fixture(name="server", params=RELEASES, ids=["%s%s" % (v, "-php8" if ints else "") for v, ints in RELEASES])
def server_fixture(request):
    version, ints = request.param
    with OcoTestServer(legacy=version, legacy_ints=ints) as srv:
        srv.era_version = tuple(int(part) for part in version.split("."))
        yield srv


@pytest.fixture(name="fleet")
def fleet_fixture(server):
    return create_fleet(server)


def test_rows_are_normalised_whatever_type_the_server_answers_in(server, fleet):
    client = client_for(server)
    computers = client.call("oco.computer.list")["computers"]
    assert [(c["id"], c["hostname"]) for c in computers] == [(fleet[0], "pc1")]
    family = client.call("oco.package_family.list")[0]
    packages = client.call("oco.package.list", {"package_family_id": family["id"]})["packages"]
    assert [(p["id"], p["package_family_name"]) for p in packages] == [(fleet[1], "Editor")]
    assert client.dialect == "legacy"


def test_deploy_goes_by_the_name_the_release_knows(server, fleet):
    client = client_for(server)
    client.call("oco.computer.list")
    container = client.call("oco.job_container.deploy", {"name": "d", "computer_ids": [fleet[0]], "package_ids": [fleet[1]]})
    jobs = client.call("oco.job_container.job.list", {"id": container["id"]})
    assert [(j["package_family_name"], j["procedure"], j["state"]) for j in jobs] == [("Editor", "setup.exe", 0)]
    calls = server.admin.counters()["calls"]
    old = server.era_version < (0, 15, 0)
    assert calls.get("oco.deploy" if old else "oco.job_container.deploy") == 1
    assert calls.get("oco.job.list" if old else "oco.job_container.job.list") == 1
    # The other name was never needed: the answers told the release first.
    assert calls.get("oco.job_container.deploy" if old else "oco.deploy") is None


def test_agent_ip_ranges_as_the_first_request_reach_the_server(server, fleet):
    client = client_for(server)
    data = {"name": "ranged", "computer_ids": [fleet[0]], "package_ids": [fleet[1]], "agent_ip_ranges": ["10.0.0.0/8"]}
    if server.era_version < (0, 13, 0):
        with pytest.raises(errors.OcoUnsupportedOptionError, match="older than version 0.13.0"):
            client.call("oco.job_container.deploy", data)
        assert server.admin.counters()["writes"] == 0
        return
    client.call("oco.job_container.deploy", data)
    assert server.admin.sql("SELECT agent_ip_ranges FROM job_container") == [{"agent_ip_ranges": "10.0.0.0/8"}]
    assert server.admin.counters()["writes"] == 1


def test_time_frames_are_sent_only_where_proven(server, fleet):
    client = client_for(server)
    data = {"name": "framed", "computer_ids": [fleet[0]], "package_ids": [fleet[1]], "time_frames": ["8:00-17:00"]}
    with pytest.raises(errors.OcoUnsupportedOptionError, match="version 1.0.2") as caught:
        client.call("oco.job_container.deploy", data)
    assert server.admin.counters()["writes"] == 0
    if server.era_version >= (1, 0, 2):
        assert "may predate" in str(caught.value)
        # Once the server lists a job container, its time_frames column proves 1.0.2.
        server.admin.sql("INSERT INTO job_container (name, start_time, created, created_by_system_user_id) "
                         "VALUES ('seen', '2024-01-01 00:00:00', '2024-01-01 00:00:00', 1)")
        client_for(server).call("oco.job_container.deploy", data)
        assert server.admin.sql("SELECT time_frames FROM job_container WHERE name = 'framed'")[0]["time_frames"]
    else:
        assert "older than version 1.0.2" in str(caught.value)


def test_package_payload_is_stored_by_every_release_that_has_package_create(server, fleet, tmp_path):
    payload = tmp_path / "setup.exe"
    payload.write_bytes(b"MZ installer")
    client = client_for(server)
    client.call("oco.computer.list")
    data = {"package_family_name": "Tool", "version": "1.0", "install_procedure": "setup.exe"}
    if server.era_version < (0, 9, 2):
        with pytest.raises(errors.OcoUnsupportedMethodError, match="older than version 0.9.2"):
            client.call_with_files("oco.package.create", data, [("setup.exe", str(payload))])
        assert server.admin.counters()["http_requests"] == 1
        return
    created = client.call_with_files("oco.package.create", data, [("setup.exe", str(payload))])
    row = server.admin.sql("SELECT p.id, f.name FROM package p JOIN package_family f ON f.id = p.package_family_id "
                           "WHERE p.id = ?", [created["id"]])
    assert row == [{"id": created["id"], "name": "Tool"}]
    assert server.admin.sql("SELECT COUNT(*) AS n FROM package_payload WHERE package_id = ?", [created["id"]])[0]["n"] == 1


def test_lacking_method_message_leads_with_the_release(server, fleet):
    client = client_for(server)
    client.call("oco.computer.list")
    if server.era_version >= (0, 15, 2):
        assert client.call("oco.deployment_rule.list") == []
        return
    with pytest.raises(errors.OcoUnsupportedMethodError) as caught:
        client.call("oco.deployment_rule.list")
    text = str(caught.value)
    assert text.startswith("The OCO server is older than version 0.15.2, the first version with the API method "
                           "oco.deployment_rule.list"), text
    assert ("lack domain" if server.era_version < (0, 9, 2) else "plain list") in text and "before 1.0.3" in text
