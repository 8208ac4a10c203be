"""Fetch the inventory data of an OCO server the way the plugin does, or one request per object.

Run as its own process by run.py (connection from OCO_URL, OCO_USERNAME, OCO_PASSWORD):

    python bench_fetch.py --mode per-request [--details]
    python bench_fetch.py --mode batched [--details]

``per-request`` is the pattern of inventory plugins that read a web API object by object: one
``oco.computer.list``, one request per computer group (its members and subgroups), and with
``--details`` one ``oco.computer.get`` per computer. ``batched`` sends the same calls the way
``oco.oco.oco`` does (JSON-RPC batches of 500, group ids guessed ahead). Both use the collection's
client, so transport, parsing and normalisation cost the same; only the request pattern differs.
Prints a JSON summary of what was read, so the caller can check that both read the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

# pylint: disable=import-error
from ansible_collections.oco.oco.plugins.inventory.oco import InventoryModule
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient
from ansible_collections.oco.oco.plugins.module_utils.entities import GroupTree
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int


def fetch(mode, details, batch_size=500):
    size = 1 if mode == "per-request" else batch_size
    client = OcoClient(os.environ["OCO_URL"], os.environ["OCO_USERNAME"], os.environ["OCO_PASSWORD"],
                       batch_size=size, warn=lambda message: None)
    listing = client.call("oco.computer.list") or {}
    computers = as_list(listing.get("computers"))
    roots = as_list(listing.get("groups"))
    guess = 0 if mode == "per-request" else InventoryModule._guess(roots, size)  # pylint: disable=protected-access
    tree = GroupTree(client, "computer").load(roots, guess=guess)
    memberships = sum(len(members) for members in tree.members.values())
    sections = 0
    if details:
        ids = [to_int(c.get("id")) for c in computers]
        results = client.batch([("oco.computer.get", {"id": cid}) for cid in ids], batch_size=size)
        for result in results:
            if result.error is not None:
                raise result.error
            sections += len(result.data or {})
    return {"computers": len(computers), "groups": len(tree.groups), "memberships": memberships, "sections": sections}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--mode", choices=("per-request", "batched"), required=True)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    print(json.dumps(fetch(args.mode, args.details)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
