"""Peak memory of oco.oco.oco_package while it uploads a large payload to the bundled test server.

Not a pytest test (no test_ prefix): run it by hand from the repository root, in the venv:

    python tests/benchmarks/bench_package_upload.py            # 200 MB payload
    python tests/benchmarks/bench_package_upload.py --size-mb 1024

The module runs the way Ansible runs it on the controller, as its own Python process reading its
arguments from a JSON file. Its peak resident memory (ru_maxrss of exactly that child, from
os.wait4) is measured once with a 1 KB payload (the baseline: Python, ansible and requests) and once
with the large payload; the difference is what the upload costs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = TESTS_DIR.parent
sys.path.insert(0, str(TESTS_DIR))

import oco_helpers  # noqa: E402  (needs tests/ on sys.path)
from oco_test_server import OcoTestServer  # noqa: E402

MODULE = REPO_ROOT / "plugins" / "modules" / "oco_package.py"
MB = 1024 * 1024


def write_payload(path, size):
    # Random bytes: they neither compress nor shrink in transit, like a real installer.
    with open(path, "wb") as handle:
        remaining = size
        while remaining:
            chunk = min(remaining, 4 * MB)
            handle.write(os.urandom(chunk))
            remaining -= chunk


def run_module(server, workdir, version, files, timeout):
    args = {"ANSIBLE_MODULE_ARGS": dict(
        oco_helpers.connection_options(server), timeout=timeout, family="Bench", version=version,
        install_procedure="setup.exe /S", files=[str(f) for f in files])}
    args_file = Path(workdir) / ("args-%s.json" % version)
    args_file.write_text(json.dumps(args), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(oco_helpers.collections_root()), TMPDIR=str(workdir))
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, str(MODULE), str(args_file)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    stdout, stderr = proc.communicate()
    # RUSAGE_CHILDREN keeps the largest peak of all reaped children: run the small one first.
    elapsed = time.monotonic() - started
    result = json.loads(stdout.decode("utf-8") or "{}") if stdout.strip().startswith(b"{") else {}
    if proc.returncode != 0 or result.get("failed"):
        raise SystemExit("module failed (rc %s): %s %s" % (proc.returncode, stdout.decode()[-2000:], stderr.decode()[-2000:]))
    return result, elapsed


def peak_children_kb():
    import resource  # pylint: disable=import-outside-toplevel
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--size-mb", type=int, default=200, help="payload size in MiB (default 200; 1024 for 1 GB)")
    parser.add_argument("--tmpdir", default=None, help="where the payload and the upload body are written")
    args = parser.parse_args()
    size = args.size_mb * MB

    with tempfile.TemporaryDirectory(prefix="oco-bench-", dir=args.tmpdir) as workdir:
        small = Path(workdir) / "small.bin"
        write_payload(small, 1024)
        big = Path(workdir) / "installer.exe"
        write_payload(big, size)
        server = OcoTestServer(db=":memory:")
        server.start()
        try:
            _result, small_time = run_module(server, workdir, "baseline", [small], 600)
            baseline_kb = peak_children_kb()
            result, big_time = run_module(server, workdir, "%dMB" % args.size_mb, [big], 600)
            peak_kb = peak_children_kb()
            package_id = result["package"]["id"]
            stored = server.admin.sql("SELECT size AS n FROM package_payload WHERE package_id = ?", [package_id])[0]["n"]
        finally:
            server.close()

    import resource  # pylint: disable=import-outside-toplevel
    server_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    growth_kb = peak_kb - baseline_kb
    print("payload:                 %8.1f MiB (stored ZIP %.1f MiB)" % (size / MB, stored / MB))
    print("module peak RSS, 1 KB:   %8.1f MiB (%.1f s)" % (baseline_kb / 1024, small_time))
    print("module peak RSS, upload: %8.1f MiB (%.1f s)" % (peak_kb / 1024, big_time))
    print("growth for the upload:   %8.1f MiB = %.2f%% of the payload" % (growth_kb / 1024, 100.0 * growth_kb * 1024 / size))
    print("benchmark process peak (test server in it): %.1f MiB" % (server_kb / 1024))
    return 0 if growth_kb * 1024 < size * 0.10 else 1


if __name__ == "__main__":
    sys.exit(main())
