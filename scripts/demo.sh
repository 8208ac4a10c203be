#!/usr/bin/env bash
# The demo command (README): start the bundled OCO test server with a generated fleet and simulated
# agents, run playbooks/demo.yml against it, stop the server.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
setup_collections_path
trap 'stop_test_server; cleanup_collections_path' EXIT

cd "$REPO_ROOT"
# Simulated agents: every second each computer runs the jobs it has, so the deployment finishes
# while the playbook waits for it.
start_test_server --fleet 25 --agents 1
echo "OCO test server (25 generated computers) at $OCO_SERVER_URL"

# The modules run on localhost with the venv python, which has requests.
export OCO_URL="$OCO_SERVER_URL" OCO_USERNAME=admin OCO_PASSWORD=oco-admin-pw ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
ansible-playbook -i localhost, playbooks/demo.yml
