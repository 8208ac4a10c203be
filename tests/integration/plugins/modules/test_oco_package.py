"""oco.oco.oco_package against the bundled test server."""

from __future__ import annotations

import base64
import io
import threading
import time
import zipfile

MODULE = "oco.oco.oco_package"
INSTALL = "msiexec /quiet /i setup.msi"


def task(**args):
    args.setdefault("install_procedure", INSTALL)
    return {MODULE: args}


def packages(server):
    return server.admin.sql("SELECT p.id, pf.name AS family, p.version, p.notes FROM package p "
                            "JOIN package_family pf ON pf.id = p.package_family_id ORDER BY p.id")


def stored_zip(server, package_id):
    blob = server.admin.package_zip(package_id)
    return None if blob is None else base64.b64decode(blob)


def make_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def add_pending_job(server, package_id):
    computer = server.admin.create_computer("pc-01")
    server.admin.sql("INSERT INTO job_container (name, start_time) VALUES ('rollout', '2026-01-01 00:00:00')")
    server.admin.sql("INSERT INTO job_container_job (job_container_id, computer_id, package_id, state) "
                     "SELECT id, ?, ?, 0 FROM job_container WHERE name = 'rollout'", (computer, package_id))


def test_create_with_each_kind_of_payload(oco_server, run_tasks, tmp_path):
    single = tmp_path / "setup.msi"
    single.write_bytes(b"MSI installer bytes")
    (tmp_path / "readme.txt").write_text("read me")
    tree = tmp_path / "tree"
    (tree / "bin").mkdir(parents=True)
    (tree / "install.cmd").write_text("@echo off")
    (tree / "bin" / "tool.exe").write_bytes(b"\x00tool")
    archive = tmp_path / "ready.zip"
    archive.write_bytes(make_zip({"a/b.txt": "b", "c.txt": "c"}))

    result = run_tasks([
        task(family="Single", version="1.0", files=[str(single)]),
        task(family="Several", version="1.0", files=[str(single), str(tmp_path / "readme.txt"), str(tree)]),
        task(family="Directory", version="1.0", files=[str(tree)]),
        task(family="Zip", version="1.0", files=[str(archive)]),
        task(family="Empty", version="1.0"),
        task(family="Single", version="1.0", files=[str(single)]),
    ])
    assert not result.failed_tasks, result
    single_r, several, directory, zipped, empty, repeat = result.results
    for created in (single_r, several, directory, zipped, empty):
        assert created["changed"] is True
        package = created["package"]
        assert isinstance(package["id"], int) and isinstance(package["package_family_id"], int)
        assert package["install_procedure"] == INSTALL
    assert single_r["package"]["package_family_name"] == "Single" and single_r["package"]["version"] == "1.0"
    admin = oco_server.admin
    assert admin.package_zip_members(single_r["package"]["id"]) == ["setup.msi"]
    assert sorted(admin.package_zip_members(several["package"]["id"])) == ["bin/tool.exe", "install.cmd", "readme.txt", "setup.msi"]
    assert sorted(admin.package_zip_members(directory["package"]["id"])) == ["bin/tool.exe", "install.cmd"]
    with zipfile.ZipFile(io.BytesIO(stored_zip(oco_server, directory["package"]["id"]))) as stored:
        assert stored.read("bin/tool.exe") == b"\x00tool"
    assert stored_zip(oco_server, zipped["package"]["id"]) == archive.read_bytes()
    assert admin.package_zip_members(empty["package"]["id"]) is None
    assert repeat["changed"] is False and repeat["package"]["id"] == single_r["package"]["id"]
    assert len(packages(oco_server)) == 5


