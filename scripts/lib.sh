# shellcheck shell=bash
# Shared by scripts/test.sh, scripts/demo.sh and .ci/ansible-test-sanity.sh: repository root,
# the pinned development venv, and the temp collection path Ansible needs.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$REPO_ROOT/.venv"
export REPO_ROOT VENV

# A Python 3.11 interpreter: the newest ansible-core for 3.11 (2.19) is what CI pins.
find_python311() {
  local candidate
  for candidate in "${OCO_PYTHON:-}" python3.11 "$HOME/.pyenv/versions/3.11.7/bin/python3.11"; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      # The real interpreter, not a pyenv shim (shims misbehave once PYENV_VERSION changes).
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  for candidate in "$HOME"/.pyenv/versions/3.11*/bin/python3.11; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  echo "Python 3.11 not found: install it or set OCO_PYTHON to its path" >&2
  return 1
}

# Create .venv with the pinned tools unless it already has them.
ensure_venv() {
  if [ ! -x "$VENV/bin/ansible-playbook" ] || [ ! -x "$VENV/bin/pytest" ]; then
    local python
    python=$(find_python311) || return 1
    echo "Creating $VENV with $python"
    "$python" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$REPO_ROOT/requirements-dev.txt" -c "$REPO_ROOT/constraints.txt"
  fi
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
