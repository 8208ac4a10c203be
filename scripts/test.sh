#!/usr/bin/env bash
# The test command (README): every check CI runs, in order, with the time each one took.
# Exit status is non-zero if any step failed; later steps still run so one run shows everything.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv || exit 1
setup_collections_path
work=$(mktemp -d "${TMPDIR:-/tmp}/oco-test.XXXXXX")
trap 'cleanup_collections_path; rm -rf "$work"' EXIT
cd "$REPO_ROOT" || exit 1

summary=()
failed=0
step() {
  local name=$1 start rc
  shift
  echo
  echo "=== $name"
  start=$SECONDS
  "$@"
  rc=$?
  if [ "$rc" -eq 0 ]; then
    summary+=("ok    $(printf '%4ss' $((SECONDS - start)))  $name")
  else
    summary+=("FAIL  $(printf '%4ss' $((SECONDS - start)))  $name (exit $rc)")
    failed=1
  fi
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

changelog_lint() {
  antsibull-changelog lint
}

# Build the tarball the way Galaxy gets it, install it into an empty collections path and make
# sure every module's documentation loads from the installed copy (catches build_ignore mistakes).
build_and_doc() {
  local installed="$work/installed" tarball module rc=0
  ansible-galaxy collection build --force --output-path "$work/dist" "$REPO_ROOT" || return 1
  tarball=$(ls "$work"/dist/oco-oco-*.tar.gz) || return 1
  echo "tarball: $(basename "$tarball"), $(tar -tzf "$tarball" | wc -l) entries"
  ANSIBLE_COLLECTIONS_PATH="$installed" ansible-galaxy collection install --offline --force -p "$installed" "$tarball" || return 1
  for module in "$REPO_ROOT"/plugins/modules/*.py; do
    module=$(basename "$module" .py)
    [ "$module" = "__init__" ] && continue
    if ANSIBLE_COLLECTIONS_PATH="$installed" ansible-doc -t module "oco.oco.$module" >/dev/null; then
      echo "ansible-doc oco.oco.$module: ok"
    else
      rc=1
    fi
  done
  return $rc
}

unit_and_integration() {
  local rc
  python -m pytest -p no:cacheprovider tests
  rc=$?
  # Exit code 5 means pytest collected no tests: a broken collection, not a pass.
  [ "$rc" -eq 5 ] && echo "pytest collected no tests"
  return $rc
}

step "ansible-test sanity" sanity
step "ansible-lint (production)" lint
step "antsibull-docs lint-collection-docs" docs_lint
step "antsibull-changelog lint" changelog_lint
step "build, install, ansible-doc" build_and_doc
step "pytest" unit_and_integration

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "scripts/test.sh: FAILED"
  exit 1
fi
echo "scripts/test.sh: all checks passed"