def test_every_option_is_sent_and_compared_normalised(oco_server, run_tasks):
    options = dict(
        family="Firefox", version="128.0", description="Browser",
        install_procedure_success_return_codes=[0, 3010], install_procedure_post_action="exit_agent",
        uninstall_procedure="msiexec /x $$ProductCode$$", uninstall_procedure_success_return_codes=[],
        uninstall_procedure_post_action="shutdown", download_for_uninstall=True, upgrade_behavior="explicit_uninstall",
        compatible_os=["Windows 10 Pro", "Windows 11 Pro"], compatible_os_version=["10.0.19045"],
        compatible_architecture=["AMD64"], license_count=5, line_endings="\n")
    reordered = dict(options)
    reordered.update(install_procedure_success_return_codes=[3010, 0], compatible_os=["Windows 11 Pro", "Windows 10 Pro"])
    result = run_tasks([task(**options), task(**reordered), task(family="firefox", version="128.0")])
    assert not result.failed_tasks, result
    created, repeat, names_only = result.results
    package = created["package"]
    assert created["changed"] is True
    assert package["notes"] == "Browser"
    assert package["install_procedure_success_return_codes"] == "0,3010"
    assert package["install_procedure_post_action"] == 3
    assert package["uninstall_procedure_success_return_codes"] == ""
    assert package["uninstall_procedure_post_action"] == 2
    assert package["download_for_uninstall"] == 1 and package["upgrade_behavior"] == 2
    assert package["compatible_os"] == "Windows 10 Pro\nWindows 11 Pro"
    assert package["compatible_architecture"] == "AMD64" and package["license_count"] == 5
    assert package["line_endings"] == "\n"
    assert repeat["changed"] is False and names_only["changed"] is False


def test_unset_options_get_the_api_defaults(oco_server, run_tasks):
    result = run_tasks([task(family="Defaults", version="1")])
    package = result[0]["package"]
    assert package["upgrade_behavior"] == 0
    assert package["install_procedure_success_return_codes"] == "0"
    assert package["install_procedure_post_action"] == 0 and package["download_for_uninstall"] == 0


def test_differing_options_fail_with_the_list_and_delete_nothing(oco_server, run_tasks):
    existing = oco_server.admin.create_package("Firefox", "128.0", install_procedure=INSTALL, notes="Browser",
                                               install_procedure_success_return_codes="0,3010", upgrade_behavior=1)
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(family="Firefox", version="128.0", description="Other", install_procedure_success_return_codes=[0],
             upgrade_behavior="installer_removes_previous", install_procedure_post_action="restart"),
    ])
    failed = result[0]
    assert failed["failed"] is True
    message = failed["msg"]
    assert "Firefox 128.0 (id %d)" % existing in message and "cannot change a package" in message
    assert "description (stored 'Browser', wanted 'Other')" in message
    assert "install_procedure_success_return_codes (stored [0, 3010], wanted [0])" in message
    assert "install_procedure_post_action (stored 'none', wanted 'restart')" in message
    assert "upgrade_behavior" not in message
    assert [p["id"] for p in packages(oco_server)] == [existing]
    assert oco_server.admin.counters()["writes"] == 0


def test_check_mode_sends_no_write(oco_server, run_tasks, tmp_path):
    payload = tmp_path / "setup.msi"
    payload.write_bytes(b"bytes")
    existing = oco_server.admin.create_package("Old", "1", install_procedure=INSTALL)
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(family="New", version="1", files=[str(payload)]),
        task(family="Old", version="1", state="absent"),
    ], check=True)
    assert not result.failed_tasks, result
    create, remove = result.results
    assert create["changed"] is True and create["package"] == {}
    assert remove["changed"] is True
    assert oco_server.admin.counters()["writes"] == 0
    assert [p["id"] for p in packages(oco_server)] == [existing]


