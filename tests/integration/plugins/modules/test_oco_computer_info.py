"""oco_computer_info against the test server: listing, lookups, group members, details in batches."""

from __future__ import annotations

MODULE = "oco.oco.oco_computer_info"


def task(**options):
    return {MODULE: options}


def hostnames(result):
    return [c["hostname"] for c in result["computers"]]


def sql_members(server, group_ids):
    marks = ",".join("?" * len(group_ids))
    rows = server.admin.sql(
        "SELECT DISTINCT c.hostname FROM computer c JOIN computer_group_member m ON m.computer_id = c.id "
        "WHERE m.computer_group_id IN (%s) ORDER BY c.hostname" % marks, list(group_ids))
    return [r["hostname"] for r in rows]


def test_list_lookup_and_group_members(oco_server, run_tasks):
    fleet = oco_server.admin.generate_fleet(computers=30, groups=8, depth=2, families=2, seed=3)
    root = fleet["group_levels"][0][0]
    children = [r["id"] for r in oco_server.admin.sql(
        "SELECT id FROM computer_group WHERE parent_computer_group_id = ?", [root])]
    assert children, "the fleet gives the first root group children"
    root_name = oco_server.admin.sql("SELECT name FROM computer_group WHERE id = ?", [root])[0]["name"]
    child = oco_server.admin.sql("SELECT id, name FROM computer_group WHERE id = ?", [children[0]])[0]
    empty = oco_server.admin.create_computer_group("Empty lab", parent_id=root)
    target = oco_server.admin.sql("SELECT id, hostname FROM computer ORDER BY id LIMIT 1 OFFSET 4")[0]

    result = run_tasks([
        task(),
        task(hostname="  " + target["hostname"].upper()),
        task(id=target["id"]),
        task(computer_group=root_name),
        task(computer_group=root_name, recurse=True),
        task(computer_group="%s/%s" % (root_name, child["name"])),
        task(computer_group=child["id"]),
        task(computer_group="Empty lab", recurse=True),
        dict(task(computer_group=root_name, recurse=True), check_mode=True),
    ])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    everything, by_name, by_id, direct, recursive, by_path, by_group_id, empty_group, checked = result.results

    all_names = [r["hostname"] for r in oco_server.admin.sql("SELECT hostname FROM computer ORDER BY hostname")]
    assert hostnames(everything) == all_names and len(all_names) == 30
    first = everything["computers"][0]
    assert isinstance(first["id"], int) and isinstance(first["uptime"], int)
    assert "agent_key" not in first and "server_key" not in first
    assert "networks" not in first  # only with details

    assert hostnames(by_name) == [target["hostname"]]
    assert by_id["computers"] == by_name["computers"]

    assert hostnames(direct) == sql_members(oco_server, [root])
    descendants = [root] + [r["id"] for r in oco_server.admin.sql(
        "WITH RECURSIVE d(id) AS (SELECT id FROM computer_group WHERE parent_computer_group_id = ? UNION ALL "
        "SELECT g.id FROM computer_group g JOIN d ON g.parent_computer_group_id = d.id) SELECT id FROM d", [root])]
    assert hostnames(recursive) == sql_members(oco_server, descendants)
    assert len(recursive["computers"]) > len(direct["computers"])
    assert recursive["computer_group"] == {"id": root, "name": root_name, "parent_computer_group_id": None,
                                           "path": root_name}
    assert hostnames(by_path) == sql_members(oco_server, [child["id"]])
    assert by_path["computer_group"]["path"] == "%s/%s" % (root_name, child["name"])
    assert by_group_id["computers"] == by_path["computers"]
    assert empty_group["computers"] == [] and empty_group["computer_group"]["id"] == empty
    assert checked["changed"] is False and checked["computers"] == recursive["computers"]
    for item in result.results:
        assert item["changed"] is False
    assert oco_server.admin.counters()["writes"] == 0


