"""The ensure layer: one present/absent lifecycle for every module (module_utils/ensure.py)."""

from __future__ import annotations

import pytest

from ansible_collections.oco.oco.plugins.module_utils.client import CallResult
from ansible_collections.oco.oco.plugins.module_utils.ensure import (
    Entity, MemberSet, Runner, member_plan, write_then_verify)
from ansible_collections.oco.oco.plugins.module_utils.entities import Resolver
from ansible_collections.oco.oco.plugins.module_utils.errors import (
    OcoAmbiguousWriteError, OcoError, OcoInvalidRequestError, OcoLookupError, OcoNotFoundError, OcoPermissionError)
from ansible_collections.oco.oco.plugins.module_utils.planned import (
    PLANNABLE_KINDS, PlannedReferences, is_planned, missing_installation, placeholder)


class FakeModule:
    def __init__(self, check_mode=False):
        self.check_mode = check_mode
        self.params = {"force": False}  # a module with the force option
        self.partial_result = {}
        self.warnings = []
        self.client = None

    def warn(self, message):
        self.warnings.append(message)


class Server:
    """A store of named objects with writes that can fail in scripted ways, counting every write."""

    def __init__(self, *names, pending=()):
        self.objects = {name: {"id": i, "name": name, "notes": ""} for i, name in enumerate(names, 1)}
        self.pending = list(pending)
        self.writes = []
        self.faults = []      # one per write: None, "lost" (runs, answer lost), "dropped" (never runs) or an exception

    def write(self, what, run):
        self.writes.append(what)
        fault = self.faults.pop(0) if self.faults else None
        if isinstance(fault, Exception):
            raise fault  # pylint: disable=raising-bad-type
        if fault != "dropped":
            run()
        if fault in ("lost", "dropped"):
            raise OcoAmbiguousWriteError("OCO request %s: the answer was lost" % what)


def thing(server, name, notes=None):
    """An entity over the fake server, declared the way modules declare theirs."""
    def create():
        def run():
            server.objects[name] = {"id": len(server.objects) + 1, "name": name, "notes": notes or ""}
        server.write("create", run)
        return server.objects[name]

    def remove(obj, force):
        def run():
            if obj["name"] not in server.objects:
                raise OcoNotFoundError("OCO request remove: not found")
            del server.objects[obj["name"]]
        server.write("remove", run)

    return Entity(
        label=lambda obj: "thing %r (id %d)" % (obj["name"], obj["id"]),
        find=lambda refresh=False: server.objects.get(name),
        shown=("name", "notes"), unchangeable={"notes": notes},
        planned=lambda: {"name": name, "notes": notes or "", "state": "present"},
        create=create, remove=remove,
        taken=lambda exc: "exists" in str(exc),
        details=lambda obj: {"pending_jobs": server.pending},
    )


def runner(server, name="a", check_mode=False, notes=None):
    return Runner(FakeModule(check_mode), thing(server, name, notes), "thing")


# ------------------------------------------------------------------ present

def test_present_creates_once_with_the_diff_of_the_new_object():
    server = Server()
    done = runner(server).present()
    assert (done.changed, done.obj["name"], server.writes) == (True, "a", ["create"])
    assert done.before == {"state": "absent"}
    assert done.after == {"name": "a", "notes": "", "state": "present"}


def test_present_leaves_an_existing_object_alone():
    server = Server("a")
    done = runner(server).present()
    assert (done.changed, server.writes) == (False, [])
    assert done.before == done.after == {"name": "a", "notes": "", "state": "present"}


def test_create_whose_answer_was_lost_is_found_and_not_sent_again():
    server = Server()
    server.faults = ["lost"]
    done = runner(server).present()
    assert (done.changed, done.obj["name"], server.writes) == (True, "a", ["create"])


def test_create_that_never_ran_fails_saying_to_run_again():
    server = Server()
    server.faults = ["dropped"]
    with pytest.raises(OcoAmbiguousWriteError, match="was not carried out: run the task again"):
        runner(server).present()
    assert server.writes == ["create"] and server.objects == {}


def test_create_that_lost_a_race_reports_no_change():
    server = Server()

    def someone_else_first():
        server.objects["a"] = {"id": 9, "name": "a", "notes": ""}
        raise OcoInvalidRequestError("the name exists")

    entity = thing(server, "a")
    entity.create = someone_else_first
    done = Runner(FakeModule(), entity).present()
    assert (done.changed, done.obj["id"]) == (False, 9)