def test_diff(oco_server, run_tasks, tmp_path):
    payload = tmp_path / "setup.msi"
    payload.write_bytes(b"bytes")
    result = run_tasks([
        task(family="Diff", version="2", description="d", install_procedure_success_return_codes=[0, 1],
             compatible_os=["Windows 11 Pro"], files=[str(payload)]),
        task(family="Diff", version="2", state="absent"),
    ], diff=True)
    assert not result.failed_tasks, result
    create, remove = result.results
    assert create["diff"]["before"] == {"state": "absent"}
    after = create["diff"]["after"]
    assert after["family"] == "Diff" and after["version"] == "2" and after["state"] == "present"
    assert after["description"] == "d" and after["install_procedure"] == INSTALL
    assert after["install_procedure_success_return_codes"] == [0, 1]
    assert after["compatible_os"] == ["Windows 11 Pro"] and after["upgrade_behavior"] == "keep_other_versions"
    assert after["files"] == [str(payload)]
    assert remove["diff"]["before"]["description"] == "d" and remove["diff"]["before"]["state"] == "present"
    assert remove["diff"]["after"] == {"state": "absent"}


def test_remove_and_repeat(oco_server, run_tasks):
    oco_server.admin.create_package("Gone", "1", install_procedure=INSTALL)
    oco_server.admin.create_package("Gone", "2", install_procedure=INSTALL)
    result = run_tasks([
        task(family="gone", version="1", state="absent"),
        task(family="Gone", version="1", state="absent"),
        task(family="Never", version="1", state="absent"),
    ])
    assert not result.failed_tasks, result
    removed, repeat, never = result.results
    assert removed["changed"] is True and removed["package"] == {} and removed["pending_jobs"] == 0
    assert repeat["changed"] is False and never["changed"] is False
    assert [(p["family"], p["version"]) for p in packages(oco_server)] == [("Gone", "2")]


def test_pending_jobs_need_force(oco_server, run_tasks):
    package = oco_server.admin.create_package("Busy", "1", install_procedure=INSTALL)
    add_pending_job(oco_server, package)
    result = run_tasks([
        task(family="Busy", version="1", state="absent"),
        task(family="Busy", version="1", state="absent", force=True),
    ])
    refused, forced = result.results
    assert refused["failed"] is True
    assert "1 pending job (in rollout)" in refused["msg"] and "force: true" in refused["msg"]
    assert forced["changed"] is True and forced["pending_jobs"] == 1
    assert packages(oco_server) == []
    assert oco_server.admin.sql("SELECT COUNT(*) AS n FROM job_container_job")[0]["n"] == 0


def test_dependent_packages_need_force(oco_server, run_tasks):
    base = oco_server.admin.create_package("Runtime", "1", install_procedure=INSTALL)
    app = oco_server.admin.create_package("App", "1", install_procedure=INSTALL)
    oco_server.admin.add_package_dependency(app, base)
    result = run_tasks([
        task(family="Runtime", version="1", state="absent"),
        task(family="Runtime", version="1", state="absent", force=True),
    ])
    refused, forced = result.results
    assert refused["failed"] is True
    assert "dependent packages" in refused["msg"] and "force: true" in refused["msg"]
    assert forced["changed"] is True
    assert [p["id"] for p in packages(oco_server)] == [app]


def test_read_only_user_is_refused(oco_server, run_tasks):
    oco_server.admin.create_package("Locked", "1", install_procedure=INSTALL)
    result = run_tasks([
        task(family="New", version="1"),
        task(family="Locked", version="1", state="absent"),
        task(family="Locked", version="1"),
    ], username="reader", password="oco-reader-pw")
    create, remove, unchanged = result.results
    assert create["failed"] is True and "oco.package.create" in create["msg"] and "permission denied" in create["msg"]
    assert remove["failed"] is True and "oco.package.remove" in remove["msg"] and "permission denied" in remove["msg"]
    assert unchanged["changed"] is False and not unchanged.get("failed")
    assert len(packages(oco_server)) == 1


def test_licence_exceeded(oco_server, run_tasks):
    for number in range(21):
        oco_server.admin.create_computer("pc-%02d" % number)
    result = run_tasks([task(family="Licensed", version="1")])
    assert result[0]["failed"] is True
    assert "license is invalid" in result[0]["msg"] and "oco.package.create" in result[0]["msg"]
    assert packages(oco_server) == []


