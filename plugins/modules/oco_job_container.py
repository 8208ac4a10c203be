#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_job_container
short_description: Deploy or uninstall packages through an OCO job container, wait for it, or remove it
version_added: 1.0.0
description:
  - With O(state=present), makes sure a job container named O(name) exists. When there is none, the
    module creates it, either as a deployment of O(packages), O(package_groups) and
    O(package_reports) to O(computers), O(computer_groups) and O(computer_reports), or as an
    uninstallation of the installations named in O(uninstall).
  - A job container of that name that already exists must have been made with the same request, since
    OCO cannot change a container. The module compares what it can read back. These are the container's fields for
    every option the task sets (an option left out, a server default and the server's "now" as start time
    never count), the computers that have jobs against the computers the task targets (the direct members
    of its groups and the rows of its reports as they are now), and every package the task names must have
    a job (the packages OCO adds as dependencies do not count). When something differs the task fails,
    naming each difference as stored on the server and as wanted, and saying to choose another name or to
    remove the existing container first (O(state=absent)). Otherwise the task reports no change and returns
    the container and its jobs; O(wait) waits for it like for a new one.
  - A task that only names an existing container (no targets and no O(uninstall)) compares nothing.
  - With O(state=absent), removes every job container named O(name) together with its jobs.
  - Every reference must match; a computer, group, package or report that does not exist fails the
    task with the closest names, before anything is created (the server itself would silently
    leave it out).
  - Options are checked before any request is sent; a bad value fails naming the option.
  - The result carries a C(status) derived from the jobs the way the OCO web UI does it, since the
    API returns none.
  - Container names are compared ignoring case, as OCO does.
  - In check mode, a container that would be created is reported as a change, with the resolved
    targets and packages in RV(request).
  - The server's housekeeping removes finished job containers on its own (succeeded ones after 4
    hours, failed ones after 2 days, and one whose jobs never ran, for example only C(already_installed)
    jobs, at its next run). Running the task again after that creates the container again.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.CHANGES
attributes:
  diff_mode:
    support: full
    description: Shows the container before and after; for a new one, its resolved targets and options.
