# shellcheck shell=bash
# Shared by scripts/test.sh, scripts/demo.sh and .ci/ansible-test-sanity.sh: repository root,
# the pinned development venv, and the temp collection path Ansible needs.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$REPO_ROOT/.venv"
export REPO_ROOT VENV

# find_python VERSION (e.g. 3.11): print the path of a real Python VERSION interpreter, found in
# $OCO_PYTHON<major><minor> (OCO_PYTHON311, OCO_PYTHON313), as pythonVERSION on PATH, or through pyenv.
# $OCO_PYTHON still names the 3.11 interpreter.
find_python() {
  local version=$1 variable candidate pyenv pyenv_version
  variable="OCO_PYTHON${version//./}"
  local candidates=("${!variable:-}")
  [ "$version" = 3.11 ] && candidates+=("${OCO_PYTHON:-}")
  candidates+=("python$version")
  # pyenv on PATH, or where its installer puts it when the shell setup that adds it did not run.
  pyenv=$(command -v pyenv 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv")
  if [ -x "$pyenv" ]; then
    # The newest installed pyenv version of that series, asked of pyenv rather than guessed as a path.
    pyenv_version=$("$pyenv" versions --bare 2>/dev/null | grep -E "^${version//./\.}(\.[0-9]+)?$" | sort -V | tail -n 1)
    [ -n "$pyenv_version" ] && candidates+=("$("$pyenv" prefix "$pyenv_version" 2>/dev/null)/bin/python$version")
  fi
  for candidate in "${candidates[@]}"; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != tuple(map(int, sys.argv[1].split("."))))' "$version" 2>/dev/null; then
      # The real interpreter, not a pyenv shim (shims misbehave once PYENV_VERSION changes).
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  echo "Python $version not found. Install it (your distribution's python$version package, or" \
    "'pyenv install $version') so that python$version is on PATH, or set $variable to its path." >&2
  return 1
}

# copy_collection_tree DEST [PATHSPEC...]: copy the checkout's files as they are in the working tree
# (tracked ones plus new, not ignored ones; files deleted but still in the index are skipped) to DEST.
# Tools that refuse symlinked paths or write next to the sources work on such a copy.
copy_collection_tree() {
  local dest=$1
  shift
  mkdir -p "$dest"
  (cd "$REPO_ROOT" && git ls-files -z --cached --others --exclude-standard -- "$@" |
    while IFS= read -r -d '' f; do if [ -e "$f" ]; then printf '%s\0' "$f"; fi; done |
    tar --null -T - -cf -) | tar -xf - -C "$dest"
}

# Create .venv with the pinned tools unless it already has them.
ensure_venv() {
  local python
  python=$(find_python 3.11) || return 1
  # Recreated whenever the pinned requirements change, so every run uses exactly the pins.
  make_venv "$VENV" "$python" "$REPO_ROOT/requirements-dev.txt" "$REPO_ROOT/constraints.txt" || return 1
  PATH="$VENV/bin:$PATH"
  export PATH
}

# Ansible finds the collection only below .../ansible_collections/oco/oco: link the checkout
# from a temp dir (removed by cleanup_collections_path) and export it.
setup_collections_path() {
  OCO_COLLECTIONS_TMP=$(mktemp -d "${TMPDIR:-/tmp}/oco-collections.XXXXXX")
  mkdir -p "$OCO_COLLECTIONS_TMP/ansible_collections/oco"
  ln -s "$REPO_ROOT" "$OCO_COLLECTIONS_TMP/ansible_collections/oco/oco"
  ANSIBLE_COLLECTIONS_PATH="$OCO_COLLECTIONS_TMP"
  COLLECTION_LINK="$OCO_COLLECTIONS_TMP/ansible_collections/oco/oco"
  export OCO_COLLECTIONS_TMP ANSIBLE_COLLECTIONS_PATH COLLECTION_LINK
}

cleanup_collections_path() {
  if [ -n "${OCO_COLLECTIONS_TMP:-}" ] && [ -d "$OCO_COLLECTIONS_TMP" ]; then
    rm -rf "$OCO_COLLECTIONS_TMP"
  fi
}

# Start the bundled OCO test server in the background (extra arguments go to it, e.g. --fleet 25,
# --agents 1 for simulated agents that finish deployments while a playbook waits).
# Sets OCO_SERVER_PID and OCO_SERVER_URL; stop it with stop_test_server.
start_test_server() {
  OCO_SERVER_LOG=$(mktemp "${TMPDIR:-/tmp}/oco-server.XXXXXX")
  PYTHONPATH="$REPO_ROOT/tests" PYTHONUNBUFFERED=1 \
    "$VENV/bin/python" -m oco_test_server --port 0 "$@" >"$OCO_SERVER_LOG" 2>&1 &
  OCO_SERVER_PID=$!
  OCO_SERVER_URL=""
  local _
  for _ in $(seq 1 100); do
    OCO_SERVER_URL=$(sed -n 's/^OCO test server listening on //p' "$OCO_SERVER_LOG" | head -n 1)
    [ -n "$OCO_SERVER_URL" ] && break
    kill -0 "$OCO_SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$OCO_SERVER_URL" ]; then
    echo "The OCO test server did not start:" >&2
    cat "$OCO_SERVER_LOG" >&2
    stop_test_server
    return 1
  fi
  export OCO_SERVER_PID OCO_SERVER_URL
}

