# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base every oco.oco module is built on.

It adds the connection options, builds the client (which refuses writes in check mode), turns every
OcoError into ``fail_json`` with a readable message, and shapes results and diffs the same way
in every module.
"""

from __future__ import annotations

from contextlib import contextmanager

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.oco.oco.plugins.module_utils.client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, OcoClient, url_secrets
from ansible_collections.oco.oco.plugins.module_utils.connection import client_kwargs, connection_argument_spec
from ansible_collections.oco.oco.plugins.module_utils.entities import Resolver, reference_problems
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, failure_text


class OcoModule(AnsibleModule):
    """AnsibleModule with the OCO connection options, client, resolver and error handling."""

    def __init__(self, argument_spec=None, read_only_methods=(), keep_secrets=False, **kwargs):
        """``read_only_methods`` and ``keep_secrets`` are values, or functions of the module's params.

        They shape the client, so they are fixed here, before anything can build it.
        """
        spec = connection_argument_spec()
        spec.update(argument_spec or {})
        kwargs.setdefault("supports_check_mode", True)
        super().__init__(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        # Credentials in url are ignored, and must not be printed with the task's arguments either.
        self.no_log_values.update(url_secrets(self.params.get("url")))
        self._read_only_methods = tuple(self._setting(read_only_methods) or ())
        # agent_key/server_key stay out of results unless a module's documented option asks for them.
        self._keep_secrets = bool(self._setting(keep_secrets))
        self.partial_result = {}
        self._client = None
        self._resolver = None

    def _setting(self, value):
        return value(self.params) if callable(value) else value

    @property
    def client(self):
        if self._client is None:
            with self.errors():
                self._client = OcoClient(check_mode=self.check_mode, warn=self.warn,
                                         read_only_methods=self._read_only_methods, keep_secrets=self._keep_secrets,
                                         **client_kwargs(self.params))
        return self._client

    @property
    def resolver(self):
        if self._resolver is None:
            self._resolver = Resolver(self.client)
        return self._resolver

    @contextmanager
    def errors(self):
        """Fail the task with the error's message; never a traceback, never a secret."""
        try:
            yield
        except OcoError as exc:
            self.fail_json(msg=failure_text(exc, self._client), **self.partial_result)

    def fail_option(self, option, value, why):
        """Reject an option value before any request is sent."""
        self.fail_json(msg="invalid option %s=%r: %s" % (option, value, why), **self.partial_result)

    def name_option(self, option, noun, max_length=None):
        """The option's text without surrounding spaces; fails when that is empty or longer than the server stores."""
        value = self.params[option].strip()
        if not value:
            self.fail_option(option, self.params[option], "a %s is required" % noun)
        if max_length is not None and len(value) > max_length:
            self.fail_option(option, self.params[option], "longer than the %d characters the server stores" % max_length)
        return value

    @staticmethod
    def reference_problems(option, kind, refs):
        """``invalid option OPTION=REF: why`` for every bad reference of ``option`` (see entities)."""
        return reference_problems(option, kind, refs)

    def check_references(self, option, kind, refs):
        """Reject every bad reference of ``option`` at once, before any request is sent."""
        problems = reference_problems(option, kind, refs)
        if problems:
            self.fail_json(msg="; ".join(problems), **self.partial_result)

    def finish(self, changed, before=None, after=None, **result):
        """Exit with ``changed``, the given result keys and, in diff mode, the before/after diff.

        It never returns (``exit_json`` ends the module); call it as ``return module.finish(...)`` so
        that the end is visible where it happens.
        """
        result["changed"] = bool(changed)
        if self._resolver is not None and self._resolver.planned:
            self.warn(self._resolver.planned.warning())
        if self._diff and (before is not None or after is not None):
            result["diff"] = {"before": before if before is not None else {}, "after": after if after is not None else {}}
        self.exit_json(**result)
