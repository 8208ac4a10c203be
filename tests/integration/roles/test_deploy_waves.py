"""The role oco.oco.deploy rolling out in waves, with the test server's agents driven by the test.

The agents move only when the test says so: a watcher thread reads the server's counters and,
whenever the play has read the jobs of a container or created one, lets every agent process its
jobs once (or only those of the containers the test allows). Nothing depends on how fast the play
runs; the number of polls may vary, and the tests compare it with the requests the server counted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest
import yaml

import oco_helpers
import oco_plays

BASE = "Deploy Tool 1.0 to Fleet"
WAVES = [5, "30%", "100%"]           # 50 computers: 5, then 10 more, then the other 35
HOSTS = ["pc-%02d" % n for n in range(1, 51)]
WAVE_TASK = "Deploy the wave and wait for the agents"
SHOW_TASK = "Show the rollout"
FAIL_TASK = "Fail when a wave stopped the rollout"
POLL = "oco.job_container.job.list"


@pytest.fixture
def fleet(oco_server, computer_group):
    """50 computers in the group Fleet, created out of name order, and the package Tool 1.0."""
    admin = oco_server.admin
    admin.set_license(computers=100)
    # A fixed shuffle: ids do not follow the names.
    ids = computer_group("Fleet", [HOSTS[(number * 17) % 50] for number in range(50)])
    ids["package"] = admin.create_package("Tool", "1.0", install_procedure="setup.exe /S")
    admin.reset_counters()
    return ids


def wave_play(**role_vars):
    role_vars.setdefault("oco_deploy_package", {"family": "Tool", "version": "1.0"})
    role_vars.setdefault("oco_deploy_computer_groups", ["Fleet"])
    role_vars.setdefault("oco_deploy_waves", WAVES)
    role_vars.setdefault("oco_deploy_poll_interval", 0.2)
    # A wave the agents never finish fails the play instead of hanging the test.
    role_vars.setdefault("oco_deploy_wait_timeout", 180)
    return [{"name": "rollout", "hosts": "localhost", "gather_facts": False, "connection": "local",
             "roles": [{"role": "oco.oco.deploy", "vars": role_vars}]}]


class Agents:
    """Runs the simulated agents each time the server's counters show a poll or a new container.

    ``containers``: when given, only the jobs of containers with these names run. ``stop_when``:
    a container name; once it exists, the play is killed (``kill`` is set by the runner).
    """

    def __init__(self, server, fail_hostnames=(), containers=None, stop_when=None):
        self.server = server
        self.fail_hostnames = list(fail_hostnames)
        self.containers = None if containers is None else {name.lower() for name in containers}
        self.stop_when = stop_when
        self.kill = None
        self.killed = False
        self.error = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join(timeout=10)
        assert self.error is None, "the simulated agents failed: %r" % self.error

    def _container_ids(self):
        rows = self.server.admin.sql("SELECT id, name FROM job_container")
        return {row["name"].lower(): row["id"] for row in rows}

    def _watch(self):
        try:
            self._follow()
        except Exception as exc:  # pylint: disable=broad-except
            self.error = exc
            raise

    def _follow(self):
        seen = None
        while not self._done.is_set():
            calls = self.server.admin.counters()["calls"]
            now = (calls.get("oco.job_container.deploy", 0), calls.get(POLL, 0))
            if now != seen:
                seen = now
                containers = self._container_ids()
                if self.stop_when and self.stop_when.lower() in containers and self.kill and not self.killed:
                    self.killed = True
                    self.kill()
                    continue
                if self.containers is None:
                    self.server.admin.agents_run(fail_hostnames=self.fail_hostnames)
                else:
                    for name in self.containers & set(containers):
                        self.server.admin.agents_run(container_id=containers[name], fail_hostnames=self.fail_hostnames)
            # Checks the counters again soon; what the agents do does not depend on when.
            self._done.wait(0.01)


def run(server, play, agents=None, check=False, extra_vars=None, timeout=600):
    """ansible-playbook in its own process group, so that ``agents`` can kill all of it."""
    with tempfile.TemporaryDirectory(prefix="oco-waves-") as work:
        work = Path(work)
        (work / "playbook.yml").write_text(yaml.safe_dump(play, sort_keys=False), encoding="utf-8")
        record = work / "results.jsonl"
        argv = [oco_helpers._tool("ansible-playbook"), "-i", "localhost,", str(work / "playbook.yml")]
        if check:
            argv.append("--check")
        if extra_vars:
            (work / "extra_vars.json").write_text(json.dumps(extra_vars), encoding="utf-8")
            argv += ["-e", "@%s" % (work / "extra_vars.json")]
        env = oco_helpers.base_env(oco_helpers.connection_env(server))
        env.update(oco_helpers.recording_env(record, work))
        proc = subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                start_new_session=True)
        if agents is not None:
            agents.kill = lambda: os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=timeout)
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    return oco_plays.PlayRun(proc.returncode, stdout, stderr, yaml.safe_dump(play), [json.loads(line) for line in lines])


def containers(server):
    return server.admin.sql("SELECT id, name FROM job_container ORDER BY id")


def jobs_per_container(server):
    rows = server.admin.sql("SELECT o.name, c.hostname, j.state FROM job_container_job j JOIN job_container o "
                            "ON o.id = j.job_container_id JOIN computer c ON c.id = j.computer_id ORDER BY c.hostname")
    found = {}
    for row in rows:
        found.setdefault(row["name"], []).append(row["hostname"])
    return found


def wave(result, label):
    return next(w for w in result.fact("oco_deploy_result")["waves"] if w["label"] == label)


def test_three_waves_over_50_computers_succeed_in_name_order(oco_server, fleet):
    # pc-03 (wave 1) and pc-20 (wave 3) have Tool 1.0 already: the server marks their jobs.
    oco_server.admin.add_installation(fleet["pc-03"], fleet["package"])
    oco_server.admin.add_installation(fleet["pc-20"], fleet["package"])
    oco_server.admin.reset_counters()
    with Agents(oco_server):
        result = run(oco_server, wave_play())
    assert result.rc == 0, str(result)
    summary = result.fact("oco_deploy_result")
    assert summary["status"] == "succeeded" and summary["stopped_at"] is None
    assert [w["name"] for w in summary["waves"]] == [BASE + " - wave 1", BASE + " - wave 2", BASE + " - wave 3"]
    assert [w["computers"] for w in summary["waves"]] == [HOSTS[:5], HOSTS[5:15], HOSTS[15:]]
    assert [w["status"] for w in summary["waves"]] == ["succeeded"] * 3
    assert [w["gate"] for w in summary["waves"]] == ["passed"] * 3
    assert summary["already_installed"] == ["pc-03", "pc-20"]
    assert summary["succeeded"] == [h for h in HOSTS if h not in ("pc-03", "pc-20")]
    assert summary["failed"] == [] and summary["not_reached"] == [] and summary["pending"] == []
    assert summary["counts"]["succeeded"] == 48 and summary["counts"]["already_installed"] == 2
    assert summary["changed"] is True
    # one container per wave, one job per computer; the installed ones never ran
    assert jobs_per_container(oco_server) == {BASE + " - wave 1": HOSTS[:5], BASE + " - wave 2": HOSTS[5:15],
                                              BASE + " - wave 3": HOSTS[15:]}
    states = {row["hostname"]: row["state"] for row in oco_server.admin.sql(
        "SELECT c.hostname, j.state FROM job_container_job j JOIN computer c ON c.id = j.computer_id")}
    assert states["pc-03"] == states["pc-20"] == -5
    # waiting costs one request per poll, whatever the wave's size
    polls = [w["polls"] for w in summary["waves"]]
    assert all(p >= 1 for p in polls)
    assert oco_server.admin.counters()["calls"][POLL] == sum(polls)
    assert result.task(SHOW_TASK)["msg"] == [
        "Rollout '%s' in 3 waves: done" % BASE,
        "Wave 1 '%s - wave 1' (5 computers): succeeded (new) - succeeded 4, already installed 1" % BASE,
        "Wave 2 '%s - wave 2' (10 computers): succeeded (new) - succeeded 10" % BASE,
        "Wave 3 '%s - wave 3' (35 computers): succeeded (new) - succeeded 34, already installed 1" % BASE,
        "Overall: succeeded 48, failed 0, already installed 2, not reached 0",
    ]

    # A second run finds every wave done: no write, no change.
    writes = oco_server.admin.counters()["writes"]
    with Agents(oco_server):
        again = run(oco_server, wave_play())
    assert again.rc == 0, str(again)
    assert oco_server.admin.counters()["writes"] == writes
    assert again.changed == [], str(again)
    assert again.fact("oco_deploy_result")["succeeded"] == summary["succeeded"]
    assert len(containers(oco_server)) == 3


def test_failing_second_wave_stops_the_rollout_and_leaves_the_third_untouched(oco_server, fleet):
    with Agents(oco_server, fail_hostnames=["pc-07", "pc-12"]):
        result = run(oco_server, wave_play())
    assert result.rc != 0
    summary = result.fact("oco_deploy_result")
    assert summary["status"] == "stopped" and summary["stopped_at"] == "wave 2"
    assert [w["status"] for w in summary["waves"]] == ["succeeded", "failed", "not reached"]
    assert [w["gate"] for w in summary["waves"]] == ["passed", "stopped", None]
    second = wave(result, "wave 2")
    assert second["failed"] == ["pc-07", "pc-12"] and second["failed_percentage"] == 20.0
    assert len(second["succeeded"]) == 8
    assert summary["not_reached"] == HOSTS[15:]
    assert sorted(j["hostname"] for j in summary["failed_jobs"]) == ["pc-07", "pc-12"]
    # the third wave's container was never created
    assert [row["name"] for row in containers(oco_server)] == [BASE + " - wave 1", BASE + " - wave 2"]
    assert oco_server.admin.counters()["calls"].get("oco.job_container.deploy") == 2
    show = result.task(SHOW_TASK)["msg"]
    assert show[0] == "Rollout '%s' in 3 waves: stopped at wave 2 (more than 0%% of its computers failed)" % BASE
    assert show[2].endswith("failed (new) - succeeded 8, failed 2: pc-07, pc-12")
    assert show[3] == "Wave 3 '%s - wave 3' (35 computers): not reached - %s" % (BASE, ", ".join(HOSTS[15:]))
    failure = result.task(FAIL_TASK)
    assert failure["failed"] is True
    assert failure["msg"].startswith("The rollout '%s' stopped at wave 2: 2 of 10 computers failed (20.0%%, "
                                     "more than oco_deploy_max_fail_percentage 0%%): pc-07 (Tool 1.0: failed" % BASE)
    assert failure["msg"].endswith("Not reached: 35 computers.")


def test_failures_within_max_fail_percentage_let_the_rollout_go_on(oco_server, fleet):
    with Agents(oco_server, fail_hostnames=["pc-07"]):
        result = run(oco_server, wave_play(oco_deploy_max_fail_percentage=10, oco_deploy_wave_pause=1))
    assert result.rc == 0, str(result)
    # a pause between two waves, none after the last
    assert len(result.ran("Pause before the next wave")) == 2
    summary = result.fact("oco_deploy_result")
    assert summary["status"] == "failed" and summary["stopped_at"] is None
    assert [w["gate"] for w in summary["waves"]] == ["passed"] * 3
    assert summary["failed"] == ["pc-07"] and len(summary["succeeded"]) == 49
    assert result.ran(FAIL_TASK) == []


def test_interrupted_rollout_is_completed_by_a_rerun_without_duplicates(oco_server, fleet):
    # Only wave 1's agents work; the play is killed once wave 2's container exists.
    with Agents(oco_server, containers=[BASE + " - wave 1"], stop_when=BASE + " - wave 2") as agents:
        first = run(oco_server, wave_play(), agents)
    assert agents.killed and first.rc != 0
    before = containers(oco_server)
    assert [row["name"] for row in before] == [BASE + " - wave 1", BASE + " - wave 2"]
    assert oco_server.admin.sql("SELECT COUNT(*) AS n FROM job_container_job WHERE state = 0")[0]["n"] == 10

    with Agents(oco_server):
        second = run(oco_server, wave_play())
    assert second.rc == 0, str(second)
    summary = second.fact("oco_deploy_result")
    assert [w["status"] for w in summary["waves"]] == ["succeeded"] * 3
    assert [w["changed"] for w in summary["waves"]] == [False, False, True]
    assert summary["succeeded"] == HOSTS
    after = containers(oco_server)
    assert after[:2] == before and [row["name"] for row in after] == [BASE + " - wave %d" % n for n in (1, 2, 3)]
    # one job per computer over all containers: nothing deployed twice, nothing skipped
    hosts = [row["hostname"] for row in oco_server.admin.sql(
        "SELECT c.hostname FROM job_container_job j JOIN computer c ON c.id = j.computer_id ORDER BY c.hostname")]
    assert hosts == HOSTS
    assert jobs_per_container(oco_server)[BASE + " - wave 2"] == HOSTS[5:15]


def test_a_new_computer_joins_the_next_wave_on_a_rerun(oco_server, fleet):
    """A target added after wave 1 sorts into wave 1's range; the next wave created takes it."""
    with Agents(oco_server, containers=[BASE + " - wave 1"], stop_when=BASE + " - wave 2") as agents:
        run(oco_server, wave_play(oco_deploy_waves=[5, "100%"]), agents)
    assert agents.killed
    # remove wave 2, as an administrator would after stopping it, and add pc-00 to the group
    oco_server.admin.sql("DELETE FROM job_container_job WHERE job_container_id = "
                         "(SELECT id FROM job_container WHERE name = ?)", (BASE + " - wave 2",))
    oco_server.admin.sql("DELETE FROM job_container WHERE name = ?", (BASE + " - wave 2",))
    new = oco_server.admin.create_computer("pc-00")
    group = oco_server.admin.sql("SELECT id FROM computer_group WHERE name = 'Fleet'")[0]["id"]
    oco_server.admin.add_computer_to_group(new, group)
    with Agents(oco_server):
        result = run(oco_server, wave_play(oco_deploy_waves=[5, "100%"]))
    assert result.rc == 0, str(result)
    assert wave(result, "wave 1")["computers"] == HOSTS[:5]
    assert wave(result, "wave 2")["computers"] == ["pc-00"] + HOSTS[5:]


