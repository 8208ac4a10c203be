"""A server (or a proxy in front of it) that answers badly: the modules and the inventory fail
with a message naming what went wrong, never a traceback and never a secret.

tests/unit/plugins/module_utils/test_client_transport.py covers the client against the same
answers; here they go through the modules as a play registers them (run in-process: what
ansible-playbook would print is made of those results) and through ansible-inventory.
"""

from __future__ import annotations

import json

import pytest

import oco_helpers
from canned_http import CannedServer

PASSWORD = "Pässwörd-🧪-misbehaving"
HTML = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


def jsonrpc_batch_with_wrong_ids(request):
    if isinstance(request, list):
        return [{"jsonrpc": "2.0", "id": 4711 + n, "result": {"success": True, "data": {"general": {"id": 1}}}}
                for n, _item in enumerate(request)]
    if request.get("method") == "oco.computer.list":
        data = {"computers": [{"id": 1, "hostname": "pc1"}, {"id": 2, "hostname": "pc2"}], "groups": []}
    else:
        data = {"version": "1.2.2"}
    return {"jsonrpc": "2.0", "id": request["id"], "result": {"success": True, "data": data}}


CASES = [
    ("html page with 200", dict(status=200, payload=HTML, headers={"Content-Type": "text/html"}), ["not JSON", "api-client.php"]),
    ("html page with 502", dict(status=502, reason="Bad Gateway", payload=HTML), ["HTTP 502"]),
    ("empty body", dict(status=200, payload=b""), ["empty answer"]),
    ("truncated json", dict(status=200, payload=b'{"jsonrpc": "2.0", "id": 1, "result": {"success": tr'), ["not JSON"]),
    ("json but no json-rpc", dict(status=200, payload=b'["hello"]'), ["not a JSON-RPC object"]),
    ("result and error missing", dict(status=200, payload=lambda r: {"jsonrpc": "2.0", "id": r["id"]}),
     ["neither result nor error"]),
    ("plain 500", dict(status=500, reason="Internal Server Error", payload=b""), ["HTTP 500"]),
    ("batch with wrong ids", dict(status=200, payload=jsonrpc_batch_with_wrong_ids), ["mixed up the batch"]),
    # "{}" is not an empty legacy answer: taken for one, modules reported changes they never made.
    ("empty object", dict(status=200, payload=b"{}"), ["without result or error"]),
    ("list where an object belongs", dict(status=200, payload=lambda r: answer(r, [{"id": 1, "hostname": "pc1"}])),
     ["data is a list where an object belongs"]),
    ("string for an id", dict(status=200, payload=lambda r: answer(r, {"computers": [{"id": "pc1"}], "groups": []})),
     ["data.computers[0] has a string ('pc1') as its id"]),
    ("rows that are not objects", dict(status=200, payload=lambda r: answer(r, {"computers": ["pc1"], "groups": []})),
     ["data.computers[0] is a string"]),
    ("redirect to another host", dict(status=302, reason="Found", headers={"Location": "https://elsewhere.example/x"},
                                      payload=b""), ["redirects", "https://elsewhere.example/x", "not followed"]),
]


def answer(request, data):
    """Every call of a batch or a single call answered with ``data``."""
    if isinstance(request, list):
        return [answer(item, data) for item in request]
    if request.get("method") == "oco.info":
        data = {"version": "1.2.2"}
    return {"jsonrpc": "2.0", "id": request["id"], "result": {"success": True, "data": data}}


@pytest.mark.parametrize("label, answer, words", CASES, ids=[c[0] for c in CASES])
def test_modules_and_inventory_fail_clearly(label, answer, words):
    with CannedServer() as canned:
        for _index in range(40):
            canned.queue(**answer)
        tasks = [{"oco.oco.oco_computer_info": {"details": True, "retries": 0}}]
        if label != "batch with wrong ids":  # only reads of details come in batches
            tasks.append({"oco.oco.oco_computer": {"hostname": "pc9", "retries": 0}})
        result = oco_helpers.run_tasks(tasks, canned, password=PASSWORD)
        output = result.shown()
        assert "Traceback" not in output and PASSWORD not in output
        for outcome in result.results:
            assert outcome.get("failed") is True, (label, outcome)
            assert not [w for w in words if w not in outcome["msg"]], (label, outcome["msg"])
            assert "OCO request" in outcome["msg"]
        with pytest.raises(oco_helpers.CommandFailed) as info:
            oco_helpers.run_inventory("plugin: oco.oco.oco\ndetails: true\nretries: 0\n", canned, password=PASSWORD)
        inventory_output = info.value.stdout + info.value.stderr
        assert not [w for w in words if w not in inventory_output], (label, inventory_output)
        assert "Traceback" not in inventory_output and PASSWORD not in inventory_output


def test_php_type_errors_through_oco_rpc_are_reported_as_server_failures(oco_server, run_tasks):
    """A non-list agent_ip_ranges and a broken mask crash the real server with HTTP 500."""
    admin = oco_server.admin
    pc = admin.create_computer("pc1")
    package = admin.create_package("Firefox", "121.0")
    admin.reset_counters()
    base = {"name": "raw", "computer_ids": [pc], "package_ids": [package]}
    rpc = "oco.oco.oco_rpc"
    result = run_tasks([
        {rpc: {"method": "oco.job_container.deploy", "data": dict(base, agent_ip_ranges="10.0.0.0/8")}},
        {rpc: {"method": "oco.job_container.deploy", "data": dict(base, agent_ip_ranges=["10.0.0.0/x"])}},
        {rpc: {"method": "oco.job_container.deploy", "data": dict(base, time_frames="8:00-17:00")}},
    ])
    assert "Traceback" not in result.shown()
    for outcome in result.results:
        assert outcome.get("failed") is True, outcome
        assert "HTTP 500" in outcome["msg"] and "oco.job_container.deploy" in outcome["msg"], outcome["msg"]
        assert "type error" in outcome["msg"]
    # An HTTP 500 on a write is a definite failure, not a lost answer: sent once each.
    assert admin.counters()["http_requests"] >= 3
    assert admin.sql("SELECT COUNT(*) AS n FROM job_container")[0]["n"] == 0
    json.dumps(result.results)
