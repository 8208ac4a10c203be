"""Set-up shared by the tests of the roles."""

from __future__ import annotations

import pytest


@pytest.fixture(name="computer_group")
def computer_group_fixture(oco_server):
    """``computer_group(group, hosts, members=None)``: the computers, created in the order given, and a group.

    ``members`` are the hosts the group holds (all of them when None). Returns the ids by host name;
    resetting the test server's counters is left to the caller, which may add more.
    """
    admin = oco_server.admin

    def create(group, hosts, members=None):
        ids = {host: admin.create_computer(host) for host in hosts}
        group_id = admin.create_computer_group(group)
        for host in hosts if members is None else members:
            admin.add_computer_to_group(ids[host], group_id)
        return ids

    return create