@pytest.mark.parametrize("error", [OcoInvalidRequestError("the name exists"), OcoPermissionError("denied")])
def test_create_errors_that_leave_nothing_behind_are_raised(error):
    server = Server()
    server.faults = [error]
    with pytest.raises(type(error)):
        runner(server).present()
    assert server.writes == ["create"]


def test_check_mode_plans_the_create_and_sends_nothing():
    server = Server()
    done = runner(server, check_mode=True, notes="n").present()
    assert (done.changed, done.obj, server.writes) == (True, None, [])
    assert done.after == {"name": "a", "notes": "n", "state": "present"}


def test_fields_the_api_cannot_change_are_warned_about():
    server = Server("a")
    run = runner(server, notes="other")
    run.present()
    assert run.module.warnings == ["the notes of thing 'a' (id 1) differ from the notes option; the OCO API cannot "
                                   "change them, so they were left as they are"]


# ------------------------------------------------------------------ absent

def test_absent_removes_once_with_the_diff_of_the_old_object():
    server = Server("a")
    done = runner(server).absent()
    assert (done.changed, done.obj, done.pending_jobs, server.writes) == (True, None, 0, ["remove"])
    assert done.before == {"name": "a", "notes": "", "state": "present"} and done.after == {"state": "absent"}


def test_absent_object_is_no_change():
    server = Server()
    done = runner(server).absent()
    assert (done.changed, done.pending_jobs, server.writes) == (False, None, [])


def test_remove_answered_not_found_means_absent():
    server = Server("a")
    server.faults = [OcoNotFoundError("not found")]
    done = runner(server).absent()
    assert (done.changed, server.writes) == (False, ["remove"])


def test_remove_whose_answer_was_lost_is_checked_not_repeated():
    server = Server("a")
    server.faults = ["lost"]
    assert runner(server).absent().changed is True
    assert server.writes == ["remove"] and server.objects == {}


def test_remove_that_never_ran_is_sent_once_more():
    server = Server("a")
    server.faults = ["dropped"]
    assert runner(server).absent().changed is True
    assert server.writes == ["remove", "remove"] and server.objects == {}


def test_pending_jobs_refuse_the_remove_without_force():
    server = Server("a", pending=[{"job_container_name": "rollout"}])
    run = runner(server)
    with pytest.raises(OcoError) as failure:
        run.absent()
    assert str(failure.value) == ("cannot remove thing 'a' (id 1): it has 1 pending job (in rollout); wait for them to "
                                  "finish, remove them, or set force: true to remove it with its jobs")
    assert server.writes == [] and run.module.partial_result["thing"]["name"] == "a"


def test_force_removes_with_pending_jobs():
    server = Server("a", pending=[{"job_container_name": "r1"}, {"deployment_rule_name": "r2"}])
    done = runner(server).absent(force=True)
    assert (done.changed, done.pending_jobs, server.objects) == (True, 2, {})


def test_a_refusal_by_the_server_names_force():
    server = Server("a")
    server.faults = [OcoInvalidRequestError("refused", server_message="Object has dependent packages")]
    with pytest.raises(OcoError, match="Object has dependent packages; set force: true to remove it anyway"):
        runner(server).absent()


def test_check_mode_still_refuses_but_removes_nothing():
    server = Server("a", pending=[{}])
    with pytest.raises(OcoError, match="1 pending job;"):
        runner(server, check_mode=True).absent()
    done = runner(server, check_mode=True).absent(force=True)
    assert (done.changed, server.writes, list(server.objects)) == (True, [], ["a"])


def test_details_not_found_means_absent():
    server = Server("a")
    entity = thing(server, "a")

    def removed_meanwhile(obj):
        raise OcoNotFoundError("OCO request oco.computer.get: not found")

    entity.details = removed_meanwhile
    done = Runner(FakeModule(), entity).absent()
    assert (done.changed, done.pending_jobs, server.writes) == (False, 0, [])


# ------------------------------------------------------------------ writes of a module's own

def test_write_sends_or_previews():
    sent = []
    assert Runner(FakeModule(), None).write(lambda: sent.append(1) or "sent", lambda: "preview") == "sent"
    assert Runner(FakeModule(check_mode=True), None).write(lambda: sent.append(2), lambda: "preview") == "preview"
    assert sent == [1]


