#!/usr/bin/env bash
# ansible-test sanity, offline: ansible-test refuses symlinked paths, so it runs in a real copy
# of the collection's files, and each sanity venv gets pip from a local stand-in for get-pip.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_venv

# ansible-test bootstraps pip in every sanity venv with a get-pip script from a host this
# machine cannot reach; it first looks in its cache. The stand-in installs pip with ensurepip
# (in a child process, so /etc/pip.conf and its CA settings apply) and then the requested pip.
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
# A sanity venv whose creation was interrupted (two runs building it at once, a killed run) has no
# python, and ansible-test stops with "Required program ... not found" instead of building it again.
for venv in "$HOME"/.ansible/test/venv/*/*/*/; do
  if [ -d "$venv" ] && [ ! -x "$venv/bin/python" ]; then
    echo "Removing the unfinished ansible-test venv $venv"
    rm -rf "$venv"
  fi
done
for version in 24_2 25_2; do
  cat >"$cache/get_pip_$version.py" <<'PY'
"""Offline stand-in for get-pip.py, used by ansible-test's bootstrap."""
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"], stdout=subprocess.DEVNULL)
subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", *args])
PY
done

work=$(mktemp -d "${TMPDIR:-/tmp}/oco-sanity.XXXXXX")
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/oco/oco"
# Tracked files plus a developer's new, not yet committed (but not ignored) files.
copy_collection_tree "$dest"
# ansible-test looks at git to pick files; a fresh repository holding the copy keeps it in scope.
(cd "$dest" && git init -q && git add -A)

cd "$dest"
# OCO_SANITY_VENV runs the ansible-test of another venv (scripts/test.sh: .venv-313 for the newest
# ansible-core) with that venv's Python.
if [ -n "${OCO_SANITY_VENV:-}" ]; then
  PATH="$OCO_SANITY_VENV/bin:$PATH"
  sanity_python=$("$OCO_SANITY_VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
else
  sanity_python=3.11
fi
ansible-test sanity --local --python "$sanity_python" --color no "$@"
