#!/usr/bin/env bash
# The test command (README): every check CI runs, with the time each one took and the slowest
# tests. Exit status is non-zero if any step failed; later steps still run so one run shows
# everything.
#   scripts/test.sh          everything CI runs (both ends of the supported ansible-core range)
#   scripts/test.sh --quick  the contributor loop: unit tests and the test server's own tests
#
# Three lanes run side by side: pytest on ansible-core 2.19/Python 3.11 (its output shown as it
# comes), pytest on 2.21/Python 3.13, and the other checks (both shown when they are done). Much of
# a pytest run waits (agents polled, retries backing off, servers answering) and most checks run on
# one core, so together they keep both cores busy where one after the other they left a core idle
# for about a fifth of the time. A lane builds the venv it needs when it gets there (on a fresh
# clone), so no lane waits for a venv another lane does not need; the venvs of the two pytest runs
# are built side by side first.
set -uo pipefail
quick=false
case "${1:-}" in
  --quick) quick=true ;;
  "") ;;
  *) echo "usage: scripts/test.sh [--quick]" >&2; exit 2 ;;
esac
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
setup_collections_path
work=$(mktemp -d "${TMPDIR:-/tmp}/oco-test.XXXXXX")
# An interrupted run stops the lanes still running in the background too.
trap 'jobs -p | xargs -r kill 2>/dev/null; cleanup_collections_path; rm -rf "$work"' EXIT
cd "$REPO_ROOT" || exit 1

# children_cpu: sets CHILDREN_CPU to the CPU seconds (user + system) of the child processes of this
# shell that have ended so far. The lanes share two cores, so a stage's CPU shows what it costs where
# its wall time shows when it ended. Not for $(...): a subshell has no children of its own yet.
children_cpu() {
  local file="$work/times.$BASHPID"
  times >"$file"
  CHILDREN_CPU=$(awk 'NR == 2 { split($1, user, /[ms]/); split($2, sys, /[ms]/)
                                printf "%d\n", user[1] * 60 + user[2] + sys[1] * 60 + sys[2] }' "$file")
}

# step NAME COMMAND...: run one stage; its result line (wall and CPU seconds) goes to the lane's
# summary file ($summary).
summary="$work/summary-main"
step() {
  local name=$1 start cpu_start rc figures
  shift
  echo
  echo "=== $name"
  start=$SECONDS
  children_cpu
  cpu_start=$CHILDREN_CPU
  "$@"
  rc=$?
  children_cpu
  figures="$(printf '%4ss %5ss CPU' $((SECONDS - start)) $((CHILDREN_CPU - cpu_start)))"
  if [ "$rc" -eq 0 ]; then
    echo "ok    $figures  $name" >>"$summary"
  else
    echo "FAIL  $figures  $name (exit $rc)" >>"$summary"
  fi
  return "$rc"
}

sanity() {
  bash "$REPO_ROOT/.ci/ansible-test-sanity.sh"
}

lint() {
  ansible-lint --profile production --nocolor
}

docs_lint() {
  (cd "$COLLECTION_LINK" && antsibull-docs lint-collection-docs --plugin-docs .)
}

# Lints the fragments too.
changelog_lint() {
  bash "$REPO_ROOT/scripts/changelog.sh" --check
}

# Build the tarball the way Galaxy gets it, install it into an empty collections path, load every
# plugin's documentation and run a playbook from the installed copy, run galaxy-importer on it.
build_and_doc() {
  bash "$REPO_ROOT/scripts/release-check.sh"
}

docs_site() {
  bash "$REPO_ROOT/scripts/docs.sh"
}

# The top of the supported range (meta/runtime.yml): the newest ansible-core on Python 3.13. Its
# venv is built by the lane of the newest pytest run (venv_newest); this waits until it is there.
sanity_newest() {
  wait_for_venv_newest || return 1
  OCO_SANITY_VENV="$VENV_313" bash "$REPO_ROOT/.ci/ansible-test-sanity.sh"
}

# The same suite on the top of the supported range (the newest ansible-core on Python 3.13), but
# for the tests that run the repository's .venv whatever runs pytest: they ran in the first run.
pytest_newest() {
  run_pytest "$VENV_313/bin/python" ansible-2.21 -m "not same_in_every_lane" tests
}

# A venv is built once, by one lane: two lanes building the same venv at once would break it. The
# outcome goes into a file (venv-NAME.rc) the other lanes wait for.
# record_venv NAME COMMAND...: run the venv's ensure_* command and record its exit status.
record_venv() {
  local name=$1 rc
  shift
  "$@"
  rc=$?
  echo "$rc" >"$work/venv-$name.rc.tmp" && mv "$work/venv-$name.rc.tmp" "$work/venv-$name.rc"
  return $rc
}

# wait_for_venv NAME DESCRIPTION: until record_venv NAME is done; fails if the venv failed.
wait_for_venv() {
  while [ ! -f "$work/venv-$1.rc" ]; do
    sleep 1
  done
  if [ "$(cat "$work/venv-$1.rc")" != 0 ]; then
    echo "the venv of $2 could not be built (see the output of the lane that built it)"
    return 1
  fi
}

venv_newest() {
  record_venv 313 ensure_venv_313
}

wait_for_venv_newest() {
  wait_for_venv 313 "ansible-core 2.21/Python 3.13"
}

