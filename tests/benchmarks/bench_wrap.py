"""Run a command and write its wall time and resource usage as JSON: ``bench_wrap.py OUT -- ARGV...``.

Linux carries a process's peak RSS across fork and exec: a child started straight from the
benchmark would report at least the benchmark's own peak (it holds 10,000-host inventories to
compare them). Started from this small process instead, the measured command's peak is its own.
"""

import json
import os
import subprocess
import sys
import time


def main():
    out, argv = sys.argv[1], sys.argv[3:]
    started = time.perf_counter()
    proc = subprocess.Popen(argv)  # pylint: disable=consider-using-with
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kb": usage.ru_maxrss,
                   "rc": os.waitstatus_to_exitcode(status)}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
