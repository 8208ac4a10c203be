# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resolve references (names, group paths, ids, ``{family, version}``) to server objects.

One Resolver per client caches what it has read, so a module that names ten computers reads the
computer list once. Every failure names the kind, the value and, for no match, the closest names.
"""

from __future__ import annotations

import difflib

from ansible_collections.oco.oco.plugins.module_utils import legacy
from ansible_collections.oco.oco.plugins.module_utils.client import DIALECT_JSONRPC, DIALECT_LEGACY, vanished
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError, OcoNoMatchError, OcoNotFoundError
from ansible_collections.oco.oco.plugins.module_utils.names import name_key, same_name
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int
from ansible_collections.oco.oco.plugins.module_utils.planned import PLANNABLE_KINDS, PlannedReferences

GROUP_KINDS = {
    # kind: (list method, id parameter, parent field, member key)
    "computer": ("oco.computer.list", "computer_group_id", "parent_computer_group_id", "computers"),
    "package": ("oco.package.list", "package_group_id", "parent_package_group_id", "packages"),
    "report": ("oco.report.list", "report_group_id", "parent_report_group_id", "reports"),
}


def closest(value, names, count=3):
    return difflib.get_close_matches(str(value), [str(n) for n in names if n is not None], n=count, cutoff=0.5)


def no_match(kind, value, names):
    near = closest(value, names)
    hint = " (closest: %s)" % ", ".join(near) if near else ""
    return OcoNoMatchError("no %s matches %r%s" % (kind, value, hint))


def as_id(ref):
    """The integer id an int-typed reference names; None for anything else (a string is always a name)."""
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref
    return None


def is_digits(text):
    return isinstance(text, str) and text.strip().isascii() and text.strip().isdigit()


def listed(kind, rows, label):
    """``kind NAME (id N), ...`` for an error that lists several objects."""
    return ", ".join("%s %r (id %s)" % (kind, label(row), row.get("id")) for row in rows)


class NameIndex:
    """Rows of one list by id and by the server's name key, built once per list read.

    Looking a name up is then one dictionary access instead of a scan of the list.
    """

    def __init__(self, rows, field, trim=False):
        self.field, self.trim = field, trim
        self.rows = list(rows)
        self.by_id, self.by_key = {}, {}
        for row in self.rows:
            self.by_id[to_int(row.get("id"))] = row
            self.by_key.setdefault(name_key(row.get(field), trim), []).append(row)

    def named(self, name):
        return self.by_key.get(name_key(name, self.trim), [])

    def names(self):
        return [row.get(self.field) for row in self.rows]


def pick(kind, ref, index):
    """The one row of ``index`` that ``ref`` names: an int is an id, a string a name.

    Fails when nothing or several rows match, when an id also reads as another object's name, and
    when a string of digits names nothing but is an existing id (the hint says how to write the id).
    """
    field = index.field
    rid = as_id(ref)
    if rid is not None:
        row = index.by_id.get(rid)
        others = [r for r in index.named(str(rid)) if r is not row]
        if row is not None and others:
            raise OcoLookupError("%d is both the id of %s and the name of %s; write %d for the id, '%d' (quoted) for the name" % (
                rid, listed(kind, [row], lambda r: r.get(field)), listed(kind, others, lambda r: r.get(field)), rid, rid))
        if row is not None:
            return row
        hint = "; %s is named '%d': quote it to name it" % (listed(kind, others, lambda r: r.get(field)), rid) if others else ""
        raise OcoLookupError("no %s has id %d%s" % (kind, rid, hint))
    matches = index.named(ref)
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise OcoLookupError("%d %ss match %r: %s; name one by its id" % (
            len(matches), kind, ref, listed(kind, matches, lambda r: r.get(field))))
    if is_digits(ref) and int(ref.strip()) in index.by_id:
        raise OcoLookupError("no %s is named %r; to name the %s with id %d write the number without quotes" % (
            kind, ref, kind, int(ref.strip())))
    raise no_match(kind, ref, index.names())


def reference_problem(kind, ref):
    """Why ``ref`` cannot name a ``kind`` (computer, package, group, report), or None.

    The one local check of references, before anything is sent: an id is a positive integer, a
    name a non-empty string, and a package may also be ``{family, version}``.
    """
    if isinstance(ref, bool) or ref is None or isinstance(ref, (float, list)):
        return "not a %s reference" % kind
    if isinstance(ref, int):
        return None if ref > 0 else "an id must be a positive integer"
    if isinstance(ref, str):
        return None if ref.strip() else "an empty name"
    if isinstance(ref, dict):
        if kind != "package":
            return "%ss are named by %s or id" % (kind, "host name" if kind == "computer" else "name")
        unknown = sorted(set(ref) - {"family", "version"})
        if unknown:
            return "unknown key%s %s; a package is {family: NAME, version: V}" % (
                "" if len(unknown) == 1 else "s", ", ".join(unknown))
        if not isinstance(ref.get("family"), str) or not ref["family"].strip():
            return "a package dictionary needs a family name"
        if not isinstance(ref.get("version"), (str, int, type(None))) or isinstance(ref.get("version"), bool):
            return "the version must be a string (quote versions such as \"1.10\")"
        return None
    return "not a %s reference" % kind


def reference_problems(option, kind, refs):
    """``invalid option OPTION=REF: why`` for every bad reference in ``refs``, not just the first."""
    return ["invalid option %s=%r: %s" % (option, ref, why)
            for ref, why in ((ref, reference_problem(kind, ref)) for ref in refs or []) if why]


def path_part(name):
    """A group name as one part of a path: ``\\`` and ``/`` inside it are written ``\\\\`` and ``\\/``."""
    return str(name).replace("\\", "\\\\").replace("/", "\\/")


def path_parts(path):
    """The group names a path ``Parent/Child`` consists of; ``\\/`` is a slash inside a name.

    A backslash before ``/`` or ``\\`` escapes it; before any other character it is kept as it is.
    """
    parts, current, index = [], [], 0
    while index < len(path):
        char = path[index]
        if char == "\\" and index + 1 < len(path) and path[index + 1] in "/\\":
            current.append(path[index + 1])
            index += 2
            continue
        if char == "/":
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


class GroupTree:
    """The group tree of one kind, read level by level with one batch per level."""

    def __init__(self, client, kind):
        self.client = client
        self.kind = kind
        self.method, self.id_param, self.parent_field, self.member_key = GROUP_KINDS[kind]
        self.groups = {}      # id -> group row (+ "path")
        self.members = {}     # id -> list of member rows (direct members)
        self.children = {}    # id -> list of child ids
        self._index = None    # (by path key, by name key), built on the first lookup

    def load(self, roots, guess=0):
        """Read the tree below ``roots`` (the root group rows).

        With ``guess`` > 0 on a server that takes batches, the first batch also asks for group ids
        ``1..guess`` it has not seen yet: ids are assigned in sequence, so a whole tree usually
        arrives in one request instead of one request per depth level. Answers for ids that do
        not hang below ``roots`` are dropped, so the result is the same as without guessing.
        """
        # Only once the server is known to take batches: a legacy server would get every guess as a
        # request of its own.
        if guess <= 0 or self.client.dialect != DIALECT_JSONRPC:
            guess = 0
        return self._load(roots, guess)

    def _load(self, roots, guess):
        """Without guesses, each round reads exactly the groups found in the round before: one batch per level."""
        size = max(1, self.client.batch_size)
        answers = {}          # id -> CallResult, whether or not the id turned out to be in the tree
        frontier = []
        for group in as_list(roots):
            gid = to_int(group.get("id"))
            self.groups[gid] = dict(group, id=gid, path=path_part(group.get("name")))
            frontier.append(gid)
        next_guess, guess_end = 1, guess
        while frontier:
            wanted = [gid for gid in frontier if gid not in answers]
            guesses = []
            if next_guess <= guess_end:
                room = max(0, size - len(wanted))
                taken = set(wanted)
                while room and next_guess <= guess_end:
                    if next_guess not in taken and next_guess not in answers:
                        guesses.append(next_guess)
                        room -= 1
                    next_guess += 1
            ids = wanted + guesses
            results = self.client.batch([(self.method, {self.id_param: gid}) for gid in ids], batch_size=size)
            for gid, result in zip(ids, results):
                answers[gid] = result
            if guesses and answers[guesses[-1]].error is None:
                # The last guessed id exists: the ids probably go on, keep guessing in the next batch.
                guess_end = next_guess + size - 1
            frontier = self._expand(frontier, answers)
        return self

    def _expand(self, frontier, answers):
        """Walk down from ``frontier`` through the answers at hand; return the ids still to read."""
        waiting = []
        queue = list(frontier)
        while queue:
            gid = queue.pop(0)
            result = answers.get(gid)
            if result is None:
                waiting.append(gid)
                continue
            if result.error is not None:
                if vanished(result.error):
                    self.groups.pop(gid, None)
                    continue
                raise result.error
            data = result.data or {}
            self.members[gid] = as_list(data.get(self.member_key))
            self.children[gid] = []
            for child in as_list(data.get("groups")):
                cid = to_int(child.get("id"))
                if cid in self.groups:
                    continue
                self.groups[cid] = dict(child, id=cid, path="%s/%s" % (self.groups[gid]["path"], path_part(child.get("name"))))
                self.children[gid].append(cid)
                queue.append(cid)
        return waiting

    def descendants(self, gid):
        """``gid`` and every group below it."""
        result, stack = [], [gid]
        while stack:
            current = stack.pop()
            result.append(current)
            stack.extend(self.children.get(current, []))
        return result

    def _indexes(self):
        """Groups by the keys of their path parts and by the key of their name, built once per tree read."""
        if self._index is None:
            by_path, by_name = {}, {}
            for group in self.groups.values():
                by_path.setdefault(tuple(name_key(part) for part in path_parts(group["path"])), []).append(group)
                by_name.setdefault(name_key(group.get("name")), []).append(group)
            self._index = (by_path, by_name)
        return self._index

    def resolve(self, ref):
        """A group by id (an int), or by ``Parent/Child`` path or name (a string).

        A string is read as a path first (``\\/`` is a slash inside a name), then as a name anywhere
        in the tree. One that contains ``/`` and reads as the path of one group and the name of
        another fails, naming both; so does an int that is one group's id and another's name.
        """
        label = "%s group" % self.kind
        gid = as_id(ref)
        by_path, by_name = self._indexes()
        if gid is not None:
            group = self.groups.get(gid)
            others = [g for g in by_path.get((name_key(str(gid)),), []) + by_name.get(name_key(str(gid)), [])
                      if g is not group]
            others = list({g["id"]: g for g in others}.values())
            if group is not None and others:
                raise OcoLookupError("%d is both the id of %s and the name of %s; write %d for the id, '%d' (quoted) for the name" % (
                    gid, self._listed([group]), self._listed(others), gid, gid))
            if group is not None:
                return group
            hint = "; %s is named '%d': quote it to name it" % (self._listed(others), gid) if others else ""
            raise self._legacy_no_groups(label, ref) or OcoLookupError("no %s has id %d%s" % (label, gid, hint))
        text = str(ref)
        parts = path_parts(text)
        on_path = by_path.get(tuple(name_key(part) for part in parts), [])
        named = by_name.get(name_key(text), []) if "/" in text else []
        if on_path and [g for g in named if g not in on_path]:
            raise OcoLookupError("%r is the path of %s and the name of %s; write a slash inside a name as \\/ "
                                 "(for example %r), or name the group by its id" % (
                                     text, self._listed(on_path), self._listed([g for g in named if g not in on_path]),
                                     path_part(named[0].get("name"))))
        if len(on_path) == 1:
            return on_path[0]
        matches = on_path or named or (by_name.get(name_key(parts[0]), []) if len(parts) == 1 else [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise OcoLookupError("%d %ss match %r: %s; name one by its path or id" % (
                len(matches), label, text, ", ".join(sorted("%s (id %d)" % (g["path"], g["id"]) for g in matches))))
        if is_digits(text) and int(text.strip()) in self.groups:
            raise OcoLookupError("no %s is named %r; to name the %s with id %d write the number without quotes" % (
                label, text, label, int(text.strip())))
        raise self._no_match(label, text)

    def _listed(self, groups):
        return ", ".join("%s group %s (id %d)" % (self.kind, g["path"], g["id"]) for g in groups)

    def _no_match(self, label, text):
        """Closest groups by path or by name alone (``Labb`` suggests ``Site A/Lab``), shown as paths."""
        paths_of = {}
        for group in self.groups.values():
            for key in (group["path"], group.get("name")):
                paths_of.setdefault(str(key), []).append(group["path"])
        near = []
        for candidate in closest(text, list(paths_of), count=5):
            near.extend(path for path in paths_of[candidate] if path not in near)
        hint = " (closest: %s)" % ", ".join(near[:3]) if near else ""
        return self._legacy_no_groups(label, text) or OcoLookupError("no %s matches %r%s" % (label, text, hint))

    def _legacy_no_groups(self, label, ref):
        """Servers before 0.15.2 list no groups at all: say so first instead of suggesting a typo."""
        era = getattr(self.client, "era", None)
        if self.groups or getattr(self.client, "dialect", None) != DIALECT_LEGACY or era is None:
            return None
        reason = legacy.no_groups(self.kind, era)
        return OcoLookupError("%s (%s %r)" % (reason, label, ref)) if reason else None


class Resolver:
    """Looks objects up by reference, reading each list at most once."""

    def __init__(self, client):
        self.client = client
        self._computer_list = None
        self._trees = {}
        self._families = None
        self._packages = {}
        self._reports = None
        self._indexes = {}    # list name -> (the list read, its NameIndex)
        # In check mode, the names taken for objects an earlier task would create (see planned.py).
        self.planned = PlannedReferences()

    def plans(self, kind):
        """Whether a name of ``kind`` that matches nothing may stand for an object still to be created."""
        return bool(getattr(self.client, "check_mode", False)) and kind in PLANNABLE_KINDS

    def resolve_many(self, option, kind, refs):
        """Every reference of ``option`` resolved, in order; one error naming every bad one.

        ``kind``: computer, package, report, computer_group or package_group. This is the one
        place references become objects, so every module matches names and ids the same way.
        In check mode a computer or package name that matches nothing resolves to a placeholder
        (id None) and is recorded in ``planned``: an earlier task of the play would create it.
        """
        lookups = {
            "computer": self.computer,
            "package": self.package,
            "report": self.report,
            "computer_group": lambda ref: self.group("computer", ref),
            "package_group": lambda ref: self.group("package", ref),
        }
        found, problems = [], []
        for ref in refs or []:
            try:
                found.append(lookups[kind](ref))
            except OcoNoMatchError as exc:
                if self.plans(kind):
                    found.append(self.planned.assume(option, kind, ref, exc))
                else:
                    problems.append(str(exc))
            except OcoLookupError as exc:
                problems.append(str(exc))
        if problems:
            raise OcoLookupError("%s: %s" % (option, "; ".join(problems)))
        return found

    def resolve_options(self, wanted):
        """``{option: objects}`` for ``[(option, kind, refs)]``; one error naming every bad reference of every option."""
        found, problems = {}, []
        for option, kind, refs in wanted:
            try:
                found[option] = self.resolve_many(option, kind, refs)
            except OcoLookupError as exc:
                problems.append(str(exc))
        if problems:
            raise OcoLookupError("; ".join(problems))
        return found

    # --------------------------------------------------------------- computers

    def computer_list(self, refresh=False):
        if self._computer_list is None or refresh:
            self._computer_list = self.client.call("oco.computer.list") or {}
        return self._computer_list

    def computers(self, refresh=False):
        return as_list(self.computer_list(refresh).get("computers"))

    def _index(self, name, rows_of, field, trim=False):
        """The NameIndex of one list, rebuilt only when the list was read again."""
        cached = self._indexes.get(name)
        if cached is None or cached[0] is not rows_of:
            cached = (rows_of, NameIndex(as_list(rows_of.get(field[0]) if field[0] else rows_of), field[1], trim))
            self._indexes[name] = cached
        return cached[1]

    def computer_index(self, refresh=False):
        return self._index("computers", self.computer_list(refresh), ("computers", "hostname"), trim=True)

    def find_computer(self, hostname, refresh=False):
        """The computer with this host name, or None; several fail, listing them."""
        matches = self.computer_index(refresh).named(hostname)
        if len(matches) > 1:
            raise OcoLookupError("%d computers match %r: %s; name one by its id" % (
                len(matches), hostname, listed("computer", matches, lambda c: c.get("hostname"))))
        return matches[0] if matches else None

    def computer(self, ref):
        """A computer by id (an int) or host name (a string)."""
        return pick("computer", ref, self.computer_index())

    # --------------------------------------------------------------- groups

    def tree(self, kind, refresh=False):
        if kind not in self._trees or refresh:
            self._trees[kind] = GroupTree(self.client, kind).load(self._roots(kind))
        return self._trees[kind]

    def _roots(self, kind):
        if kind == "computer":
            return self.computer_list(refresh=True).get("groups")
        if kind == "report":
            return self.report_list().get("groups")
        # Root package groups come with the package list of any family.
        families = self.families()
        if not families:
            return []
        return (self.client.call("oco.package.list", {"package_family_id": families[0]["id"]}) or {}).get("groups")

    def group(self, kind, ref):
        return self.tree(kind).resolve(ref)

    # --------------------------------------------------------------- packages

    def families(self, refresh=False):
        if self._families is None or refresh:
            self._families = as_list(self.client.call("oco.package_family.list"))
        return self._families

    def family_index(self):
        return self._index("families", self.families(), (None, "name"))

    def family(self, name):
        """A package family by name (a string; families have no id references)."""
        index = self.family_index()
        matches = index.named(name)
        if len(matches) > 1:
            raise OcoLookupError("%d package families match %r: %s" % (
                len(matches), name, listed("package family", matches, lambda f: f.get("name"))))
        if not matches:
            raise no_match("package family", name, index.names())
        return matches[0]

    def family_packages(self, family_id, refresh=False):
        if family_id not in self._packages or refresh:
            data = self.client.call("oco.package.list", {"package_family_id": family_id}) or {}
            self._packages[family_id] = as_list(data.get("packages"))
        return self._packages[family_id]

    def find_package(self, family, version, refresh=False):
        """The package ``family`` ``version``, or None (the family may not exist either).

        ``refresh`` reads the families and packages again (after a write whose answer was lost).
        """
        self.families(refresh)
        for fam in self.family_index().named(family):
            for package in self.family_packages(fam["id"], refresh):
                if same_name(package.get("version"), version):
                    return package
        return None

    def package(self, ref):
        """A package by id, ``{family, version}``, or family name alone (its newest package)."""
        if isinstance(ref, dict):
            family, version = ref.get("family"), ref.get("version")
            if not family:
                raise OcoLookupError("package reference %r needs a family" % (ref,))
            if version in (None, ""):
                return self.package(family)
            fam = self.family(family)
            packages = self.family_packages(fam["id"])
            for package in packages:
                if same_name(package.get("version"), version):
                    return package
            raise no_match("package of family %r" % fam.get("name"), version, [p.get("version") for p in packages])
        pid = as_id(ref)
        if pid is not None:
            try:
                data = self.client.call("oco.package.get", {"id": pid}) or {}
            except OcoNotFoundError:
                raise OcoLookupError("no package has id %d" % pid) from None
            return data.get("general") or {"id": pid}
        fam = self._family_or_id_hint(ref)
        packages = self.family_packages(fam["id"])
        if not packages:
            raise OcoLookupError("package family %r has no packages" % fam.get("name"))
        return max(packages, key=lambda p: (str(p.get("created") or ""), p.get("id") or 0))

    def _family_or_id_hint(self, name):
        """The family ``name``; a string of digits that names none but is a package id says how to write the id."""
        try:
            return self.family(name)
        except OcoLookupError:
            if is_digits(name) and self._package_exists(int(name.strip())):
                raise OcoLookupError("no package family is named %r; to name the package with id %d write the number "
                                     "without quotes" % (name, int(name.strip()))) from None
            raise

    def _package_exists(self, pid):
        try:
            self.client.call("oco.package.get", {"id": pid})
        except OcoNotFoundError:
            return False
        return True

    # --------------------------------------------------------------- reports

    def report_list(self):
        if self._reports is None:
            self._reports = self.client.call("oco.report.list") or {}
        return self._reports

    def report(self, ref):
        """A report by id (an int) or name (a string)."""
        return pick("report", ref, self._index("reports", self.report_list(), ("reports", "name")))
