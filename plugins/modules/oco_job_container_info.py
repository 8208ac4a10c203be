#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_job_container_info
short_description: List the job containers of an OCO server with their derived status
version_added: 1.0.0
description:
  - Lists every job container the user can read, or the containers named O(name), or the one with
    O(id).
  - Each container carries the status the OCO web UI shows for it and the number of jobs per state,
    derived from its jobs, since the API returns no status.
  - The jobs of all listed containers are read in one JSON-RPC batch, whatever their number.
  - Names are compared ignoring case, as OCO does; OCO allows several containers of one name.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.info_module
options:
  name:
    description:
      - Only the containers of this name. None of that name fails the task with the closest names.
    type: str
  id:
    description:
      - Only the container with this id. An unknown id fails the task.
    type: int
  jobs:
    description:
      - Add the jobs of each container to the result.
    type: bool
    default: false
seealso:
  - module: oco.oco.oco_job_container
"""

EXAMPLES = r"""
- name: Read every job container
  oco.oco.oco_job_container_info:
  register: containers

- name: Name the containers that failed
  ansible.builtin.debug:
    msg: "{{ containers.job_containers | selectattr('status', 'equalto', 'failed') | map(attribute='name') | list }}"

- name: Read one container with its jobs
  oco.oco.oco_job_container_info:
    name: Firefox rollout
    jobs: true
  register: rollout
"""

RETURN = r"""
job_containers:
  description: The job containers, in the server's order, each with its derived status.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Container id.
      type: int
    name:
      description: Container name.
      type: str
    start_time:
      description: When the agents may start the jobs (server time).
      type: str
    end_time:
      description: When unfinished jobs expire, or null.
      type: str
    status:
      description:
        - V(waiting) when a job has yet to run and the start time lies ahead, V(in_progress) when a
          job has yet to run or is running, V(failed) when every job finished and one failed,
          V(succeeded) otherwise (also without jobs).
      type: str
      sample: in_progress
    counts:
      description: Number of jobs per state; every state is present.
      type: dict
      sample: {waiting: 2, downloading: 0, executing: 1, succeeded: 5, failed: 0, expired: 0,
               os_incompatible: 0, package_conflict: 0, already_installed: 0}
    failed_jobs:
      description:
        - The failed jobs in short form (C(id), C(computer_id), C(hostname), C(package_id),
          C(package), C(package_family), C(package_version), C(is_uninstall), C(state), C(state_name),
          C(return_code), C(message)).
      type: list
      elements: dict
    jobs:
      description: The jobs as the server lists them, each with C(state_name) added.
      returned: when O(jobs=true)
      type: list
      elements: dict
  sample:
    - id: 12
      name: Firefox rollout
      enabled: 1
      start_time: "2026-12-01 10:00:00"
      end_time: null
      notes: ""
      sequence_mode: 1
      priority: 0
      execution_finished: "2026-12-01 10:14:02"
      status: succeeded
      counts: {waiting: 0, downloading: 0, executing: 0, succeeded: 8, failed: 0, expired: 0,
               os_incompatible: 0, package_conflict: 0, already_installed: 0}
      failed_jobs: []
"""

from ansible_collections.oco.oco.plugins.module_utils import job_containers, job_states
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule


ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    id=dict(type="int"),
    jobs=dict(type="bool", default=False),
)


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("name", "id")])
    params = module.params
    if params["name"] is not None and not params["name"].strip():
        module.fail_option("name", params["name"], "give a container name, or leave name out to list all")
    with module.errors():
        containers = job_containers.list_containers(module.client)
        if params["name"] is not None:
            selected = job_containers.containers_named(containers, params["name"].strip())
            if not selected:
                raise job_containers.no_container_named(params["name"].strip(), containers)
        elif params["id"] is not None:
            found = job_containers.container_by_id(containers, params["id"])
            if found is None:
                raise OcoLookupError("no job container has id %d" % params["id"])
            selected = [found]
        else:
            selected = containers
        job_lists = job_containers.job_lists(module.client, [c["id"] for c in selected]) if selected else {}
        result = []
        for container in selected:
            if container["id"] not in job_lists:
                continue    # removed between the two reads
            jobs = job_lists[container["id"]]
            entry = dict(container, **job_states.summary(container, jobs))
            if params["jobs"]:
                entry["jobs"] = job_states.with_state_names(jobs)
            result.append(entry)
        return module.finish(False, job_containers=result)


if __name__ == "__main__":
    main()
