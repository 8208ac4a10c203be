"""References: one local check, and resolving that reports every bad one (module_utils/entities.py)."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils import names
from ansible_collections.oco.oco.plugins.module_utils.client import CallResult
from ansible_collections.oco.oco.plugins.module_utils.entities import (
    NameIndex, Resolver, as_id, path_part, path_parts, reference_problem, reference_problems, same_name)
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError, OcoNotFoundError
from ansible_collections.oco.oco.plugins.module_utils.names import name_key


@pytest.mark.parametrize("kind, ref, why", [
    ("computer", "pc1", None),
    ("computer", 3, None),
    ("computer", 0, "an id must be a positive integer"),
    ("computer", " ", "an empty name"),
    ("computer", True, "not a computer reference"),
    ("computer", None, "not a computer reference"),
    ("computer", 1.5, "not a computer reference"),
    ("computer", {"family": "x"}, "computers are named by host name or id"),
    ("report", {"name": "x"}, "reports are named by name or id"),
    ("package", {"family": "Firefox", "version": "1.0"}, None),
    ("package", {"family": "Firefox"}, None),
    ("package", {"family": "Firefox", "versoin": "1"}, "unknown key versoin"),
    ("package", {"version": "1"}, "needs a family name"),
    ("package", {"family": "Firefox", "version": 1.1}, "quote versions"),
])
def test_reference_problem(kind, ref, why):
    found = reference_problem(kind, ref)
    assert found is None if why is None else why in found


def test_every_bad_reference_is_named():
    assert reference_problems("members", "computer", ["pc1", "", 0]) == [
        "invalid option members='': an empty name", "invalid option members=0: an id must be a positive integer"]


class ListClient:
    dialect = "jsonrpc"

    def __init__(self):
        self.calls = []

    def call(self, method, data=None):
        self.calls.append(method)
        assert method == "oco.computer.list"
        return {"computers": [{"id": 1, "hostname": "pc-01"}, {"id": 2, "hostname": "PC-02 "}], "groups": []}


def test_resolve_many_reports_every_bad_reference_at_once():
    resolver = Resolver(ListClient())
    assert [c["id"] for c in resolver.resolve_many("computers", "computer", ["pc-02", 1])] == [2, 1]
    with pytest.raises(OcoLookupError) as failure:
        resolver.resolve_many("computers", "computer", ["pc-03", 9, "pc-01"])
    assert str(failure.value) == "computers: no computer matches 'pc-03' (closest: pc-01); no computer has id 9"
    assert resolver.client.calls == ["oco.computer.list"]  # one read for all of them


def test_resolve_options_names_every_option():
    with pytest.raises(OcoLookupError, match=r"^a: no computer has id 7; b: no computer matches 'x'$"):
        Resolver(ListClient()).resolve_options([("a", "computer", [7]), ("b", "computer", ["x"]), ("c", "computer", [1])])


def test_ids_and_names():
    # Only an int is an id: a string of digits is a name (see test_digits_are_names).
    assert (as_id(7), as_id(" 12 "), as_id("12"), as_id("pc"), as_id(True)) == (7, None, None, None, None)
    assert same_name(" PC-01", "pc-01 ", trim=True) and not same_name("pc-01", "pc-1")


# ------------------------------------------------------------ the server's comparison (names.py)

@pytest.mark.parametrize("left, right, same", [
    ("straße", "STRASE", True),         # utf8mb4_general_ci weighs ß as one S
    ("straße", "STRASSE", False),       # ... not as SS, which str.casefold() would make of it
    ("café", "CAFE", True),             # accents do not count
    ("É", "e", True),
    ("Ärger", "arger", True),
    ("pc\U0001F600", "pc\U0001F680", True),   # every character beyond the BMP weighs the same
    ("pc\U0001F600", "pc", False),
    ("pc-01   ", "PC-01", True),        # PAD SPACE: trailing spaces do not count
    ("  pc-01", "pc-01", False),        # leading ones do, outside host names
    ("ı", "I", True),                   # Turkish dotless i weighs I
    ("İ", "i", True),                   # I with dot above is I plus an accent
    ("ıi", "II", True),
    ("µ", "Μ", True),                   # micro sign and Greek capital mu
    ("ς", "Σ", True),
    ("ǆ", "Ǆ", True),
    ("ƀ", "Ƀ", False),                  # a case pair completed after the collation's table: never equal
    ("ɐ", "Ɐ", False),
    ("ა", "Ა", False),                  # Georgian: outside the folded blocks
    ("123", "123 ", True),
    ("1.0", "1.00", False),
])
def test_name_key_models_the_server_collation(left, right, same):
    assert (name_key(left) == name_key(right)) is same
    assert same_name(left, right) is same


def test_host_names_are_trimmed_like_the_server_does():
    assert name_key("  pc-01\t", trim=True) == name_key("PC-01")
    assert name_key("  pc-01") != name_key("PC-01")


def test_name_key_never_joins_what_the_server_keeps_apart():
    """Two different characters share a key only where the model folds them: a sweep over the BMP.

    Every character that changes under the key lies in a folded block and maps into a folded block,
    so characters outside those blocks (scripts the server's table does not fold) stay distinct.
    """
    changed = [chr(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF and name_key(chr(code)) != chr(code)]
    assert len(changed) > 500
    for char in changed:
        assert any(low <= ord(char) <= high for low, high in names._FOLDED), hex(ord(char))
        assert char == " " or any(low <= ord(name_key(char)) <= high for low, high in names._FOLDED), hex(ord(char))


# ------------------------------------------------------------ ids vs names

class Rows:
    """A client whose lists hold the given rows; records what was called."""

    dialect = "jsonrpc"
    batch_size = 100

    def __init__(self, computers=(), reports=(), families=(), packages=None, groups=None):
        self.data = {"computers": list(computers), "reports": list(reports), "families": list(families)}
        self.packages = packages or {}
        self.groups = groups or {}     # id -> (row, parent id)
        self.calls = []

    def call(self, method, data=None):
        self.calls.append((method, data))
        if method == "oco.computer.list":
            return {"computers": self.data["computers"], "groups": self._children(None)}
        if method == "oco.report.list":
            return {"reports": self.data["reports"], "groups": []}
        if method == "oco.package_family.list":
            return self.data["families"]
        if method == "oco.package.list":
            return {"packages": self.packages.get(data["package_family_id"], []), "groups": []}
        if method == "oco.package.get":
            if data["id"] in [p["id"] for rows in self.packages.values() for p in rows]:
                return {"general": {"id": data["id"]}}
            raise OcoNotFoundError("not found")
        raise AssertionError(method)

    def _children(self, parent):
        return [row for row, up in self.groups.values() if up == parent]

    def batch(self, calls, batch_size=None):
        results = []
        for _method, data in calls:
            gid = data["computer_group_id"]
            results.append(CallResult("oco.computer.list", {"computers": [], "groups": self._children(gid)}, None))
        return results


COMPUTERS = [{"id": 123, "hostname": "pc-a"}, {"id": 7, "hostname": "123"}, {"id": 8, "hostname": "straße"},
             {"id": 9, "hostname": "pc-b"}]


def test_an_int_is_an_id_and_a_string_a_name():
    resolver = Resolver(Rows(COMPUTERS))
    assert resolver.computer("123")["id"] == 7
    assert resolver.computer(9)["hostname"] == "pc-b"


def test_an_id_that_is_also_another_computers_name_fails_naming_both():
    with pytest.raises(OcoLookupError) as failure:
        Resolver(Rows(COMPUTERS)).computer(123)
    message = str(failure.value)
    assert "123 is both the id of computer 'pc-a' (id 123) and the name of computer '123' (id 7)" in message
    assert "'123' (quoted) for the name" in message


def test_a_string_of_digits_that_names_nothing_hints_at_the_id():
    with pytest.raises(OcoLookupError, match=r"no computer is named '9'; to name the computer with id 9 write the number without quotes"):
        Resolver(Rows(COMPUTERS)).computer("9")


def test_an_unknown_id_points_at_a_computer_of_that_name():
    with pytest.raises(OcoLookupError, match=r"no computer has id 5; computer '5' \(id 3\) is named '5': quote it"):
        Resolver(Rows([{"id": 3, "hostname": "5"}])).computer(5)


def test_several_computers_of_one_name_fail_listing_them():
    rows = [{"id": 1, "hostname": "Straße"}, {"id": 2, "hostname": "STRASE"}]   # kept apart only by a server with another collation
    with pytest.raises(OcoLookupError, match=r"2 computers match 'strase': computer 'Straße' \(id 1\), computer 'STRASE' \(id 2\)"):
        Resolver(Rows(rows)).computer("strase")
    with pytest.raises(OcoLookupError, match=r"2 computers match"):
        Resolver(Rows(rows)).find_computer("strase")


def test_strasse_does_not_find_strasze():
    resolver = Resolver(Rows(COMPUTERS))
    assert resolver.find_computer("STRASSE") is None
    assert resolver.find_computer("STRASE")["id"] == 8


def test_reports_follow_the_same_rule():
    resolver = Resolver(Rows(reports=[{"id": 4, "name": "42"}, {"id": 42, "name": "Silent agents"}]))
    assert resolver.report("42")["id"] == 4
    with pytest.raises(OcoLookupError, match="42 is both the id of report 'Silent agents'"):
        resolver.report(42)
    with pytest.raises(OcoLookupError, match="no report is named '4'; to name the report with id 4"):
        resolver.report("4")
    assert resolver.client.calls == [("oco.report.list", None)]


def test_a_family_named_with_digits_is_a_family():
    families = [{"id": 1, "name": "2024"}, {"id": 2, "name": "Firefox"}]
    packages = {1: [{"id": 10, "version": "1", "created": "2026-01-01"}], 2: [{"id": 11, "version": "1", "created": "x"}]}
    resolver = Resolver(Rows(families=families, packages=packages))
    assert resolver.package("2024")["id"] == 10
    assert resolver.package(11)["id"] == 11
    with pytest.raises(OcoLookupError, match="no package family is named '11'; to name the package with id 11 write the number"):
        resolver.package("11")
    with pytest.raises(OcoLookupError, match=r"no package family matches '12'"):
        resolver.package("12")


def test_several_families_of_one_name_fail_listing_them():
    resolver = Resolver(Rows(families=[{"id": 1, "name": "Café"}, {"id": 2, "name": "CAFE"}]))
    with pytest.raises(OcoLookupError, match=r"2 package families match 'cafe': package family 'Café' \(id 1\), package family 'CAFE' \(id 2\)"):
        resolver.family("cafe")


# ------------------------------------------------------------ group paths

def tree_of(groups):
    """``groups``: {id: (name, parent id)}."""
    client = Rows(groups={gid: ({"id": gid, "name": name}, parent) for gid, (name, parent) in groups.items()})
    return Resolver(client).tree("computer")


@pytest.mark.parametrize("name, part", [("A/B", "A\\/B"), ("C:\\temp", "C:\\\\temp"), ("plain", "plain")])
def test_path_parts_round_trip(name, part):
    assert path_part(name) == part
    assert path_parts(part) == [name]
    assert path_parts("X/" + part) == ["X", name]


def test_a_backslash_before_other_characters_is_kept():
    assert path_parts("C:\\temp/x") == ["C:\\temp", "x"]


def test_a_group_named_with_a_slash_and_a_path_to_another_group_fail():
    tree = tree_of({1: ("A", None), 2: ("B", 1), 3: ("A/B", None)})
    with pytest.raises(OcoLookupError) as failure:
        tree.resolve("A/B")
    message = str(failure.value)
    assert "'A/B' is the path of computer group A/B (id 2) and the name of computer group A\\/B (id 3)" in message
    assert "write a slash inside a name as \\/ (for example 'A\\\\/B')" in message
    assert tree.resolve("A\\/B")["id"] == 3
    assert tree.resolve(2)["id"] == 2
    assert tree.groups[3]["path"] == "A\\/B"


def test_a_slash_in_a_name_resolves_when_no_path_competes():
    tree = tree_of({1: ("Site", None), 2: ("A/B", 1)})
    assert tree.resolve("A/B")["id"] == 2          # no group B under a group A: the name is meant
    assert tree.resolve("A\\/B")["id"] == 2        # the escaped name alone
    assert tree.resolve("Site/A\\/B")["id"] == 2   # the escaped path
    assert tree.groups[2]["path"] == "Site/A\\/B"


def test_a_group_path_is_compared_part_by_part_as_the_server_compares_names():
    tree = tree_of({1: ("Büro", None), 2: ("Straße", 1)})
    assert tree.resolve("BURO/STRASE")["id"] == 2
    with pytest.raises(OcoLookupError, match="no computer group matches 'BURO/STRASSE'"):
        tree.resolve("BURO/STRASSE")


def test_group_ids_and_digit_names():
    tree = tree_of({1: ("Lab", None), 2: ("1", 1), 5: ("Office", None)})
    assert tree.resolve("1")["id"] == 2
    with pytest.raises(OcoLookupError, match=r"1 is both the id of computer group Lab \(id 1\) and the name of computer group Lab/1 \(id 2\)"):
        tree.resolve(1)
    assert tree.resolve(5)["name"] == "Office"
    with pytest.raises(OcoLookupError, match="no computer group is named '5'; to name the computer group with id 5 write the number"):
        tree.resolve("5")


def test_same_named_groups_fail_listing_their_paths():
    tree = tree_of({1: ("Berlin", None), 2: ("Lab", 1), 3: ("Munich", None), 4: ("LAB", 3)})
    with pytest.raises(OcoLookupError, match=r"2 computer groups match 'lab': Berlin/Lab \(id 2\), Munich/LAB \(id 4\)"):
        tree.resolve("lab")
    assert tree.resolve("munich/lab")["id"] == 4


# ------------------------------------------------------------ one index per list read

def test_the_index_is_built_once_per_list_read():
    client = Rows([{"id": n, "hostname": "pc-%d" % n} for n in range(1, 501)])
    resolver = Resolver(client)
    assert [resolver.computer("PC-%d" % n)["id"] for n in range(1, 501)] == list(range(1, 501))
    first = resolver.computer_index()
    assert resolver.computer_index() is first
    client.data["computers"] = client.data["computers"] + [{"id": 999, "hostname": "late"}]
    assert resolver.find_computer("late", refresh=True)["id"] == 999
    assert resolver.computer_index() is not first
    assert [method for method, _data in client.calls] == ["oco.computer.list", "oco.computer.list"]


def test_name_index_keys_rows_by_the_server_comparison():
    index = NameIndex([{"id": 1, "hostname": " Straße "}, {"id": "2", "hostname": "x"}], "hostname", trim=True)
    assert [r["id"] for r in index.named("STRASE")] == [1]
    assert index.by_id[2]["hostname"] == "x"
    assert index.named("strasse") == []
