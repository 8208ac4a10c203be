# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors of the OCO client.

Every message follows one style, ``<what failed> <which object>: <why> [<what to do>]``, and is
safe to show: the client scrubs the password and API key from it before raising.
"""

from __future__ import annotations


class OcoError(Exception):
    """Base class of every error the collection raises on purpose."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self):
        return self.message


class OcoConnectionError(OcoError):
    """The server could not be reached or the connection broke."""


class OcoTimeoutError(OcoConnectionError):
    """No answer within ``timeout`` seconds."""


class OcoTLSError(OcoConnectionError):
    """The TLS handshake or the certificate check failed."""


class OcoAmbiguousWriteError(OcoConnectionError):
    """A write was sent but its answer was lost: the server may or may not have committed it.

    Callers reconcile by reading the server's state instead of sending the write again.
    """


class OcoHTTPError(OcoError):
    """The server answered with an HTTP status that is not a JSON-RPC answer."""

    def __init__(self, message, status=None, **details):
        super().__init__(message, **details)
        self.status = status


class OcoApiDisabledError(OcoHTTPError):
    """HTTP 405: the client API is switched off in the server settings."""


class OcoBadRequestError(OcoHTTPError):
    """HTTP 400: content type or payload rejected."""


class OcoAuthError(OcoHTTPError):
    """HTTP 401: login refused (unknown user, wrong password, locked, no API permission)."""


class OcoServerFailure(OcoHTTPError):
    """HTTP 5xx: the server failed while handling the request."""


class OcoProtocolError(OcoError):
    """The answer is not what a JSON-RPC server sends (HTML page, truncated JSON, wrong ids)."""


class OcoRpcError(OcoError):
    """A JSON-RPC error object returned by the server."""

    code = None

    def __init__(self, message, method=None, server_message=None, code=None, **details):
        super().__init__(message, **details)
        self.method = method
        self.server_message = server_message
        if code is not None:
            self.code = code


class OcoServerError(OcoRpcError):
    """-32000: the server raised an unexpected exception (SQL error, licence, WoL...)."""

    code = -32000


class OcoInvalidRequestError(OcoRpcError):
    """-32001: validation failed or the method is unknown."""

    code = -32001


class OcoPermissionError(OcoRpcError):
    """-32002: permission denied, which is also what a wrong API key looks like."""

    code = -32002


class OcoNotFoundError(OcoRpcError):
    """-32003: the object id does not exist."""

    code = -32003


class OcoUnsupportedMethodError(OcoRpcError):
    """The server predates the method."""


class OcoUnsupportedOptionError(OcoError):
    """The server predates an option (``option``, first version ``since``) and would ignore it."""

    def __init__(self, message, option=None, since=None, **details):
        super().__init__(message, **details)
        self.option = option
        self.since = since


class OcoCheckModeError(OcoError):
    """A write was requested while running in check mode; it was not sent."""


class OcoLookupError(OcoError):
    """A reference (name, path, id) matched no object or more than one."""


class OcoNoMatchError(OcoLookupError):
    """A name matched no object: the one lookup failure check mode may take for an object still to be created."""


class OcoValidationError(OcoError):
    """An option value was rejected locally, before any request was sent."""


def failure_text(exc, client=None):
    """The one text modules, the inventory and the lookup show for an OcoError.

    Each raises its own Ansible error type with it; the password, API key and auth token of
    ``client`` (when one was built) never appear in it, whichever layer wrote the message.
    """
    message = exc.message if isinstance(exc, OcoError) else str(exc)
    return client.scrub(message) if client is not None else message
