"""OcoClient against the test server's legacy mode (v0.9.0): detection, translation, refusals."""

from __future__ import annotations

import json

import pytest

from ansible_collections.oco.oco.plugins.module_utils import errors
from legacy_clients import client_for, create_fleet
from oco_test_server import OcoTestServer


@pytest.fixture(name="server")
def legacy_server_fixture():
    with OcoTestServer(legacy=True) as srv:
        yield srv


@pytest.fixture(name="fleet")
def fleet_fixture(server):
    return create_fleet(server, install_procedure_post_action=2)


def test_dialect_from_the_first_answer_without_extra_requests(server, fleet):
    client = client_for(server)
    data = client.call("oco.computer.list")
    assert client.dialect == "legacy"
    assert [c["hostname"] for c in data["computers"]] == ["pc1"] and data["groups"] == []
    assert data["computers"][0]["id"] == fleet[0] and "agent_key" not in data["computers"][0]
    assert server.admin.counters()["http_requests"] == 1


def test_info_and_version_are_unknown(server):
    client = client_for(server)
    assert client.info() is None and client.server_version is None
    assert client.dialect == "legacy"


def test_old_names_and_both_argument_places(server, fleet):
    client = client_for(server)
    client.call("oco.computer.list")
    defaults = {"sequence_mode": 0, "priority": 0, "agent_ip_ranges": [], "time_frames": [], "force_install_same_version": 0}
    container = client.call("oco.job_container.deploy",
                            dict(defaults, name="d", computer_ids=[fleet[0]], package_ids=[fleet[1]]))
    jobs = client.call("oco.job_container.job.list", {"id": container["id"]})
    assert jobs[0]["procedure"] == "setup.exe" and jobs[0]["post_action"] == 2 and jobs[0]["post_action_timeout"] == 5
    assert jobs[0]["package_family_name"] == "Editor" and jobs[0]["state"] == 0
    calls = server.admin.counters()["calls"]
    assert calls == {"oco.computer.list": 1, "oco.deploy": 1, "oco.job.list": 1}


def test_envelope_carries_arguments_in_params_data(server, fleet, monkeypatch):
    client = client_for(server)
    client.call("oco.computer.list")
    sent = []
    original = client._post  # pylint: disable=protected-access

    def spy(payload, write, label):
        sent.append(json.loads(json.dumps(payload)))
        return original(payload, write, label)
    monkeypatch.setattr(client, "_post", spy)
    client.call("oco.computer.get", {"id": fleet[0]})
    assert sent[0]["params"]["data"] == {"id": fleet[0]} and sent[0]["params"]["id"] == fleet[0]


def test_package_list_by_family_asks_again_once_when_the_first_call_revealed_the_dialect(server, fleet):
    client = client_for(server)
    data = client.call("oco.package.list", {"package_family_id": 1})
    assert [p["id"] for p in data["packages"]] == [fleet[1]]
    assert data["packages"][0]["install_procedure_post_action"] == 2 and data["name"] == "Editor"
    assert server.admin.counters()["calls"] == {"oco.package.list": 2}
    client.call("oco.package.list", {"package_family_id": 1})
    assert server.admin.counters()["calls"] == {"oco.package.list": 3}


def test_batches_fall_back_to_single_calls(server, fleet):
    client = client_for(server)
    results = client.batch([("oco.computer.get", {"id": fleet[0]}), ("oco.computer.get", {"id": 99})])
    assert client.dialect == "legacy"
    assert results[0].data["networks"][0]["address"] == "10.0.0.1"
    assert isinstance(results[1].error, errors.OcoNotFoundError)
    # The rejected batch ran nothing; afterwards every call is a request of its own.
    assert server.admin.counters()["calls"] == {"oco.computer.get": 2}


def test_unknown_method_names_the_method_and_the_version(server, fleet):
    client = client_for(server)
    client.call("oco.computer.list")
    with pytest.raises(errors.OcoUnsupportedMethodError) as caught:
        client.call("oco.computer.add_to_group", {"computer_id": fleet[0], "computer_group_id": 1})
    text = str(caught.value)
    assert "oco.computer.add_to_group" in text and "0.15.2" in text and "before 1.0.3" in text
    with pytest.raises(errors.OcoUnsupportedMethodError, match="0.9.2"):
        client.call("oco.package.create", {"package_family_name": "F", "version": "1", "install_procedure": "x"})
    assert server.admin.counters()["writes"] == 0


def test_deploy_option_the_server_predates_fails_before_sending(server, fleet):
    client = client_for(server)
    client.call("oco.computer.list")
    server.admin.reset_counters()
    with pytest.raises(errors.OcoUnsupportedOptionError, match=r"priority=10 needs OCO server 0\.10\.0"):
        client.call("oco.job_container.deploy", {"name": "d", "computer_ids": [fleet[0]], "package_ids": [fleet[1]],
                                                 "priority": 10})
    assert server.admin.counters()["http_requests"] == 0


def test_deploy_as_first_call_is_retried_by_the_old_name_and_checked(server, fleet):
    client = client_for(server)
    with pytest.raises(errors.OcoUnsupportedOptionError, match="time_frames"):
        client.call("oco.job_container.deploy", {"name": "d", "computer_ids": [fleet[0]], "package_ids": [fleet[1]],
                                                 "time_frames": ["8:00-9:00"]})
    assert server.admin.counters()["writes"] == 0


def test_group_filter_the_server_ignores_fails(server, fleet):
    client = client_for(server)
    with pytest.raises(errors.OcoUnsupportedOptionError, match="computer_group_id"):
        client.call("oco.computer.list", {"computer_group_id": 3})


def test_remove_without_force_refuses_with_pending_jobs(server, fleet):
    client = client_for(server)
    client.call("oco.job_container.deploy", {"name": "d", "computer_ids": [fleet[0]], "package_ids": [fleet[1]]})
    with pytest.raises(errors.OcoInvalidRequestError, match="still active jobs"):
        client.call("oco.computer.remove", {"id": fleet[0], "force": False})
    assert server.admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"] == 1
    client.call("oco.computer.remove", {"id": fleet[0], "force": True})
    assert server.admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"] == 0


def test_remove_without_force_as_first_call_learns_the_dialect_first(server, fleet):
    server.admin.create_computer("idle")
    client = client_for(server)
    client.call("oco.computer.remove", {"id": fleet[0] + 1, "force": False})
    assert server.admin.counters()["calls"] == {"oco.info": 1, "oco.computer.get": 1, "oco.computer.remove": 1}


def test_check_mode_sends_no_write(server, fleet):
    client = client_for(server, check_mode=True)
    client.call("oco.computer.list")
    with pytest.raises(errors.OcoCheckModeError):
        client.call("oco.computer.create", {"hostname": "x"})
    assert server.admin.counters()["writes"] == 0
