"""OcoClient against canned HTTP answers: envelope, headers, every error class, retries."""

from __future__ import annotations

import base64
import json
import socket

import pytest

from ansible_collections.oco.oco.plugins.module_utils import errors
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient, endpoint_url

from canned_http import CannedServer, ok, rpc_error

PASSWORD = "Pässwörd-🌈-secret"
API_KEY = "🌈💜👆🚧🛸💩"


@pytest.fixture
def canned():
    with CannedServer() as server:
        yield server


def client_for(server, **kwargs):
    options = dict(username="ünïcode", password=PASSWORD, api_key=API_KEY, retry_backoff=0.01)
    options.update(kwargs)
    return OcoClient(server.url if hasattr(server, "url") else server, **options)


def assert_no_secret(text):
    assert PASSWORD not in text
    assert API_KEY not in text
    assert base64.b64encode(("ünïcode:" + PASSWORD).encode()).decode() not in text


def test_envelope_headers_and_unicode_credentials(canned):
    canned.queue(payload=ok({"version": "1.2.2"}))
    canned.queue(payload=ok([]))
    client = client_for(canned)
    assert client.call("oco.info") == {"version": "1.2.2"}
    client.call("oco.computer.get", {"id": 5})
    first, second = canned.requests
    assert first["path"] == "/api-client.php"
    assert first["headers"]["Content-Type"] == "application/json"
    auth = first["headers"]["Authorization"]
    assert auth.startswith("Basic ")
    assert base64.b64decode(auth[6:]).decode("utf-8") == "ünïcode:" + PASSWORD
    body = json.loads(first["body"])
    assert body["jsonrpc"] == "2.0" and body["method"] == "oco.info"
    assert body["params"] == {"api_key": API_KEY, "data": {}}
    second_body = json.loads(second["body"])
    assert second_body["params"]["data"] == {"id": 5}
    assert second_body["id"] != body["id"]
    assert client.dialect == "jsonrpc"


@pytest.mark.parametrize("url, expected", [
    ("https://oco.example.com", "https://oco.example.com/api-client.php"),
    ("https://oco.example.com/", "https://oco.example.com/api-client.php"),
    ("https://oco.example.com/oco/api-client.php", "https://oco.example.com/oco/api-client.php"),
])
def test_url_forms(url, expected):
    assert endpoint_url(url) == expected


@pytest.mark.parametrize("url", ["", "oco.example.com", "ftp://oco"])
def test_bad_url_names_the_option(url):
    with pytest.raises(errors.OcoValidationError, match="url"):
        endpoint_url(url)


def test_http_url_warns(canned):
    warnings = []
    client_for(canned, warn=warnings.append)
    assert warnings and "plain http" in warnings[0]


@pytest.mark.parametrize("status, reason, body, error, text", [
    (405, "API Disabled", b"", errors.OcoApiDisabledError, "client API is disabled"),
    (400, "Content Type Mismatch", b"", errors.OcoBadRequestError, "content type"),
    (400, "Payload Corrupt", b"", errors.OcoBadRequestError, "corrupt"),
    (401, "Client Not Authorized", b"HTTP Basic Auth: User does not exist", errors.OcoAuthError, "User does not exist"),
    (401, "Client Not Authorized", b"HTTP Basic Auth: Login failed", errors.OcoAuthError, "Login failed"),
    (401, "Client Not Authorized", b"HTTP Basic Auth: User locked", errors.OcoAuthError, "User locked"),
    (401, "Client Not Authorized", b"HTTP Basic Auth: User is not allowed to login on the API", errors.OcoAuthError, "not allowed"),
    (500, "Internal Server Error", b"<html><body>Fatal error</body></html>", errors.OcoServerFailure, "HTTP 500"),
    (200, "OK", b"<html><body>Welcome to nginx</body></html>", errors.OcoProtocolError, "not JSON"),
    (200, "OK", b"", errors.OcoProtocolError, "empty answer"),
    (200, "OK", b'{"jsonrpc": "2.0", "id": 1, "res', errors.OcoProtocolError, "not JSON"),
])
def test_http_error_classes(canned, status, reason, body, error, text):
    canned.queue(status=status, reason=reason, payload=body)
    with pytest.raises(error, match=text) as info:
        client_for(canned, retries=0).call("oco.computer.list")
    assert_no_secret(str(info.value))


@pytest.mark.parametrize("code, message, error, text", [
    (-32001, "The host name cannot be empty", errors.OcoInvalidRequestError, "host name cannot be empty"),
    (-32002, "Permission denied. You do not have the necessary rights.", errors.OcoPermissionError, "api_key is wrong"),
    (-32003, "Not found", errors.OcoNotFoundError, "not found"),
    (-32000, "SQLSTATE[22001]: Data too long", errors.OcoServerError, "Data too long"),
    (-32001, "Unknown Method", errors.OcoUnsupportedMethodError, "does not know the method"),
])
def test_rpc_error_classes(canned, code, message, error, text):
    canned.queue(payload=rpc_error(code, message))
    with pytest.raises(error, match=text) as info:
        client_for(canned).call("oco.report.list")
    assert info.value.code == code
    assert_no_secret(str(info.value))


def test_server_text_echoing_a_secret_is_scrubbed(canned):
    canned.queue(payload=rpc_error(-32000, "SQL error near '%s' and '%s'" % (PASSWORD, API_KEY)))
    with pytest.raises(errors.OcoServerError) as info:
        client_for(canned).call("oco.computer.create", {"hostname": "x"})
    assert_no_secret(str(info.value))
    assert "********" in str(info.value)


def test_connection_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    client = OcoClient("http://127.0.0.1:%d" % port, "admin", PASSWORD, retries=1, retry_backoff=0.01)
    with pytest.raises(errors.OcoConnectionError, match="connection refused") as info:
        client.call("oco.computer.list")
    assert_no_secret(str(info.value))