def test_details_come_in_batches(oco_server, run_tasks):
    fleet = oco_server.admin.generate_fleet(computers=12, groups=3, depth=1, families=2, seed=5)
    cid = fleet["computer_ids"][0]
    oco_server.admin.set_inventory(
        cid, logins=[{"username": "alice", "display_name": "Alice Example", "timestamp": "2026-11-30 08:00:00"}],
        screens=[{"name": "DELL U2720Q", "manufacturer": "DEL", "active": 1}],
        printers=[{"name": "Office printer", "driver": "PCL6"}],
        filesystems=[{"device": "C:", "mountpoint": "C:\\", "filesystem": "NTFS", "size": 512, "free": 100}],
        software=[{"name": "7-Zip", "version": "23.01"}])
    package_id = fleet["package_ids"][0]
    oco_server.admin.sql("DELETE FROM computer_package WHERE computer_id = ?", [cid])
    record = oco_server.admin.add_installation(cid, package_id)

    oco_server.admin.reset_counters()
    result = run_tasks([task(details=True), dict(task(details=True, batch_size=5), check_mode=True)], via="playbook")
    assert result.rc == 0 and not result.failed_tasks, str(result)
    counters = oco_server.admin.counters()
    assert counters["calls"]["oco.computer.get"] == 24
    # one list call and one batch (first run), one list call and three batches of 5 (second run),
    # plus the dialect probe of each run
    assert counters["http_requests"] <= 2 + 2 + 4 + 2, counters
    full, chunked = result.results
    assert full["computers"] == chunked["computers"]
    pc = next(c for c in full["computers"] if c["id"] == cid)
    assert pc["created_by_system_user_username"] == "admin"
    assert pc["logins"][0]["domain_user_username"] == "alice"
    assert pc["screens"][0]["name"] == "DELL U2720Q"
    assert pc["printers"][0]["name"] == "Office printer"
    assert pc["filesystems"][0]["filesystem"] == "NTFS"
    assert [s["software_name"] for s in pc["recognised_software"]] == ["7-Zip"]
    assert [(p["id"], p["package_id"]) for p in pc["installed_packages"]] == [(record, package_id)]
    assert pc["networks"][0]["mac"].startswith("02:00:")
    assert pc["groups"] and all(isinstance(g["id"], int) for g in pc["groups"])
    assert pc["pending_jobs"] == []
    for computer in full["computers"]:
        assert "agent_key" not in computer and "server_key" not in computer
    assert "agent_key" not in result.stdout


def test_empty_server_and_reader(oco_server, run_tasks):
    result = run_tasks([task(), task(details=True)])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert result.results[0]["computers"] == [] and result.results[1]["computers"] == []

    oco_server.admin.generate_fleet(computers=5, groups=2, depth=1, families=1, seed=2)
    reader = run_tasks([task(details=True), task(computer_group=1, recurse=True)],
                       username="reader", password="oco-reader-pw")
    assert reader.rc == 0 and not reader.failed_tasks, str(reader)
    assert len(reader.results[0]["computers"]) == 5
    assert reader.results[0]["computers"][0]["networks"]


def test_errors(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=15, groups=4, depth=1, families=1, seed=4)
    parent_a = oco_server.admin.create_computer_group("Site A")
    parent_b = oco_server.admin.create_computer_group("Site B")
    oco_server.admin.create_computer_group("Lab", parent_id=parent_a)
    oco_server.admin.create_computer_group("Lab", parent_id=parent_b)
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(hostname="pc-0001"),
        task(id=9999),
        task(computer_group="Labb"),
        task(computer_group="Lab"),
        task(computer_group=9999),
        task(batch_size=0),
        task(recurse=True),
        task(hostname="pc-00001", id=1),
    ])
    msgs = [r.get("msg", "") for r in result.results]
    assert all(r.get("failed") for r in result.results), str(result)
    assert "no computer matches 'pc-0001' (closest: pc-000" in msgs[0]
    assert "no computer has id 9999" in msgs[1]
    assert "no computer group matches 'Labb' (closest: " in msgs[2] and "Site A/Lab" in msgs[2]
    assert "2 computer groups match 'Lab'" in msgs[3] and "Site A/Lab" in msgs[3] and "Site B/Lab" in msgs[3]
    assert "no computer group has id 9999" in msgs[4]
    assert "invalid option batch_size=0" in msgs[5]
    assert "invalid option recurse=True: only valid together with computer_group" in msgs[6]
    assert "mutually exclusive" in msgs[7]
    assert "Traceback" not in result.shown()


def test_invalid_options_send_nothing(oco_server, run_tasks):
    oco_server.admin.reset_counters()
    result = run_tasks([task(batch_size=-1), task(hostname=" ")])
    assert "invalid option batch_size=-1" in result.results[0]["msg"]
    assert "invalid option hostname=' '" in result.results[1]["msg"]
    assert oco_server.admin.counters()["http_requests"] == 0


def test_server_failure_is_reported(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=1, seed=1)
    oco_server.admin.inject_fault("http500", method="oco.computer.get")
    result = run_tasks([task(details=True)])
    failed = result.results[0]
    assert failed["failed"] is True
    assert "HTTP 500" in failed["msg"], failed["msg"]
    assert "Traceback" not in result.shown()


def test_agent_keys_only_on_request(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=1, seed=5)
    stored = oco_server.admin.sql("SELECT hostname, agent_key, server_key FROM computer ORDER BY hostname")
    assert all(row["agent_key"] for row in stored), "the fleet gives every agent a key"
    result = run_tasks([
        task(),
        task(details=True),
        task(agent_keys=True, details=True),
    ], via="playbook")
    assert result.rc == 0, str(result)
    plain, details, keys = result.results
    # details merges the general section of oco.computer.get into each computer
    for computer in plain["computers"] + details["computers"]:
        assert "agent_key" not in computer and "server_key" not in computer
    assert [(c["hostname"], c["agent_key"], c["server_key"]) for c in keys["computers"]] == \
        [(row["hostname"], row["agent_key"], row["server_key"]) for row in stored]
    for row in stored:
        assert row["agent_key"] not in result.stdout