stop_test_server() {
  if [ -n "${OCO_SERVER_PID:-}" ] && kill -0 "$OCO_SERVER_PID" 2>/dev/null; then
    kill "$OCO_SERVER_PID" 2>/dev/null || true
    wait "$OCO_SERVER_PID" 2>/dev/null || true
  fi
  OCO_SERVER_PID=""
  rm -f "${OCO_SERVER_LOG:-}"
}

# A venv from a requirements/constraints pair, created once: make_venv DIR PYTHON REQS CONSTRAINTS.
make_venv() {
  local dir=$1 python=$2 requirements=$3 constraints=$4
  if [ ! -f "$dir/.oco-requirements" ] ||
    ! cmp -s "$dir/.oco-requirements" <(cat "$requirements" "$constraints"); then
    echo "Creating $dir with $python (once; about a minute, longer on a slow link to PyPI)"
    rm -rf "$dir"
    "$python" -m venv "$dir" &&
      pip_install_with_progress "$dir/bin/python" "$requirements" "$constraints" &&
      cat "$requirements" "$constraints" >"$dir/.oco-requirements"
  fi
}

# pip install -r REQS -c CONSTRAINTS with PYTHON, showing each package as pip fetches it instead of
# a minute of silence; pip's full output only when it fails: pip_install_with_progress PYTHON REQS CONSTRAINTS.
pip_install_with_progress() {
  local python=$1 requirements=$2 constraints=$3 pip_log status started=$SECONDS
  pip_log=$(mktemp "${TMPDIR:-/tmp}/oco-pip.XXXXXX")
  # The exit status travels through the pipe as the last line, so neither pipefail nor errexit of
  # the calling script changes what this function sees.
  {
    "$python" -m pip install --disable-pip-version-check --progress-bar off -r "$requirements" -c "$constraints" 2>&1 &&
      echo "pip exit status: 0" || echo "pip exit status: $?"
  } | tee "$pip_log" | show_pip_progress "$(grep -cvE '^[[:space:]]*(#|$)' "$constraints")"
  status=$(sed -n 's/^pip exit status: //p' "$pip_log")
  if [ "$status" != 0 ]; then
    echo "pip failed (exit ${status:-unknown}); its output:" >&2
    sed '/^pip exit status: /d' "$pip_log" >&2
    rm -f "$pip_log"
    return 1
  fi
  rm -f "$pip_log"
  echo "  installed in $((SECONDS - started)) s"
}

# One line per package pip reports (from an index or a local file), numbered against the pinned
# total: show_pip_progress TOTAL < pip output.
show_pip_progress() {
  local total=$1 count=0 line name
  while IFS= read -r line; do
    case $line in
      "Collecting "* | "Processing "*)
        count=$((count + 1))
        name=${line#* }
        name=${name%% *}
        printf '  [%d/%d] %s\n' "$count" "$total" "${name##*/}"
        ;;
      "Installing collected packages:"*)
        echo "  installing $(($(tr -cd , <<<"$line" | wc -c) + 1)) packages"
        ;;
    esac
  done
}

# The newest ansible-core on Python 3.13 (the top of the supported range in meta/runtime.yml).
VENV_313="$REPO_ROOT/.venv-313"
ensure_venv_313() {
  local python
  python=$(find_python 3.13) || return 1
  make_venv "$VENV_313" "$python" "$REPO_ROOT/requirements-313.txt" "$REPO_ROOT/constraints-313.txt"
}

# galaxy-importer pins attrs<24, which the development venv cannot share: a venv of its own.
VENV_IMPORTER="$REPO_ROOT/.venv-importer"
ensure_importer_venv() {
  local python
  python=$(find_python 3.11) || return 1
  make_venv "$VENV_IMPORTER" "$python" "$REPO_ROOT/requirements-importer.txt" "$REPO_ROOT/constraints-importer.txt"
}

# Call an admin command of the test server started by start_test_server: test_server_admin NAME [JSON].
test_server_admin() {
  "$VENV/bin/python" - "$OCO_SERVER_URL/admin/$1" "${2:-{\}}" <<'PY'
import sys
import urllib.request

request = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request, timeout=30) as answer:
    print(answer.read().decode())
PY
}

# Succeeds when the PLAY RECAP in an ansible-playbook output file has at least one host line and
# every host line shows changed=0: recap_shows_no_change FILE.
recap_shows_no_change() {
  local recap
  recap=$(sed -n '/^PLAY RECAP/,$p' "$1" | grep -E '^[^ ].* : ok=[0-9]+ ') || return 1
  ! grep -qvE ' changed=0 ' <<<"$recap"
}

# ansible-rulebook (end-to-end run of the EDA rulebooks): a venv of its own, and the Java runtime its
# rule engine needs (Debian's OpenJDK 17 when none is installed).
VENV_EDA="$REPO_ROOT/.venv-eda"
ensure_eda_venv() {
  local python
  if ! command -v java >/dev/null 2>&1; then
    echo "Installing a Java runtime for ansible-rulebook"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null || return 1
    else
      sudo apt-get update -qq && sudo apt-get install -y -qq openjdk-17-jre-headless >/dev/null || return 1
    fi
  fi
  python=$(find_python 3.11) || return 1
  make_venv "$VENV_EDA" "$python" "$REPO_ROOT/requirements-eda.txt" "$REPO_ROOT/constraints-eda.txt"
}
