"""Retries against the test server's injected faults: reads are repeated, writes never blindly.

The client talks to a real HTTP server here (the bundled test server), so refused connections,
dropped connections, slow answers and gateway errors are the real thing, not mocks.
"""

from __future__ import annotations

import socket
import time

import pytest

from ansible_collections.oco.oco.plugins.module_utils import client as client_module
from ansible_collections.oco.oco.plugins.module_utils import errors
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient


def client_for(server, **kwargs):
    options = dict(retry_backoff=0.01)
    options.update(kwargs)
    return OcoClient(server.url, "admin", "oco-admin-pw", **options)


@pytest.mark.parametrize("kind", ["http502", "http503", "http504", "drop"])
def test_reads_are_retried_until_they_succeed(oco_server, kind):
    admin = oco_server.admin
    admin.create_computer("pc1")
    admin.reset_counters()
    admin.inject_fault(kind, method="oco.computer.list", count=3)
    listed = client_for(oco_server, retries=3).call("oco.computer.list")
    assert [c["hostname"] for c in listed["computers"]] == ["pc1"]
    assert admin.counters()["http_requests"] == 4


@pytest.mark.parametrize("kind, error, text", [
    ("http502", errors.OcoServerFailure, "HTTP 502"),
    ("http503", errors.OcoServerFailure, "HTTP 503"),
    ("http504", errors.OcoServerFailure, "HTTP 504"),
    ("drop", errors.OcoConnectionError, "connection broke"),
])
def test_read_retries_are_bounded(oco_server, kind, error, text):
    admin = oco_server.admin
    admin.inject_fault(kind, method="oco.computer.list", count=10)
    with pytest.raises(error, match=text):
        client_for(oco_server, retries=2).call("oco.computer.list")
    assert admin.counters()["http_requests"] == 3
    with pytest.raises(error):
        client_for(oco_server, retries=0).call("oco.computer.list")
    assert admin.counters()["http_requests"] == 4


def test_http500_is_not_retried(oco_server):
    """A PHP fatal error repeats itself: retrying would only multiply the load."""
    oco_server.admin.inject_fault("http500", method="oco.computer.list", count=5)
    with pytest.raises(errors.OcoServerFailure, match="HTTP 500"):
        client_for(oco_server, retries=3).call("oco.computer.list")
    assert oco_server.admin.counters()["http_requests"] == 1


def test_slow_read_is_retried_after_its_timeout(oco_server):
    admin = oco_server.admin
    admin.inject_fault("latency", method="oco.computer.list", seconds=6)
    assert client_for(oco_server, timeout=2, retries=1).call("oco.computer.list") == {"computers": [], "groups": []}
    # A second request means the client gave up on the first one after its 2 s timeout instead of
    # waiting the 6 s for its answer (a wall-clock bound would only add a race on a busy machine;
    # the 2 s leave the retried request room to answer on one).
    assert admin.counters()["http_requests"] == 2


