# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading job containers and their jobs: by name, by id, and the jobs of many containers at once."""

from __future__ import annotations

import time

from ansible_collections.oco.oco.plugins.module_utils.entities import closest, same_name
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, OcoLookupError, OcoNotFoundError
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int


def list_containers(client):
    return as_list(client.call("oco.job_container.list"))


def containers_named(containers, name):
    """Containers whose name matches (OCO compares names case-insensitively); the server allows several."""
    return [c for c in as_list(containers) if same_name(c.get("name"), name)]


def container_by_id(containers, container_id):
    for container in as_list(containers):
        if to_int(container.get("id")) == container_id:
            return container
    return None


def no_container_named(name, containers):
    near = closest(name, [c.get("name") for c in as_list(containers)])
    hint = " (closest: %s)" % ", ".join(near) if near else ""
    return OcoLookupError("no job container is named %r%s" % (name, hint))


def job_lists(client, container_ids):
    """Jobs of many containers in one batch: ``{id: jobs}``; a container gone meanwhile is left out."""
    found = client.read_each("oco.job_container.job.list", container_ids)
    return {cid: as_list(jobs) for cid, jobs in found.items()}


def read_jobs(client, container_id):
    """One request: the container's jobs, or None when the container no longer exists."""
    try:
        return as_list(client.call("oco.job_container.job.list", {"id": container_id}))
    except OcoNotFoundError:
        return None


def without_jobs(label):
    """The error for a container without jobs: the server derives "succeeded" for it, as if all were installed."""
    return OcoError("job container %s has no jobs, so nothing was or will be installed: a deploy the server carried "
                    "out only half (for example a value beyond one of its columns) leaves such a container; remove it "
                    "(state: absent) and deploy again" % label)


def oldest(containers):
    """The container created first (lowest id) of several sharing a name, or None."""
    return min(as_list(containers), key=lambda c: to_int(c.get("id")), default=None)


def await_new(client, name, known_ids, patience, sleep=time.sleep, clock=time.monotonic):
    """The containers of that name not among ``known_ids``, oldest first, read again until one shows or ``patience`` passed.

    A deploy whose answer did not come in time may still be running on the server: its container
    can appear seconds later. Reads 1, 2, 4, 8, 8... seconds apart; with ``patience`` 0 reads once.
    """
    deadline, pause = clock() + patience, 1.0
    while True:
        found = [c for c in containers_named(list_containers(client), name) if to_int(c.get("id")) not in known_ids]
        remaining = deadline - clock()
        if found or remaining <= 0:
            return sorted(found, key=lambda c: to_int(c.get("id")))
        sleep(min(pause, remaining))
        pause = min(pause * 2, 8.0)


def created_together(name, new, kept):
    """The warning when several containers of that name appeared with ours and none can be told to be ours."""
    return ("%d job containers named %r were created at the same time (ids %s); this task cannot tell its own, keeps "
            "id %s and removes none" % (len(new), name, ", ".join(str(c["id"]) for c in new), kept["id"]))


def duplicate_removed(kept_label, ours_id):
    return ("another run created job container %s first; this task removed the duplicate it had just created "
            "(id %s) and returns that one" % (kept_label, ours_id))


def named_settled(client, name, known_ids, patience=3.0, sleep=time.sleep, clock=time.monotonic):
    """The containers of that name; when there are several, read again 1, 2... seconds apart for up to ``patience``.

    A run deploying this name at the same moment removes its duplicate right after creating it, so
    a second container of the name is often gone a moment later. ``known_ids`` gains every id seen.
    """
    deadline, pause = clock() + patience, 1.0
    while True:
        containers = list_containers(client)
        known_ids.update(to_int(c.get("id")) for c in containers)
        named = containers_named(containers, name)
        remaining = deadline - clock()
        if len(named) <= 1 or remaining <= 0:
            return named
        sleep(min(pause, remaining))
        pause *= 2
