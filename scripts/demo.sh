#!/usr/bin/env bash
# The demo command (README): start the bundled OCO test server with a generated fleet, run
# playbooks/demo.yml against it twice (the second run must change nothing), stop the server.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ensure_venv
setup_collections_path
log=$(mktemp "${TMPDIR:-/tmp}/oco-demo-server.XXXXXX")
second_run=$(mktemp "${TMPDIR:-/tmp}/oco-demo-second-run.XXXXXX")
server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -f "$log" "$second_run"
  cleanup_collections_path
}
trap stop_server EXIT

cd "$REPO_ROOT"
PYTHONPATH="$REPO_ROOT/tests" PYTHONUNBUFFERED=1 \
  "$VENV/bin/python" -m oco_test_server --port 0 --fleet 25 >"$log" 2>&1 &
server_pid=$!

# The server announces its URL on its first line of output.
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^OCO test server listening on //p' "$log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "The OCO test server did not start:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "The OCO test server printed no URL within 10 seconds:" >&2
  cat "$log" >&2
  exit 1
fi
echo "OCO test server (25 generated computers) at $url"

# Simulated agents: every second each computer runs the jobs it has, so the deployment finishes.
"$VENV/bin/python" - "$url" <<'PY'
import json, sys, urllib.request
request = urllib.request.Request(sys.argv[1] + "/admin/agent_clock", data=json.dumps({"interval": 1}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
urllib.request.urlopen(request, timeout=10).read()
PY

# The modules run on localhost with the venv python, which has requests.
export OCO_URL="$url" OCO_USERNAME=admin OCO_PASSWORD=oco-admin-pw ANSIBLE_PYTHON_INTERPRETER="$VENV/bin/python"
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
