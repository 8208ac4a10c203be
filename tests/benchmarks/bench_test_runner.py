"""CPU cost of one test play: through ansible-playbook and in-process (tests/oco_inprocess.py).

    PATH=$PWD/.venv/bin:$PATH .venv/bin/python tests/benchmarks/bench_test_runner.py [--plays 5] [--tasks 1 4]

Runs the same play of oco.oco module tasks against the bundled test server both ways and prints
the CPU seconds (user + system, this process and its children) per play and per task. CPU, not
wall time: the figure stays meaningful on a machine shared with other work.
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import oco_helpers  # noqa: E402  pylint: disable=wrong-import-position
from ansible.plugins.loader import init_plugin_loader  # noqa: E402  pylint: disable=wrong-import-position


def cpu_seconds():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def play(size):
    """A create, a repeat, a read and a failure, cycled up to ``size`` tasks."""
    cycle = [{"oco.oco.oco_computer": {"hostname": "pc-bench", "notes": "n"}},
             {"oco.oco.oco_computer": {"hostname": "pc-bench", "notes": "n"}},
             {"oco.oco.oco_computer_info": {"hostname": "pc-bench"}},
             {"oco.oco.oco_computer_info": {"hostname": "pc-missing"}}]
    return [cycle[i % len(cycle)] for i in range(size)]


def cost_per_call(call, times):
    """``(CPU seconds, wall seconds)`` of one ``call()``, averaged over ``times`` calls (subprocesses included)."""
    start_cpu, start_wall = cpu_seconds(), time.monotonic()
    for _time in range(times):
        call()
    return (cpu_seconds() - start_cpu) / times, (time.monotonic() - start_wall) / times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plays", type=int, default=5, help="plays per measurement (default 5)")
    parser.add_argument("--tasks", type=int, nargs="+", default=[1, 4], help="tasks per play (default 1 4)")
    args = parser.parse_args(argv)
    init_plugin_loader([str(oco_helpers.collections_root())])
    from oco_test_server import OcoTestServer  # pylint: disable=import-outside-toplevel

    server = OcoTestServer(db=":memory:")
    server.start()
    try:
        print("%-6s %-11s %12s %12s %12s" % ("tasks", "path", "CPU s/play", "CPU s/task", "wall s/play"))
        for size in args.tasks:
            for via in ("playbook", "in-process"):
                cpu, wall = cost_per_call(functools.partial(oco_helpers.run_tasks, play(size), server, via=via), args.plays)
                print("%-6d %-11s %12.3f %12.3f %12.3f" % (size, via, cpu, cpu / size, wall))
    finally:
        server.close()


if __name__ == "__main__":
    main()
