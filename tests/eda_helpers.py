"""Load the event source the way ansible-rulebook does (runpy on its path) and drive it from tests."""

from __future__ import annotations

import asyncio
import runpy
from datetime import datetime, timedelta

import oco_helpers

SOURCE = oco_helpers.REPO_ROOT / "extensions" / "eda" / "plugins" / "event_source" / "oco_events.py"
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def load_source():
    """The source's globals: ``main``, ``parse_options``, ``build_tracker``, ..."""
    return runpy.run_path(str(SOURCE))


def connection(server, **extra):
    return dict({"url": server.url, "username": "admin", "password": "oco-admin-pw"}, **extra)


def stamp(moment):
    return moment.strftime(TIME_FORMAT)


def long_ago(days=2):
    return stamp(datetime.now() - timedelta(days=days))


async def polls_done(server, count, timeout=60.0):
    """Wait until the source has sent ``count`` more job container lists (one per poll) than now."""
    start = server.admin.counters()["calls"].get("oco.job_container.list", 0)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while server.admin.counters()["calls"].get("oco.job_container.list", 0) < start + count:
        if loop.time() > deadline:
            raise AssertionError("the source made fewer than %d polls in %s s" % (count, timeout))
        await asyncio.sleep(0.01)


async def next_events(queue, count, timeout=60.0):
    return [await asyncio.wait_for(queue.get(), timeout) for _index in range(count)]
