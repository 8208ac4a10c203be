"""Run one child process and measure exactly that process: wall time, CPU time, peak RSS.

``os.wait4`` returns the resource usage of the one child it reaps (unlike RUSAGE_CHILDREN, which
keeps the largest peak of every child reaped so far), so each run gets its own figures. It is
called in bench_wrap.py, a small process between the benchmark and the measured command.
"""

from __future__ import annotations

import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

WRAPPER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bench_wrap.py")


@dataclasses.dataclass
class Run:
    wall: float
    cpu: float
    peak_rss_mib: float
    rc: int
    stderr: str
    server_cpu: float | None = None
    requests: int | None = None
    calls: int | None = None


def run_child(argv, env, stdout_path=None, cwd=None, server=None):
    """Run ``argv``; stdout to ``stdout_path`` (or discarded). With ``server`` its counters are read too.

    The command runs below bench_wrap.py, which measures it (see there why not from here).
    """
    if server is not None:
        server.reset_counters()
        server_cpu_before = server.cpu_seconds()
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # pylint: disable=consider-using-with
    # Files, not pipes: nobody reads while the child runs, and a full pipe would block it.
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile(suffix=".json") as figures:
        try:
            subprocess.run([sys.executable, "-S", WRAPPER, figures.name, "--"] + list(argv), env=env, cwd=cwd, stdout=out,
                           stderr=err, check=False)
        finally:
            if stdout_path:
                out.close()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        try:
            measured = json.loads(Path(figures.name).read_text(encoding="utf-8"))
        except ValueError:
            raise RuntimeError("the measuring wrapper failed: %s" % stderr[-2000:]) from None
    run = Run(wall=measured["wall"], cpu=measured["cpu"], peak_rss_mib=measured["maxrss_kb"] / 1024.0, rc=measured["rc"],
              stderr=stderr)
    if server is not None:
        after = server.cpu_seconds()
        if after is not None and server_cpu_before is not None:
            run.server_cpu = after - server_cpu_before
        counters = server.counters()
        run.requests = counters["http_requests"]
        run.calls = sum(counters["calls"].values())
    return run


def summarize(runs):
    """Median of each figure over the runs (requests/calls are the same every run; the first is kept)."""
    def median(name):
        values = [getattr(r, name) for r in runs if getattr(r, name) is not None]
        return statistics.median(values) if values else None
    return {
        "runs": len(runs), "wall": median("wall"), "cpu": median("cpu"), "peak_rss_mib": median("peak_rss_mib"),
        "server_cpu": median("server_cpu"), "requests": runs[0].requests, "calls": runs[0].calls,
        "walls": [r.wall for r in runs],
    }
