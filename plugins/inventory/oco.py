# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: oco
short_description: Hosts and groups from an OCO server
version_added: 1.0.0
description:
  - Reads the computers of an OCO (Open Computer Orchestration) server through its client API and
    makes each one an Ansible host.
  - The OCO computer-group tree becomes nested Ansible groups; a computer is a member of every
    group it is in.
  - The computer's fields become host variables under O(vars_prefix); O(details=true) adds the
    sections of C(oco.computer.get) (networks, logins, installed packages, pending jobs...).
  - The source file name must end in C(oco.yml) or C(oco.yaml). Unknown keys in it are an error.
  - "Cost: one request for the computer list, usually one more for the whole group tree (see
    O(batch_size)), and, with O(details=true) or O(ansible_host=first_ip), one request per
    O(batch_size) selected computers. A O(report) filter adds one request (two when the report is
    named). A cache hit makes no request at all."
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection.PLUGIN
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: Marks the file as a source of this plugin.
    type: str
    required: true
    choices: [oco.oco.oco]
  hostnames:
    description:
      - How each computer's inventory host name is made, tried in order; the first entry that gives a
        non-empty text wins.
      - An entry is a Jinja2 template (V({{ hostname }}.corp.example)) or a bare expression
        (V(hostname), V(uid)). It sees the computer's fields without prefix (V(id), V(hostname),
        V(uid), V(serial), V(domain), V(notes)...) and, with O(details=true), the C(oco.computer.get)
        sections (V(networks), V(logins)...).
      - A computer for which no entry gives a name is an error, so is a name that two computers get
        (the message names both computer ids).
    type: list
    elements: str
    default: [hostname]
  ansible_host:
    description:
      - What becomes the C(ansible_host) of each host.
      - V(hostname) is the computer's host name as OCO knows it.
      - V(first_ip) is the first address of the computer's networks (in the server's order) that is not
        empty, loopback or link-local; a computer without one gets no C(ansible_host). The networks
        come from C(oco.computer.get); without O(details=true) they are read only for this, in batches
        of O(batch_size), which costs as many requests as O(details=true).
      - V(none) sets no C(ansible_host); Ansible then connects to the inventory host name.
    type: str
    choices: [hostname, first_ip, none]
    default: hostname
  group_prefix:
    description:
      - Text put in front of the name of each group made from an OCO computer group.
      - Group names are lower case, with every run of characters other than letters, digits and
        C(_) turned into one C(_) (V(Web Servers (DMZ)) becomes V(oco_web_servers_dmz)). When two OCO
        groups give the same name, their paths are used instead (V(oco_berlin_servers),
        V(oco_munich_servers)), and when even those collide, the group id is appended.
    type: str
    default: oco_
  vars_prefix:
    description:
      - Text put in front of each host variable taken from OCO (V(oco_hostname), V(oco_os)...).
      - A field whose value is null on the server (no agent contact yet, no software joined, a
        computer no system user created...) sets no host variable at all, so test such a field
        with C(is defined), in playbooks and in O(compose), O(groups) and O(keyed_groups) alike.
        Values inside lists and dictionaries (O(details) sections, C(groups)) are kept as the
        server sends them, nulls included. O(hostnames) entries see every field, nulls included.
    type: str
    default: oco_
  details:
    description:
      - Also read C(oco.computer.get) for every selected computer and add its sections as host
        variables under O(vars_prefix) (C(groups), C(logins), C(networks), C(screens), C(printers),
        C(filesystems), C(recognised_software), C(installed_packages), C(pending_jobs)); the
        C(general) section fills the computer fields (for example C(created_by_system_user_username)).
      - Costs one request per O(batch_size) selected computers.
    type: bool
    default: false
  computer_groups:
    description:
      - Only computers in these OCO computer groups or their subgroups. A group is named by name, path
        (V(Parent/Child)) or id written as a number (a quoted V('12') is a name; a slash inside a group
        name is written C(\/) in a path). An unknown or ambiguous group is an error.
      - The Ansible groups are then limited to those that hold a selected computer.
    type: list
    elements: raw
    default: []
  exclude_computer_groups:
    description:
      - Leave out computers in these OCO computer groups or their subgroups (name, path or id as a number), also
        when O(computer_groups) selects them.
    type: list
    elements: raw
    default: []
  report:
    description:
      - Only computers whose id is in the C(computer_id) column of this OCO report's rows (report
        name, or id written as a number). A report without that column, or an unknown report, is an error.
    type: raw
  batch_size:
    description:
      - How many calls go into one JSON-RPC batch (one HTTP request) for the group tree and for
        C(oco.computer.get).
      - The group tree is read with a guess at the group ids (OCO numbers groups in sequence) in the
        first batch, up to ten times the highest root group id (at least 50, at most this size), so a
        tree of a few hundred groups usually costs one or two requests whatever its depth. The guesses
        are cheap reads; answers for groups outside the tree are dropped.
      - Servers before 1.0.3 know no batches; there every call is a request of its own and no guessing
        is done.
    type: int
    default: 500
