"""Exceptions a method raises; the dispatcher maps them to JSON-RPC error objects."""


class RpcError(Exception):
    """A JSON-RPC error. `key` is a language key (translated per request), `text` a fixed message."""

    code = -32000
    fixed_key = None

    def __init__(self, key=None, text=None):
        super().__init__(text or key or self.fixed_key)
        self.key = self.fixed_key or key
        self.text = None if self.fixed_key else text

    def message(self, translate):
        return self.text if self.text is not None else translate(self.key)


class NotFound(RpcError):
    """NotFoundException: the message is always `not_found`."""

    code = -32003
    fixed_key = 'not_found'


class PermissionDenied(RpcError):
    """PermissionException (also a wrong API key): the message is always `permission_denied`."""

    code = -32002
    fixed_key = 'permission_denied'


class InvalidRequest(RpcError):
    """InvalidRequestException: validation failures and unknown methods."""

    code = -32001


class ServerError(RpcError):
    """Any other exception: SQL errors, license, WOL, syntax of IP ranges and time frames."""

    code = -32000


class PhpFatal(Exception):
    """A PHP Error/TypeError: nothing catches it, the whole HTTP request ends with status 500."""