def test_check_mode_shows_the_waves_and_writes_nothing(oco_server, fleet):
    # the waves as one string, as -e gives them
    result = run(oco_server, wave_play(oco_deploy_waves="5, 30%, 100%"), check=True)
    assert result.rc == 0, str(result)
    assert oco_server.admin.counters()["writes"] == 0
    assert containers(oco_server) == []
    summary = result.fact("oco_deploy_result")
    assert summary["status"] is None
    assert [w["status"] for w in summary["waves"]] == ["would be created"] * 3
    assert [w["computers"] for w in summary["waves"]] == [HOSTS[:5], HOSTS[5:15], HOSTS[15:]]
    # the module resolved each wave's computers as it would send them
    requested = [[c["hostname"] for c in r["result"]["request"]["computers"]] for r in result.ran(WAVE_TASK)]
    assert requested == [HOSTS[:5], HOSTS[5:15], HOSTS[15:]]
    show = result.task(SHOW_TASK)["msg"]
    assert show[0] == "Rollout '%s' in 3 waves: would run as planned below" % BASE
    assert show[1] == "Wave 1 '%s - wave 1' (5 computers): would be created - %s" % (BASE, ", ".join(HOSTS[:5]))


def test_check_mode_with_a_package_still_to_create_shows_the_waves(oco_server, fleet):
    package = {"family": "Tool", "version": "2.0", "install_procedure": "setup.exe /S"}
    result = run(oco_server, wave_play(oco_deploy_package=package), check=True)
    assert result.rc == 0, str(result)
    assert oco_server.admin.counters()["writes"] == 0
    assert result.ran(WAVE_TASK) == []          # nothing to resolve: the package does not exist yet
    summary = result.fact("oco_deploy_result")
    assert summary["status"] is None
    assert [(w["status"], w["computers"]) for w in summary["waves"]] == [
        ("would be created", HOSTS[:5]), ("would be created", HOSTS[5:15]), ("would be created", HOSTS[15:])]
    show = result.task(SHOW_TASK)["msg"]
    assert show[1] == "Package Tool 2.0 would be created"
    assert show[2] == "Wave 1 'Deploy Tool 2.0 to Fleet - wave 1' (5 computers): would be created - %s" % ", ".join(HOSTS[:5])


