# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: oco_report
short_description: Rows of an OCO report
version_added: 1.0.0
description:
  - Runs reports on an OCO server (C(oco.report.execute)) and returns their rows, one list element
    per row (a dict of column alias to value).
  - Several reports give the rows of the first, then those of the second, and so on.
  - Use C(query) or C(wantlist=true) to always get a list; C(lookup) without it turns a single
    row into that row's dict, as it does for every lookup.
  - The connection options are the ones of the modules, with the same E(OCO_*) environment variables.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection.PLUGIN
options:
  _terms:
    description:
      - Reports, by name (compared as the server compares names, ignoring case and accents) or id
        written as a number (a quoted V('12') is a name).
      - An unknown name fails with the closest existing names.
    required: true
    type: list
    elements: raw
notes:
  - Reports are C(SELECT) queries the server runs in a transaction it rolls back; running one changes nothing.
"""

EXAMPLES = r"""
- name: Host names of computers the agent has not contacted for 7 days (connection from OCO_* env vars)
  ansible.builtin.debug:
    msg: "{{ query('oco.oco.oco_report', '7 Days No Agent Contact') | map(attribute='hostname') | list }}"

- name: Rows of a report by id, connection given to the lookup
  ansible.builtin.set_fact:
    windows_rows: >-
      {{ query('oco.oco.oco_report', 1000, url='https://oco.example.com', username='ansible',
               password=oco_password) }}
"""

RETURN = r"""
_raw:
  description: The rows of the reports, each a dict of column alias to value (integer columns as ints).
  type: list
  elements: dict
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient
from ansible_collections.oco.oco.plugins.module_utils.connection import CONNECTION_OPTIONS, client_kwargs
from ansible_collections.oco.oco.plugins.module_utils.entities import Resolver
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, failure_text
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list

display = Display()


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        unknown = sorted(set(kwargs) - set(CONNECTION_OPTIONS))
        if unknown:
            # A misspelt option would otherwise be ignored silently and its env var used instead.
            raise AnsibleLookupError("oco.oco.oco_report: unknown option(s) %s; the options are %s" % (
                ", ".join(unknown), ", ".join(CONNECTION_OPTIONS)))
        self.set_options(var_options=variables, direct=kwargs)
        options = {name: self.get_option(name) for name in CONNECTION_OPTIONS}
        client = None
        try:
            client = OcoClient(warn=display.warning, **client_kwargs(options))
            resolver = Resolver(client)
            rows = []
            for term in terms:
                report = resolver.report(term)
                rows.extend(as_list(client.call("oco.report.execute", {"id": report["id"]})))
            return rows
        except OcoError as exc:
            raise AnsibleLookupError("oco.oco.oco_report: %s" % failure_text(exc, client)) from None
