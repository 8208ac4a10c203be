"""The name resolution benchmark at toy scale, so its code keeps working (times are not asserted)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parent / "bench_references.py"


def test_benchmark_resolves_every_name_with_one_list_read(capsys):
    spec = importlib.util.spec_from_file_location("oco_bench_references", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.main(["--sizes", "50", "300", "--runs", "1", "--scan-limit", "50"])
    assert [(r["size"], r["resolver"], r["list_reads"]) for r in rows] == [(50, "index", 1), (50, "scan", 1), (300, "index", 1)]
    assert all(r["seconds"] > 0 for r in rows)
    assert "| 300 x 300 | index |" in capsys.readouterr().out
