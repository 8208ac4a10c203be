"""Name resolution at fleet scale: N host names looked up among N computers, printed as a table.

    python tests/benchmarks/bench_references.py                 # 2,000 and 10,000
    python tests/benchmarks/bench_references.py --sizes 500 --runs 1

The resolver reads the computer list once and builds one index of it (server comparison key ->
computers), so each name costs one dictionary access. The "scan" row looks every name up by going
through the whole list, as a resolver without an index would: the comparison shows what the index
saves. No server is involved: the list is in memory, the figures are the resolver's own work.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# pylint: disable=wrong-import-position
import oco_helpers  # noqa: E402
from ansible.plugins.loader import init_plugin_loader  # noqa: E402

# The collection is importable as ansible_collections.oco.oco once the loader knows its root (pytest's
# conftest has done that already when the smoke test imports this file).
if not any(type(finder).__name__ == "_AnsibleCollectionFinder" for finder in sys.meta_path):
    init_plugin_loader([str(oco_helpers.collections_root())])

from ansible_collections.oco.oco.plugins.module_utils.entities import Resolver  # noqa: E402
from ansible_collections.oco.oco.plugins.module_utils.names import name_key  # noqa: E402


class ListClient:
    """Answers oco.computer.list from memory and counts the calls."""

    dialect = "jsonrpc"

    def __init__(self, computers):
        self.computers = computers
        self.calls = 0

    def call(self, method, data=None):
        assert method == "oco.computer.list", method
        self.calls += 1
        return {"computers": self.computers, "groups": []}


def fleet(size):
    return [{"id": n, "hostname": "pc-%05d.Example.Straße" % n} for n in range(1, size + 1)]


def indexed(computers, names):
    client = ListClient(computers)
    resolver = Resolver(client)
    found = [resolver.computer(name)["id"] for name in names]
    return found, client.calls


def scanned(computers, names):
    keys = [(name_key(c["hostname"], trim=True), c["id"]) for c in computers]
    found = []
    for name in names:
        key = name_key(name, trim=True)
        found.append(next(cid for other, cid in keys if other == key))
    return found, 1


def measure(function, computers, names, runs):
    best = None
    for _run in range(runs):
        started = time.perf_counter()
        found, calls = function(computers, names)
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    assert found == [c["id"] for c in computers][:len(names)], "wrong objects resolved"
    return best, calls


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs")
    parser.add_argument("--scan-limit", type=int, default=10000,
                        help="largest size to also time without the index (it grows with the square of the size)")
    args = parser.parse_args(argv)
    print("| names x computers | resolver | seconds (best of %d) | list reads | per name (us) |" % args.runs)
    print("|---|---|---|---|---|")
    rows = []
    for size in args.sizes:
        computers = fleet(size)
        # Names as a user writes them: other case, ß written as s, trailing spaces.
        names = [c["hostname"].upper().replace("STRASSE", "STRASE") + " " for c in computers]
        cases = [("index", indexed)] + ([("scan", scanned)] if size <= args.scan_limit else [])
        for label, function in cases:
            seconds, calls = measure(function, computers, names, args.runs)
            rows.append({"size": size, "resolver": label, "seconds": seconds, "list_reads": calls})
            print("| %d x %d | %s | %.3f | %d | %.1f |" % (size, size, label, seconds, calls, seconds / size * 1e6))
    return rows


if __name__ == "__main__":
    main()
