# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One lifecycle for the objects the modules manage, written once.

A module describes its kind of object with an ``Entity`` (how to find it, what the diff shows of
it, how to create and remove it, what blocks its removal). The ``Runner`` does the rest the same
way for every module:

- check mode: nothing is written; the outcome says what would change;
- diff: before is the view of the current object, after the view of the final (or planned) one;
- create once: a create is never sent twice. When its answer is lost, a fresh read decides: found
  means it was carried out, missing means it was not (and the task says to run it again). When the
  server says the object exists already, another writer won the race: found means no change;
- remove once, where "not found" means absent: a remove whose answer was lost is sent once more
  only when a fresh read shows the object still there;
- the refusal to remove an object while jobs are pending for it, unless ``force``;
- member sets (group membership): only the missing additions and removals are sent.

Everything that is truly a module's own (Wake-on-LAN, the package upload, building a deploy
request, waiting for jobs) stays in the module and runs through ``Runner.write`` so that check
mode is decided here as well.
"""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.errors import (
    OcoAmbiguousWriteError, OcoError, OcoInvalidRequestError, OcoNotFoundError)
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list

ABSENT = {"state": "absent"}
REQUIRED = object()
"""Marks an Entity aspect a declaration must supply; Entity checks it when built."""


def write_then_verify(call, verify, resend=False):
    """Send a write once; when its answer is lost, read the server instead of guessing.

    ``call()`` sends the write and returns its answer. If the answer was lost after sending
    (OcoAmbiguousWriteError), ``verify()`` reads the server and returns True when the write took
    effect: then the result is None and the caller reports the change. When it did not take
    effect, a write that cannot act twice (``resend=True``: removes, group membership changes)
    is sent once more; any other write fails with a message saying it was not carried out, so a
    second run cannot duplicate it.
    """
    try:
        return call()
    except OcoAmbiguousWriteError as exc:
        if verify():
            return None
        if resend:
            return call()
        raise not_carried_out(exc) from None


def not_carried_out(exc):
    """The error for a write whose answer was lost and which a fresh read shows was not carried out."""
    return OcoAmbiguousWriteError("%s; reading the server again shows it was not carried out: run the task again" % exc)


def plural(count, noun):
    return "%d %s%s" % (count, noun, "" if count == 1 else "s")


def read_general(client, method, object_id):
    """The ``general`` section of an object read by id (``oco.computer.get``, ``oco.package.get``), or None."""
    return (client.call(method, {"id": object_id}) or {}).get("general")


class Entity:
    """How to find, show, create and remove one object.

    Modules describe their object either by subclassing or by passing the aspects that apply to
    them as keyword arguments (``Entity(find=..., create=...)``); each replaces the method of that
    name. ``label``, ``find``, ``create`` and ``remove`` must be supplied (checked when the entity is
    built); one set to None says the object has none, e.g. a job is never created by oco_job.
    ``shown`` lists the fields the default view shows (a dict maps view keys to fields), and
    ``unchangeable`` maps fields the API cannot change to the values the task asks for: the runner
    warns when an existing object differs in them.
    """

    shown = ()
    unchangeable = {}
    # The aspects every declaration supplies (a method or a keyword argument of that name):
    # label(obj): how messages name the object, e.g. ``computer 'pc-1' (id 3)``;
    # find(refresh=False): the object as it is now, or None (``refresh`` bypasses caches);
    # create(): send the create once and return the server's answer (see ``read_back``);
    # remove(obj, force): send the remove once.
    label = find = create = remove = REQUIRED

    def __new__(cls, *args, **aspects):
        # The declaration is checked when it is built, so a module that forgets an aspect fails at
        # once rather than at the first call of it. Here and not in __init__: a subclass with an
        # __init__ of its own need not call this one.
        given = aspects if cls.__init__ is Entity.__init__ else {}  # such an __init__ takes no aspects
        for name in given:
            if not hasattr(cls, name):
                raise TypeError("an entity has no aspect %r" % name)
        missing = [name for name in ("label", "find", "create", "remove")
                   if name not in given and getattr(cls, name) is REQUIRED]
        if missing:
            raise TypeError("%s does not supply the entity aspect%s %s (a method or keyword argument of that name; "
                            "None declares one the object does not have)" % (
                                cls.__name__, "" if len(missing) == 1 else "s", ", ".join(missing)))
        return super().__new__(cls)

    def __init__(self, **aspects):
        for name, aspect in aspects.items():
            setattr(self, name, aspect)

    def view(self, obj):
        """What the diff shows of the object; ``obj`` None is the absent object."""
        if not obj:
            return dict(ABSENT)
        fields = self.shown if isinstance(self.shown, dict) else {name: name for name in self.shown}
        return dict({key: obj.get(field) for key, field in fields.items()}, state="present")

    def planned(self):
        """What the diff shows of the object about to be created (also in check mode).

        Called before every create, so anything that must be resolved before writing is resolved
        here, in check mode too. References resolve through ``Resolver.resolve_many`` /
        ``resolve_options``: in check mode a computer or package name that matches nothing comes
        back as a placeholder (id None) for an object an earlier task would create, and the task
        warns once naming it (module_utils/planned.py); any other lookup failure raises
        OcoLookupError, in check mode too.
        """
        return {"state": "present"}

    def created_view(self, obj):
        """What the diff shows of an object just created."""
        return self.view(obj)

    def read_back(self, answer):
        """The object just created, from the create's answer (often read again by the id in it)."""
        return answer

    def taken(self, exc):
        """Whether a create refused with ``exc`` (OcoInvalidRequestError) says the object exists now."""
        return False

    def recover(self):
        """The object a create whose answer was lost may have made, or None."""
        return self.find(refresh=True)

    def settle(self, obj, why=""):
        """Check an object found instead of created (``why`` says how it came to exist); may raise."""

    def details(self, obj):
        """The object's details with its ``pending_jobs``, or None when nothing blocks its removal.

        May raise OcoNotFoundError when the object is gone meanwhile.
        """
        return None

    def gone(self, obj):
        """After a lost answer: whether a fresh read shows the object removed."""
        return self.find(refresh=True) is None