# AWX/AAP: the example execution environment definition must give ansible-builder a build context,
# and the collection's meta/execution-environment.yml must hand its dependencies to the EE build.
execution_environment() {
  local deps
  cp "$REPO_ROOT"/extensions/awx/execution-environment.yml "$REPO_ROOT"/extensions/awx/requirements.yml "$work/" &&
    ansible-builder create -f "$work/execution-environment.yml" -c "$work/ee-context" || return 1
  deps=$(ansible-builder introspect "$OCO_COLLECTIONS_TMP") || return 1
  echo "$deps"
  grep -q "^- 'requests.*from collection oco.oco" <<<"$deps" &&
    grep -q "^- 'ca-certificates.*from collection oco.oco" <<<"$deps"
}

# run_pytest PYTHON LABEL ARGS...: pytest on both cores; the JUnit report feeds the slowest-tests list.
run_pytest() {
  local python=$1 label=$2 rc
  shift 2
  "$python" -m pytest -p no:cacheprovider -n auto --durations=10 --junitxml="$work/junit-$label.xml" "$@"
  rc=$?
  # Exit code 5 means pytest collected no tests: a broken collection, not a pass.
  [ "$rc" -eq 5 ] && echo "pytest collected no tests"
  return $rc
}

# The example rulebook in ansible-rulebook (its own venv, Java) against the test server.
eda_rulebook() {
  ensure_eda_venv || return 1
  OCO_EDA_VENV="$VENV_EDA" python -m pytest -p no:cacheprovider tests/integration/extensions/eda/rulebooks/e2e_ansible_rulebook.py
}

unit_and_integration() {
  run_pytest python ansible-2.19 tests
}

quick_loop() {
  run_pytest python quick tests/unit tests/oco_test_server_tests
}

# The 10 slowest tests of every pytest stage together, from their JUnit reports.
slowest_tests() {
  python - "$work"/junit-*.xml <<'PY'
import os
import sys
import xml.etree.ElementTree as ET

cases = []
for path in sys.argv[1:]:
    if not os.path.exists(path):
        continue
    label = os.path.basename(path)[len("junit-"):-len(".xml")]
    for case in ET.parse(path).iter("testcase"):
        name = "%s::%s" % (case.get("classname", ""), case.get("name", ""))
        cases.append((float(case.get("time") or 0), label, name))
for seconds, label, name in sorted(cases, reverse=True)[:10]:
    print("%7.1fs  %-16s %s" % (seconds, label, name))
PY
}

checks_lane() {
  summary="$work/summary-checks"
  step "ansible-test sanity" sanity
  step "ansible-test sanity (ansible-core 2.21, Python 3.13)" sanity_newest
  step "ansible-lint (production)" lint
  step "antsibull-docs lint-collection-docs" docs_lint
  step "antsibull-changelog lint, CHANGELOG.rst current" changelog_lint
  step "build, install, ansible-doc, galaxy-importer" build_and_doc
  step "ansible-builder create (AWX execution environment)" execution_environment
  step "docs site (antsibull-docs + sphinx -W)" docs_site
  step "venv for ansible-rulebook (and a Java runtime)" ensure_eda_venv &&
    step "ansible-rulebook end to end (EDA)" eda_rulebook
}

# The newest pytest run builds its venv first (on a fresh clone; a no-op once it exists), while the
# development venv is built beside it. Its tests run with the development venv's tools on PATH too
# (scripts the tests start use them), so it waits for that venv before its pytest run.
newest_lane() {
  summary="$work/summary-newest"
  step "venv for ansible-core 2.21/Python 3.13" venv_newest &&
    wait_for_venv main "ansible-core 2.19/Python 3.11" &&
    PATH="$VENV/bin:$PATH" &&
    step "pytest (ansible-core 2.21, Python 3.13)" pytest_newest
}

# The total counts from here: on a fresh clone, building the venvs is part of the run.
started=$SECONDS
children_cpu
cpu_started=$CHILDREN_CPU
if ! $quick; then
  newest_lane >"$work/newest.log" 2>&1 &
  newest_pid=$!
fi
step "venv for ansible-core 2.19/Python 3.11" record_venv main ensure_venv || exit 1
if $quick; then
  step "pytest --quick (unit tests, test server)" quick_loop
else
  echo
  echo "=== pytest on ansible-core 2.21/Python 3.13 and the checks other than pytest run alongside;"
  echo "=== their output follows this pytest run"
  checks_lane >"$work/checks.log" 2>&1 &
  checks_pid=$!
  # In a subshell of its own, so that its CPU figure is its own: this shell counts the CPU of a
  # lane among its children when that lane ends, which may be during this run.
  (step "pytest" unit_and_integration)
  wait "$newest_pid" "$checks_pid"
  echo
  echo "=== output of pytest on ansible-core 2.21/Python 3.13"
  cat "$work/newest.log"
  echo
  echo "=== output of the checks other than pytest"
  cat "$work/checks.log"
fi

echo
echo "=== summary"
$quick || echo "(the three lanes ran side by side: their wall times overlap; CPU is each stage's own)"
cat "$work"/summary-*
children_cpu
echo "total $((SECONDS - started))s, $((CHILDREN_CPU - cpu_started))s CPU"
echo
echo "=== 10 slowest tests"
slowest_tests
if grep -q '^FAIL' "$work"/summary-*; then
  echo "scripts/test.sh: FAILED"
  exit 1
fi
echo "scripts/test.sh: all checks passed"