def test_write_then_verify_resends_only_what_may_act_twice():
    calls = []

    def lost():
        calls.append(1)
        raise OcoAmbiguousWriteError("lost")

    with pytest.raises(OcoAmbiguousWriteError, match="not carried out"):
        write_then_verify(lost, lambda: False)
    assert write_then_verify(lost, lambda: True) is None
    assert len(calls) == 2


# ------------------------------------------------------------------ member sets

@pytest.mark.parametrize("state, add, remove", [
    ("present", [3], []),
    ("absent", [], [2]),
    ("exact", [3], [1]),
])
def test_member_plan(state, add, remove):
    assert member_plan(state, [2, 3], {1: {}, 2: {}}) == (add, remove)


class BatchClient:
    def __init__(self, members, lose_first=False, refuse=()):
        self.members, self.lose_first, self.refuse, self.batches = set(members), lose_first, set(refuse), []

    def batch(self, calls):
        self.batches.append(calls)
        results = []
        for method, data in calls:
            if data["id"] in self.refuse:
                results.append(CallResult(method, None, OcoPermissionError("OCO request %s: permission denied" % method)))
                continue
            (self.members.add if method == "add" else self.members.discard)(data["id"])
            results.append(CallResult(method, [], None))
        if self.lose_first:
            self.lose_first = False
            self.members.discard(calls[-1][1]["id"])  # the last call of the lost batch never ran
            raise OcoAmbiguousWriteError("lost")
        return results


def members(client):
    return MemberSet("group 'g' (id 1)", add=lambda i: ("add", {"id": i}), remove=lambda i: ("remove", {"id": i}),
                     read=lambda: set(client.members))


def test_members_lost_answer_sends_only_what_is_still_missing():
    client = BatchClient({1}, lose_first=True)
    module = FakeModule()
    module.client = client
    Runner(module, None).sync_members(members(client), [2, 3], [])
    assert client.members == {1, 2, 3}
    assert client.batches == [[("add", {"id": 2}), ("add", {"id": 3})], [("add", {"id": 3})]]


def test_members_failure_keeps_what_succeeded():
    client = BatchClient({1}, refuse={3})
    module = FakeModule()
    module.client = client
    module.partial_result = {"added": [{"id": 2}, {"id": 3}], "removed": [{"id": 1}]}
    with pytest.raises(OcoError, match=r"changing the members of group 'g' \(id 1\) failed: OCO request add: permission"):
        Runner(module, None).sync_members(members(client), [2, 3], [1])
    assert module.partial_result == {"added": [{"id": 2}], "removed": [{"id": 1}], "changed": True}


def test_members_in_check_mode_send_nothing():
    client = BatchClient({1})
    module = FakeModule(check_mode=True)
    module.client = client
    Runner(module, None).sync_members(members(client), [2], [1])
    assert client.batches == [] and client.members == {1}


def test_entity_refuses_unknown_aspects():
    with pytest.raises(TypeError, match="no aspect 'craete'"):
        Entity(craete=lambda: None)


# ------------------------------------------------------------------ declarations

def aspects(*names):
    return {name: (lambda *args, **kwargs: None) for name in names}


def test_entity_missing_aspects_fails_when_built_naming_them():
    with pytest.raises(TypeError, match=r"^Entity does not supply the entity aspects create, remove \("):
        Entity(**aspects("label", "find"))


class Findable(Entity):
    """Supplies find and remove as methods; label and create come as keyword arguments or not at all."""

    def find(self, refresh=False):
        return None

    def remove(self, obj, force):
        pass


class Sketched(Entity):
    """Supplies two aspects and an __init__ of its own that does not call Entity's."""

    def __init__(self, name):
        self.name = name

    def find(self, refresh=False):
        return None

    def create(self):
        return {}


def test_subclass_missing_an_aspect_fails_when_built_naming_the_class():
    with pytest.raises(TypeError, match=r"^Findable does not supply the entity aspect label \("):
        Findable(create=lambda: {})


def test_subclass_with_an_init_of_its_own_is_checked_too():
    with pytest.raises(TypeError, match=r"^Sketched does not supply the entity aspects label, remove \("):
        Sketched("a")


def test_methods_keyword_aspects_and_declared_none_each_count_as_supplied():
    entity = Findable(label=lambda obj: "it", create=None)
    assert entity.label({}) == "it" and entity.create is None and entity.find() is None
    assert Entity(label=None, find=None, create=None, remove=None).remove is None