def test_canary_goes_first_then_the_rest_by_name(oco_server, fleet):
    with Agents(oco_server):
        result = run(oco_server, wave_play(oco_deploy_computer_groups=[], oco_deploy_waves=["50%", "100%"],
                                           oco_deploy_computers=HOSTS[:6], oco_deploy_canary=["PC-05", str(fleet["pc-40"])]))
    assert result.rc == 0, str(result)
    summary = result.fact("oco_deploy_result")
    assert [(w["label"], w["computers"]) for w in summary["waves"]] == [
        ("canary", ["pc-05", "pc-40"]), ("wave 1", ["pc-01", "pc-02"]), ("wave 2", ["pc-03", "pc-04", "pc-06"])]
    assert summary["waves"][0]["name"] == "Deploy Tool 1.0 to %s - canary" % ", ".join(HOSTS[:6])


@pytest.mark.parametrize("waves, expected", [
    ([], "oco_deploy_waves is empty"),
    ([0, "100%"], "oco_deploy_waves[0] = 0: a wave needs at least 1 computer"),
    (["10%", "150%"], 'oco_deploy_waves[1] = "150%": a percentage must lie above 0% and at most 100%'),
    (["0%", "100%"], 'oco_deploy_waves[0] = "0%": a percentage must lie above 0% and at most 100%'),
    ([10, 5, "100%"], "oco_deploy_waves[1] = 5: not above the earlier wave of 10"),
    (["50%", "20%"], 'oco_deploy_waves[1] = "20%": not above the earlier wave of 50.0%'),
    (["100%", 60], 'oco_deploy_waves[1] = 60: no wave can follow "100%"'),
    (["ten", "100%"], 'oco_deploy_waves[0] = "ten": a wave is a number of computers'),
    ([True], "oco_deploy_waves[0] = true: a wave is a number of computers"),
])
def test_bad_waves_fail_naming_the_option_before_any_request(oco_server, fleet, waves, expected):
    result = run(oco_server, wave_play(oco_deploy_waves=waves))
    assert result.rc != 0
    failure = result.task("Check the waves")
    assert failure["failed"] is True and expected in failure["msg"], failure["msg"]
    assert oco_server.admin.counters()["http_requests"] == 0


