#!/usr/bin/env bash
# Release artifact check: build the tarball Galaxy would get, install it into an empty collections
# path, load the documentation of every plugin from the installed copy, run a playbook from the
# installed copy against the bundled test server, and run galaxy-importer on the tarball.
# Catches files missing from the tarball (build_ignore mistakes) and what Galaxy would reject.
# Usage: scripts/release-check.sh [OUTPUT_DIR]  (default: a temp dir, removed afterwards)
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv || exit 1

keep_work=${1:-}
work=${keep_work:-$(mktemp -d "${TMPDIR:-/tmp}/oco-release.XXXXXX")}
mkdir -p "$work"
trap 'stop_test_server; [ -n "$keep_work" ] || rm -rf "$work"' EXIT
rc=0
fail() {
  echo "release check: $*" >&2
  rc=1
}

rm -rf "$work/dist" "$work/installed" "$work/importer"
ansible-galaxy collection build --force --output-path "$work/dist" "$REPO_ROOT" || exit 1
tarball=$(ls "$work"/dist/oco-oco-*.tar.gz) || exit 1
echo "tarball: $(basename "$tarball"), $(tar -tzf "$tarball" | wc -l) entries"

# Nothing of the development tree may ride along.
if tar -tzf "$tarball" | grep -E '(^|/)(\.venv[^/]*|\.git|__pycache__|\.pytest_cache|docs/build|tests/output)(/|$)'; then
  fail "the tarball holds development files (above); extend build_ignore in galaxy.yml"
fi

installed="$work/installed"
ANSIBLE_COLLECTIONS_PATH="$installed" ansible-galaxy collection install --offline --force -p "$installed" "$tarball" >/dev/null || exit 1
installed_root="$installed/ansible_collections/oco/oco"

# Every plugin of the checkout must load its documentation from the installed copy (one ansible-doc
# per plugin type; --json shows which documentation loaded, so a plugin that fails is named).
for kind_dir in modules:module inventory:inventory lookup:lookup; do
  dir=${kind_dir%%:*}
  kind=${kind_dir##*:}
  names=()
  for plugin in "$REPO_ROOT"/plugins/"$dir"/*.py; do
    [ -e "$plugin" ] || continue
    name=$(basename "$plugin" .py)
    [ "$name" = "__init__" ] && continue
    if [ -e "$installed_root/plugins/$dir/$name.py" ]; then
      names+=("oco.oco.$name")
    else
      fail "plugins/$dir/$name.py is missing from the tarball"
    fi
  done
  [ ${#names[@]} -gt 0 ] || continue
  ANSIBLE_COLLECTIONS_PATH="$installed" ansible-doc -t "$kind" --json "${names[@]}" >"$work/doc-$kind.json" 2>"$work/doc-$kind.err"
  for name in "${names[@]}"; do
    if "$VENV/bin/python" -c 'import json, sys; doc = json.load(open(sys.argv[1])).get(sys.argv[2]) or {}; sys.exit(0 if doc.get("doc") else 1)' \
      "$work/doc-$kind.json" "$name" 2>/dev/null; then
      echo "ansible-doc -t $kind $name: ok"
    else
      cat "$work/doc-$kind.err" >&2
      fail "ansible-doc -t $kind $name failed from the installed copy"
    fi
  done
done

# A playbook from the installed copy, against a test server, with only the installed collection
# on the collections path.
# Simulated agents finish the jobs the demo deploys.
if start_test_server --fleet 10 --agents 1; then
  if (cd "$work" &&
    OCO_URL="$OCO_SERVER_URL" OCO_USERNAME=admin OCO_PASSWORD=oco-admin-pw \
      ANSIBLE_COLLECTIONS_PATH="$installed" ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python" \
      ANSIBLE_LOCAL_TEMP="$work/ansible-tmp" \
      ansible-playbook -i localhost, "$installed_root/playbooks/demo.yml" >"$work/demo.log" 2>&1); then
    echo "playbooks/demo.yml from the installed copy: ok"
  else
    cat "$work/demo.log" >&2
    fail "playbooks/demo.yml failed from the installed copy"
  fi
  stop_test_server
else
  fail "the OCO test server did not start"
fi

# galaxy-importer, with its container-based ansible-test step off (.ci/galaxy-importer.cfg).
if ensure_importer_venv; then
  mkdir -p "$work/importer"
  if (cd "$work/importer" &&
    GALAXY_IMPORTER_CONFIG="$REPO_ROOT/.ci/galaxy-importer.cfg" \
      GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP="$work/importer/ansible-tmp" \
      GALAXY_IMPORTER_TMP_ROOT_DIR="$work/importer" \
      PATH="$VENV_IMPORTER/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="" \
      "$VENV_IMPORTER/bin/python" -m galaxy_importer.main --print-result "$tarball" >"$work/importer/out.log" 2>&1); then
    # The importer exits 0 on warnings; anything it logs as an error counts.
    if grep -E '^(ERROR|CRITICAL)|"level": "ERROR"' "$work/importer/out.log"; then
      fail "galaxy-importer reported errors (above)"
    else
      echo "galaxy-importer: ok ($(grep -c WARNING "$work/importer/out.log") warnings)"
      grep WARNING "$work/importer/out.log" || true
    fi
  else
    cat "$work/importer/out.log" >&2
    fail "galaxy-importer rejected the tarball"
  fi
else
  fail "could not create the galaxy-importer venv"
fi

exit $rc
