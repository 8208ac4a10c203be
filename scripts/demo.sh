#!/usr/bin/env bash
# The demo command (README): start the bundled OCO test server with a generated fleet and simulated
# agents, run playbooks/demo.yml against it twice (the second run must change nothing), stop the server.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
setup_collections_path
second_run=$(mktemp "${TMPDIR:-/tmp}/oco-demo-second-run.XXXXXX")
trap 'stop_test_server; cleanup_collections_path; rm -f "$second_run"' EXIT

cd "$REPO_ROOT"
# Simulated agents: every second each computer runs the jobs it has, so the deployment finishes
# while the playbook waits for it.
start_test_server --fleet 25 --agents 1
echo "OCO test server (25 generated computers) at $OCO_SERVER_URL"

# The modules run on localhost with the venv python, which has requests.
export OCO_URL="$OCO_SERVER_URL" OCO_USERNAME=admin OCO_PASSWORD=oco-admin-pw ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
echo "First run: register, publish, deploy"
ansible-playbook -i localhost, playbooks/demo.yml

# The README promises that a second run against the same server changes nothing: prove it, and
# fail the demo when a recap line of the second run shows anything but changed=0.
echo "Second run against the same server: nothing is left to change"
ansible-playbook -i localhost, playbooks/demo.yml | tee "$second_run"
if ! recap_shows_no_change "$second_run"; then
  echo "The second run changed something (recap above); it should report changed=0 for every host." >&2
  exit 1
fi
