#!/usr/bin/env bash
# Build the documentation site into docs/build/html: the guides and index from docs/ plus the
# plugin reference, generated now by antsibull-docs from the plugins in this checkout (so it always
# matches them). Offline; Sphinx warnings are errors.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
setup_collections_path
trap cleanup_collections_path EXIT

docs="$REPO_ROOT/docs"
src="$docs/build/src"
rm -rf "$src" "$docs/build/html" "$docs/build/doctrees"
mkdir -p "$src"
chmod og-w "$src"  # antsibull-docs refuses a destination others can write to

# --fail-on-error: a plugin whose documentation does not parse fails the build instead of
# becoming an error page.
antsibull-docs collection --use-current --fail-on-error --cleanup everything \
  --dest-dir "$src" oco.oco

cp "$docs/index.rst" "$src/index.rst"
cp -r "$docs/guides" "$src/guides"
cp "$REPO_ROOT/CHANGELOG.rst" "$src/changelog.rst"

sphinx-build -q -W --keep-going -b html -c "$docs" -d "$docs/build/doctrees" "$src" "$docs/build/html"
echo "documentation: $docs/build/html/index.html"