def test_invalid_values_are_named_before_any_request(oco_server, run_tasks, tmp_path):
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    zero = tmp_path / "zero.txt"
    zero.write_bytes(b"0")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "same.txt").write_text("1")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "same.txt").write_text("2")
    (tmp_path / "hollow").mkdir()
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(family="F", version="1", install_procedure_post_action="reboot"),
        task(family="F", version="1", uninstall_procedure_post_action="exit_agent"),
        task(family="F", version="1", upgrade_behavior="replace"),
        task(family="F", version="1", license_count=-1),
        task(family="F", version="0"),
        task(family=" ", version="1"),
        task(family="F", version="1", install_procedure=""),
        {MODULE: {"family": "F", "version": "1"}},
        task(family="F", version="1", install_procedure_success_return_codes=["ok"]),
        task(family="F", version="1", compatible_os=["Windows 11", ""]),
        task(family="F", version="1", files=[str(tmp_path / "missing.msi")]),
        task(family="F", version="1", files=[str(empty)]),
        task(family="F", version="1", files=[str(zero)]),
        task(family="F", version="1", files=[str(tmp_path / "a"), str(tmp_path / "b")]),
        task(family="F", version="1", files=[str(tmp_path / "hollow")]),
    ])
    messages = [r.get("msg", "") for r in result.results]
    assert all(r.get("failed") for r in result.results), result
    expected = [
        ("install_procedure_post_action", "reboot"), ("uninstall_procedure_post_action", "exit_agent"),
        ("upgrade_behavior", "replace"), ("license_count", "-1"), ("version", "'0'"), ("family", "' '"),
        ("install_procedure", "''"), ("install_procedure", ""), ("install_procedure_success_return_codes", "ok"),
        ("compatible_os", "''"), ("files", "missing.msi"), ("files", "empty.bin"), ("files", "zero.txt"),
        ("files", "same.txt"), ("files", "hollow"),
    ]
    for message, (option, value) in zip(messages, expected):
        assert option in message and value in message, message
    assert oco_server.admin.counters()["http_requests"] == 0


def test_lost_answer_is_reconciled_without_a_second_create(oco_server, run_tasks, tmp_path):
    payload = tmp_path / "setup.msi"
    payload.write_bytes(b"bytes")
    oco_server.admin.inject_fault("commit_drop", method="oco.package.create")
    result = run_tasks([task(family="Lossy", version="1", description="d", files=[str(payload)])])
    assert not result.failed_tasks, result
    assert result[0]["changed"] is True and result[0]["package"]["version"] == "1"
    assert oco_server.admin.counters()["calls"]["oco.package.create"] == 1
    assert len(packages(oco_server)) == 1


def test_package_created_meanwhile_by_someone_else(oco_server, run_tasks):
    # The create is held for a while; meanwhile another client creates the same package.
    oco_server.admin.inject_fault("latency", method="oco.package.create", seconds=2)

    def create_meanwhile():
        deadline = time.monotonic() + 60
        while oco_server.admin.faults() and time.monotonic() < deadline:
            time.sleep(0.05)
        oco_server.admin.create_package("Raced", "1", install_procedure=INSTALL, notes="d")

    other = threading.Thread(target=create_meanwhile)
    other.start()
    result = run_tasks([task(family="Raced", version="1", description="d"),
                        task(family="Raced", version="1", description="other")])
    other.join()
    same, differing = result.results
    assert same["changed"] is False and not same.get("failed"), result
    assert same["package"]["notes"] == "d"
    assert oco_server.admin.counters()["calls"]["oco.package.create"] == 1  # refused: it existed by then
    assert differing["failed"] is True and "description (stored 'd', wanted 'other')" in differing["msg"]
    assert len(packages(oco_server)) == 1
