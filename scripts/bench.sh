#!/usr/bin/env bash
# The benchmarks (docs/guides/performance.rst): starts the test server as a separate process with a
# generated fleet, runs the inventory and module scenarios and prints one table. Arguments go to
# tests/benchmarks/run.py (--help lists them), e.g. --sizes 1000 --runs 1 --package-mb 0.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
cd "$REPO_ROOT"
exec "$VENV/bin/python" -u tests/benchmarks/run.py "$@"
