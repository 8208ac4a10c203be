"""The EDA event source against the test server: each event once, state across restarts, cost per poll,
outages and refused logins. Polls are driven by the test (direct calls, or counted on the server)."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime

import pytest

from oco_test_server import OcoTestServer
from server_api import Api
from eda_helpers import connection, load_source, long_ago, next_events, polls_done, stamp

SOURCE = load_source()
NOW = datetime(2026, 6, 1, 12, 0, 0)
FRESH = "2026-06-01 11:59:00"
OLD = "2026-05-01 08:00:00"
EVERY_TYPE = {"computer_registered", "computer_removed", "agent_silent", "agent_back", "job_succeeded", "job_failed",
              "job_container_finished"}


def tracker_for(server, **args):
    return SOURCE["build_tracker"](SOURCE["parse_options"](connection(server, **args), environ={}))


def poll(tracker, now=NOW):
    events, state = tracker.poll(now)
    tracker.commit(state)
    return events


def deploy(api, name, computer_ids, package_id):
    return int(api.ok("oco.job_container.deploy", {"name": name, "computer_ids": computer_ids,
                                                   "package_ids": [package_id], "date_start": "2020-01-01 00:00:00"})["id"])


async def main_events(server, args, changes, expected, polls_before=1, polls_after=0):
    """Run the source's ``main`` until it has queued ``expected`` events after ``changes()``, then stop it.

    ``changes()`` runs once ``polls_before`` polls are done; with ``polls_after``, no further event
    may come in that many more polls.
    """
    queue = asyncio.Queue()
    task = asyncio.create_task(SOURCE["main"](queue, dict(args)))
    try:
        await polls_done(server, polls_before)
        changes()
        events = await next_events(queue, expected)
        if polls_after:
            await polls_done(server, polls_after)
            assert queue.empty(), queue.get_nowait()
        return events
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


def by_type(events):
    found = {}
    for event in events:
        found.setdefault(event["type"], []).append(event)
    return found


@pytest.fixture
def fleet(oco_server):
    admin = oco_server.admin
    ids = [admin.create_computer("pc%d" % n, os="Ubuntu", last_ping=FRESH) for n in range(1, 5)]
    package = admin.create_package("Tool", "1.0")
    return ids, package


def test_every_event_type_fires_once_and_only_once(oco_server, fleet):
    api, admin = Api(oco_server), oco_server.admin
    ids, package = fleet
    tracker = tracker_for(oco_server)
    assert poll(tracker) == []          # the first poll learns what exists

    new_pc = admin.create_computer("pc-new", os="Debian GNU/Linux", os_version="12")
    api.ok("oco.computer.remove", {"id": ids[3], "force": True})
    admin.set_inventory(ids[0], last_ping=OLD)
    container = deploy(api, "rollout", ids[1:3], package)
    admin.agents_run(fail_hostnames=["pc3"], return_code=None)
    events = by_type(poll(tracker))

    assert set(events) == EVERY_TYPE - {"agent_back"}
    assert all(len(found) == 1 for found in events.values()), events
    registered = events["computer_registered"][0]
    assert (registered["computer_id"], registered["hostname"], registered["os"]) == (new_pc, "pc-new", "Debian GNU/Linux")
    assert registered["computer"]["id"] == new_pc and "agent_key" not in registered["computer"]
    assert events["computer_removed"][0] == {"type": "computer_removed", "computer_id": ids[3], "hostname": "pc4",
                                             "os": "Ubuntu", "os_version": ""}
    silent = events["agent_silent"][0]
    assert (silent["computer_id"], silent["last_ping"], silent["silent_seconds"]) == (ids[0], OLD, 31 * 86400 + 4 * 3600)
    succeeded, failed = events["job_succeeded"][0], events["job_failed"][0]
    assert (succeeded["hostname"], succeeded["state"], succeeded["return_code"]) == ("pc2", 3, 0)
    assert (failed["hostname"], failed["state"], failed["state_name"], failed["return_code"], failed["message"]) == \
        ("pc3", -1, "failed", 1, "simulated agent: failure")
    assert (failed["job_container_id"], failed["job_container_name"], failed["package_family_name"]) == \
        (container, "rollout", "Tool")
    finished = events["job_container_finished"][0]
    assert (finished["job_container_id"], finished["status"]) == (container, "failed")
    assert finished["counts"]["total"] == 2 and finished["counts"]["succeeded"] == 1 and finished["counts"]["failed"] == 1

    admin.set_inventory(ids[0], last_ping=FRESH)
    back = poll(tracker)
    assert [(e["type"], e["computer_id"]) for e in back] == [("agent_back", ids[0])]
    assert poll(tracker) == [] and poll(tracker) == []


def test_jobs_report_as_they_end_and_the_finished_container_is_not_read_again(oco_server, fleet):
    api, admin = Api(oco_server), oco_server.admin
    ids, package = fleet
    tracker = tracker_for(oco_server, events=["job_succeeded", "job_container_finished"])
    poll(tracker)
    container = deploy(api, "slow", ids[:2], package)
    assert poll(tracker) == []
    admin.agents_run(computer_ids=[ids[0]])
    assert [(e["type"], e["computer_id"]) for e in poll(tracker)] == [("job_succeeded", ids[0])]
    admin.agents_run(computer_ids=[ids[1]])
    events = poll(tracker)
    assert [(e["type"], e.get("computer_id")) for e in events] == [
        ("job_succeeded", ids[1]), ("job_container_finished", None)]
    assert events[1]["job_container_id"] == container and events[1]["status"] == "succeeded"
    admin.reset_counters()
    assert poll(tracker) == []
    assert "oco.job_container.job.list" not in admin.counters()["calls"]


def test_filters_by_computer_group_and_container_name(oco_server, fleet):
    api, admin = Api(oco_server), oco_server.admin
    ids, package = fleet
    office = admin.create_computer_group("Office")
    lab = admin.create_computer_group("Lab", parent_id=office)
    admin.add_computer_to_group(ids[1], lab)
    tracker = tracker_for(oco_server, computer_groups=["Office"], job_containers=["rollout-*"])
    poll(tracker)
    in_lab = admin.create_computer("pc-lab")
    admin.add_computer_to_group(in_lab, lab)
    admin.create_computer("pc-elsewhere")
    deploy(api, "rollout-1", ids[:2], package)
    deploy(api, "other", ids[:2], package)
    admin.agents_run()
    events = poll(tracker)
    assert sorted((e["type"], e.get("hostname")) for e in events) == [
        ("computer_registered", "pc-lab"), ("job_container_finished", None), ("job_succeeded", "pc2")]


def test_existing_objects_are_reported_on_the_first_poll_only_when_asked(oco_server, fleet):
    api, admin = Api(oco_server), oco_server.admin
    ids, package = fleet
    deploy(api, "done", ids[:1], package)
    admin.agents_run()
    admin.set_inventory(ids[3], last_ping=OLD)
    assert poll(tracker_for(oco_server)) == []
    events = by_type(poll(tracker_for(oco_server, emit_existing=True)))
    assert sorted(e["hostname"] for e in events["computer_registered"]) == ["pc1", "pc2", "pc3", "pc4"]
    assert [e["hostname"] for e in events["agent_silent"]] == ["pc4"]
    assert len(events["job_succeeded"]) == 1 and len(events["job_container_finished"]) == 1


def test_no_secret_in_any_event(oco_server, fleet):
    admin = oco_server.admin
    admin.sql("UPDATE computer SET agent_key = 'agent-secret-1', server_key = 'server-secret-1'")
    tracker = tracker_for(oco_server, emit_existing=True)
    text = json.dumps(poll(tracker))
    assert "pc1" in text
    for secret in ("agent-secret-1", "server-secret-1", "oco-admin-pw", "agent_key", "server_key"):
        assert secret not in text


def test_requests_per_poll_do_not_grow_with_the_fleet():
    """Idle, and with one running container on every computer: 10 and 1,000 computers cost the same."""
    figures = {}
    for size in (10, 1000):
        with OcoTestServer(db=":memory:") as server:
            admin, api = server.admin, Api(server)
            package = admin.create_package("Tool", "1.0")
            ids = [admin.create_computer("host-%04d" % n) for n in range(size)]
            tracker = tracker_for(server)
            poll(tracker)
            admin.reset_counters()
            assert poll(tracker) == []
            idle = admin.counters()
            deploy(api, "all", ids, package)
            poll(tracker)
            admin.agents_run(computer_ids=ids[:1])
            admin.reset_counters()
            assert len(poll(tracker)) == 1
            busy = admin.counters()
            figures[size] = (idle["http_requests"], idle["reads"], busy["http_requests"], busy["reads"])
        print("oco_events poll at %d computers: idle %d HTTP requests (%d API calls), with a running container "
              "%d HTTP requests (%d API calls)" % ((size,) + figures[size]))
    assert figures[10] == figures[1000] == (1, 2, 2, 3)


def test_main_restarted_with_state_file_neither_repeats_nor_loses(oco_server, fleet, tmp_path):
    api, admin = Api(oco_server), oco_server.admin
    ids, package = fleet
    state_file = tmp_path / "oco_events.json"
    for computer_id in ids:
        admin.set_inventory(computer_id, last_ping=stamp(datetime.now()))
    args = connection(oco_server, interval=0.01, state_file=str(state_file))

    def run(changes, expected):
        return asyncio.run(main_events(oco_server, args, changes, expected, polls_before=2, polls_after=3))

    first = run(lambda: admin.create_computer("pc-a"), 1)
    assert [(e["type"], e["hostname"]) for e in first] == [("computer_registered", "pc-a")]
    assert json.loads(state_file.read_text())["computers"]

    # While the source is stopped: a computer registers, one goes away, a job fails, an agent goes silent.
    admin.create_computer("pc-b")
    api.ok("oco.computer.remove", {"id": ids[3], "force": True})
    admin.set_inventory(ids[0], last_ping=long_ago())
    deploy(api, "while-down", ids[1:2], package)
    admin.agents_run(outcome="fail")

    second = run(lambda: None, 5)
    assert sorted((e["type"], e.get("hostname")) for e in second) == [
        ("agent_silent", "pc1"), ("computer_registered", "pc-b"), ("computer_removed", "pc4"),
        ("job_container_finished", None), ("job_failed", "pc2")]

    admin.set_inventory(ids[0], last_ping=stamp(datetime.now()))
    third = run(lambda: None, 1)
    assert [(e["type"], e["hostname"]) for e in third] == [("agent_back", "pc1")]


def test_main_survives_an_outage_and_catches_up(oco_server, fleet, caplog):
    admin = oco_server.admin
    args = connection(oco_server, interval=0.01, retries=0)
    caplog.set_level(logging.INFO, logger="oco.oco.oco_events")

    def outage():
        admin.inject_fault("http503", count=3)
        admin.inject_fault("drop", count=1)
        admin.create_computer("pc-during-outage")

    [event] = asyncio.run(main_events(oco_server, args, outage, 1))
    assert (event["type"], event["hostname"]) == ("computer_registered", "pc-during-outage")
    assert admin.faults() == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and "failed" in r.getMessage()]
    assert len(warnings) == 4
    assert "poll 1 in a row failed" in warnings[0] and "HTTP 503" in warnings[0]
    assert "poll 4 in a row failed" in warnings[3]
    assert any("answers again after 4 failed polls" in r.getMessage() for r in caplog.records)
    assert "oco-admin-pw" not in caplog.text


@pytest.mark.parametrize("args, kind, text", [
    ({"password": "wrong-pw-123"}, "OcoAuthError", "login as 'admin' refused (HTTP 401)"),
    ({"api_key": "wrong-key-456"}, "OcoPermissionError", "permission denied"),
])
def test_main_stops_on_refused_credentials(oco_server, args, kind, text, caplog):
    oco_server.admin.set_setting("api_key", "right-key")
    queue = asyncio.Queue()
    with pytest.raises(Exception) as caught:
        asyncio.run(SOURCE["main"](queue, connection(oco_server, interval=0.01, **args)))
    assert type(caught.value).__name__ == kind
    assert text in str(caught.value)
    assert queue.empty()
    assert "oco.oco.oco_events stopped" in caplog.text and text in caplog.text
    for secret in list(args.values()) + ["right-key"]:
        assert secret not in caplog.text and secret not in str(caught.value)


def test_main_stops_on_a_computer_group_that_does_not_exist(oco_server):
    oco_server.admin.create_computer_group("Berlin")
    with pytest.raises(Exception, match=r"no computer group matches 'Berln' \(closest: Berlin\)"):
        asyncio.run(SOURCE["main"](asyncio.Queue(), connection(oco_server, computer_groups=["Berln"])))


def test_main_waits_out_a_slow_server(oco_server, caplog):
    admin = oco_server.admin
    args = connection(oco_server, interval=0.01, retries=0, timeout=1)

    def slow_answer():
        admin.inject_fault("latency", count=1, seconds=4)
        admin.create_computer("pc-while-slow")

    [event] = asyncio.run(main_events(oco_server, args, slow_answer, 1))
    assert (event["type"], event["hostname"]) == ("computer_registered", "pc-while-slow")
    assert "no answer within 1 seconds" in caplog.text
