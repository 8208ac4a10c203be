"""The benchmark at toy scale (200 computers, one run each), so its code keeps working.

It checks what the benchmark must get right whatever the machine: the static files reproduce the
plugin's inventory (run.py fails otherwise), the request counts, and that every row has figures.
Times are not asserted: they depend on the machine.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def load_run():
    spec = importlib.util.spec_from_file_location("oco_bench_run", BENCH_DIR / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_smoke(tmp_path, capsys):
    run = load_run()
    out = tmp_path / "bench.json"
    assert run.main(["--sizes", "200", "--groups", "30", "--runs", "1", "--yaml-runs", "0", "--module-runs", "1",
                     "--wait-jobs", "20", "--package-mb", "1", "--json", str(out), "--tmpdir", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "| 200 | list | plugin, no cache |" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    rows = {(r.get("level"), r["name"]): r for r in report["rows"]}

    for level in ("list", "details"):
        static = rows[(level, "static JSON file")]
        assert static["wall"] > 0 and static["peak_rss_mib"] > 0 and static["requests"] is None
        assert rows[(level, "plugin, cache hit")]["requests"] == 0
        assert rows[(level, "plugin, no cache")]["requests"] == rows[(level, "plugin, cache miss (fetch + write)")]["requests"]
        per_object = rows[(level, "fetch only, one request per object")]
        assert per_object["requests"] == per_object["calls"]
    assert rows[("list", "plugin, no cache")]["requests"] <= 3
    # One computer list, then one request per group (30) and, for details, per computer (200).
    assert rows[("list", "fetch only, one request per object")]["requests"] == 1 + 30
    assert rows[("details", "fetch only, one request per object")]["requests"] == 1 + 30 + 200
    # The same calls batched: the detail level adds one oco.computer.get per computer.
    assert rows[("details", "fetch only, batched (plugin's calls)")]["calls"] == (
        rows[("list", "fetch only, batched (plugin's calls)")]["calls"] + 200)

    computer = rows[(None, "oco_computer present, no change")]
    assert computer["requests"] >= 1 and computer["wall"] > 0
    assert rows[(None, "oco_group_membership, 50 members, no change")]["requests"] >= 1
    waited = next(r for r in report["rows"] if r["name"].startswith("oco_job_container wait"))
    assert waited["polls"] >= 1 and waited["requests_per_poll"] == 1
    upload = next(r for r in report["rows"] if r["name"].startswith("oco_package upload"))
    assert upload["peak_rss_mib"] > 0 and upload["growth_percent"] is not None
    assert report["targets"] and report["machine"]["nproc"] >= 1
