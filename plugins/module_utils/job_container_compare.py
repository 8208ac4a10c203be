# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How an existing job container differs from the one a task asks for.

OCO cannot change a job container, and several may share a name; a task whose container of that
name was made with another request must not pass as done. What can be compared:

- the container row (``oco.job_container.list``) for every option the task sets: a server default
  or the server's "now" for ``date_start`` never counts as a difference;
- the jobs: the computers that have jobs against the computers the task targets (its groups' direct
  members and its reports' rows read now), and every package the task names must have an install
  job. The server adds the packages those depend on (and leaves out a dependency that is installed
  already), so packages beyond the named ones do not count;
- for an uninstall, each entry must have an uninstall job of its computer and package, and no
  uninstall job may be outside the entries.
"""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.installations import installation_matches
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int

SEQUENCE_NAMES = {0: "ignore_failed", 1: "abort_after_failed"}


def _entries(text):
    """``"a, b"`` as the server stores a list (agent_ip_ranges, time_frames) -> ``["a", "b"]``."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def _short(value):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _names(ids, names):
    return ", ".join(sorted(str(names.get(i) or "id %s" % i) for i in ids)) or "none"


# option -> (container field, stored value -> option value); compared only when the task sets the option
ROW = {
    "description": ("notes", lambda v: v or ""),
    "date_start": ("start_time", lambda v: v),
    "date_end": ("end_time", lambda v: v),
    "use_wol": ("wol_sent", lambda v: to_int(v) != -1),
    "shutdown_waked_after_completion": ("shutdown_waked_after_completion", lambda v: bool(to_int(v))),
    "sequence_mode": ("sequence_mode", lambda v: SEQUENCE_NAMES.get(to_int(v), v)),
    "priority": ("priority", to_int),
    "agent_ip_ranges": ("agent_ip_ranges", _entries),
    "time_frames": ("time_frames", _entries),
}


# Options whose checked value (dates in the server's format, trimmed lists) is compared, not the raw option.
CHECKED = ("date_start", "date_end", "agent_ip_ranges", "time_frames")


def wanted_row(params, fields, defaulted):
    """The ROW options the task sets: ``fields`` holds the checked values, ``defaulted`` the options left out."""
    wanted = {}
    for option in ROW:
        value = fields.get(option) if option in CHECKED else params[option]
        if value is not None and option not in defaulted:
            wanted[option] = [item.strip() for item in value if item.strip()] if isinstance(value, list) else value
    return wanted


def row_differences(wanted, container):
    """``["option (stored X, wanted Y)"]`` for the set options that differ from the container row.

    ``wanted``: option -> value in the form the row is read back into (dates as the server stores them).
    A field the server version does not list is left out.
    """
    found = []
    for option, value in wanted.items():
        field, read = ROW[option]
        if value is None or field not in container:
            continue
        stored = read(container[field])
        if stored != value:
            found.append("%s (stored %s, wanted %s)" % (option, _short(stored), _short(value)))
    return found


def restart_timeout_difference(wanted, jobs):
    stored = sorted({to_int(j.get("post_action_timeout")) for j in jobs if j.get("post_action_timeout") is not None})
    if wanted is None or not stored or stored == [wanted]:
        return []
    return ["restart_timeout (stored %s, wanted %s)" % (", ".join(map(str, stored)), wanted)]


def expansion_reads(data):
    """The reads that expand a deploy's groups and reports the way the server does: ``[(kind, method, data)]``."""
    reads = [("computer", "oco.computer.list", {"computer_group_id": gid}) for gid in data.get("computer_group_ids") or []]
    reads += [("computer", "oco.report.execute", {"id": rid}) for rid in data.get("computer_report_ids") or []]
    reads += [("package", "oco.package.list", {"package_group_id": gid}) for gid in data.get("package_group_ids") or []]
    reads += [("package", "oco.report.execute", {"id": rid}) for rid in data.get("package_report_ids") or []]
    return reads


def expanded_targets(client, data):
    """``(computers, packages)``: ``{id: name}`` of everything the deploy ``data`` targets now (one batch)."""
    computers = {cid: None for cid in data.get("computer_ids") or []}
    packages = {pid: None for pid in data.get("package_ids") or []}
    reads = expansion_reads(data)
    for (kind, method, _args), result in zip(reads, client.batch([(m, a) for _k, m, a in reads]) if reads else []):
        if result.error is not None:
            raise result.error
        answer = result.data
        if method == "oco.report.execute":
            rows = [{"id": row.get("%s_id" % kind)} for row in as_list(answer)]
        else:
            rows = as_list((answer or {}).get("computers" if kind == "computer" else "packages"))
        target = computers if kind == "computer" else packages
        for row in rows:
            if to_int(row.get("id")) is not None:
                target.setdefault(to_int(row["id"]), row.get("hostname") or package_name(row))
    return computers, packages


def package_name(row):
    family, version = row.get("package_family_name"), row.get("version") or row.get("package_version")
    return "%s %s" % (family, version) if family else None


def deploy_differences(client, data, readable, jobs):
    """Differences between the deploy ``data`` (ids resolved) and the container's ``jobs``.

    ``readable``: the readable request, whose ``computers`` and ``packages`` name what the task named itself.
    """
    computers, packages = expanded_targets(client, data)
    for computer in readable.get("computers") or []:
        computers[computer["id"]] = computers.get(computer["id"]) or computer.get("hostname")
    for package in readable.get("packages") or []:
        packages[package["id"]] = packages.get(package["id"]) or "%s %s" % (package.get("family"), package.get("version"))
    job_computers = {to_int(j.get("computer_id")): j.get("computer_hostname") for j in jobs}
    job_packages = {to_int(j.get("package_id")): package_name(j) for j in jobs if not to_int(j.get("is_uninstall"))}
    names = dict(computers)
    names.update((k, v) for k, v in job_computers.items() if v)
    found = []
    if set(job_computers) != set(computers):
        found.append("computers (stored %s, wanted %s)" % (_names(job_computers, names), _names(computers, names)))
    if set(packages) - set(job_packages):
        pnames = dict(packages)
        pnames.update((k, v) for k, v in job_packages.items() if v)
        found.append("packages (stored %s, wanted %s)" % (_names(job_packages, pnames), _names(packages, pnames)))
    return found


def uninstall_differences(entries, computers, jobs):
    """Differences between uninstall ``entries`` (with their resolved ``computers``) and the container's jobs."""
    jobs = [j for j in jobs if to_int(j.get("is_uninstall"))]

    def covers(job, entry, computer):
        return to_int(job.get("computer_id")) == to_int(computer["id"]) and installation_matches(job, entry["package"])

    missing = [e for e, c in zip(entries, computers) if not any(covers(j, e, c) for j in jobs)]
    extra = [j for j in jobs if not any(covers(j, e, c) for e, c in zip(entries, computers))]
    if not missing and not extra:
        return []
    stored = sorted("%s: %s" % (j.get("computer_hostname"), package_name(j)) for j in jobs)
    wanted = ["%s: %s" % (c.get("hostname"), e["package"]) for e, c in zip(entries, computers)]
    return ["uninstall (stored %s, wanted %s)" % (", ".join(stored) or "none", ", ".join(wanted))]


def differs_error(label, differences):
    return ("%s exists with another request, and OCO cannot change a job container: %s. Choose another name, or "
            "remove the existing container first (state: absent)" % (label, "; ".join(differences)))
