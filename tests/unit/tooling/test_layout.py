"""pytest imports test files by basename with their directory put on sys.path (the default
"prepend" mode; the tests import helpers that sit beside them), so two test files with one
name, e.g. in tests/unit/... and tests/integration/..., break collection of the whole suite."""

import collections
from pathlib import Path

TESTS = Path(__file__).resolve().parents[2]


def test_test_file_basenames_are_unique():
    seen = collections.defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        # Files inside a package (the test server's own modules) are imported by dotted name.
        if not (path.parent / "__init__.py").exists() and "output" not in path.parts:
            seen[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert not clashes, f"rename one of each (e.g. suffix _unit / _playbook): {clashes}"