notes:
  - The plugin reads; it never changes anything on the server.
  - The cache holds what the server returned (without C(agent_key) and C(server_key)), never the
    password or the API key. Changing the connection, filter, O(details) or O(ansible_host) options
    makes the next run read the server again.
  - Cache files are written readable by their owner only (mode 0600), and a cache directory the
    plugin creates is private (0700), because they hold logins and installed software. With the
    C(ansible.builtin.jsonfile) cache plugin and no O(cache_connection) set anywhere, the cache goes
    to C(~/.cache/ansible/oco-inventory).
  - A computer whose inventory host name would shadow a group or the control node in host patterns
    (C(all), C(ungrouped), C(localhost), C(127.0.0.1), C(::1), the name of a group made from an OCO
    group or by O(groups)/O(keyed_groups), or of a group of another inventory source) is left out
    with a warning naming it; give it another name with O(hostnames).
"""

EXAMPLES = r"""
# inventory/prod.oco.yml - every computer, the group tree as groups, connection from OCO_* variables
plugin: oco.oco.oco

---
# inventory/windows.oco.yml
plugin: oco.oco.oco
url: https://oco.example.com
username: ansible
# The password comes from OCO_PASSWORD: options in this file are not templated.
computer_groups:
  - Berlin/Servers
exclude_computer_groups:
  - Retired
hostnames:
  - "{{ hostname }}.corp.example"
ansible_host: first_ip
details: true
compose:
  ansible_connection: "'winrm' if oco_os is match('Windows') else 'ssh'"
keyed_groups:
  - key: oco_os
    prefix: os
groups:
  # Fields without a value on the server set no variable: test them with "is defined".
  laptops: oco_battery_level is defined
cache: true
cache_plugin: ansible.builtin.jsonfile
# A directory only you can read: the cache holds logins and installed software.
cache_connection: ~/.cache/ansible/oco-inventory
cache_timeout: 3600

