"""OcoClient.call_with_files: the streamed request body for uploads."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.oco.oco.plugins.module_utils import client as client_module
from ansible_collections.oco.oco.plugins.module_utils import errors
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient

from canned_http import CannedServer, ok


@pytest.fixture
def canned():
    with CannedServer() as server:
        yield server


@pytest.fixture
def small_chunks(monkeypatch):
    # Several chunks per file, and lengths that are not multiples of 3 at the ends.
    monkeypatch.setattr(client_module, "UPLOAD_CHUNK", 3 * 5)


def files_in(tmp_path, contents):
    result = []
    for index, content in enumerate(contents):
        path = tmp_path / ("f%d" % index)
        path.write_bytes(content)
        result.append(("dir/name-%d \"quoted\".bin" % index, str(path)))
    return result


@pytest.mark.parametrize("sizes", [[1], [2], [3], [14, 15, 16], [100, 0]])
def test_body_is_the_json_envelope_with_base64_files(canned, tmp_path, small_chunks, sizes):
    contents = [bytes(range(256)) * (size // 256) + bytes(range(size % 256)) for size in sizes]
    canned.queue(payload=ok({"version": "1.2.2"}))
    canned.queue(payload=ok({"id": "7"}))
    client = OcoClient(canned.url, "admin", "pw", api_key="key")
    uploads = files_in(tmp_path, contents)
    assert client.call_with_files("oco.package.create", {"version": "1"}, uploads) == {"id": 7}
    request = canned.requests[1]
    assert request["headers"]["Content-Type"] == "application/json"
    assert int(request["headers"]["Content-Length"]) == len(request["body"])
    body = json.loads(request["body"])
    assert body["method"] == "oco.package.create" and body["params"]["api_key"] == "key"
    data = body["params"]["data"]
    assert data["version"] == "1"
    assert [f["name"] for f in data["files"]] == [name for name, _path in uploads]
    assert [base64.b64decode(f["content"]) for f in data["files"]] == contents


def test_legacy_servers_get_the_files_once_in_params_data(canned, tmp_path):
    # Unknown method with HTTP 400: a release from 0.13.0 on, which may read `files` (0.15.5) or `file`.
    canned.queue(status=400, reason="Invalid Request",
                 payload=lambda request: {"id": request["id"], "error": "Unknown Method", "result": {"success": False}})
    canned.queue(payload=lambda request: {"id": request["id"], "error": None, "result": {"success": True, "data": {"id": "2"}}})
    client = OcoClient(canned.url, "admin", "pw")
    assert client.call_with_files("oco.package.create", {"version": "1"}, files_in(tmp_path, [b"abc"])) == {"id": 2}
    assert client.dialect == "legacy"
    params = json.loads(canned.requests[1]["body"])["params"]
    assert params["version"] == "1" and "files" not in params and "file" not in params
    assert base64.b64decode(params["data"]["files"][0]["content"]) == b"abc"
    assert base64.b64decode(params["data"]["file"]) == b"abc" and params["data"]["file_name"] == "dir/name-0 \"quoted\".bin"


def test_servers_before_0_13_get_one_file_with_its_name(canned, tmp_path):
    # Unknown method with HTTP 200: a release before 0.13.0, which reads `file` and `file_name` only.
    canned.queue(payload=lambda request: {"id": request["id"], "error": "Unknown Method", "result": {"success": False}})
    canned.queue(payload=lambda request: {"id": request["id"], "error": None, "result": {"success": True, "data": {"id": "2"}}})
    client = OcoClient(canned.url, "admin", "pw")
    assert client.call_with_files("oco.package.create", {"version": "1", "package_family_name": "F"},
                                  files_in(tmp_path, [b"abc"])) == {"id": 2}
    data = json.loads(canned.requests[1]["body"])["params"]["data"]
    assert "files" not in data and base64.b64decode(data["file"]) == b"abc" and data["file_name"] == "dir/name-0 \"quoted\".bin"
    assert data["name"] == "F" and "package_family_name" not in data


def test_upload_is_refused_in_check_mode(canned, tmp_path):
    client = OcoClient(canned.url, "admin", "pw", check_mode=True)
    with pytest.raises(errors.OcoCheckModeError):
        client.call_with_files("oco.package.create", {}, files_in(tmp_path, [b"abc"]))
    assert canned.requests == []


def test_lost_answer_is_ambiguous_and_not_resent(canned, tmp_path):
    canned.queue(payload=ok({"version": "1.2.2"}))
    canned.queue(status=None)
    client = OcoClient(canned.url, "admin", "pw", retry_backoff=0.01)
    with pytest.raises(errors.OcoAmbiguousWriteError):
        client.call_with_files("oco.package.create", {}, files_in(tmp_path, [b"abc"]))
    assert len(canned.requests) == 2


def test_server_errors_are_mapped(canned, tmp_path):
    canned.queue(payload=ok({"version": "1.2.2"}))
    canned.queue(payload=lambda request: {"jsonrpc": "2.0", "id": request["id"],
                                          "error": {"code": -32001, "message": "Payload corrupt", "data": None}})
    client = OcoClient(canned.url, "admin", "pw")
    with pytest.raises(errors.OcoInvalidRequestError, match="Payload corrupt"):
        client.call_with_files("oco.package.create", {}, files_in(tmp_path, [b"abc"]))
