#!/usr/bin/env bash
# CHANGELOG.rst is what the next release's changelog will say: antsibull-changelog turns the
# fragments in changelogs/fragments (and the plugins new since the last release) into the section
# of the version in galaxy.yml, in a scratch copy, so changelogs/ itself is only changed by the
# real release (`antsibull-changelog release`).
#   scripts/changelog.sh          lint the fragments and rewrite CHANGELOG.rst
#   scripts/changelog.sh --check  lint, and fail if CHANGELOG.rst is not what it would be
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
check=false
[ "${1:-}" = "--check" ] && check=true

work=$(mktemp -d "${TMPDIR:-/tmp}/oco-changelog.XXXXXX")
trap 'rm -rf "$work"' EXIT
copy="$work/ansible_collections/oco/oco"
# The files antsibull-changelog reads: metadata, changelog data and fragments, the plugins.
copy_collection_tree "$copy" galaxy.yml meta changelogs plugins CHANGELOG.rst

cd "$copy"
export ANSIBLE_COLLECTIONS_PATH="$work"
antsibull-changelog lint
version=$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')
if python -c 'import sys, yaml; sys.exit(0 if sys.argv[1] in (yaml.safe_load(open("changelogs/changelog.yaml"))["releases"] or {}) else 1)' "$version"; then
  antsibull-changelog generate
else
  # A fixed date: the preview must not change from one day to the next (the RST shows no date).
  antsibull-changelog release --version "$version" --date 2000-01-01
fi

if $check; then
  if ! diff -u "$REPO_ROOT/CHANGELOG.rst" CHANGELOG.rst; then
    echo "CHANGELOG.rst is stale (see the diff above): run scripts/changelog.sh and commit CHANGELOG.rst" >&2
    exit 1
  fi
  echo "CHANGELOG.rst is up to date for $version"
else
  cp CHANGELOG.rst "$REPO_ROOT/CHANGELOG.rst"
  echo "wrote CHANGELOG.rst for $version"
fi
