#!/usr/bin/env bash
# ansible-test sanity, without the host that serves get-pip: ansible-test refuses symlinked paths,
# so it runs in a real copy of the collection's files, and each sanity venv gets pip from a local
# stand-in for get-pip.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
ensure_venv

# ansible-test bootstraps pip in every sanity venv (nine per Python version) with a get-pip script
# from a host this machine cannot reach; it first looks in its cache. The stand-in installs the
# requested pip from its wheel, which pip can run from directly, as get-pip does: one install per
# venv. The wheels come from the package index once; without them it falls back to ensurepip plus
# an upgrade, two installs (about 3 s more CPU per venv). Either runs in a child process, so
# /etc/pip.conf and its CA settings apply.
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
# The pip versions ansible-test 2.19 and 2.21 ask for.
for version in 24.2 25.2; do
  wheel="$cache/pip-$version-py3-none-any.whl"
  if [ ! -e "$wheel" ]; then
    download=$(mktemp -d "$cache/download.XXXXXX")
    if "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --dest "$download" \
      "pip==$version" >/dev/null 2>&1; then
      mv "$download/$(basename "$wheel")" "$wheel" 2>/dev/null || true
    fi
    rm -rf "$download"
  fi
  cat >"$cache/get_pip_${version//./_}.py" <<'PY'
"""Offline stand-in for get-pip.py, used by ansible-test's bootstrap."""
import os
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
cache = os.path.dirname(os.path.abspath(__file__))
versions = [a.split("==", 1)[1] for a in args if a.startswith("pip==")]
wheel = os.path.join(cache, "pip-%s-py3-none-any.whl" % versions[0]) if versions else ""
if wheel and os.path.exists(wheel):
    subprocess.check_call([sys.executable, os.path.join(wheel, "pip"), "install", "--quiet", "--no-index",
                           "--find-links", cache, *args])
else:
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
