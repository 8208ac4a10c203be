"""Benchmarks of oco.oco at fleet scale: one command, one table.

    bash scripts/bench.sh                       # 1,000 and 10,000 computers, modules, 200 MB upload
    bash scripts/bench.sh --sizes 200 --runs 1 --package-mb 0     # a quick look
    bash scripts/bench.sh --package-mb 1024     # the upload with 1 GB

For each fleet size a fresh test server is started as a separate process with a generated fleet
(N computers in a 3-level tree of 300 computer groups, seed 0). The inventory rows compare
``ansible-inventory --list`` through the plugin with the same inventory read from a static file;
the module rows run the modules against the largest fleet. See docs/guides/performance.rst.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# pylint: disable=wrong-import-position
from bench_inventory import inventory_benchmark, profile_plugin  # noqa: E402
from bench_modules import module_benchmark, package_benchmark  # noqa: E402
from bench_server import ServerProcess  # noqa: E402

TARGETS = {
    "list_ratio": 1.3, "list_requests": 3, "details_ratio": 2.0, "hit_requests": 0, "hit_ratio": 1.1,
    "requests_per_poll": 1, "upload_growth_percent": 10.0,
}


def machine():
    def memory_gib():
        try:
            for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) / 1024 / 1024
        except OSError:
            pass
        return None

    try:
        import ansible  # pylint: disable=import-outside-toplevel
        core = ansible.__version__
    except ImportError:
        core = "?"
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {"nproc": os.cpu_count(), "memory_gib": memory_gib(), "python": platform.python_version(),
            "ansible_core": core, "platform": platform.platform(), "cpu": _cpu_model(),
            "load_at_start": list(load) if load else None}


def _cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def fmt(value, pattern="%.2f"):
    return "-" if value is None else pattern % value


def table(rows):
    """A Markdown table (plain text that reads well in a terminal too)."""
    lines = []
    inventory = [r for r in rows if r["section"] == "inventory"]
    if inventory:
        lines.append("| computers | level | source | wall s (median) | x static JSON | CPU s | x CPU | requests | calls "
                     "| server CPU s | peak RSS MiB | runs |")
        lines.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in inventory:
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
                "{:,}".format(r["computers"]), r["level"], r["name"], fmt(r["wall"]), fmt(r["ratio"], "%.2fx"),
                fmt(r["cpu"]), fmt(r["cpu_ratio"], "%.2fx"), fmt(r["requests"], "%d"), fmt(r["calls"], "%d"),
                fmt(r.get("server_cpu"), "%.1f"), fmt(r["peak_rss_mib"], "%.0f"), r["runs"]))
    modules = [r for r in rows if r["section"] == "modules"]
    if modules:
        if lines:
            lines.append("")
        lines.append("| task | computers | wall s per task (median) | CPU s | requests per task | calls | per poll "
                     "| peak RSS MiB | memory growth | runs |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in modules:
            growth = ("%.1f MiB = %.2f%% of payload" % (r["growth_mib"], r["growth_percent"])
                      if r.get("growth_percent") is not None else "-")
            per_poll = ("%.2f requests (%d polls)" % (r["requests_per_poll"], r["polls"])
                        if r.get("requests_per_poll") is not None else "-")
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |" % (
                r["name"], "{:,}".format(r["computers"]) if r.get("computers") else "-", fmt(r["wall"]), fmt(r["cpu"]),
                fmt(r["requests"], "%d"), fmt(r["calls"], "%d"), per_poll, fmt(r["peak_rss_mib"], "%.0f"), growth,
                r["runs"]))
    return "\n".join(lines)


def verdicts(rows):
    """Each target against the figures: (text, met) pairs."""
    found = []

    def inv(computers, level, name):
        for r in rows:
            if r["section"] == "inventory" and r["computers"] == computers and r["level"] == level and r["name"] == name:
                return r
        return None

    for computers in sorted({r["computers"] for r in rows if r["section"] == "inventory"}):
        label = "{:,}".format(computers)
        plain = inv(computers, "list", "plugin, no cache")
        if plain:
            found.append(("%s list: %.2fx the static JSON file's wall time, %.2fx its CPU time (target <= %.1fx)" % (
                label, plain["ratio"], plain["cpu_ratio"], TARGETS["list_ratio"]), plain["ratio"] <= TARGETS["list_ratio"]))
            found.append(("%s list: %d HTTP requests (target <= %d)" % (label, plain["requests"], TARGETS["list_requests"]),
                          plain["requests"] <= TARGETS["list_requests"]))
        detailed = inv(computers, "details", "plugin, no cache")
        if detailed:
            text = "%s details: %.2fx the wall time of the static JSON file with the same hostvars, %.2fx its CPU " \
                   "time (target <= %.1fx), %d requests"
            text %= (label, detailed["ratio"], detailed["cpu_ratio"], TARGETS["details_ratio"], detailed["requests"])
            found.append((text, detailed["ratio"] <= TARGETS["details_ratio"]))
        for level in ("list", "details"):
            hit = inv(computers, level, "plugin, cache hit")
            if hit:
                text = "%s %s cache hit: %d requests, %.2fx the static JSON file's wall time, %.2fx its CPU time " \
                       "(target 0, <= %.1fx)"
                text %= (label, level, hit["requests"], hit["ratio"], hit["cpu_ratio"], TARGETS["hit_ratio"])
                found.append((text, hit["requests"] == TARGETS["hit_requests"] and hit["ratio"] <= TARGETS["hit_ratio"]))
    for r in rows:
        if r.get("requests_per_poll") is not None:
            found.append(("%s: %.2f requests per poll (target %d)" % (r["name"], r["requests_per_poll"],
                                                                      TARGETS["requests_per_poll"]),
                          abs(r["requests_per_poll"] - TARGETS["requests_per_poll"]) < 1e-9))
        if r.get("growth_percent") is not None:
            found.append(("%s: peak memory growth %.2f%% of the payload (target < %d%%)" % (
                r["name"], r["growth_percent"], TARGETS["upload_growth_percent"]),
                r["growth_percent"] < TARGETS["upload_growth_percent"]))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--sizes", default="1000,10000", help="fleet sizes, comma separated (default 1000,10000)")
    parser.add_argument("--groups", type=int, default=300, help="computer groups in the tree (default 300)")
    parser.add_argument("--runs", type=int, default=None, help="runs per scenario for every size (default: 5 up to "
                                                               "1,000 computers, 3 above)")
    parser.add_argument("--levels", default="list,details", help="inventory levels: list, details or both")
    parser.add_argument("--yaml-runs", type=int, default=1,
                        help="runs of the static YAML file rows (default 1: information only, and slow; 0 skips them)")
    parser.add_argument("--no-fetch", action="store_true", help="skip the fetch-only rows (batched / per request)")
    parser.add_argument("--no-modules", action="store_true", help="skip the module rows")
    parser.add_argument("--module-runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=50, help="members for oco_group_membership (default 50)")
    parser.add_argument("--wait-jobs", type=int, default=1000, help="jobs in the container oco_job_container waits for")
    parser.add_argument("--package-mb", type=int, default=200, help="payload of the upload benchmark in MiB; 1024 for "
                                                                    "1 GB, 0 to skip (default 200)")
    parser.add_argument("--profile", action="store_true", help="also print a cProfile of the plugin at the largest size")
    parser.add_argument("--json", dest="json_out", help="write every figure to this JSON file")
    parser.add_argument("--tmpdir", help="where the benchmark writes its files (default: system temp)")
    parser.add_argument("--from-json", help="print the table and targets of an earlier --json file, run nothing")
    args = parser.parse_args(argv)
    if args.from_json:
        with open(args.from_json, encoding="utf-8") as handle:
            report(json.load(handle))
        return 0
    # SIGTERM ends the run like Ctrl-C: the server processes are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_unused: sys.exit(143))

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    levels = tuple(level.strip() for level in args.levels.split(",") if level.strip())
    info = machine()
    print("machine: %(nproc)s CPUs (%(cpu)s), %(memory_gib).1f GiB RAM, Python %(python)s, ansible-core %(ansible_core)s, "
          "%(platform)s" % info)
    if info["load_at_start"]:
        print("load average at start: %.2f %.2f %.2f" % tuple(info["load_at_start"]))
    print("test server: a separate process (python -m oco_test_server), fleet generated through its admin door\n")

    rows, profiles = [], []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="oco-bench-", dir=args.tmpdir) as workdir:
        for computers in sizes:
            runs = args.runs or (5 if computers <= 1000 else 3)
            sizedir = Path(workdir) / str(computers)
            sizedir.mkdir()
            with ServerProcess() as server:
                began = time.monotonic()
                server.admin("generate_fleet", computers=computers, groups=args.groups, depth=3, families=20, seed=0)
                took = time.monotonic() - began
                print("fleet of %d computers, %d groups generated in %.1f s" % (computers, args.groups, took))
                rows += inventory_benchmark(server, computers, runs, sizedir, levels=levels, yaml_runs=args.yaml_runs,
                                            fetch_variants=not args.no_fetch)
                if args.profile and computers == max(sizes):
                    for details, cached in ((False, False), ("details" in levels, False), (False, True)):
                        profiles.append(profile_plugin(server, sizedir, details=bool(details), cached=cached))
                save(args.json_out, info, rows)
                if not args.no_modules and computers == max(sizes):
                    rows += module_benchmark(server, computers, sizedir, runs=args.module_runs, members=args.members,
                                             wait_jobs=args.wait_jobs)
                    save(args.json_out, info, rows)
        if args.package_mb:
            rows.append(package_benchmark(args.package_mb, tmpdir=args.tmpdir))

    print("\n" + "\n\n".join(profiles) if profiles else "")
    print("\n=== oco.oco benchmark (%.0f s)" % (time.monotonic() - started))
    results = report({"machine": info, "rows": rows})
    save(args.json_out, info, rows, results)
    return 0


def save(path, info, rows, results=None):
    """Write the figures so far (after each fleet size too: a late failure keeps what was measured)."""
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"machine": info, "rows": rows, "targets": [{"text": t, "met": m} for t, m in results or []]},
                      handle, indent=1)


def report(figures):
    """Print the machine line, the table and the targets; returns the (text, met) list."""
    info = figures["machine"]
    print("\nmachine: %(nproc)s CPUs (%(cpu)s), %(memory_gib).1f GiB RAM, Python %(python)s, ansible-core "
          "%(ansible_core)s\n" % info)
    print(table(figures["rows"]))
    print("\ntargets:")
    results = verdicts(figures["rows"])
    for text, met in results:
        print("  %s  %s" % ("met   " if met else "MISSED", text))
    return results


if __name__ == "__main__":
    sys.exit(main())