options:
  name:
    description:
      - Name of the job container. Surrounding spaces are ignored.
    type: str
    required: true
  state:
    description:
      - V(present) creates the container if no container of that name exists.
      - V(absent) removes every container of that name with all its jobs, whatever their state.
        Installation records on the computers stay as they are.
    type: str
    choices: [present, absent]
    default: present
  computers:
    description:
      - Computers to deploy to, by host name (compared as the server compares them, ignoring case,
        accents and surrounding spaces) or by id written as a number (a quoted V('12') is a host name).
    type: list
    elements: raw
  computer_groups:
    description:
      - Computer groups whose members to deploy to, by name, path C(Parent/Child) or id as a number.
      - OCO deploys to the direct members of a group only, not to the members of its subgroups.
    type: list
    elements: raw
  computer_reports:
    description:
      - Reports (by name, or id as a number) whose C(computer_id) column lists the computers to deploy to.
    type: list
    elements: raw
  packages:
    description:
      - Packages to deploy, each as an id, a mapping C({family, version}), or a family name alone
        for the newest package of that family.
      - OCO adds the packages they depend on before them.
    type: list
    elements: raw
  package_groups:
    description:
      - Package groups whose members to deploy, in the group's order, by name, path or id as a number.
    type: list
    elements: raw
  package_reports:
    description:
      - Reports (by name, or id as a number) whose C(package_id) column lists the packages to deploy.
    type: list
    elements: raw
  uninstall:
    description:
      - Uninstall instead of deploy. Each entry names a computer and an installed package; the
        module looks up the matching installation records of that computer.
      - A package given as a family name alone (or C({family}) without version) means every installed
        version of that family on that computer.
      - The task fails naming the entry when that computer has no installation of that package; in
        check mode it warns instead and plans the uninstall, since an earlier task may deploy the package.
      - Cannot be combined with the deploy targets, O(time_frames) or O(force_install_same_version).
    type: list
    elements: dict
    suboptions:
      computer:
        description: Host name, or id as a number, of the computer.
        type: raw
        required: true
      package:
        description: Package id as a number, C({family, version}) or family name (every installed version).
        type: raw
        required: true
  description:
    description:
      - Description stored with a new container.
    type: str
  date_start:
    description:
      - When the agents may start the jobs, as C(YYYY-MM-DD HH:MM:SS) or ISO 8601. A value with a
        time zone is converted to the local time of the machine running the module, which should
        match the server's time zone.
      - Default is now (the server's clock).
    type: str
  date_end:
    description:
      - When unfinished jobs expire, in the same formats as O(date_start). Default is never.
      - Must be later than O(date_start).
    type: str
  use_wol:
    description:
      - Send Wake-on-LAN to the target computers (at once, or when O(date_start) is reached).
      - The OCO API switches this on when a client leaves it out; this module sends V(false) unless
        asked, so that a play sends no packets it did not ask for.
      - Default V(false) (not set, it is not compared with an existing container).
    type: bool
  shutdown_waked_after_completion:
    description:
      - Shut down computers that were woken by O(use_wol) after their last job.
      - Default V(false) (not set, it is not compared with an existing container).
    type: bool
  restart_timeout:
    description:
      - Minutes the agent waits before a restart or shutdown that a package asks for.
        The server's default is 5. V(0) is rejected by the server and therefore here.
    type: int
  force_install_same_version:
    description:
      - Install a package even where that exact version is installed already. Otherwise such a job is
        created in state C(already_installed) and never runs.
      - Default V(false). The server does not store it, so it is not compared with an existing container.
    type: bool
  sequence_mode:
    description:
      - V(ignore_failed) runs every job; V(abort_after_failed) fails all waiting jobs of the
        container as soon as one job fails.
      - Default V(ignore_failed) (not set, it is not compared with an existing container).
    type: str
    choices: [ignore_failed, abort_after_failed]
  priority:
    description:
      - Priority among job containers, from -100 to 100; higher runs first.
      - Default V(0) (not set, it is not compared with an existing container).
    type: int
  agent_ip_ranges:
    description:
      - Only agents connecting from these addresses get the jobs. Entries like C(10.0.0.0/8),
        C(192.168.1.10) or C(!10.1.0.0/16) (negated).
    type: list
    elements: str
  time_frames:
    description:
      - Agents get the jobs only within these time frames (server time). Entries like C(8:00-17:30),
        C(MON 18:00-23:59) or C(!SAT 0:00-23:59) (negated), without spaces around the dash.
      - Not available with O(uninstall).
    type: list
    elements: str
  wait:
    description:
      - Wait until every job of the container has finished (succeeded or failed).
      - Every poll is a single request, however many jobs the container holds.
      - Waiting only reads, so it waits for an existing container in check mode too.
      - A container that the server's housekeeping removes while the module waits counts as finished
        when every job last seen had finished; the result then shows the jobs as last seen and a
        warning says so. Removed with jobs still pending, it fails the task.
    type: bool
    default: false
  wait_timeout:
    description:
      - Seconds to wait with O(wait) before the task fails with the current status and counts.
    type: int
    default: 3600
  poll_interval:
    description:
      - Seconds between two polls with O(wait).
    type: float
    default: 5
  fail_on_job_failure:
    description:
      - With O(wait), fail the task when a job failed (state C(failed), C(expired), C(os_incompatible) or
        C(package_conflict)); the result still carries the container, its jobs and RV(failed_jobs).
      - Without O(wait) the task never fails because of a job.
    type: bool
    default: true
notes:
  - Deploying twice creates two containers on OCO; this module creates one only when none of that
    name exists. When the answer to the create request is lost, the module looks the container up
    by name instead of sending the request again. When the answer does not come within O(timeout),
    the server may still be creating the container, so the module reads the list of containers for as
    long again (at least 10 seconds) until it shows, and fails without sending the request again when
    it does not.
  - OCO does not keep names unique, so runs that deploy one name at the same time can each create a
    container. Right after creating, each run reads the containers of that name; a run whose
    container is not the oldest (lowest id) removes its own at once and returns the oldest, with
    C(changed=false) (the server holds what another run created), a warning and
    RV(duplicate_removed). The oldest container is then compared with the task like any existing one.
    A run that cannot tell which new container is its own (an uninstall, whose id the API does not
    return, or a create whose answer was lost) keeps the oldest, removes none and warns. A run that
    finds several containers of the name reads the list again for up to 3 seconds, since a run
    creating one at that moment removes its duplicate at once; if several remain, the task fails
    naming their ids. A duplicate
    is removed within moments of its creation, but without O(date_start) its jobs are due at once,
    so an agent that asks in that moment may get one of them.
  - The OCO API does not return the id of a new uninstall container; the module finds it by name.
seealso:
  - module: oco.oco.oco_job_container_info
"""

EXAMPLES = r"""
- name: Roll out the newest Firefox to the office computers and wait for the result
  oco.oco.oco_job_container:
    name: Firefox rollout
    computer_groups:
      - Office/Berlin
    computers:
      - pc-reception
    packages:
      - Firefox
      - family: 7-Zip
        version: "24.08"
    date_end: "2030-12-31 18:00:00"
    sequence_mode: abort_after_failed
    wait: true
    wait_timeout: 7200
  register: rollout

- name: Show the failed jobs without failing the play
  oco.oco.oco_job_container:
    name: Firefox rollout
    wait: true
    fail_on_job_failure: false
  register: rollout

- name: Print them
  ansible.builtin.debug:
    msg: "{{ item.hostname }}: {{ item.package }} ended {{ item.state_name }} ({{ item.return_code }})"
  loop: "{{ rollout.failed_jobs }}"

- name: Uninstall 7-Zip from one computer at night
  oco.oco.oco_job_container:
    name: Remove 7-Zip from pc-reception
    uninstall:
      - computer: pc-reception
        package: 7-Zip
    date_start: "2030-12-24T22:00:00+01:00"
    use_wol: true
    shutdown_waked_after_completion: true

- name: Remove the container when done
  oco.oco.oco_job_container:
    name: Firefox rollout
    state: absent
"""

RETURN = r"""
job_container:
  description:
    - The job container as the server lists it; empty after O(state=absent) and in check mode for a
      container that would be created.
  returned: always
  type: dict
  sample:
    id: 12
    name: Firefox rollout
    enabled: 1
    start_time: "2026-12-01 10:00:00"
    end_time: null
    notes: ""
    wol_sent: -1
    sequence_mode: 1
    priority: 0
    agent_ip_ranges: null
    time_frames: null
    created: "2026-12-01 10:00:00"
    created_by_system_user_username: ansible
    execution_finished: null
jobs:
  description:
    - The jobs of the container (ordered by computer, then sequence), each with C(state_name) added.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 31
      computer_id: 4
      computer_hostname: pc-reception
      package_id: 9
      package_family_name: Firefox
      package_version: "133.0"
      is_uninstall: 0
      sequence: 1
      state: 3
      state_name: succeeded
      return_code: 0
      message: ""
status:
  description:
    - Status derived from the jobs as the OCO web UI does it. V(waiting) when a job has yet to run
      and the start time lies ahead, V(in_progress) when a job has yet to run or is running,
      V(failed) when every job finished and one of them failed, V(succeeded) when every job
      succeeded or was already installed (or there are no jobs).
    - Null in check mode for a container that would be created.
  returned: always
  type: str
  sample: succeeded
counts:
  description:
    - Number of jobs per state; every state is present. Empty in check mode for a container that
      would be created.
  returned: always
  type: dict
  sample: {waiting: 0, downloading: 0, executing: 0, succeeded: 7, failed: 1, expired: 0,
           os_incompatible: 0, package_conflict: 0, already_installed: 2}
failed_jobs:
  description: The jobs that failed, in short form.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Job id.
      type: int
    computer_id:
      description: Computer id.
      type: int
    hostname:
      description: Host name of the computer.
      type: str
    package_id:
      description: Package id.
      type: int
    package:
      description: Family and version of the package.
      type: str
      sample: Firefox 133.0
    package_family:
      description: Family of the package.
      type: str
    package_version:
      description: Version of the package.
      type: str
    is_uninstall:
      description: Whether the job uninstalls the package.
      type: bool
    state:
      description: Job state as the server stores it.
      type: int
      sample: -1
    state_name:
      description: V(failed), V(expired), V(os_incompatible) or V(package_conflict).
      type: str
    return_code:
      description: Return code reported by the agent (C(-8888) aborted after an earlier failure, C(-9999) agent error).
      type: int
    message:
      description: Output reported by the agent.
      type: str
request:
  description:
    - What was sent (or, in check mode, would be sent) to create the container, with every reference
      resolved to its id and name.
    - In check mode a computer or package an earlier task would create is shown as written, with
      C(id) (or C(installation_id)) null.
  returned: when a container was created or would be created
  type: dict
  sample:
    method: oco.job_container.deploy
    name: Firefox rollout
    computers: [{id: 4, hostname: pc-reception}]
    computer_groups: [{id: 2, path: Office/Berlin}]
    packages: [{id: 9, family: Firefox, version: "133.0"}]
    use_wol: false
    sequence_mode: abort_after_failed
    priority: 0
polls:
  description: How often the jobs were read while waiting (one request each).
  returned: when O(wait) is true
  type: int
  sample: 12
duplicate_removed:
  description:
    - Id of the container this task created and removed again because another run had created a
      container of that name first; RV(job_container) is that other container.
  returned: when another run created the container first
  type: int
  sample: 13
removed_ids:
  description: Ids of the containers removed (or, in check mode, that would be removed).
  returned: when O(state=absent)
  type: list
  elements: int
  sample: [12]
"""

from ansible_collections.oco.oco.plugins.module_utils import job_container_compare as compare, job_containers, validation
from ansible_collections.oco.oco.plugins.module_utils.ensure import Entity, Outcome, Runner
from ansible_collections.oco.oco.plugins.module_utils.installations import installations_of
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoAmbiguousWriteError, OcoError, OcoLookupError, OcoValidationError
from ansible_collections.oco.oco.plugins.module_utils.job_container_outcome import label, outcome
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int
from ansible_collections.oco.oco.plugins.module_utils.planned import is_planned, missing_installation

SEQUENCE_MODES = {"ignore_failed": 0, "abort_after_failed": 1}
# target option -> (reference kind, request field, what the result shows of each object)
TARGETS = {
    "computers": ("computer", "computer_ids", lambda c: {"id": c["id"], "hostname": c.get("hostname")}),
    "computer_groups": ("computer_group", "computer_group_ids", lambda g: {"id": g["id"], "path": g.get("path")}),
    "computer_reports": ("report", "computer_report_ids", lambda r: {"id": r["id"], "name": r.get("name")}),
    "packages": ("package", "package_ids", lambda p: {"id": to_int(p["id"]), "family": p.get("package_family_name"), "version": p.get("version")}),
    "package_groups": ("package_group", "package_group_ids", lambda g: {"id": g["id"], "path": g.get("path")}),
    "package_reports": ("report", "package_report_ids", lambda r: {"id": r["id"], "name": r.get("name")}),
}
COMPUTER_OPTIONS = ("computers", "computer_groups", "computer_reports")
PACKAGE_OPTIONS = ("packages", "package_groups", "package_reports")
# Options whose default is applied here, so that a task that leaves one out does not compare it.
DEFAULTS = dict(use_wol=False, shutdown_waked_after_completion=False, force_install_same_version=False,
                sequence_mode="ignore_failed", priority=0)
ARGUMENT_SPEC = dict(
    name=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    uninstall=dict(type="list", elements="dict", options=dict(
        computer=dict(type="raw", required=True),
        package=dict(type="raw", required=True),
    )),
    description=dict(type="str"),
    date_start=dict(type="str"),
    date_end=dict(type="str"),
    use_wol=dict(type="bool"),
    shutdown_waked_after_completion=dict(type="bool"),
    restart_timeout=dict(type="int"),
    force_install_same_version=dict(type="bool"),
    sequence_mode=dict(type="str", choices=list(SEQUENCE_MODES)),
    priority=dict(type="int"),
    agent_ip_ranges=dict(type="list", elements="str"),
    time_frames=dict(type="list", elements="str"),
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=3600),
    poll_interval=dict(type="float", default=5),
    fail_on_job_failure=dict(type="bool", default=True),
    **{option: dict(type="list", elements="raw") for option in TARGETS}
)


# ------------------------------------------------------------------ validation (no request)

def checked_options(module):
    """The server's deploy/uninstall fields from the options, or fail naming the bad one (every bad reference)."""
    params = module.params
    if params["uninstall"] and params["force_install_same_version"]:
        module.fail_option("force_install_same_version", True, "an uninstall container installs nothing")
    refs = [(option, kind, params[option]) for option, (kind, _field, _shown) in TARGETS.items()]
    for index, entry in enumerate(params["uninstall"] or []):
        refs += [("uninstall[%d].computer" % index, "computer", [entry["computer"]]),
                 ("uninstall[%d].package" % index, "package", [entry["package"]])]
    problems = [problem for option, kind, values in refs for problem in module.reference_problems(option, kind, values)]
    if problems:
        module.fail_json(msg="; ".join(problems))
    has_computers = any(params[o] for o in COMPUTER_OPTIONS)
    has_packages = any(params[o] for o in PACKAGE_OPTIONS)
    if has_computers != has_packages:
        given, missing = (COMPUTER_OPTIONS, PACKAGE_OPTIONS) if has_computers else (PACKAGE_OPTIONS, COMPUTER_OPTIONS)
        module.fail_json(msg="a deploy needs both sides: %s given, but none of %s" % (
            "/".join(o for o in given if params[o]), ", ".join(missing)))
    if params["wait_timeout"] < 0:
        module.fail_option("wait_timeout", params["wait_timeout"], "must be 0 or more seconds")
    fields = dict(description=params["description"] or "", use_wol=int(params["use_wol"]),
                  shutdown_waked_after_completion=int(params["shutdown_waked_after_completion"]),
                  sequence_mode=SEQUENCE_MODES[params["sequence_mode"]])
    try:
        validation.positive_seconds("poll_interval", params["poll_interval"])
        start = validation.server_date("date_start", params["date_start"])
        end = validation.server_date("date_end", params["date_end"])
        if start and end and end <= start:
            raise validation.invalid("date_end", params["date_end"], "must be later than date_start (%s)" % start)
        optional = dict(date_start=start, date_end=end, restart_timeout=validation.restart_timeout(params["restart_timeout"]),
                        priority=validation.priority(params["priority"]), time_frames=validation.time_frames(params["time_frames"]),
                        agent_ip_ranges=validation.ip_ranges(params["agent_ip_ranges"]))
        fields.update((key, value) for key, value in optional.items() if value is not None)
    except OcoValidationError as exc:
        module.fail_json(msg=str(exc))
    return fields


# ------------------------------------------------------------------ building the request

def deploy_request(module, fields):
    """(method, request data, readable request) for oco.job_container.deploy."""
    params = module.params
    found = module.resolver.resolve_options([(option, kind, params[option]) for option, (kind, _f, _s) in TARGETS.items()])
    data = dict(fields, force_install_same_version=int(params["force_install_same_version"]))
    readable = {"force_install_same_version": params["force_install_same_version"]}
    for option, (_kind, field, shown) in TARGETS.items():
        data[field] = [to_int(obj["id"]) for obj in found[option]]
        readable[option] = [shown(obj) for obj in found[option]]
    return "oco.job_container.deploy", data, readable


def uninstall_computers(module):
    """The computer of each uninstall entry, resolved."""
    entries = module.params["uninstall"]
    found = module.resolver.resolve_options([("uninstall[%d].computer" % i, "computer", [e["computer"]])
                                             for i, e in enumerate(entries)])
    return [found["uninstall[%d].computer" % i][0] for i in range(len(entries))]


def uninstall_request(module, fields):
    """(method, request data, readable request) for oco.job_container.uninstall."""
    entries, computers = module.params["uninstall"], uninstall_computers(module)
    details = module.client.read_each("oco.computer.get", sorted(set(c["id"] for c in computers if not is_planned(c))))
    installation_ids, readable = [], []
    for index, (entry, computer) in enumerate(zip(entries, computers)):
        installed = as_list((details.get(computer["id"]) or {}).get("installed_packages"))
        matches = installations_of(installed, entry["package"])
        if not matches:  # fails, except in check mode where an earlier task may deploy it
            readable.append(missing_installation(module.resolver, index, entry, computer, installed))
            continue
        for installation in matches:
            iid = to_int(installation.get("id"))
            if iid not in installation_ids:
                installation_ids.append(iid)
                readable.append({"installation_id": iid, "computer_id": computer["id"], "hostname": computer.get("hostname"),
                                 "package_id": to_int(installation.get("package_id")),
                                 "family": installation.get("package_family_name"),
                                 "version": installation.get("package_version")})
    return "oco.job_container.uninstall", dict(fields, installation_ids=installation_ids), {"installations": readable}


# ------------------------------------------------------------------ the container

class JobContainer(Entity):
    """A job container, by name. OCO allows several of one name and cannot change one once created."""

    def __init__(self, module, name, fields, defaulted=()):
        self.module, self.client, self.name, self.fields, self.defaulted = module, module.client, name, fields, defaulted
        self.known_ids, self.method, self.data, self.request, self.jobs = set(), None, None, None, None
        self.patience, self.lost, self.duplicate_removed = 0, None, None

    def label(self, obj):
        return "job container %s" % label(obj)

    def matching(self):
        containers = job_containers.list_containers(self.client)
        self.known_ids.update(c["id"] for c in containers)
        return job_containers.containers_named(containers, self.name)

    def find(self, refresh=False):
        matches = job_containers.named_settled(self.client, self.name, self.known_ids)
        if len(matches) > 1:
            raise OcoLookupError("%d job containers are named %r (ids %s); remove the extra ones (state: absent removes "
                                 "all of them) or choose another name" % (
                                     len(matches), self.name, ", ".join(str(c["id"]) for c in matches)))
        return matches[0] if matches else None

    shown = {"name": "name", "id": "id", "description": "notes", "start_time": "start_time", "end_time": "end_time",
             "sequence_mode": "sequence_mode", "priority": "priority"}

    def view(self, obj):
        return Entity.view(self, obj) if obj else {"name": self.name, "state": "absent"}

    def has_request(self):
        return bool(self.module.params["uninstall"] or any(self.module.params[o] for o in COMPUTER_OPTIONS))

    def settle(self, obj, why=""):
        """A container found must have been made with this task's request: OCO cannot change one."""
        if why or not self.has_request():
            return  # created by this task, or only named
        params, self.jobs = self.module.params, job_containers.read_jobs(self.client, obj["id"])
        if not self.jobs:
            return  # removed meanwhile, or a deploy the server carried out only half: the outcome says which
        if params["uninstall"]:
            diffs = compare.uninstall_differences(params["uninstall"], uninstall_computers(self.module), self.jobs)
        else:
            _method, data, readable = deploy_request(self.module, self.fields)
            diffs = compare.deploy_differences(self.client, data, readable, self.jobs)
        diffs = compare.row_differences(compare.wanted_row(params, self.fields, self.defaulted), obj) + \
            compare.restart_timeout_difference(self.fields.get("restart_timeout"), self.jobs) + diffs
        if diffs:
            self.module.partial_result["job_container"] = obj
            raise OcoError(compare.differs_error(self.label(obj), diffs))

    def planned(self):
        params = self.module.params
        if not self.has_request():
            raise OcoLookupError("no job container is named %r; to create it, give computers, computer_groups or "
                                 "computer_reports with packages, package_groups or package_reports, or uninstall" % self.name)
        build = uninstall_request if params["uninstall"] else deploy_request
        self.method, self.data, readable = build(self.module, self.fields)
        self.request = dict(readable, method=self.method, name=self.name, description=self.fields["description"],
                            **{key: self.fields.get(key) for key in ("date_start", "date_end", "restart_timeout", "agent_ip_ranges", "time_frames")},
                            **{key: params[key] for key in ("use_wol", "shutdown_waked_after_completion", "sequence_mode", "priority")})
        self.module.partial_result = dict(changed=False, request=self.request)  # until the create is carried out
        return dict(self.request, state="present")

    def created_view(self, obj):
        return dict(self.request, state="present", id=obj.get("id"))

    def create(self):
        try:
            new_id = to_int((self.client.call(self.method, self.data) or {}).get("id"))
        except OcoAmbiguousWriteError as exc:
            # A timed-out deploy may still be running on the server: its container may show up later.
            self.patience, self.lost = (max(self.client.timeout, 10) if exc.details.get("timed_out") else 0), exc
            raise
        # Deploy returns the id; uninstall always answers with a null id: the list tells.
        kept = self.keep_oldest(job_containers.containers_named(job_containers.list_containers(self.client), self.name), new_id)
        if not kept:
            self.module.warn("the job container %r was created, but the server does not list it; it may have been removed "
                             "meanwhile" % self.name)
        return kept or {}

    def recover(self):
        found = self.keep_oldest(job_containers.await_new(self.client, self.name, self.known_ids, self.patience), None)
        if found is None and self.patience:
            raise OcoAmbiguousWriteError("%s, and no job container named %r appeared within %d seconds more; the server may "
                                         "still create it: look (oco_job_container_info) before running the task again" % (
                                             self.lost, self.name, self.patience))
        return found

    def keep_oldest(self, named, new_id):
        """Ours, or the oldest container of that name when another run created one as well (OCO allows several)."""
        new = [c for c in named if to_int(c.get("id")) not in self.known_ids]
        ours = job_containers.container_by_id(new, new_id) if new_id is not None else (new[0] if len(new) == 1 else None)
        kept = job_containers.oldest(named) or ours or ({"id": new_id, "name": self.name} if new_id is not None else None)
        if ours is None or kept["id"] == ours["id"]:
            if len(new) > 1 and ours is None:
                self.module.warn(job_containers.created_together(self.name, new, kept))
            return kept
        # Another run created one first: ours goes, the first one is the task's container.
        Runner(self.module, self).remove_each([ours])
        self.duplicate_removed = ours["id"]
        self.module.warn(job_containers.duplicate_removed(label(kept), ours["id"]))
        self.settle(kept)
        return kept

    def remove(self, obj, force=False):
        self.client.call("oco.job_container.remove", {"id": obj["id"]})

    def gone(self, obj):
        return not job_containers.container_by_id(job_containers.list_containers(self.client), obj["id"])


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("uninstall", o) for o in list(TARGETS) + ["time_frames"]])
    params = module.params
    name = params["name"].strip()
    if not name:
        module.fail_option("name", params["name"], "a job container needs a name")
    defaulted = [option for option, value in DEFAULTS.items() if params[option] is None]
    params.update((option, DEFAULTS[option]) for option in defaulted)
    fields = dict(checked_options(module), name=name)

    with module.errors():
        entity = JobContainer(module, name, fields, defaulted)
        runner = Runner(module, entity)
        empty = dict(job_container={}, jobs=[], status=None, counts={}, failed_jobs=[])
        if params["state"] == "absent":
            matches = entity.matching()
            before = entity.view(matches[0]) if len(matches) == 1 else (
                {"name": name, "state": "present", "ids": [c["id"] for c in matches]} if matches else entity.view(None))
            removed = [c["id"] for c in runner.remove_each(matches)]
            return module.finish(bool(removed), before, entity.view(None), removed_ids=removed, **empty)
        done = runner.present()
        if entity.duplicate_removed:  # the server holds what it held before: the other run's container
            done = Outcome(False, done.obj, entity.view(done.obj), entity.view(done.obj))
        result = {k: v for k, v in dict(request=done.changed and entity.request, duplicate_removed=entity.duplicate_removed).items() if v}
        if not done.obj:  # to be created (check mode), or created but no longer listed
            polls = {"polls": 0} if params["wait"] and done.obj is None else {}
            return module.finish(True, done.before, done.after, **dict(empty, **dict(result, **polls)))
        result = outcome(module, done.obj, done.changed, result, jobs=entity.jobs)
        return module.finish(done.changed, done.before, done.after, **result)


if __name__ == "__main__":
    main()