@pytest.mark.parametrize("role_vars, expected", [
    ({"oco_deploy_max_fail_percentage": 120}, "oco_deploy_max_fail_percentage = 120"),
    ({"oco_deploy_wave_pause": -1}, "oco_deploy_wave_pause = -1"),
    ({"oco_deploy_wait": False}, "oco_deploy_wait = false"),
    ({"oco_deploy_canary": [""]}, 'oco_deploy_canary[0] = "": a computer is a host name or an id'),
])
def test_bad_rollout_options_fail_before_any_request(oco_server, fleet, role_vars, expected):
    result = run(oco_server, wave_play(**role_vars))
    assert result.rc != 0
    failure = result.task("Check the waves")
    assert failure["failed"] is True and expected in failure["msg"], failure["msg"]
    assert oco_server.admin.counters()["http_requests"] == 0


def test_waves_that_miss_targets_or_unknown_canary_fail_before_any_write(oco_server, fleet):
    result = run(oco_server, wave_play(oco_deploy_waves=[5, 10], oco_deploy_canary=["pc-99"]))
    assert result.rc != 0
    message = result.task("Check the plan")["msg"]
    assert 'oco_deploy_canary[0] = "pc-99": no such computer on the server' in message
    assert 'oco_deploy_waves = [5, 10]: the last wave reaches 10 of the 50 target computers; end the list with "100%"' in message
    assert oco_server.admin.counters()["writes"] == 0


def test_example_playbook_rolls_out_a_group_in_waves(oco_server, fleet):
    play = yaml.safe_load((oco_helpers.REPO_ROOT / "playbooks" / "rollout_waves.yml").read_text(encoding="utf-8"))
    extra = {"rollout_family": "Tool", "rollout_version": "1.0", "rollout_group": "Fleet", "rollout_canary": ["pc-50"],
             "rollout_waves": [5, "100%"], "rollout_poll_interval": 0.2}
    checked = run(oco_server, play, check=True, extra_vars=extra)
    assert checked.rc == 0, str(checked)
    assert oco_server.admin.counters()["writes"] == 0
    with Agents(oco_server):
        result = run(oco_server, play, extra_vars=extra)
    assert result.rc == 0, str(result)
    name = "Rollout Tool 1.0 to Fleet"
    assert jobs_per_container(oco_server) == {name + " - canary": ["pc-50"], name + " - wave 1": HOSTS[:4],
                                              name + " - wave 2": HOSTS[4:49]}
    assert [w["computers"] for w in checked.fact("oco_deploy_result")["waves"]] == [["pc-50"], HOSTS[:4], HOSTS[4:49]]
