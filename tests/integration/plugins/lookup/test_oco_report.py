"""The oco_report lookup through ansible-playbook: options as keyword arguments and OCO_* env vars."""

from __future__ import annotations


def fact(expression):
    return {"ansible.builtin.set_fact": {"rows": expression}}


def rows_of(result):
    return result["ansible_facts"]["rows"]


def windows_rows(server):
    return server.admin.sql("SELECT id AS computer_id, hostname, os FROM computer WHERE os LIKE 'Windows%' "
                            "ORDER BY hostname")


def test_env_vars(oco_server, run_tasks):
    fleet = oco_server.admin.generate_fleet(computers=10, groups=1, depth=1, families=2, seed=13)
    ubuntu_id = fleet["report_ids"]["ubuntu_computers"]
    empty = oco_server.admin.create_report("Nobody", "SELECT hostname FROM computer WHERE 1 = 0")
    result = run_tasks([
        fact("{{ query('oco.oco.oco_report', 'windows computers') }}"),
        fact("{{ lookup('oco.oco.oco_report', 'Windows computers', %d, wantlist=True) }}" % ubuntu_id),
        fact("{{ query('oco.oco.oco_report', 'Nobody') }}"),
        fact("{{ query('oco.oco.oco_report', %d) | map(attribute='hostname') | list }}" % ubuntu_id),
    ], connection_via="env", check=True)
    assert result.rc == 0 and not result.failed_tasks, str(result)
    windows = windows_rows(oco_server)
    ubuntu = oco_server.admin.sql("SELECT id AS computer_id, hostname FROM computer WHERE os LIKE 'Ubuntu%' "
                                  "ORDER BY hostname")
    assert windows and ubuntu and empty
    assert rows_of(result.results[0]) == windows
    assert rows_of(result.results[1]) == windows + ubuntu
    assert rows_of(result.results[2]) == []
    assert rows_of(result.results[3]) == [r["hostname"] for r in ubuntu]
    assert isinstance(rows_of(result.results[0])[0]["computer_id"], int)
    assert oco_server.admin.counters()["writes"] == 0


def test_options_as_keyword_arguments(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=6, groups=1, depth=1, families=1, seed=14)
    call = ("{{ query('oco.oco.oco_report', 'Windows computers', url=oco_url, username='%s', password='%s', "
            "timeout=10, validate_certs=false) }}")
    result = run_tasks([fact(call % ("admin", "oco-admin-pw")), fact(call % ("reader", "oco-reader-pw"))],
                       vars={"oco_url": oco_server.url}, env={"OCO_URL": None, "OCO_USERNAME": None, "OCO_PASSWORD": None})
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert rows_of(result.results[0]) == windows_rows(oco_server)
    assert rows_of(result.results[1]) == rows_of(result.results[0])


def test_keyword_arguments_override_env(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=4, groups=1, depth=1, families=1, seed=15)
    result = run_tasks([fact("{{ query('oco.oco.oco_report', 'Windows computers', password='oco-admin-pw') }}")],
                       connection_via="env", env={"OCO_PASSWORD": "wrong-Pässwörd"})
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert rows_of(result.results[0]) == windows_rows(oco_server)


def test_errors(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=1, seed=16)
    oco_server.admin.create_report("Broken", "SELECT nothing_here FROM computer")
    result = run_tasks([
        fact("{{ query('oco.oco.oco_report', 'Windows computer') }}"),
        fact("{{ query('oco.oco.oco_report', 424242) }}"),
        fact("{{ query('oco.oco.oco_report', 'Broken') }}"),
        fact("{{ query('oco.oco.oco_report', 'Windows computers', usrname='admin') }}"),
    ], connection_via="env", via="playbook")
    msgs = [r["msg"] for r in result.results]
    assert all(r["failed"] for r in result.results), str(result)
    assert "oco.oco.oco_report: no report matches 'Windows computer' (closest: Windows computers" in msgs[0]
    assert "no report has id 424242" in msgs[1]
    assert "the server reported an error" in msgs[2] and "nothing_here" in msgs[2]
    assert "oco.oco.oco_report: unknown option(s) usrname; the options are url, username" in msgs[3]

    denied = run_tasks([fact("{{ query('oco.oco.oco_report', 'Windows computers') }}")],
                       connection_via="env", password="secret-Pässwörd-42", via="playbook")
    assert denied.results[0]["failed"] is True
    assert "login as 'admin' refused (HTTP 401)" in denied.results[0]["msg"]
    assert "secret-Pässwörd-42" not in denied.stdout + denied.stderr + str(denied.results)

    missing = run_tasks([fact("{{ query('oco.oco.oco_report', 'Windows computers') }}")], connection_via="env",
                        env={"OCO_URL": None}, via="playbook")
    assert missing.results[0]["failed"] is True and "url" in missing.results[0]["msg"]
    assert "Traceback" not in result.stdout + result.stderr + missing.stdout + missing.stderr
