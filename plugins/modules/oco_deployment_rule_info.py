#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_deployment_rule_info
short_description: List the deployment rules of an OCO server with their derived status
version_added: 1.0.0
description:
  - Lists the deployment rules the user may read (C(oco.deployment_rule.list)), or the rules with a
    given name or id.
  - Each rule carries the status the OCO web UI shows for it, derived from its jobs (read with
    C(oco.deployment_rule.job.list) in JSON-RPC batches), and the number of its jobs per state.
  - Deployment rules are created and changed in the OCO web console; the API only reads them.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.info_module
options:
  name:
    description:
      - Return only the rules with this name (compared ignoring case; OCO allows several rules of one name).
      - A name no rule has fails the task with the closest existing names.
    type: str
  id:
    description:
      - Return only the rule with this id.
    type: int
  jobs:
    description:
      - Add the jobs of each rule to the result.
    type: bool
    default: false
  batch_size:
    description:
      - Number of C(oco.deployment_rule.job.list) calls sent in one JSON-RPC batch.
    type: int
    default: 100
"""

EXAMPLES = r"""
- name: List every deployment rule with its status
  oco.oco.oco_deployment_rule_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
  register: rules

- name: Show rules with failed jobs
  ansible.builtin.debug:
    msg: "{{ rules.deployment_rules | selectattr('status', 'equalto', 'failed') | map(attribute='name') | list }}"

- name: One rule with its jobs
  oco.oco.oco_deployment_rule_info:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    name: Office baseline
    jobs: true
  register: office_rule
"""

RETURN = r"""
deployment_rules:
  description: The rules, ordered by id.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 1
      name: Office baseline
      enabled: 1
      computer_group_id: 4
      package_group_id: 2
      priority: 0
      status: in_progress
      counts: {waiting: 3, succeeded: 12, failed: 0}
  contains:
    id:
      description: Id of the rule.
      type: int
    name:
      description: Name of the rule.
      type: str
    enabled:
      description: 1 when the rule is active, 0 when not.
      type: int
    computer_group_id:
      description: Computer group the rule targets.
      type: int
    package_group_id:
      description: Package group the rule installs.
      type: int
    status:
      description:
        - Derived as the web UI does it. V(in_progress) while any job waits or runs, else V(failed)
          when any job failed, expired or was OS-incompatible, else V(succeeded) (also with no jobs).
      type: str
      choices: [in_progress, failed, succeeded]
    counts:
      description: Number of the rule's jobs per state name (every state is present).
      type: dict
    jobs:
      description: The rule's jobs (ordered by computer id and sequence), each with a C(state_name).
      returned: with O(jobs=true)
      type: list
      elements: dict
"""

from ansible_collections.oco.oco.plugins.module_utils import job_states
from ansible_collections.oco.oco.plugins.module_utils.client import batch_size_problem
from ansible_collections.oco.oco.plugins.module_utils.entities import no_match, same_name
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoLookupError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list


def select(rules, name, rule_id):
    if rule_id is not None:
        found = [r for r in rules if r.get("id") == rule_id]
        if not found:
            raise OcoLookupError("no deployment rule has id %d" % rule_id)
        return found
    if name is not None:
        found = [r for r in rules if same_name(r.get("name"), name)]
        if not found:
            raise no_match("deployment rule", name, [r.get("name") for r in rules])
        return found
    return rules


ARGUMENT_SPEC = dict(
    name=dict(type="str"),
    id=dict(type="int"),
    jobs=dict(type="bool", default=False),
    batch_size=dict(type="int", default=100),
)


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=[("name", "id")])
    params = module.params
    if batch_size_problem(params["batch_size"]):
        module.fail_option("batch_size", params["batch_size"], batch_size_problem(params["batch_size"]))
    with module.errors():
        rules = as_list(module.client.call("oco.deployment_rule.list"))
        rules = sorted(select(rules, params["name"], params["id"]), key=lambda r: r.get("id") or 0)
        job_lists = module.client.read_each("oco.deployment_rule.job.list", [rule["id"] for rule in rules],
                                            batch_size=params["batch_size"])
        result = []
        for rule in rules:
            if rule["id"] not in job_lists:
                continue  # removed meanwhile, or not readable: not part of the user's view
            rule_jobs = as_list(job_lists[rule["id"]])
            rule = dict(rule, status=job_states.derive_status(rule_jobs), counts=job_states.state_counts(rule_jobs))
            if params["jobs"]:
                rule["jobs"] = job_states.with_state_names(rule_jobs)
            result.append(rule)
        return module.finish(False, deployment_rules=result)


if __name__ == "__main__":
    main()
