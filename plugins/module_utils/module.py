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
from ansible_collections.oco.oco.plugins.module_utils.entities import Resolver
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoAmbiguousWriteError, OcoError


class OcoModule(AnsibleModule):
    """AnsibleModule with the OCO connection options, client, resolver and error handling."""

    def __init__(self, argument_spec=None, read_only_methods=(), **kwargs):
        spec = connection_argument_spec()
        spec.update(argument_spec or {})
        kwargs.setdefault("supports_check_mode", True)
        super().__init__(argument_spec=spec, **kwargs)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        # Credentials in url are ignored, and must not be printed with the task's arguments either.
        self.no_log_values.update(url_secrets(self.params.get("url")))
        self.read_only_methods = tuple(read_only_methods)
        # agent_key/server_key stay out of results unless a module's documented option asks for them.
        self.keep_secrets = False
        self.partial_result = {}
        self._client = None
        self._resolver = None

    @property
    def client(self):
        if self._client is None:
            with self.errors():
                self._client = OcoClient(check_mode=self.check_mode, warn=self.warn,
                                         read_only_methods=self.read_only_methods, keep_secrets=self.keep_secrets,
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
            message = str(exc)
            if self._client is not None:
                message = self._client.scrub(message)
            self.fail_json(msg=message, **self.partial_result)

    def fail_option(self, option, value, why):
        """Reject an option value before any request is sent."""
        self.fail_json(msg="invalid option %s=%r: %s" % (option, value, why), **self.partial_result)

    def finish(self, changed, before=None, after=None, **result):
        """Exit with ``changed``, the given result keys and, in diff mode, the before/after diff."""
        result["changed"] = bool(changed)
        if self._diff and (before is not None or after is not None):
            result["diff"] = {"before": before if before is not None else {}, "after": after if after is not None else {}}
        self.exit_json(**result)


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
