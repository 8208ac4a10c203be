"""Registries other modules plug into: API methods, admin commands and internal events.

Method modules only register; the dispatcher looks methods up here. Every module that registers
something is listed in MODULES: a missing or renamed one fails at import instead of silently
taking its methods with it.
"""

import importlib
from collections import namedtuple

Method = namedtuple('Method', 'name func write')

_METHODS = {}
_ADMIN_COMMANDS = {}
_LISTENERS = {}
_CALL_HOOKS = []

MODULES = ('methods_info', 'methods_computer', 'methods_package', 'methods_report', 'methods_rules', 'methods_jobs', 'agent',
           'housekeeping')


def method(name, write=False):
    """Register `func(ctx, data)` as JSON-RPC method `name`; `write` drives the counters."""
    def decorator(func):
        _METHODS[name] = Method(name, func, write)
        return func
    return decorator


def lookup(name):
    return _METHODS.get(name) if isinstance(name, str) else None


def methods():
    return dict(_METHODS)


def admin_command(name=None):
    """Register `func(server, **kwargs)` as admin door command (in-process and HTTP)."""
    def decorator(func):
        _ADMIN_COMMANDS[name or func.__name__] = func
        return func
    return decorator


def admin_commands():
    return dict(_ADMIN_COMMANDS)


def on(event):
    """Register `func(ctx, **kwargs)` for an internal event (e.g. group membership changed)."""
    def decorator(func):
        _LISTENERS.setdefault(event, []).append(func)
        return func
    return decorator


def emit(ctx, event, **kwargs):
    """Events raised inside a method run in its transaction; listeners may raise RpcError."""
    for func in _LISTENERS.get(event, ()):
        func(ctx, **kwargs)


def on_call(func):
    """Register `func(server, method_name)`, run before every dispatched API call is answered."""
    _CALL_HOOKS.append(func)
    return func


def before_call(server, name):
    for func in _CALL_HOOKS:
        func(server, name)


# Events emitted by the built-in methods and admin commands (listeners live in methods_jobs.py):
COMPUTER_GROUP_CHANGED = 'computer_group_membership_changed'   # computer_group_id
PACKAGE_GROUP_CHANGED = 'package_group_membership_changed'     # package_group_id
INSTALLATION_CHANGED = 'installation_changed'                  # computer_id
DEPLOYMENT_RULE_CHANGED = 'deployment_rule_changed'            # deployment_rule_id


def load_methods():
    for name in MODULES:
        importlib.import_module('.' + name, __package__)
