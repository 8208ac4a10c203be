"""The client against a hostile environment and misbehaving answers: credentials from elsewhere,
secrets echoed back, redirects, answers of the wrong shape, local limits."""

from __future__ import annotations

import base64
import json
import sys

import pytest

from ansible_collections.oco.oco.plugins.module_utils import errors
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

from canned_http import CannedServer, ok

PASSWORD = "Pässwörd-🌈-secret"
API_KEY = "🌈💜👆🚧🛸💩"
TOKEN = base64.b64encode(("ünïcode:" + PASSWORD).encode()).decode()


@pytest.fixture
def canned():
    with CannedServer() as server:
        yield server


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                 "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NETRC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))


def client_for(url, **kwargs):
    options = dict(username="ünïcode", password=PASSWORD, api_key=API_KEY, retry_backoff=0.01, retries=0)
    options.update(kwargs)
    return OcoClient(url, **options)


def assert_no_secret(text):
    for secret in (PASSWORD, API_KEY, TOKEN):
        assert secret not in text, text


def sent_credentials(request):
    return base64.b64decode(request["headers"]["Authorization"][6:]).decode("utf-8")


# ------------------------------------------------------------------ where credentials come from

def test_netrc_does_not_replace_the_configured_credentials(canned, tmp_path, monkeypatch):
    netrc = tmp_path / ".netrc"
    netrc.write_text("machine 127.0.0.1 login intruder password from-netrc\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    canned.queue(payload=ok({"version": "1.2.2"}))
    client_for(canned.url).call("oco.info")
    assert sent_credentials(canned.requests[0]) == "ünïcode:" + PASSWORD


def test_url_credentials_are_ignored_with_a_warning_that_does_not_print_them(canned):
    warnings = []
    url = canned.url.replace("http://", "http://intruder:url-pass-4711@")
    client = client_for(url, warn=warnings.append)
    canned.queue(payload=ok({"version": "1.2.2"}))
    client.call("oco.info")
    assert sent_credentials(canned.requests[0]) == "ünïcode:" + PASSWORD
    assert client.endpoint == canned.url + "/api-client.php"
    assert any("url contains credentials" in warning for warning in warnings), warnings
    assert not [w for w in warnings if "url-pass-4711" in w or "intruder" in w], warnings
    # Echoed back by a proxy, they are masked like the configured password.
    canned.queue(status=502, reason="Bad Gateway for intruder:url-pass-4711", payload=b"")
    with pytest.raises(errors.OcoError) as info:
        client.call("oco.computer.list")
    assert "url-pass-4711" not in str(info.value)


def test_url_credentials_never_reach_an_error_about_the_url():
    with pytest.raises(errors.OcoValidationError) as info:
        OcoClient("ftp://admin:hunter2-url@oco.example.com", "u", "p")
    assert "hunter2-url" not in str(info.value) and "oco.example.com" in str(info.value)


def test_proxies_from_the_environment_still_work(canned, monkeypatch):
    # The proxy is the canned server; the OCO host behind it is never contacted directly.
    monkeypatch.setenv("HTTP_PROXY", canned.url)
    canned.queue(payload=ok({"version": "1.2.2"}))
    client = client_for("http://oco.example.invalid")
    assert client.call("oco.info") == {"version": "1.2.2"}
    assert canned.requests[0]["path"] == "http://oco.example.invalid/api-client.php"
    assert sent_credentials(canned.requests[0]) == "ünïcode:" + PASSWORD


def test_no_proxy_is_respected(canned, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    canned.queue(payload=ok({"version": "1.2.2"}))
    assert client_for(canned.url).call("oco.info") == {"version": "1.2.2"}


# ------------------------------------------------------------------ scrubbing, once, in the client

@pytest.mark.parametrize("status, words", [(400, ["HTTP 400"]), (302, ["redirects"]), (500, ["HTTP 500"]),
                                           (418, ["unexpected HTTP 418"])])
def test_reason_phrases_are_scrubbed(canned, status, words):
    # Sent as UTF-8 bytes, which HTTP clients read as Latin-1.
    echoed = "echo %s %s %s" % (PASSWORD, API_KEY, TOKEN)
    canned.queue(status=status, reason=echoed.encode("utf-8").decode("latin-1"), payload=b"")
    with pytest.raises(errors.OcoError) as info:
        client_for(canned.url).call("oco.computer.list")
    for text in (str(info.value), repr(info.value.args)):
        assert_no_secret(text)
        assert_no_secret(text.encode("latin-1", errors="ignore").decode("utf-8", errors="ignore"))
        assert "echo ********" in text, text
    assert all(word in str(info.value) for word in words), str(info.value)


def test_scrubbed_also_in_batch_results_and_server_messages(canned):
    def echo(request):
        return [{"jsonrpc": "2.0", "id": item["id"], "error": {"code": -32000, "message": "bad " + PASSWORD}}
                for item in request]

    canned.queue(payload=echo)
    results = client_for(canned.url).batch([("oco.computer.get", {"id": 1}), ("oco.computer.get", {"id": 2})])
    for result in results:
        assert_no_secret(str(result.error))
        assert_no_secret(result.error.server_message)


def test_a_short_password_is_not_revealed_inside_words(canned):
    canned.queue(payload=lambda r: {"jsonrpc": "2.0", "id": r["id"],
                                    "error": {"code": -32000, "message": "object bj failed (bj)"}})
    with pytest.raises(errors.OcoServerError) as info:
        client_for(canned.url, password="bj", api_key=None).call("oco.computer.list")
    assert "object ******** failed (********)" in str(info.value), str(info.value)


def test_a_redirect_names_its_location_without_credentials(canned):
    canned.queue(status=302, reason="Found", headers={"Location": "https://user:loc-secret@other.example/oco/"}, payload=b"")
    with pytest.raises(errors.OcoHTTPError) as info:
        client_for(canned.url).call("oco.computer.list")
    message = str(info.value)
    assert "https://other.example/oco/" in message and "not followed" in message, message
    assert "loc-secret" not in message
    assert len(canned.requests) == 1


# ------------------------------------------------------------------ answers of the wrong shape

@pytest.mark.parametrize("method, data, words", [
    ("oco.computer.list", [{"id": 1}], ["data is a list where an object belongs"]),
    ("oco.computer.list", {"computers": "pc1", "groups": []}, ["data.computers is a string"]),
    ("oco.computer.list", {"computers": [{"id": "abc", "hostname": "x"}], "groups": []}, ["data.computers[0]", "'abc'"]),
    ("oco.job_container.list", [None], ["data[0] is NoneType"]),
    ("oco.computer.get", {"general": "pc1"}, ["data.general is a string"]),
    ("oco.job_container.deploy", {"id": "new"}, ["data has a string ('new') as its id"]),
    ("oco.report.execute", {"rows": 1}, ["data is an object where a list belongs"]),
])
def test_answers_of_the_wrong_shape_fail_clearly(canned, method, data, words):
    canned.queue(payload=ok(data))
    with pytest.raises(errors.OcoProtocolError) as info:
        client_for(canned.url, check_mode=False).call(method, {"id": 1})
    message = str(info.value)
    assert all(word in message for word in words) and method in message, message


@pytest.mark.parametrize("method, data", [
    ("oco.computer.list", None), ("oco.computer.list", []), ("oco.computer.list", {"computers": None}),
    ("oco.job_container.uninstall", {"id": None}), ("oco.job_container.deploy", {"id": "12"}),
    ("oco.report.execute", []), ("oco.vendor.extension", "anything"),
])
def test_empty_and_unknown_answers_pass(canned, method, data):
    canned.queue(payload=ok(data))
    client_for(canned.url).call(method, {"id": 1})


def test_an_empty_object_is_no_answer(canned):
    canned.queue(payload=b"{}")
    with pytest.raises(errors.OcoProtocolError, match="without result or error"):
        client_for(canned.url).call("oco.computer.create", {"hostname": "pc1"})
    assert client_for(canned.url).dialect is None


@pytest.mark.parametrize("depth", [sys.getrecursionlimit() + 50, 100000])
def test_deeply_nested_json_fails_clearly(canned, depth):
    # Just past the recursion limit: Python 3.11's JSON decoder stops, on 3.12+ (a C limit of its own)
    # it decodes and what reads the data stops; 100000 levels never decode. All must read as one error.
    nested = "[" * depth + "]" * depth
    canned.queue(payload=('{"jsonrpc": "2.0", "id": 1, "result": {"success": true, "data": %s}}' % nested).encode())
    with pytest.raises(errors.OcoProtocolError, match="nested too deeply"):
        client_for(canned.url).call("oco.vendor.extension")


def test_a_missing_batch_answer_fails_clearly(canned):
    canned.queue(payload=lambda request: [{"jsonrpc": "2.0", "id": request[0]["id"], "result": {"success": True, "data": {}}}])
    with pytest.raises(errors.OcoProtocolError, match="has no response with id"):
        client_for(canned.url).batch([("oco.computer.get", {"id": 1}), ("oco.computer.get", {"id": 2})])


# ------------------------------------------------------------------ local limits

@pytest.mark.parametrize("value", [0, -1, float("nan"), float("inf"), "soon"])
def test_timeout_must_be_above_zero(value):
    with pytest.raises(errors.OcoValidationError, match="invalid option timeout="):
        OcoClient("https://oco.example.com", "u", "p", timeout=value)


@pytest.mark.parametrize("value", [-1, 1.5, "x"])
def test_retries_must_be_a_whole_number(value):
    with pytest.raises(errors.OcoValidationError, match="invalid option retries="):
        OcoClient("https://oco.example.com", "u", "p", retries=value)


def test_validate_certs_false_wins_over_a_ca_path(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not used")
    client = OcoClient("https://oco.example.com", "u", "p", validate_certs=False, ca_path=str(bundle))
    assert client._verify() is False  # pylint: disable=protected-access


def test_an_empty_ca_bundle_variable_means_the_system_store(monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "")
    monkeypatch.setenv("CURL_CA_BUNDLE", " ")
    client = OcoClient("https://oco.example.com", "u", "p")
    assert client._verify() is True  # pylint: disable=protected-access
    assert "system's trust store" in client._ca_source()  # pylint: disable=protected-access


def test_a_missing_ca_bundle_file_is_named_and_nothing_is_sent(canned, tmp_path):
    client = client_for(canned.url.replace("http://", "https://"), ca_path=str(tmp_path / "missing.pem"))
    with pytest.raises(errors.OcoTLSError) as info:
        client.call("oco.computer.create", {"hostname": "pc1"})
    assert "missing.pem" in str(info.value) and "existing CA bundle" in str(info.value)
    assert not isinstance(info.value, errors.OcoAmbiguousWriteError)
    assert canned.requests == []


def test_a_full_temporary_disk_during_an_upload_names_tmpdir(canned, tmp_path, monkeypatch):
    import errno

    payload = tmp_path / "setup.msi"
    payload.write_bytes(b"MSI" * 10)
    canned.queue(payload=ok({"version": "1.2.2"}))
    client = client_for(canned.url)
    client.info()

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(client, "_write_upload", full)
    with pytest.raises(errors.OcoError) as info:
        client.call_with_files("oco.package.create", {"version": "1"}, [("setup.msi", str(payload))])
    assert "no space left" in str(info.value) and "TMPDIR" in str(info.value)
    assert len(canned.requests) == 1


def test_errors_are_json_safe(canned):
    canned.queue(status=500, reason=PASSWORD.encode("utf-8").decode("latin-1"), payload=b"")
    with pytest.raises(errors.OcoError) as info:
        client_for(canned.url).call("oco.computer.list")
    json.dumps(str(info.value))
