"""oco_installation (state absent) against the test server: remove installation records."""

from __future__ import annotations

MODULE = "oco.oco.oco_installation"


def task(**options):
    return {MODULE: options}


def setup(server):
    """A computer with Firefox 1.x and 2.x recorded as installed, plus a fleet around it."""
    admin = server.admin
    admin.generate_fleet(computers=8, groups=1, depth=1, families=2, seed=9)
    admin.sql("DELETE FROM computer_package")
    pc = admin.create_computer("pc-accounting-07")
    other = admin.create_computer("pc-accounting-08")
    old = admin.create_package("Firefox ESR", "115.0")
    new = admin.create_package("Firefox ESR", "128.0")
    records = {
        "old": admin.add_installation(pc, old),
        "new": admin.add_installation(pc, new),
        "other": admin.add_installation(other, new),
    }
    return pc, other, old, new, records


def remaining(server):
    return sorted(r["id"] for r in server.admin.sql("SELECT id FROM computer_package"))


def test_remove_by_reference_and_by_id(oco_server, run_tasks):
    pc, other, old, new, records = setup(oco_server)
    by_ref = task(computer="PC-ACCOUNTING-07", package={"family": "firefox esr", "version": "128.0"})
    by_id = task(id=records["other"])

    oco_server.admin.reset_counters()
    check = run_tasks([by_ref, by_id], check=True, diff=True)
    assert check.rc == 0 and not check.failed_tasks, str(check)
    assert oco_server.admin.counters()["writes"] == 0
    assert remaining(oco_server) == sorted(records.values())
    would_ref, would_id = check.results
    assert would_ref["changed"] is True and [r["id"] for r in would_ref["installations"]] == [records["new"]]
    assert would_ref["diff"]["before"]["installations"][0]["package_version"] == "128.0"
    assert would_ref["diff"]["after"] == {"installations": []}
    assert would_id["changed"] is True and would_id["installations"][0]["computer_id"] == other

    result = run_tasks([by_ref, by_id, by_ref, by_id, dict(by_ref, check_mode=True)], diff=True)
    assert result.rc == 0 and not result.failed_tasks, str(result)
    first_ref, first_id, again_ref, again_id, again_check = result.results
    assert first_ref["changed"] is True
    removed = first_ref["installations"][0]
    assert removed["id"] == records["new"] and removed["computer_id"] == pc and removed["package_id"] == new
    assert removed["computer_hostname"] == "pc-accounting-07" and removed["package_family_name"] == "Firefox ESR"
    assert first_ref["diff"]["before"]["installations"] == [removed]
    assert first_id["changed"] is True and first_id["installations"][0]["id"] == records["other"]
    for repeat in (again_ref, again_id, again_check):
        assert repeat["changed"] is False and repeat["installations"] == [] and "diff" not in repeat
    assert remaining(oco_server) == [records["old"]]
    assert oco_server.admin.counters()["calls"]["oco.remove_installation_assignment"] == 2


def test_family_alone_means_every_installed_version(oco_server, run_tasks):
    """An installation record is about what is on the computer: a family alone names every version there,
    as the uninstall option of oco_job_container reads it; {family, version} and an id name one package."""
    _pc, _other, old, new, records = setup(oco_server)
    result = run_tasks([dict(task(computer="pc-accounting-07", package="Firefox ESR"), check_mode=True),
                        task(computer="pc-accounting-07", package={"family": "Firefox ESR", "version": "115.0"}),
                        task(computer="pc-accounting-07", package="Firefox ESR"),
                        task(computer="pc-accounting-07", package=new)])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    check, one, family, by_id = result.results
    assert [r["id"] for r in check["installations"]] == [records["old"], records["new"]]
    assert [r["package_id"] for r in one["installations"]] == [old]
    assert [r["id"] for r in family["installations"]] == [records["new"]]
    assert by_id["changed"] is False
    assert remaining(oco_server) == [records["other"]]


def test_errors_and_permissions(oco_server, run_tasks):
    _pc, _other, _old, _new, records = setup(oco_server)
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(computer="pc-acounting-07", package="Firefox ESR"),
        task(computer="pc-accounting-07", package={"family": "Firefox ESR", "version": "12.0"}),
        task(computer="pc-accounting-07", package="Firefx ESR"),
        task(computer="pc-accounting-07", package=99999),
        task(computer="pc-accounting-07"),
        task(id=1, computer="pc-accounting-07", package="Firefox ESR"),
        task(computer="pc-accounting-07", package={"family": "Firefox ESR", "release": "1"}),
        task(id=records["old"], state="present"),
    ])
    assert all(r.get("failed") for r in result.results), str(result)
    msgs = [r["msg"] for r in result.results]
    assert "no computer matches 'pc-acounting-07' (closest: pc-accounting-07" in msgs[0]
    assert "no package of family 'Firefox ESR' matches '12.0' (closest: " in msgs[1] and "128.0" in msgs[1]
    assert "no package family matches 'Firefx ESR' (closest: Firefox ESR" in msgs[2]
    assert "no package has id 99999" in msgs[3]
    assert "parameters are required together: computer, package" in msgs[4]
    assert "mutually exclusive" in msgs[5]
    assert "invalid option package=" in msgs[6] and "{family: NAME, version: V}" in msgs[6]
    assert "value of state must be one of: absent" in msgs[7]
    assert oco_server.admin.counters()["writes"] == 0

    denied = run_tasks([task(id=records["old"]), task(computer="pc-accounting-07", package="Firefox ESR")],
                       username="reader", password="oco-reader-pw")
    for item in denied.results:
        assert item["failed"] is True
        assert "oco.remove_installation_assignment" in item["msg"] and "permission denied" in item["msg"]
    assert remaining(oco_server) == sorted(records.values())


def test_server_failure_is_reported(oco_server, run_tasks):
    _pc, _other, _old, _new, records = setup(oco_server)
    oco_server.admin.inject_fault("http500", method="oco.remove_installation_assignment")
    result = run_tasks([task(id=records["old"])])
    assert result.results[0]["failed"] is True and "HTTP 500" in result.results[0]["msg"]
    assert "Traceback" not in result.shown()
