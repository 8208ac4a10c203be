"""The playbook the failed-job rulebook runs: given the source's job_failed event as ansible-rulebook
hands it over (ansible_eda.event), it stores the job as the server shows it."""

from __future__ import annotations

import json

import oco_helpers
import oco_plays
from eda_helpers import connection, load_source
from server_api import Api

PLAYBOOK = oco_helpers.REPO_ROOT / "playbooks" / "collect_job_output.yml"
SOURCE = load_source()


def test_failed_job_event_leads_to_a_file_with_the_job_output(oco_server, tmp_path):
    admin, api = oco_server.admin, Api(oco_server)
    computers = [admin.create_computer("pc1"), admin.create_computer("pc2")]
    package = admin.create_package("Tool", "2.0")
    tracker = SOURCE["build_tracker"](SOURCE["parse_options"](connection(oco_server, events=["job_failed"]), environ={}))
    tracker.commit(tracker.poll()[1])
    container = int(api.ok("oco.job_container.deploy", {"name": "rollout-tool", "computer_ids": computers,
                                                        "package_ids": [package], "date_start": "2020-01-01 00:00:00"})["id"])
    admin.agents_run(fail_hostnames=["pc2"])
    [event] = tracker.poll()[0]

    run = oco_plays.run_playbook(PLAYBOOK, oco_server, extra_vars={"ansible_eda": {"event": event}},
                                 env={"OCO_JOB_OUTPUT_DIR": str(tmp_path)})
    assert run.rc == 0, str(run)
    written = json.loads((tmp_path / ("job-%d-%d.json" % (container, event["job_id"]))).read_text())
    assert written["job"]["computer_hostname"] == "pc2"
    assert (written["job"]["state"], written["job"]["return_code"], written["job"]["message"]) == \
        (-1, 1, "simulated agent: failure")
    assert written["job_container"]["name"] == "rollout-tool" and written["job_container"]["status"] == "failed"
    assert [p.name for p in tmp_path.iterdir()] == [f"job-{container}-{event['job_id']}.json"]