def test_dns_failure():
    client = OcoClient("https://oco.invalid", "admin", PASSWORD, retries=0)
    with pytest.raises(errors.OcoConnectionError, match="does not resolve"):
        client.call("oco.computer.list")


def test_read_timeout_is_retried_then_reported():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    try:
        client = OcoClient("http://127.0.0.1:%d" % listener.getsockname()[1], "admin", PASSWORD, timeout=0.2,
                           retries=1, retry_backoff=0.01)
        with pytest.raises(errors.OcoTimeoutError, match="no answer within"):
            client.call("oco.computer.list")
    finally:
        listener.close()


def test_reads_are_retried_on_503(canned):
    canned.queue(status=503, reason="Service Unavailable")
    canned.queue(status=502, reason="Bad Gateway")
    canned.queue(payload=ok({"computers": [], "groups": []}))
    assert client_for(canned, retries=3).call("oco.computer.list") == {"computers": [], "groups": []}
    assert len(canned.requests) == 3


def test_writes_are_never_resent(canned):
    canned.queue(status=None)  # the connection drops after the request was sent
    canned.queue(payload=ok({"id": "1"}))
    with pytest.raises(errors.OcoAmbiguousWriteError, match="may have carried it out"):
        client_for(canned, retries=3).call("oco.computer.create", {"hostname": "pc1"})
    assert len(canned.requests) == 1


def test_check_mode_refuses_writes_before_sending(canned):
    client = client_for(canned, check_mode=True)
    with pytest.raises(errors.OcoCheckModeError, match="check mode"):
        client.call("oco.computer.create", {"hostname": "pc1"})
    with pytest.raises(errors.OcoCheckModeError):
        client.batch([("oco.computer.get", {"id": 1}), ("oco.computer.remove", {"id": 1})])
    assert canned.requests == []
    canned.queue(payload=ok({"computers": [], "groups": []}))
    client.call("oco.computer.list")
    assert len(canned.requests) == 1


def test_unknown_methods_count_as_writes_unless_declared_read_only(canned):
    client = client_for(canned, check_mode=True)
    with pytest.raises(errors.OcoCheckModeError):
        client.call("oco.extension.do_something")
    canned.queue(payload=ok({"value": 1}))
    reader = client_for(canned, check_mode=True, read_only_methods=("oco.extension.do_something",))
    assert reader.call("oco.extension.do_something") == {"value": 1}


def test_batch_results_in_order_with_errors_apart(canned):
    def answer(requests):
        # answer in reverse order: the client must match by id
        out = []
        for request in reversed(requests):
            if request["params"]["data"].get("id") == 2:
                out.append({"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32003, "message": "Not found", "data": None}})
            else:
                out.append({"jsonrpc": "2.0", "id": request["id"],
                            "result": {"success": True, "data": {"general": {"id": str(request["params"]["data"]["id"])}}}})
        return out
    canned.queue(payload=answer)
    canned.queue(payload=answer)
    client = client_for(canned)
    results = client.batch([("oco.computer.get", {"id": i}) for i in (1, 2, 3, 4)], batch_size=2)
    assert [r.data["general"]["id"] if r.data else None for r in results] == [1, None, 3, 4]
    assert isinstance(results[1].error, errors.OcoNotFoundError)
    assert len(canned.requests) == 2
    assert len(json.loads(canned.requests[0]["body"])) == 2


def test_batch_with_wrong_ids_is_a_protocol_error(canned):
    canned.queue(payload=lambda requests: [{"jsonrpc": "2.0", "id": 999, "result": {"success": True, "data": []}}
                                           for _request in requests])
    with pytest.raises(errors.OcoProtocolError, match="mixed up"):
        client_for(canned).batch([("oco.computer.get", {"id": 1}), ("oco.computer.get", {"id": 2})])


def test_normalisation_of_string_ids_and_secrets(canned):
    canned.queue(payload=ok({"computers": [{"id": "7", "hostname": "pc", "ram": "8192", "agent_key": "k1", "server_key": "k2",
                                            "battery_level": "0.5", "uptime": "12"}], "groups": []}))
    computer = client_for(canned).call("oco.computer.list")["computers"][0]
    assert computer == {"id": 7, "hostname": "pc", "ram": "8192", "battery_level": 0.5, "uptime": 12}


def test_legacy_envelope_is_detected_and_normalised(canned):
    canned.queue(payload=lambda request: {"id": request["id"], "error": None,
                                          "result": {"success": True, "data": [{"id": "3", "hostname": "old"}]}})
    canned.queue(payload=lambda request: {"id": request["id"], "error": "Unknown Method", "result": {"success": False}})
    client = client_for(canned)
    assert client.call("oco.computer.list") == {"computers": [{"id": 3, "hostname": "old"}], "groups": []}
    assert client.dialect == "legacy"
    with pytest.raises(errors.OcoUnsupportedMethodError, match="0.15.2"):
        client.call("oco.report.list")
    legacy_body = json.loads(canned.requests[1]["body"])
    assert legacy_body["params"]["api_key"] == API_KEY


def test_legacy_method_names_are_translated(canned):
    canned.queue(payload=lambda request: {"id": request["id"], "error": None, "result": {"success": True, "data": []}})
    canned.queue(payload=lambda request: {"id": request["id"], "error": None, "result": {"success": True, "data": []}})
    client = client_for(canned)
    client.call("oco.computer.list")
    client.call("oco.job_container.job.list", {"id": 4})
    body = json.loads(canned.requests[1]["body"])
    assert body["method"] == "oco.job.list"
    assert body["params"]["id"] == 4 and body["params"]["data"] == {"id": 4}
