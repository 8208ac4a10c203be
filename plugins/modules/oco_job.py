#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_job
short_description: Remove one job from its job container on an OCO server
version_added: 1.0.0
description:
  - Removes a single job (C(oco.job_container.job.remove)) from the job container holding it,
    whatever its state. The container and the other jobs stay; installation records are not touched.
  - The API has no call that reads one job, so the module finds the job among the jobs of every
    container the user may read (one C(oco.job_container.list) call and JSON-RPC batches of
    C(oco.job_container.job.list)). A job that is not found is already absent.
  - Jobs of deployment rules cannot be removed through the API; remove the rule's target or package
    from its group instead (M(oco.oco.oco_group_membership)).
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.CHANGES
attributes:
  diff_mode:
    support: full
    description: Shows the job before and nothing after.
options:
  id:
    description:
      - Id of the job (the C(id) of an entry of C(jobs) in M(oco.oco.oco_job_container_info)).
    type: int
    required: true
  state:
    description:
      - Only V(absent) is supported; jobs are created by deploying (M(oco.oco.oco_job_container)).
    type: str
    choices: [absent]
    default: absent
notes:
  - Removing a job needs the C(delete) right on its job container.
  - Finished job containers are purged by the server's housekeeping; a job may therefore vanish by itself.
"""

EXAMPLES = r"""
- name: Remove a job that should not run
  oco.oco.oco_job:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    id: 4711
    state: absent
"""

RETURN = r"""
job:
  description:
    - The job that was removed (in check mode, that would be removed), with its C(job_container_name);
      empty when there was no such job.
  returned: always
  type: dict
  sample:
    id: 4711
    job_container_id: 12
    job_container_name: Firefox rollout
    computer_id: 3
    computer_hostname: pc-accounting-07
    package_id: 7
    package_family_name: Firefox
    package_version: "128.0"
    state: 0
  contains:
    id:
      description: Id of the job.
      type: int
    job_container_id:
      description: Id of the container that held it.
      type: int
    state:
      description: State of the job when it was removed (0 waiting, 3 succeeded, -1 failed...).
      type: int
"""

from ansible_collections.oco.oco.plugins.module_utils import job_containers
from ansible_collections.oco.oco.plugins.module_utils.ensure import Entity, Runner
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import to_int


class Job(Entity):
    """One job, found among the jobs of every container the user may read (no API call reads one job)."""

    create = None  # jobs are made with their container (oco_job_container)

    def __init__(self, client, job_id):
        self.client, self.job_id = client, job_id

    def label(self, obj):
        return "job %s" % obj.get("id")

    def find(self, refresh=False):
        containers = {to_int(c.get("id")): c for c in job_containers.list_containers(self.client)}
        for container_id, container_jobs in job_containers.job_lists(self.client, containers).items():
            for job in container_jobs:
                if job.get("id") == self.job_id:
                    return dict(job, job_container_name=containers[container_id].get("name"))
        return None

    def remove(self, obj, force=False):
        self.client.call("oco.job_container.job.remove", {"id": self.job_id})


ARGUMENT_SPEC = dict(
    id=dict(type="int", required=True),
    state=dict(type="str", choices=["absent"], default="absent"),
)


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC)
    job_id = module.params["id"]
    if job_id < 1:
        module.fail_option("id", job_id, "job ids are positive integers")
    with module.errors():
        entity = Job(module.client, job_id)
        found = entity.find()
        # A job removed meanwhile (by a user or the housekeeping) is already absent.
        job = found if found is not None and Runner(module, entity).remove_once(found) else None
        return module.finish(job is not None, {"job": job} if job else None, {} if job else None, job=job or {})


if __name__ == "__main__":
    main()
