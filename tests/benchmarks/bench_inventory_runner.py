"""CPU cost of one test inventory run: through ansible-inventory and in-process (tests/oco_inprocess_inventory.py).

    PATH=$PWD/.venv/bin:$PATH .venv/bin/python tests/benchmarks/bench_inventory_runner.py [--runs 5] [--computers 20 1000]

Runs ``ansible-inventory --list`` of the same source against the bundled test server both ways and
prints the CPU seconds (user + system, this process and its children) per run. CPU, not wall time:
the figure stays meaningful on a machine shared with other work. The test server answers in this
process, so its share is counted on both paths.
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import oco_helpers  # noqa: E402  pylint: disable=wrong-import-position
from ansible.plugins.loader import init_plugin_loader  # noqa: E402  pylint: disable=wrong-import-position
from bench_test_runner import cost_per_call  # noqa: E402  pylint: disable=wrong-import-position

SOURCE = "plugin: oco.oco.oco\nkeyed_groups:\n  - key: oco_os\n    prefix: os\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="inventory runs per measurement (default 5)")
    parser.add_argument("--computers", type=int, nargs="+", default=[20, 1000],
                        help="computers on the server, one measurement each (default 20 1000)")
    args = parser.parse_args(argv)
    init_plugin_loader([str(oco_helpers.collections_root())])
    from oco_test_server import OcoTestServer  # pylint: disable=import-outside-toplevel

    print("%-10s %-18s %12s %12s" % ("computers", "path", "CPU s/run", "wall s/run"))
    for computers in args.computers:
        server = OcoTestServer(db=":memory:")
        server.start()
        try:
            server.admin.generate_fleet(computers=computers, groups=max(1, computers // 10), depth=3, families=0,
                                        reports=False, seed=1)
            for via in ("ansible-inventory", "in-process"):
                cpu, wall = cost_per_call(functools.partial(oco_helpers.run_inventory, SOURCE, server, via=via), args.runs)
                print("%-10d %-18s %12.3f %12.3f" % (computers, via, cpu, wall))
        finally:
            server.close()


if __name__ == "__main__":
    main()
