"""TLS against the test server in HTTPS mode with its self-signed certificate.

Verification is on by default and fails with a message about the certificate; ``ca_path`` makes
it pass; ``validate_certs: false`` skips it with a warning. The environment of ``requests``
(REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE) cannot switch verification off, nor replace ``ca_path``.
"""

from __future__ import annotations

import pytest
import urllib3

import oco_helpers
from oco_helpers import CommandFailed

INFO = "oco.oco.oco_info"


@pytest.fixture
def https_server():
    from oco_test_server import OcoTestServer

    server = OcoTestServer(db=":memory:", https=True)
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def other_ca():
    """The certificate of another self-signed server: a CA bundle that does not sign ours."""
    from oco_test_server import OcoTestServer

    server = OcoTestServer(db=":memory:", https=True)
    server.start()
    try:
        yield server.ca_path
    finally:
        server.close()


def run(server, tasks, env=None, via=None):
    return oco_helpers.run_tasks(tasks, server, env=env, via=via)


def assert_certificate_failure(outcome):
    assert outcome.get("failed") is True, outcome
    message = outcome["msg"]
    assert "certificate verification failed" in message and "ca_path" in message and "validate_certs" in message, message


def test_default_verifies_ca_path_trusts_and_validate_certs_false_warns(https_server):
    assert https_server.url.startswith("https://")
    result = run(https_server, [
        {INFO: {}},
        {INFO: {"ca_path": https_server.ca_path}},
        {INFO: {"validate_certs": False}},
    ])
    assert "Traceback" not in result.shown()
    default, trusted, unverified = result.results
    assert_certificate_failure(default)
    assert not trusted.get("failed") and trusted["changed"] is False, trusted
    assert not unverified.get("failed"), unverified
    assert any("validate_certs is false" in w for w in unverified.get("warnings", [])), unverified
    assert not trusted.get("warnings"), trusted
    # Only the two that got through reached the API (the first stopped in the handshake).
    assert https_server.admin.counters()["http_requests"] >= 2


def test_environment_cannot_switch_verification_off(https_server):
    result = run(https_server, [{INFO: {}}, {INFO: {"validate_certs": True}}],
                 env={"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": "", "PYTHONHTTPSVERIFY": "0"})
    for outcome in result.results:
        assert_certificate_failure(outcome)
    assert https_server.admin.counters()["http_requests"] == 0


def test_environment_bundle_does_not_override_ca_path(https_server, other_ca):
    other_env = {"REQUESTS_CA_BUNDLE": other_ca, "CURL_CA_BUNDLE": other_ca}
    result = run(https_server, [{INFO: {"ca_path": https_server.ca_path}}], env=other_env)
    assert not result.results[0].get("failed"), str(result)
    right_env = {"REQUESTS_CA_BUNDLE": https_server.ca_path, "CURL_CA_BUNDLE": https_server.ca_path}
    result = run(https_server, [{INFO: {"ca_path": other_ca}}], env=right_env)
    assert_certificate_failure(result.results[0])


def test_ca_path_from_the_environment_variable(https_server):
    result = run(https_server, [{INFO: {}}], env={"OCO_CA_PATH": https_server.ca_path})
    assert not result.results[0].get("failed"), str(result)


def test_inventory_verifies_by_default_and_trusts_ca_path(https_server):
    https_server.admin.create_computer("pc-tls")
    with pytest.raises(CommandFailed) as info:
        oco_helpers.run_inventory("plugin: oco.oco.oco\n", https_server)
    assert "certificate verification failed" in info.value.stderr
    assert "Traceback" not in info.value.stdout + info.value.stderr
    listed = oco_helpers.run_inventory("plugin: oco.oco.oco\n", https_server, env={"OCO_CA_PATH": https_server.ca_path})
    assert "pc-tls" in listed["_meta"]["hostvars"]
    with pytest.raises(CommandFailed):
        oco_helpers.run_inventory("plugin: oco.oco.oco\n", https_server, env={"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": ""})


def test_client_level_verification(https_server, other_ca):
    from ansible_collections.oco.oco.plugins.module_utils import errors
    from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

    slept = []

    def client(**kwargs):
        made = OcoClient(https_server.url, "admin", "oco-admin-pw", retries=2, retry_backoff=0.01, **kwargs)
        made._sleep = slept.append  # pylint: disable=protected-access
        return made

    with pytest.raises(errors.OcoTLSError, match="certificate verification failed"):
        client().call("oco.info")
    with pytest.raises(errors.OcoTLSError):
        client(ca_path=other_ca).call("oco.info")
    assert client(ca_path=https_server.ca_path).call("oco.info")["version"]
    warnings = []
    # urllib3 warns too, as it does for every unverified request; expected here, not left to the summary.
    with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
        assert client(validate_certs=False, warn=warnings.append).call("oco.info")["version"]
    assert warnings and "validate_certs is false" in warnings[0]
    # A certificate failure is not retried: it will not change by asking again.
    assert slept == []
    assert https_server.admin.counters()["http_requests"] == 2


def test_messages_name_the_bundle_that_failed_and_validate_certs_false_wins(https_server, other_ca, tmp_path):
    result = run(https_server, [
        {INFO: {"ca_path": other_ca}},
        {INFO: {"ca_path": other_ca, "validate_certs": False}},
        {INFO: {"ca_path": str(tmp_path / "missing.pem")}},
        {INFO: {}},
    ], env={"REQUESTS_CA_BUNDLE": "", "CURL_CA_BUNDLE": ""})
    assert "Traceback" not in result.stdout + result.stderr
    wrong_ca, unverified, missing, system = result.results
    assert_certificate_failure(wrong_ca)
    assert "the CA bundle %s (ca_path) did not sign" % other_ca in wrong_ca["msg"], wrong_ca["msg"]
    # validate_certs: false means what its warning says, even with a CA file (an AWX credential may set both).
    assert not unverified.get("failed"), unverified
    assert any("validate_certs is false" in w for w in unverified.get("warnings", [])), unverified
    assert missing.get("failed") and "missing.pem" in missing["msg"] and "existing CA bundle" in missing["msg"], missing
    assert_certificate_failure(system)
    assert "system's trust store" in system["msg"], system["msg"]
