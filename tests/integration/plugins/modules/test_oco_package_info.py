"""oco_package_info against the test server: families, packages of a family or group, one package."""

from __future__ import annotations

MODULE = "oco.oco.oco_package_info"


def task(**options):
    return {MODULE: options}


def test_families_packages_and_details(oco_server, run_tasks):
    fleet = oco_server.admin.generate_fleet(computers=20, groups=3, depth=1, families=4, packages_per_family=3, seed=7)
    family = oco_server.admin.sql("SELECT id, name FROM package_family ORDER BY id LIMIT 1")[0]
    packages = oco_server.admin.sql("SELECT id, version FROM package WHERE package_family_id = ? ORDER BY id",
                                    [family["id"]])
    package = packages[1]
    computer = fleet["computer_ids"][0]
    oco_server.admin.sql("DELETE FROM computer_package WHERE package_id = ?", [package["id"]])
    record = oco_server.admin.add_installation(computer, package["id"])
    subgroup = oco_server.admin.create_package_group("Browsers", parent_id=fleet["package_group_ids"][0])
    oco_server.admin.add_package_to_group(package["id"], subgroup)
    empty_family = oco_server.admin.create_package_family("Empty family")

    result = run_tasks([
        task(),
        task(family=family["name"].upper()),
        task(family=family["name"], version=package["version"]),
        task(id=package["id"]),
        task(package_group="Base software"),
        task(package_group="Base software/Browsers"),
        task(package_group="Office"),
        task(family="Empty family"),
        dict(task(id=package["id"]), check_mode=True),
    ])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    families, of_family, by_version, by_id, base, browsers, office, empty, checked = result.results

    names = [r["name"] for r in oco_server.admin.sql("SELECT name FROM package_family ORDER BY name")]
    assert [f["name"] for f in families["families"]] == names
    first = next(f for f in families["families"] if f["id"] == family["id"])
    assert first["package_count"] == 3 and isinstance(first["install_count"], int)
    assert "packages" not in families

    assert [p["id"] for p in of_family["packages"]] == [p["id"] for p in packages]
    assert of_family["family"]["name"] == family["name"]
    assert all(isinstance(p["package_family_id"], int) for p in of_family["packages"])

    detail = by_version["package"]
    assert detail["id"] == package["id"] and detail["version"] == package["version"]
    assert detail["package_family_name"] == family["name"]
    assert [(i["id"], i["computer_id"]) for i in detail["installations"]] == [(record, computer)]
    assert [g["name"] for g in detail["groups"]] == ["Browsers"]
    assert detail["pending_jobs"] == []
    assert by_id["package"] == detail
    assert checked["package"] == detail and checked["changed"] is False

    base_ids = [r["package_id"] for r in oco_server.admin.sql(
        "SELECT package_id FROM package_group_member WHERE package_group_id = ? ORDER BY sequence",
        [fleet["package_group_ids"][0]])]
    assert [p["id"] for p in base["packages"]] == base_ids and base_ids
    assert [p["package_group_member_sequence"] for p in base["packages"]] == list(range(1, len(base_ids) + 1))
    assert base["package_group"]["path"] == "Base software"
    assert [p["id"] for p in browsers["packages"]] == [package["id"]]
    assert browsers["package_group"]["path"] == "Base software/Browsers"
    assert office["packages"] == []
    assert empty["packages"] == [] and empty["family"]["id"] == empty_family
    assert all(r["changed"] is False for r in result.results)
    assert oco_server.admin.counters()["writes"] == 0


def test_empty_server_and_reader(oco_server, run_tasks):
    result = run_tasks([task()])
    assert result.rc == 0 and not result.failed_tasks, str(result)
    assert result.results[0]["families"] == []

    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=2, seed=1)
    reader = run_tasks([task(), task(family="Firefox"), task(package_group="Office")],
                       username="reader", password="oco-reader-pw")
    assert reader.rc == 0 and not reader.failed_tasks, str(reader)
    assert len(reader.results[0]["families"]) == 2
    assert len(reader.results[1]["packages"]) == 3


def test_errors(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=3, seed=1)
    firefox = oco_server.admin.sql("SELECT p.version FROM package p JOIN package_family f ON f.id = p.package_family_id "
                                   "WHERE f.name = 'Firefox' ORDER BY p.id")
    oco_server.admin.reset_counters()
    result = run_tasks([
        task(family="Firefx"),
        task(family="Firefox", version=firefox[0]["version"][:-1] + "7"),
        task(id=99999),
        task(package_group="Ofice"),
        task(version="1.0"),
        task(id=1, family="Firefox"),
        task(family=" "),
    ])
    assert all(r.get("failed") for r in result.results), str(result)
    msgs = [r["msg"] for r in result.results]
    assert "no package family matches 'Firefx' (closest: Firefox)" in msgs[0]
    assert "no package of family 'Firefox' matches '%s7' (closest: " % firefox[0]["version"][:-1] in msgs[1]
    assert firefox[0]["version"] in msgs[1]
    assert "no package has id 99999" in msgs[2]
    assert "no package group matches 'Ofice' (closest: Office)" in msgs[3]
    assert "version" in msgs[4] and "family" in msgs[4]
    assert "mutually exclusive" in msgs[5]
    assert "invalid option family=' '" in msgs[6]
    assert "Traceback" not in result.shown()


def test_server_failure_is_reported(oco_server, run_tasks):
    oco_server.admin.generate_fleet(computers=3, groups=1, depth=1, families=1, seed=1)
    oco_server.admin.inject_fault("http500", method="oco.package_family.list")
    result = run_tasks([task()])
    assert result.results[0]["failed"] is True
    assert "HTTP 500" in result.results[0]["msg"]
