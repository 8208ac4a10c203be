"""``ansible-inventory --list`` through oco.oco.oco against the same inventory as a static file.

The static files are made from the plugin's own ``--list`` output (same hosts, groups, nesting and
host variables), in the format of the ``yaml`` inventory plugin, once as JSON and once as YAML.
Reading such a file is the least any inventory source can cost in ansible-core, so it is the floor
the plugin is compared with. Scenarios run round robin (run 1 of every scenario, then run 2...), so a
change in the machine's load during the benchmark hits every scenario alike.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import yaml

from bench_measure import run_child, summarize

TESTS_DIR = Path(__file__).resolve().parents[1]
if str(TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(TESTS_DIR))

import oco_helpers  # noqa: E402  pylint: disable=wrong-import-position

BIN_DIR = Path(sys.executable).parent


def inventory_env():
    # A source that fails must fail the run, not become a warning and an empty inventory.
    return oco_helpers.base_env({"ANSIBLE_INVENTORY_UNPARSED_FAILED": "true"})


def inventory_argv(source, profile_to=None):
    tool = str(BIN_DIR / "ansible-inventory")
    if profile_to:
        return [sys.executable, "-m", "cProfile", "-o", str(profile_to), tool, "-i", str(source), "--list"]
    return [tool, "-i", str(source), "--list"]


def write_plugin_source(path, server, details, cache_dir=None):
    config = dict(plugin="oco.oco.oco", details=details, **server.connection())
    if cache_dir:
        config.update(cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(cache_dir),
                      cache_timeout=3600)
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def unwrap(value):
    """The --list output of ansible-core 2.19 wraps plugin strings as {"__ansible_unsafe": ...}."""
    return oco_helpers.unwrap_unsafe(value)


def static_inventory(listing):
    """``ansible-inventory --list`` output -> the same inventory in the yaml plugin's format.

    Groups are nested below their parents as in the source, so the static file builds the same
    parent/child links (and no more) as the plugin.
    """
    listing = unwrap(listing)
    hostvars = listing.get("_meta", {}).get("hostvars", {})
    defined = set()

    def group(name):
        body = listing.get(name) or {}
        entry = {}
        if body.get("hosts"):
            entry["hosts"] = {host: None for host in body["hosts"]}
        children = {}
        for child in body.get("children") or []:
            if child in defined:
                children[child] = None
            else:
                defined.add(child)
                children[child] = group(child)
        if children:
            entry["children"] = children
        return entry or None

    top = {}
    for name in listing.get("all", {}).get("children", []):
        if name == "ungrouped" and not (listing.get(name) or {}).get("hosts"):
            continue
        defined.add(name)
        top[name] = group(name)
    return {"all": {"hosts": {host: hostvars.get(host) or None for host in hostvars}, "children": top}}


def write_static_files(listing_path, workdir, stem):
    with open(listing_path, encoding="utf-8") as handle:
        data = static_inventory(json.load(handle))
    json_path = Path(workdir) / ("%s.json" % stem)
    yaml_path = Path(workdir) / ("%s.yml" % stem)
    json_path.write_text(json.dumps(data), encoding="utf-8")
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    with open(yaml_path, "w", encoding="utf-8") as handle:
        yaml.dump(data, handle, Dumper=dumper, default_flow_style=False, sort_keys=False)
    return json_path, yaml_path


def same_inventory(path_a, path_b):
    """Compare two --list outputs after unwrapping; returns None or a short description of a difference."""
    with open(path_a, encoding="utf-8") as handle:
        first = unwrap(json.load(handle))
    with open(path_b, encoding="utf-8") as handle:
        second = unwrap(json.load(handle))
    if first == second:
        return None
    if set(first) != set(second):
        return "groups differ: %s" % sorted(set(first) ^ set(second))[:5]
    for key in sorted(first):
        if first[key] != second[key]:
            if key == "_meta":
                hosts = first[key]["hostvars"]
                other = second[key]["hostvars"]
                bad = [h for h in hosts if hosts[h] != other.get(h)]
                return "hostvars of %d hosts differ, e.g. %s" % (len(bad), bad[:1])
            return "group %s differs" % key
    return "outputs differ"


class Scenario:
    """One row of the table: a name, a command, and what must happen before each run."""

    def __init__(self, name, argv, env, counted=False, prepare=None, level="list", kind="inventory", max_runs=None):
        self.name, self.argv, self.env, self.counted, self.prepare = name, argv, env, counted, prepare
        self.level, self.kind, self.max_runs = level, kind, max_runs
        self.runs = []


def run_round_robin(scenarios, runs, server, workdir, log=print):
    for index in range(runs):
        for scenario in scenarios:
            if scenario.max_runs is not None and index >= scenario.max_runs:
                continue
            if scenario.prepare:
                scenario.prepare()
            out = Path(workdir) / "out.json"
            run = run_child(scenario.argv, scenario.env, stdout_path=out, server=server if scenario.counted else None)
            if run.rc != 0:
                # Once more before giving up: a long benchmark should survive one hiccup of a shared machine.
                last_line = run.stderr.strip().splitlines()[-1:]
                log("  run %d/%d %s failed (rc %d), retrying: %s" % (index + 1, runs, scenario.name, run.rc, last_line))
                if scenario.prepare:
                    scenario.prepare()
                run = run_child(scenario.argv, scenario.env, stdout_path=out, server=server if scenario.counted else None)
            if run.rc != 0:
                raise RuntimeError("%s failed (rc %d): %s" % (scenario.name, run.rc, run.stderr[-3000:]))
            scenario.runs.append(run)
            log("  run %d/%d %-36s %7.2f s wall %7.2f s cpu %7.1f MiB%s" % (
                index + 1, runs, scenario.name, run.wall, run.cpu, run.peak_rss_mib,
                "" if run.requests is None else "  %d requests, %d calls" % (run.requests, run.calls)))


def inventory_benchmark(server, computers, runs, workdir, levels=("list", "details"), yaml_runs=1,
                        fetch_variants=True, log=print):
    """Every inventory scenario for the fleet the server holds; returns a list of row dicts."""
    workdir = Path(workdir)
    env = inventory_env()
    rows = []
    for level in levels:
        details = level == "details"
        sources = workdir / level
        sources.mkdir(exist_ok=True)
        plugin = write_plugin_source(sources / "plain.oco.yml", server, details)
        cache_dir = sources / "cache"
        cached = write_plugin_source(sources / "cached.oco.yml", server, details, cache_dir=cache_dir)

        # The plugin's output is the reference the static files are made from (and compared against).
        reference = sources / "plugin-list.json"
        first = run_child(inventory_argv(plugin), env, stdout_path=reference)
        if first.rc != 0:
            raise RuntimeError("ansible-inventory with the plugin failed: %s" % first.stderr[-3000:])
        json_file, yaml_file = write_static_files(reference, sources, "static")

        def clear_cache(directory=cache_dir):
            shutil.rmtree(directory, ignore_errors=True)

        scenarios = [Scenario("static JSON file", inventory_argv(json_file), env, level=level)]
        if yaml_runs:
            # For information only (no target refers to it), and several times slower than JSON.
            scenarios.append(Scenario("static YAML file", inventory_argv(yaml_file), env, level=level, max_runs=yaml_runs))
        scenarios += [
            Scenario("plugin, no cache", inventory_argv(plugin), env, counted=True, level=level),
            Scenario("plugin, cache miss (fetch + write)", inventory_argv(cached), env, counted=True,
                     prepare=clear_cache, level=level),
            # Runs right after the miss above, which left the cache filled.
            Scenario("plugin, cache hit", inventory_argv(cached), env, counted=True, level=level),
        ]
        if fetch_variants:
            fetch_env = dict(env, PYTHONPATH=str(oco_helpers.collections_root()), OCO_URL=server.url,
                             OCO_USERNAME=server.connection()["username"], OCO_PASSWORD=server.connection()["password"])
            script = str(Path(__file__).resolve().parent / "bench_fetch.py")
            extra = ["--details"] if details else []
            scenarios += [
                Scenario("fetch only, batched (plugin's calls)", [sys.executable, script, "--mode", "batched"] + extra,
                         fetch_env, counted=True, level=level, kind="fetch"),
                Scenario("fetch only, one request per object", [sys.executable, script, "--mode", "per-request"] + extra,
                         fetch_env, counted=True, level=level, kind="fetch"),
            ]
        log("inventory, %d computers, %s level:" % (computers, level))
        run_round_robin(scenarios, runs, server, workdir, log=log)

        # The static file must give back exactly what the plugin gave, or the comparison means nothing.
        check = workdir / "static-check.json"
        run_child(inventory_argv(json_file), env, stdout_path=check)
        difference = same_inventory(reference, check)
        if difference:
            raise RuntimeError("the static file does not reproduce the plugin's inventory: %s" % difference)
        hit_check = workdir / "hit-check.json"
        run_child(inventory_argv(cached), env, stdout_path=hit_check)
        difference = same_inventory(reference, hit_check)
        if difference:
            raise RuntimeError("the cache hit does not reproduce the plugin's inventory: %s" % difference)

        floor = summarize(scenarios[0].runs)
        for scenario in scenarios:
            figures = summarize(scenario.runs)
            figures.update(section="inventory", computers=computers, level=level, name=scenario.name, kind=scenario.kind,
                           ratio=figures["wall"] / floor["wall"], cpu_ratio=figures["cpu"] / floor["cpu"])
            rows.append(figures)
        rows_by_name = {row["name"]: row for row in rows if row["level"] == level and row["computers"] == computers}
        log("  -> plugin/static JSON: %.2fx wall, %.2fx cpu" % (
            rows_by_name["plugin, no cache"]["ratio"], rows_by_name["plugin, no cache"]["cpu_ratio"]))
    return rows


def profile_plugin(server, workdir, details, cached=False, top=30):
    """cProfile of one ansible-inventory run through the plugin; returns the report text."""
    import io  # pylint: disable=import-outside-toplevel
    import pstats  # pylint: disable=import-outside-toplevel
    workdir = Path(workdir)
    level = "details" if details else "list"
    cache_dir = workdir / ("profile-cache-" + level) if cached else None
    source = write_plugin_source(workdir / ("profile-%s%s.oco.yml" % (level, "-cached" if cached else "")), server, details,
                                 cache_dir=cache_dir)
    env = inventory_env()
    if cached:
        run_child(inventory_argv(source), env)
    target = workdir / ("profile-%s%s.prof" % (level, "-cached" if cached else ""))
    run = run_child(inventory_argv(source, profile_to=target), env)
    if run.rc != 0:
        raise RuntimeError("profiled run failed: %s" % run.stderr[-2000:])
    text = io.StringIO()
    stats = pstats.Stats(str(target), stream=text)
    stats.sort_stats("cumulative").print_stats(top)
    return "profile file %s\n%s" % (target, text.getvalue())