def test_an_unknown_aspect_is_named_before_the_missing_ones():
    with pytest.raises(TypeError, match="no aspect 'craete'"):
        Entity(craete=lambda: None, **aspects("label", "find", "remove"))


# ------------------------------------------------------------------ planned references (check mode, chained tasks)

class Catalog:
    """A read-only client over a small server: two computers, a package family, groups and reports."""

    dialect = "jsonrpc"
    batch_size = 100
    GROUPS = {None: [{"id": 1, "name": "Berlin"}, {"id": 2, "name": "Hamburg"}],
              1: [{"id": 3, "name": "Office"}], 2: [{"id": 4, "name": "Office"}], 3: [], 4: []}

    def __init__(self, check_mode):
        self.check_mode = check_mode
        self.calls = []

    def call(self, method, data=None):
        self.calls.append((method, data))
        if method == "oco.computer.list":
            gid = (data or {}).get("computer_group_id")
            return {"computers": [] if gid else [{"id": 1, "hostname": "pc-01"}, {"id": 2, "hostname": "pc-02"}],
                    "groups": self.GROUPS[gid]}
        if method == "oco.package_family.list":
            return [{"id": 1, "name": "Hello tool"}]
        if method == "oco.package.list":
            return {"packages": [{"id": 5, "package_family_name": "Hello tool", "version": "0.1"}], "groups": []}
        if method == "oco.package.get":
            raise OcoNotFoundError("OCO request oco.package.get: not found")
        if method == "oco.report.list":
            return {"reports": [{"id": 1, "name": "Twice"}, {"id": 2, "name": "Twice"}, {"id": 3, "name": "Once"}]}
        raise AssertionError("unexpected request %s" % method)

    def batch(self, calls, batch_size=None):
        return [CallResult(method, self.call(method, data), None) for method, data in calls]


def test_check_mode_takes_names_that_match_nothing_for_objects_still_to_be_created():
    resolver = Resolver(Catalog(check_mode=True))
    found = resolver.resolve_options([
        ("members", "computer", ["pc-01", "lab-pc-c"]),
        ("packages", "package", [{"family": "Hello tool", "version": "0.2"}, "New tool", {"family": "New tool", "version": "1"}]),
    ])
    assert found["members"] == [{"id": 1, "hostname": "pc-01"}, {"id": None, "hostname": "lab-pc-c"}]
    assert found["packages"] == [{"id": None, "package_family_name": "Hello tool", "version": "0.2"},
                                 {"id": None, "package_family_name": "New tool", "version": None},
                                 {"id": None, "package_family_name": "New tool", "version": "1"}]
    assert [is_planned(obj) for obj in found["members"]] == [False, True]
    assert resolver.planned.warning() == (
        "in check mode, option members: no computer matches 'lab-pc-c'; "
        "option packages: no package of family 'Hello tool' matches '0.2' (closest: 0.1); "
        "option packages: no package family matches 'New tool' (closest: Hello tool); "
        "assuming earlier tasks would create them")
    # Only reads were sent.
    assert {method for method, _data in resolver.client.calls} == {
        "oco.computer.list", "oco.package_family.list", "oco.package.list"}


def test_one_planned_reference_is_warned_about_once():
    resolver = Resolver(Catalog(check_mode=True))
    for _run in range(2):  # a module may resolve the same option twice (e.g. planned() then create)
        resolver.resolve_many("members", "computer", ["lab-pc-c"])
    assert resolver.planned.warning() == ("in check mode, option members: no computer matches 'lab-pc-c'; "
                                          "assuming an earlier task would create it")


def test_outside_check_mode_a_name_that_matches_nothing_fails_as_before():
    resolver = Resolver(Catalog(check_mode=False))
    with pytest.raises(OcoLookupError, match=r"^members: no computer matches 'lab-pc-c'$"):
        resolver.resolve_many("members", "computer", ["pc-01", "lab-pc-c"])
    assert not resolver.planned and resolver.planned.warning() is None