def refused_client(slept):
    """A client (2 retries) of a local port nothing listens on; its back-off sleeps are recorded in ``slept``."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = OcoClient("http://127.0.0.1:%d" % port, "admin", "pw", retries=2, retry_backoff=0.01)
    client._sleep = slept.append  # pylint: disable=protected-access
    return client


def test_refused_connection_is_retried_then_reported():
    slept = []
    client = refused_client(slept)
    with pytest.raises(errors.OcoConnectionError, match="connection refused"):
        client.call("oco.computer.list")
    assert slept == [0, 1]


def test_refused_write_is_retried_because_nothing_was_sent():
    """A refused connection carried no request: repeating it cannot duplicate anything."""
    slept = []
    client = refused_client(slept)
    with pytest.raises(errors.OcoConnectionError, match="connection refused") as info:
        client.call("oco.computer.create", {"hostname": "pc1"})
    assert not isinstance(info.value, errors.OcoAmbiguousWriteError)
    assert slept == [0, 1]


def test_backoff_is_exponential_and_capped(monkeypatch):
    delays = []
    monkeypatch.setattr(client_module.time, "sleep", delays.append)
    client = OcoClient("http://127.0.0.1:9", "admin", "pw", retry_backoff=0.5)
    for attempt in range(8):
        client._sleep(attempt)  # pylint: disable=protected-access
    assert delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]


@pytest.mark.parametrize("kind", ["http502", "http503", "http504", "drop", "commit_drop"])
@pytest.mark.parametrize("retries", [0, 3])
def test_writes_are_never_resent(oco_server, kind, retries):
    admin = oco_server.admin
    admin.inject_fault(kind, method="oco.computer.create", count=5)
    with pytest.raises(errors.OcoAmbiguousWriteError, match="may have carried it out"):
        client_for(oco_server, retries=retries).call("oco.computer.create", {"hostname": "pc1"})
    assert admin.counters()["http_requests"] == 1
    created = admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"]
    assert created == (1 if kind == "commit_drop" else 0)


def test_slow_write_is_not_resent_after_its_timeout(oco_server):
    admin = oco_server.admin
    admin.inject_fault("latency", method="oco.computer.create", seconds=1.0)
    with pytest.raises(errors.OcoAmbiguousWriteError, match="no answer within"):
        client_for(oco_server, timeout=0.3, retries=3).call("oco.computer.create", {"hostname": "pc1"})
    # The call is over, so a resend would have been counted already; the slow write itself lands
    # once its delay has passed (waited for, not slept for: a busy machine may take longer).
    assert admin.counters()["http_requests"] == 1
    deadline = time.monotonic() + 60
    while admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert admin.sql("SELECT COUNT(*) AS n FROM computer")[0]["n"] == 1
    assert admin.counters()["http_requests"] == 1


def test_batch_of_reads_is_retried_as_a_whole(oco_server):
    admin = oco_server.admin
    ids = [admin.create_computer("pc%d" % n) for n in range(3)]
    client = client_for(oco_server, retries=2)
    client.info()
    admin.reset_counters()
    admin.inject_fault("http503", method="oco.computer.get", count=1)
    results = client.batch([("oco.computer.get", {"id": i}) for i in ids])
    assert [r.data["general"]["hostname"] for r in results] == ["pc0", "pc1", "pc2"]
    assert admin.counters()["http_requests"] == 2


def test_batch_with_a_write_is_never_resent(oco_server):
    admin = oco_server.admin
    pc = admin.create_computer("pc1")
    group = admin.create_computer_group("G")
    client = client_for(oco_server, retries=3)
    client.info()
    admin.reset_counters()
    admin.inject_fault("commit_drop", method="oco.computer.add_to_group")
    with pytest.raises(errors.OcoAmbiguousWriteError):
        client.batch([("oco.computer.get", {"id": pc}),
                      ("oco.computer.add_to_group", {"computer_id": pc, "computer_group_id": group})])
    assert admin.counters()["http_requests"] == 1


def test_module_read_survives_gateway_errors_and_fails_clearly_without_retries(oco_server, run_tasks):
    admin = oco_server.admin
    admin.create_computer("pc1")
    admin.inject_fault("http502", method="oco.computer.list", count=1)
    admin.inject_fault("http503", method="oco.computer.list", count=2)
    admin.inject_fault("http504", method="oco.computer.list", count=1)
    result = run_tasks([
        {"oco.oco.oco_computer_info": {"retries": 0}},
        {"oco.oco.oco_computer_info": {"retries": 3}},
    ])
    failed, retried = result.results
    assert not retried.get("failed"), str(result)
    assert [c["hostname"] for c in retried["computers"]] == ["pc1"]
    assert failed["failed"] is True and "HTTP 502" in failed["msg"] and "oco.computer.list" in failed["msg"], failed
    assert "Traceback" not in result.shown()