---
# inventory/no-agent.oco.yml - the computers of a report
plugin: oco.oco.oco
report: 7 Days No Agent Contact
ansible_host: none
"""

import hashlib
import ipaddress
import json
import os
import re
from contextlib import contextmanager

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.oco.oco.plugins.module_utils import legacy
from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient, batch_size_problem
from ansible_collections.oco.oco.plugins.module_utils.connection import CONNECTION_OPTIONS, client_kwargs
from ansible_collections.oco.oco.plugins.module_utils.entities import GroupTree, Resolver, as_id
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, OcoLookupError, OcoNotFoundError, failure_text
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

DETAIL_SECTIONS = ("groups", "logins", "networks", "screens", "printers", "filesystems", "recognised_software",
                   "installed_packages", "pending_jobs")
RESERVED_GROUPS = ("all", "ungrouped")
# Host names that stand for something else in host patterns: the implicit groups and the control node.
RESERVED_HOST_NAMES = RESERVED_GROUPS + ("localhost", "127.0.0.1", "::1")
# Where a file cache goes when nothing else is configured: private to the user, unlike /tmp.
PRIVATE_CACHE_DIR = "~/.cache/ansible/oco-inventory"
FILE_CACHE_PLUGINS = ("jsonfile", "ansible.builtin.jsonfile")
# Cache entries written by another layout of the data are read as a miss.
CACHE_FORMAT = 1
_INVALID_GROUP_CHARS = re.compile(r"\W+")
_BARE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def sanitize_group_name(text):
    """Lower case, every run of characters that Ansible does not allow in group names made one ``_``."""
    return _INVALID_GROUP_CHARS.sub("_", str(text).strip().lower()).strip("_")


def group_names(groups, prefix):
    """Ansible group name of each OCO group: ``{id: name}`` for rows with ``id``, ``name`` and ``path``.

    Names come from the group name; groups whose names collide use their paths, and if those collide
    too, the id is appended. The result does not depend on the order of ``groups``.
    """
    def full(text):
        name = prefix + sanitize_group_name(text)
        if not name or name in RESERVED_GROUPS or name[0].isdigit():
            name = "_" + name
        return name

    def collisions(candidates):
        seen = {}
        for gid, name in candidates.items():
            seen.setdefault(name, []).append(gid)
        return {gid for gids in seen.values() if len(gids) > 1 for gid in gids}

    rows = {group["id"]: group for group in groups}
    names = {gid: full(group.get("name") or "") for gid, group in rows.items()}
    clashing = collisions(names)
    for gid in clashing:
        names[gid] = full(rows[gid].get("path") or rows[gid].get("name") or "")
    for gid in collisions(names):
        names[gid] = "%s_%d" % (names[gid], gid)
    return names


def unique_host_names(named):
    """``named`` is ``[(host name, computer id)]``; raise OcoLookupError when a name repeats."""
    owner = {}
    for name, cid in named:
        if name in owner:
            raise OcoLookupError(
                "computers id %d and id %d both get the inventory host name %r from hostnames; add an entry that "
                "tells them apart (for example {{ hostname }}-{{ id }}) or change the order of hostnames"
                % (owner[name], cid, name))
        owner[name] = cid
    return owner


def shadowing(name, group_names_in_use):
    """Why ``name`` cannot be a host name (it would shadow a group or the control node), or None."""
    if name in RESERVED_HOST_NAMES:
        return "a name Ansible reserves (%s)" % ", ".join(RESERVED_HOST_NAMES)
    if name in group_names_in_use:
        return "the name of an inventory group"
    return None


@contextmanager
def private_files():
    """Files and directories created inside are readable by their owner only."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def first_ip(networks):
    """The first usable address of a computer's networks, or None."""
    for network in as_list(networks):
        address = str((network or {}).get("address") or "").strip()
        if not address or address in ("-", "?"):
            continue
        try:
            parsed = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            continue
        if parsed.is_loopback or parsed.is_link_local or parsed.is_unspecified:
            continue
        return address
    return None


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    """Hosts from ``oco.computer.list``, groups from the computer-group tree."""

    NAME = "oco.oco.oco"
    _oco_client = None

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("oco.yml", "oco.yaml"))

    def _read_config_data(self, path):
        with private_files():
            # The cache plugin is set up here and creates its directory.
            config = super()._read_config_data(path)
        unknown = sorted(str(key) for key in config if key not in self._options)
        if unknown:
            raise AnsibleParserError(
                "inventory source %s: unknown option%s %s for plugin %s; valid options: %s"
                % (path, "s" if len(unknown) > 1 else "", ", ".join(unknown), self.NAME,
                   ", ".join(sorted(self._options))))
        return config

    def set_options(self, task_keys=None, var_options=None, direct=None):
        super().set_options(task_keys=task_keys, var_options=var_options, direct=direct)
        if self.get_option("cache") and self.get_option("cache_connection") is None \
                and self.get_option("cache_plugin") in FILE_CACHE_PLUGINS:
            self.set_option("cache_connection", PRIVATE_CACHE_DIR)

    def update_cache_if_changed(self):
        with private_files():
            super().update_cache_if_changed()
        self._restrict_cache_files()

    def set_cache_plugin(self):
        with private_files():
            super().set_cache_plugin()
        self._restrict_cache_files()

    def _restrict_cache_files(self):
        """The file cache plugins make their files world-readable (0644); ours hold logins and software."""
        directory = getattr(getattr(self._cache, "_plugin", None), "_cache_dir", None)
        keys = tuple(self._cache.keys())
        if not directory or not keys or not os.path.isdir(directory):
            return
        # ansible-core adds a prefix of its own to each key: match the file names by their end.
        for name in os.listdir(directory):
            path = os.path.join(directory, name)
            if name.endswith(keys) and os.path.isfile(path):
                os.chmod(path, 0o600)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        try:
            self._check_options()
            data = self._data(path, cache)
            self._populate(data)
        except OcoError as exc:
            raise AnsibleParserError("OCO inventory %s: %s" % (path, failure_text(exc, self._oco_client))) from None

    # ------------------------------------------------------------------ options

    def _check_options(self):
        why = batch_size_problem(self.get_option("batch_size"))
        if why:
            raise AnsibleParserError("invalid option batch_size %r: %s" % (self.get_option("batch_size"), why))
        hostnames = self.get_option("hostnames")
        if not hostnames or any(not isinstance(entry, str) or not entry.strip() for entry in hostnames):
            raise AnsibleParserError("invalid option hostnames: it must be a list of non-empty templates, e.g. [hostname]")
        for option in ("computer_groups", "exclude_computer_groups"):
            for ref in self.get_option(option):
                if isinstance(ref, (dict, list, bool)) or ref is None or str(ref).strip() == "":
                    raise AnsibleParserError("invalid option %s: %r is not a group name, path or id" % (option, ref))
        report = self.get_option("report")
        if report is not None and (isinstance(report, (dict, list, bool)) or str(report).strip() == ""):
            raise AnsibleParserError("invalid option report: %r is not a report name or id" % (report,))

    def _needs_networks(self):
        return self.get_option("ansible_host") == "first_ip" and not self.get_option("details")

    def _fingerprint(self):
        """What the fetched data depends on; a cached copy made under other settings is not used."""
        names = ("url", "username", "details", "computer_groups", "exclude_computer_groups", "report")
        settings = {name: self.get_option(name) for name in names}
        settings["networks"] = self._needs_networks()
        settings["format"] = CACHE_FORMAT
        text = json.dumps(settings, sort_keys=True, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    # ------------------------------------------------------------------ data (server or cache)

    def _data(self, path, cache):
        use_cache = self.get_option("cache")
        read_cache = use_cache and cache
        update_cache = use_cache and not cache
        key = self.get_cache_key(path)
        fingerprint = self._fingerprint()
        data = None
        if read_cache:
            try:
                cached = self._cache[key]
            except KeyError:
                update_cache = True
            else:
                if isinstance(cached, dict) and cached.get("fingerprint") == fingerprint:
                    data = cached.get("data")
                else:
                    update_cache = True
        if data is None:
            data = self._fetch()
        if update_cache:
            self._cache[key] = {"fingerprint": fingerprint, "data": data}
        return data

    def _client(self):
        options = {name: self.get_option(name) for name in CONNECTION_OPTIONS}
        # Kept for the error path, which removes this client's secrets from every message.
        self._oco_client = OcoClient(batch_size=self.get_option("batch_size"), warn=self.display.warning,
                                     **client_kwargs(options))
        return self._oco_client

    def _fetch(self):
        """Everything the inventory is built from, in a JSON-safe shape (it may go to the cache)."""
        client = self._client()
        batch_size = self.get_option("batch_size")
        listing = client.call("oco.computer.list") or {}
        if client.dialect == "legacy" and legacy.no_groups("computer", client.era):
            self.display.warning("%s; until then every host is ungrouped" % legacy.no_groups("computer", client.era))
        computers = as_list(listing.get("computers"))
        roots = as_list(listing.get("groups"))
        tree = GroupTree(client, "computer").load(roots, guess=self._guess(roots, batch_size))
        groups = [dict(tree.groups[gid], children=list(tree.children.get(gid, [])),
                       members=[to_int(m.get("id")) for m in tree.members.get(gid, [])])
                  for gid in tree.groups]
        selected = self._select(client, computers, tree)
        data = {"computers": computers, "groups": groups, "selected": selected, "details": [], "networks": []}
        if self.get_option("details") or self._needs_networks():
            found = client.read_each("oco.computer.get", selected, batch_size=batch_size)
            for cid in selected:
                if cid not in found:
                    # Removed between the list and the read: it stays a host, without details.
                    self.display.warning("OCO computer id %d vanished while the inventory was read" % cid)
                    continue
                sections = found[cid] or {}
                if self.get_option("details"):
                    data["details"].append({"id": cid, "sections": sections})
                else:
                    data["networks"].append({"id": cid, "networks": as_list(sections.get("networks"))})
        return data

    @staticmethod
    def _guess(roots, batch_size):
        """How many group ids to ask for ahead of knowing them (see GroupTree.load).

        Subgroups are mostly created after their roots, so ids up to ten times the highest root id
        usually cover the tree; the tree is then read in one request instead of one per depth level.
        """
        if not roots:
            return 0
        highest = max(to_int(group.get("id"), 0) for group in roots)
        return min(batch_size, max(50, 10 * highest))

    def _select(self, client, computers, tree):
        """Ids of the computers the filters let through, in list order."""
        ids = [to_int(c.get("id")) for c in computers]
        include = self.get_option("computer_groups")
        if include:
            wanted = self._group_members(tree, include)
            ids = [cid for cid in ids if cid in wanted]
        exclude = self.get_option("exclude_computer_groups")
        if exclude:
            unwanted = self._group_members(tree, exclude)
            ids = [cid for cid in ids if cid not in unwanted]
        report = self.get_option("report")
        if report is not None:
            in_report = self._report_computers(client, report)
            ids = [cid for cid in ids if cid in in_report]
        return ids

    @staticmethod
    def _group_members(tree, refs):
        members = set()
        for ref in refs:
            group = tree.resolve(ref)
            for gid in tree.descendants(group["id"]):
                members.update(to_int(m.get("id")) for m in tree.members.get(gid, []))
        return members

    @staticmethod
    def _report_computers(client, ref):
        # An int is a report id (run without reading the report list), a string always a name.
        rid = as_id(ref)
        if rid is not None:
            try:
                rows = client.call("oco.report.execute", {"id": rid})
            except OcoNotFoundError:
                raise OcoLookupError("no report has id %d" % rid) from None
            label = "report id %d" % rid
        else:
            report = Resolver(client).report(ref)
            rows = client.call("oco.report.execute", {"id": report["id"]})
            label = "report %r (id %s)" % (report.get("name"), report.get("id"))
        rows = as_list(rows)
        if rows and not all(isinstance(row, dict) and "computer_id" in row for row in rows):
            columns = sorted(rows[0]) if isinstance(rows[0], dict) else []
            raise OcoLookupError("%s has no computer_id column (its columns: %s); the report filter needs the computer "
                                 "ids in a column named computer_id" % (label, ", ".join(columns) or "none"))
        return {to_int(row.get("computer_id")) for row in rows}

    # ------------------------------------------------------------------ inventory

    def _populate(self, data):
        vars_prefix = self.get_option("vars_prefix")
        computers = {to_int(c.get("id")): c for c in as_list(data.get("computers"))}
        selected = [cid for cid in data.get("selected") or [] if cid in computers]
        details = {entry["id"]: entry.get("sections") or {} for entry in as_list(data.get("details"))}
        networks = {entry["id"]: entry.get("networks") for entry in as_list(data.get("networks"))}
        groups = {group["id"]: group for group in as_list(data.get("groups"))}

        memberships = {}
        for gid, group in groups.items():
            for cid in group.get("members") or []:
                memberships.setdefault(cid, []).append(gid)

        named, fields_by_id = [], {}
        for cid in selected:
            fields = dict(computers[cid])
            fields["groups"] = sorted(
                ({"id": gid, "parent_computer_group_id": groups[gid].get("parent_computer_group_id"),
                  "name": groups[gid].get("name")} for gid in memberships.get(cid, [])),
                key=lambda g: (str(g["name"]).casefold(), g["id"]))
            if cid in details:
                sections = details[cid]
                fields.update(sections.get("general") or {})
                for section in DETAIL_SECTIONS:
                    if section in sections:
                        fields[section] = as_list(sections[section])
            fields_by_id[cid] = fields
            named.append((self._host_name(cid, fields), cid))
        unique_host_names(named)
        in_use = set(self.inventory.groups) | set(group_names(list(groups.values()), self.get_option("group_prefix")).values())
        named = [(name, cid) for name, cid in named if not self._shadows(name, cid, in_use)]
        host_of = {cid: name for name, cid in named}

        self._add_groups(groups, set(selected), memberships, host_of, filtered=self._filtered())

        strict = self.get_option("strict")
        choice = self.get_option("ansible_host")
        for name, cid in named:
            fields = fields_by_id[cid]
            self.inventory.add_host(name)
            # A null is "the server has no value", not a value: leaving the key out lets playbooks
            # and compose expressions test it with `is defined` and keeps hostvars readable.
            hostvars = {vars_prefix + key: value for key, value in fields.items() if value is not None}
            address = None
            if choice == "hostname":
                address = fields.get("hostname")
            elif choice == "first_ip":
                address = first_ip(fields.get("networks") if cid in details else networks.get(cid))
            if address:
                hostvars["ansible_host"] = address
            for key, value in hostvars.items():
                self.inventory.set_variable(name, key, value)
            self._set_composite_vars(self.get_option("compose"), hostvars, name, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, name, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, name, strict=strict)
        for name, cid in named:
            # groups and keyed_groups may have made a group of that name only now.
            if name in self.inventory.groups and self._shadows(name, cid, self.inventory.groups):
                self.inventory.remove_host(self.inventory.hosts[name])

    def _shadows(self, name, cid, group_names_in_use):
        why = shadowing(name, group_names_in_use)
        if why is not None:
            self.display.warning("OCO computer id %d is left out of the inventory: its host name %r is %s, and host "
                                 "patterns would take the host for it; give it another name with hostnames, for "
                                 "example {{ hostname }}-{{ id }}" % (cid, name, why))
        return why is not None

    def _filtered(self):
        return bool(self.get_option("computer_groups") or self.get_option("exclude_computer_groups")
                    or self.get_option("report") is not None)

    def _add_groups(self, groups, selected, memberships, host_of, filtered):
        keep = set(groups)
        if filtered:
            # Only groups that hold a selected computer somewhere below them.
            keep = set()
            for cid in selected:
                for gid in memberships.get(cid, []):
                    while gid is not None and gid in groups and gid not in keep:
                        keep.add(gid)
                        gid = to_int(groups[gid].get("parent_computer_group_id"))
        # Named over the whole tree, so a group keeps its name whatever the filters select.
        names = group_names(list(groups.values()), self.get_option("group_prefix"))
        for gid in sorted(keep, key=lambda g: (str(groups[g].get("path")).casefold(), g)):
            self.inventory.add_group(names[gid])
        for gid in sorted(keep):
            for child in groups[gid].get("children") or []:
                if child in keep:
                    self.inventory.add_child(names[gid], names[child])
        for cid in selected:
            if cid not in host_of:
                continue
            for gid in memberships.get(cid, []):
                if gid in keep:
                    self.inventory.add_host(host_of[cid], group=names[gid])

    def _host_name(self, cid, fields):
        reasons = []
        for entry in self.get_option("hostnames"):
            try:
                value = self._render(entry, fields)
            except AnsibleError as exc:
                reasons.append("%s: %s" % (entry, getattr(exc, "message", None) or exc))
                continue
            text = "" if value is None else str(value).strip()
            if text:
                return text
            reasons.append("%s: empty" % entry)
        raise OcoLookupError("computer id %d (hostname %r) gets no inventory host name from hostnames (%s); add a "
                             "fallback entry such as hostname at the end" % (cid, fields.get("hostname"), "; ".join(reasons)))

    def _render(self, entry, fields):
        if _BARE_NAME.match(entry.strip()):
            # A plain field name needs no template engine: much faster over thousands of hosts.
            if entry.strip() not in fields:
                raise AnsibleError("the computer has no field %s" % entry.strip())
            return fields[entry.strip()]
        self.templar.available_variables = fields
        if "{{" in entry or "{%" in entry:
            return self.templar.template(entry)
        return self.templar.evaluate_expression(entry)