class Outcome:
    """What the runner did: changed or not, the final object (None: absent or not created), the diff."""

    def __init__(self, changed, obj, before, after, pending_jobs=None):
        # pending_jobs: of an object removed (or found gone while reading them); None when there was none.
        self.changed = changed
        self.obj = obj
        self.before = before
        self.after = after
        self.pending_jobs = pending_jobs


class Runner:
    """Runs the present/absent lifecycle of one Entity for a module (OcoModule)."""

    def __init__(self, module, entity, result_key=None):
        self.module = module
        self.entity = entity
        # The result key under which a failing task still shows the object (e.g. "package").
        self.result_key = result_key

    @property
    def writes(self):
        """False in check mode: the runner then reports what would change and sends nothing."""
        return not self.module.check_mode

    def write(self, send, preview=None):
        """A write of the module's own (Wake-on-LAN...): sent, or in check mode ``preview`` (reads only)."""
        if self.writes:
            return send()
        return preview() if preview is not None else None

    # ------------------------------------------------------------------ present

    def present(self):
        entity = self.entity
        current = entity.find()
        if current is not None:
            entity.settle(current)
            self.warn_unchangeable(current)
            view = entity.view(current)
            return Outcome(False, current, view, view)
        before = entity.view(None)
        after = entity.planned()
        if not self.writes:
            return Outcome(True, None, before, after)
        created, changed = self.create_once()
        if created:
            self.warn_unchangeable(created)
        return Outcome(changed, created, before, entity.created_view(created) if created else after)

    def warn_unchangeable(self, obj):
        for field, wanted in self.entity.unchangeable.items():
            if wanted is not None and obj.get(field) != wanted:
                self.module.warn("the %s of %s differ from the %s option; the OCO API cannot change them, so they were "
                                 "left as they are" % (field, self.entity.label(obj), field))

    def create_once(self):
        """(object, changed): the create is sent once; a lost answer or a lost race is settled by reading."""
        entity = self.entity
        try:
            answer = entity.create()
            # Carried out: a failure from here on still reports the change.
            self.module.partial_result["changed"] = True
            return entity.read_back(answer), True
        except OcoAmbiguousWriteError as exc:
            found = entity.recover()
            if found is None:
                raise not_carried_out(exc) from None
            # A lost answer most likely means our create committed.
            entity.settle(found, " after the answer to its creation was lost")
            return found, True
        except OcoInvalidRequestError as exc:
            if not entity.taken(exc):
                raise
            found = entity.find(refresh=True)
            if found is None:
                raise
            entity.settle(found, " (created meanwhile by someone else)")
            return found, False

    def ensure(self, state, force=False):
        """``present`` or ``absent``: the Outcome of bringing the object to that state."""
        return self.absent(force) if state == "absent" else self.present()

    def finish(self, done, **result):
        """End the module with the outcome: the object under ``result_key``, the diff, ``pending_jobs`` when removed."""
        result.setdefault(self.result_key, done.obj or {})
        if done.pending_jobs is not None:
            result.setdefault("pending_jobs", done.pending_jobs)
        return self.module.finish(result.pop("changed", done.changed), done.before, done.after, **result)

    # ------------------------------------------------------------------ absent

    def absent(self, force=False):
        """Remove the one object the entity finds, unless jobs are pending for it and not ``force``."""
        entity = self.entity
        current = entity.find()
        if current is None:
            return Outcome(False, None, entity.view(None), entity.view(None))
        try:
            details = entity.details(current)
        except OcoNotFoundError:
            return Outcome(False, None, entity.view(None), entity.view(None), pending_jobs=0)
        pending = as_list((details or {}).get("pending_jobs"))
        if pending and not force:
            self.fail(current, "it has %s%s; wait for them to finish, remove them, or set force: true to remove it "
                               "with its jobs" % (plural(len(pending), "pending job"), where(pending)))
        removed = self.remove_each([current], force)
        return Outcome(bool(removed), None, entity.view(current), entity.view(None), pending_jobs=len(pending))

    def remove_each(self, objects, force=False):
        """The objects removed (in check mode: that would be removed); one gone meanwhile is left out."""
        return [obj for obj in objects if self.remove_once(obj, force)]

    def remove_once(self, obj, force=False):
        """True when removed (or, in check mode, when it would be); False when it was gone already."""
        if not self.writes:
            return True
        entity = self.entity
        try:
            write_then_verify(lambda: entity.remove(obj, force), lambda: entity.gone(obj), resend=True)
        except OcoNotFoundError:
            return False
        except OcoInvalidRequestError as exc:
            if force:
                raise
            # Jobs became pending meanwhile, or other packages depend on it. Only a module that has
            # the force option can offer it as the way out.
            advice = "; set force: true to remove it anyway" if "force" in (getattr(self.module, "params", None) or {}) else ""
            self.fail(obj, "%s%s" % (exc.server_message or exc, advice))
        return True

    def fail(self, obj, why):
        if self.result_key:
            self.module.partial_result[self.result_key] = obj
        raise OcoError("cannot remove %s: %s" % (self.entity.label(obj), why))

    # ------------------------------------------------------------------ member sets

    def sync_members(self, members, add, remove):
        """Send the additions and removals once; after a lost answer, what a fresh read shows still missing.

        Adding and removing members are idempotent on the server, so sending the rest again cannot
        double anything.
        """
        if not self.writes or not (add or remove):
            return
        try:
            self._send_members(members, add, remove)
        except OcoAmbiguousWriteError:
            now = members.read()
            self._send_members(members, [i for i in add if i not in now], [i for i in remove if i in now])

    def _send_members(self, members, add, remove):
        """One batch; a failure names the group and keeps in the result what succeeded."""
        calls = [members.add(i) for i in add] + [members.remove(i) for i in remove]
        done, failures = set(), []
        for (member_id, adding), result in zip([(i, True) for i in add] + [(i, False) for i in remove],
                                               self.module.client.batch(calls)):
            if result.error is None:
                done.add((member_id, adding))
            elif str(result.error) not in failures:
                failures.append(str(result.error))
        if failures:
            partial = self.module.partial_result
            partial["added"] = [m for m in partial.get("added", []) if (m["id"], True) in done]
            partial["removed"] = [m for m in partial.get("removed", []) if (m["id"], False) in done]
            partial["changed"] = bool(partial["added"] or partial["removed"])
            raise OcoError("changing the members of %s failed: %s" % (members.label, "; ".join(failures)))


class MemberSet:
    """The members of one group: how to add and remove one (``id -> (method, data)``) and read them all."""

    def __init__(self, label, add, remove, read):
        self.label, self.add, self.remove, self.read = label, add, remove, read


def member_plan(state, desired, current):
    """(ids to add, ids to remove) to reach ``state`` (present, absent, exact) from ``current``."""
    if state == "absent":
        return [], [i for i in desired if i in current]
    add = [i for i in desired if i not in current]
    remove = [i for i in current if i not in desired] if state == "exact" else []
    return add, remove


def where(jobs):
    """`` (in rollout, nightly)``: the containers or rules holding the jobs, when the server names them."""
    names = sorted({str(job.get("job_container_name") or job.get("deployment_rule_name") or "?") for job in jobs})
    return "" if names == ["?"] else " (in %s)" % ", ".join(names)