@pytest.mark.parametrize("option, kind, ref, error", [
    # Several matches: which one the task means cannot be planned.
    ("computer_reports", "report", "Twice", "computer_reports: 2 reports match 'Twice': report 'Twice' (id 1), report 'Twice' (id 2); name one by its id"),
    ("computer_groups", "computer_group", "Office", "computer_groups: 2 computer groups match 'Office'"),
    # No task can create a group or a report: the real run would fail the same way.
    ("computer_groups", "computer_group", "Lab", "computer_groups: no computer group matches 'Lab'"),
    ("package_groups", "package_group", "Base", "package_groups: no package group matches 'Base'"),
    ("computer_reports", "report", "Onse", "computer_reports: no report matches 'Onse' (closest: Once)"),
    # An object still to be created has no id a task could name.
    ("members", "computer", 9, "members: no computer has id 9"),
    ("packages", "package", 9, "packages: no package has id 9"),
])
def test_check_mode_still_fails_for_what_cannot_be_planned(option, kind, ref, error):
    resolver = Resolver(Catalog(check_mode=True))
    with pytest.raises(OcoLookupError) as failure:
        resolver.resolve_many(option, kind, [ref])
    assert str(failure.value).startswith(error), failure.value
    assert not resolver.planned


def test_every_problem_is_named_even_next_to_planned_references():
    resolver = Resolver(Catalog(check_mode=True))
    with pytest.raises(OcoLookupError, match=r"^computers: no computer has id 9; computer_reports: 2 reports match 'Twice'"):
        resolver.resolve_options([("computers", "computer", ["lab-pc-c", 9]), ("computer_reports", "report", ["Twice"])])


def test_a_planned_reference_lets_check_mode_report_the_create_with_it_in_the_diff():
    """An entity whose planned() resolves a reference to an object an earlier task would create."""
    client = Catalog(check_mode=True)
    resolver = Resolver(client)

    def planned():
        computers = resolver.resolve_many("computers", "computer", ["lab-pc-c"])
        return {"name": "rollout", "computers": [{"id": c["id"], "hostname": c["hostname"]} for c in computers],
                "state": "present"}

    entity = Entity(label=lambda obj: "container", find=lambda refresh=False: None, planned=planned,
                    create=lambda: pytest.fail("check mode must not create"), remove=None)
    done = Runner(FakeModule(check_mode=True), entity).present()
    assert (done.changed, done.obj, done.before) == (True, None, {"state": "absent"})
    assert done.after == {"name": "rollout", "computers": [{"id": None, "hostname": "lab-pc-c"}], "state": "present"}
    assert "no computer matches 'lab-pc-c'" in resolver.planned.warning()


def test_placeholders_show_the_reference_as_written():
    assert placeholder("computer", " lab-pc-c ") == {"id": None, "hostname": "lab-pc-c"}
    assert placeholder("package", "Hello tool") == {"id": None, "package_family_name": "Hello tool", "version": None}
    assert placeholder("package", {"family": "Hello tool", "version": "0.2"}) == {
        "id": None, "package_family_name": "Hello tool", "version": "0.2"}
    assert PLANNABLE_KINDS == ("computer", "package")


class Planning:
    def __init__(self, check_mode):
        self.client = Catalog(check_mode)
        self.planned = PlannedReferences()


INSTALLED = [{"id": 7, "package_family_name": "Hello tool", "package_version": "0.1"}]


def test_an_uninstall_without_installation_fails_outside_check_mode():
    with pytest.raises(OcoLookupError, match=r"^uninstall\[1\]: computer 'pc-01' has no installation of package "
                                             r"'New tool' \(installed: Hello tool 0.1\)$"):
        missing_installation(Planning(False), 1, {"package": "New tool"}, {"id": 1, "hostname": "pc-01"}, INSTALLED)


def test_an_uninstall_without_installation_is_planned_in_check_mode():
    resolver = Planning(True)
    entry = missing_installation(resolver, 0, {"package": {"family": "New tool", "version": "1"}},
                                 {"id": 1, "hostname": "pc-01"}, INSTALLED)
    assert entry == {"installation_id": None, "computer_id": 1, "hostname": "pc-01", "package_id": None,
                     "family": "New tool", "version": "1"}
    assert resolver.planned.warning() == (
        "in check mode, option uninstall[0]: computer 'pc-01' has no installation of package "
        "{'family': 'New tool', 'version': '1'} (installed: Hello tool 0.1); assuming an earlier task would create it")
    # A computer still to be created is named by the warning of its own option already.
    resolver = Planning(True)
    entry = missing_installation(resolver, 0, {"package": 5}, {"id": None, "hostname": "lab-pc-c"}, [])
    assert (entry["package_id"], entry["family"], resolver.planned.warning()) == (5, None, None)
