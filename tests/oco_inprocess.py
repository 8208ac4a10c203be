"""Run plain oco.oco module tasks inside the pytest process, with the result a playbook would register.

Starting ``ansible-playbook`` costs about a second of CPU and each module task about 0.3 s more
(templating, AnsiballZ packing, a new Python). Most integration tests only want what a module
answers, so when a play is nothing but literal calls of this collection's modules, the runner in
``oco_helpers.run_tasks`` calls each module's ``main()`` here instead: the same arguments Ansible
would send (task args over the ``group/oco.oco.oco`` module defaults, OCO_* environment variables,
check and diff mode), the module's JSON read from its stdout, shaped the way the recording
callback sees a registered result. Anything Ansible itself must evaluate (templates, loops,
conditions, task keywords other than ``check_mode: true`` and ``diff: true/false``, variables,
other modules, environment other than OCO_*) goes through ansible-playbook as before;
``tests/integration/test_inprocess_equivalence.py`` proves both paths register the same results
for every module.
"""

from __future__ import annotations

import collections
import contextlib
import importlib
import io
import json
import math
import os
import tempfile
import traceback
import warnings

import yaml

from unittest import mock

from ansible.module_utils import _internal as module_side, basic
from ansible.module_utils._internal import _traceback
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.parameters import PASS_VARS
from ansible.module_utils.testing import patch_module_args
from ansible.module_utils.common.json import Direction, get_module_decoder
from ansible.release import __version__ as ANSIBLE_VERSION
from ansible.utils.vars import transform_to_native_types

try:  # how the controller keeps a failed module's error summary (ansible-core 2.19 and later)
    from ansible._internal._errors._captured import AnsibleModuleCapturedError
    normalize_result_exception = AnsibleModuleCapturedError.normalize_result_exception
except ImportError:  # pragma: no cover
    normalize_result_exception = None

import oco_helpers

VIA_PLAYBOOK_ENV = "OCO_TESTS_VIA_PLAYBOOK"
"""Set to 1 to run every play through ansible-playbook, the way the suite ran before."""

COLLECTION = "oco.oco"
TASK_KEYS = {"name", "register"}
"""Task keywords that change nothing about how a module runs (``ignore_errors: true`` is checked apart)."""
MODE_KEYWORDS = {"check_mode": (True,), "diff": (True, False)}
"""Task keywords that only set a module's check or diff flag for that task, with the values taken
here. (``check_mode: false`` in a check run would write: such plays take the playbook path.)"""
Call = collections.namedtuple("Call", "module args check_mode diff", defaults=(None, None))
"""One module task: the module's short name, its arguments, its own check_mode/diff (None: the run's)."""
TEMPLATE_MARKERS = ("{{", "{%", "{#")
TRACEBACK_UNAVAILABLE = "(traceback unavailable)"
MODULE_RESULT_DECODER = get_module_decoder("legacy", Direction.MODULE_TO_CONTROLLER)
"""patch_module_args gives the module the "legacy" serialization profile; its answer is read back with it."""


def action_group_modules() -> frozenset:
    """The modules that ``module_defaults: {group/oco.oco.oco: ...}`` reaches (meta/runtime.yml)."""
    runtime = yaml.safe_load((oco_helpers.REPO_ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    return frozenset(runtime["action_groups"]["oco"])


def forced_playbook() -> bool:
    return os.environ.get(VIA_PLAYBOOK_ENV, "") not in ("", "0")


def _plain(value) -> bool:
    """True for YAML-literal data Ansible passes to a module unchanged (no template, no special type)."""
    if isinstance(value, str):
        return not any(marker in value for marker in TEMPLATE_MARKERS)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(key) and _plain(item) for key, item in value.items())
    return False


def module_calls(tasks, *, env=None, extra_vars=None, vars=None, connection_via="module_defaults"):
    """``[Call]`` when every task is a plain call of one of this collection's modules, else None."""
    if extra_vars or vars or connection_via not in ("module_defaults", "env"):
        return None
    if any(not key.startswith("OCO_") for key in (env or {})):
        return None
    modules = action_group_modules()
    calls = []
    for task in tasks:
        if not isinstance(task, dict) or not _plain(task):
            return None
        rest = {key: value for key, value in task.items() if key not in TASK_KEYS}
        if rest.pop("ignore_errors", True) is not True:
            return None
        modes = {}
        for keyword, choices in MODE_KEYWORDS.items():
            if keyword in rest:
                value = rest.pop(keyword)
                # A bool itself: anything else (1, "yes", a template) is Ansible's to convert.
                if not any(value is choice for choice in choices):
                    return None
                modes[keyword] = value
        if len(rest) != 1:
            return None
        (action, args), = rest.items()
        name = action[len(COLLECTION) + 1:] if action.startswith(COLLECTION + ".") else None
        if name not in modules or not isinstance(args, (dict, type(None))):
            return None
        calls.append(Call(name, dict(args or {}), **modes))
    return calls


@contextlib.contextmanager
def _environment(overrides):
    """This process's environment as base_env would give a subprocess: no outside OCO_*, plus ``overrides``."""
    saved = dict(os.environ)
    try:
        for key in oco_helpers.outside_settings():
            del os.environ[key]
        for key, value in overrides.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = str(value)
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _working_directory(path):
    """ansible-playbook runs a local module in the play's directory; so does the in-process call."""
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def _internal_args(name, check, diff, tmpdir):
    """The ``_ansible_*`` arguments ansible-playbook sends a module (ansible-core's defaults).

    Only those this ansible-core's module side knows (PASS_VARS) are sent: an unknown one is an
    "Unsupported parameters" failure, and the set differs between ansible-core versions.
    """
    wanted = {
        "check_mode": bool(check),
        "diff": bool(diff),
        "no_log": False,
        "debug": False,
        "verbosity": 0,
        "version": ANSIBLE_VERSION,
        "module_name": "%s.%s" % (COLLECTION, name),
        "keep_remote_files": False,
        "ignore_unknown_opts": False,
        "tmpdir": tmpdir,
        "remote_tmp": tmpdir,
    }
    return {"_ansible_" + key: value for key, value in wanted.items() if key in PASS_VARS}


def _module_failure(stdout, stderr, rc):
    """What Ansible registers when a module's output is not a JSON result (a traceback, a crash)."""
    return {
        "failed": True,
        "changed": False,
        "msg": "Module result deserialization failed: No start of json char found",
        "module_stdout": stdout,
        "module_stderr": stderr,
        "rc": rc,
    }


def _shape(data):
    """A module's decoded answer as the recording callback gets it from a registered result.

    The controller turns the module's warning/deprecation objects and its error summary into
    plain values (transform_to_native_types, what a callback gets), drops ``_ansible_*`` keys and
    adds ``stdout_lines``/``stderr_lines`` next to ``stdout``/``stderr``.
    """
    if normalize_result_exception is not None:
        normalize_result_exception(data)
    elif data.get("failed") or data.get("exception"):
        data["exception"] = data.get("exception") or TRACEBACK_UNAVAILABLE
    data = transform_to_native_types({key: value for key, value in data.items() if not key.startswith("_ansible_")})
    for stream in ("stdout", "stderr"):
        if stream in data and stream + "_lines" not in data:
            data[stream + "_lines"] = (data.get(stream) or "").splitlines()
    data.setdefault("changed", False)
    data.setdefault("failed", False)
    # The callback writes what json.dumps(default=str) makes of it; the same round trip here.
    return json.loads(json.dumps(data, default=str, sort_keys=True))


@contextlib.contextmanager
def _module_side():
    """The state a module starts with in a Python of its own, restored afterwards.

    ansible-core keeps module-side state in globals: the warnings and deprecations of the run,
    the parsed arguments and the traceback settings taken from them; and importing the
    controller (as pytest does) flips the module side into "controller" mode, where a warning
    is printed instead of returned. Each in-process call gets them as a fresh module process has.
    """
    with mock.patch.object(module_side, "is_controller", False), \
            mock.patch.object(_traceback, "_is_traceback_enabled", _traceback._is_module_traceback_enabled), \
            mock.patch.object(_traceback, "_module_tracebacks_enabled_events", None), \
            mock.patch.object(basic, "_PARSED_MODULE_ARGS", None), \
            mock.patch.object(module_warnings, "_global_warnings", {}), \
            mock.patch.object(module_warnings, "_global_deprecations", {}):
        yield


@contextlib.contextmanager
def _python_warnings_to(stream):
    """Python warnings of the module (urllib3's InsecureRequestWarning...) go to its stderr, as in
    a module process of its own, not into pytest's warning summary."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        yield
    for item in caught:
        stream.write(warnings.formatwarning(item.message, item.category, item.filename, item.lineno))


def run_module(name, args, *, check=False, diff=False, workdir):
    """Call ``plugins/modules/<name>.main()`` with ``args`` and return the registered result."""
    module = importlib.import_module("ansible_collections.oco.oco.plugins.modules." + name)
    module_args = dict(args)
    module_args.update(_internal_args(name, check, diff, str(workdir)))
    stdout, stderr = io.StringIO(), io.StringIO()
    rc = 0
    try:
        with _module_side(), patch_module_args(module_args), _python_warnings_to(stderr), \
                contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            module.main()
    except SystemExit as exc:
        rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    # A crash is a result too, the MODULE FAILURE Ansible would report.
    except Exception:  # pylint: disable=broad-except
        stderr.write(traceback.format_exc())
        rc = 1
    text = stdout.getvalue()
    start = text.find("{")
    try:
        data = json.loads(text[start:], cls=MODULE_RESULT_DECODER) if start >= 0 else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return _shape(_module_failure(text, stderr.getvalue(), rc))
    return _shape(data)


def run_calls(calls, server, *, names=(), check=False, diff=False, env=None, username=oco_helpers.ADMIN_USER,
              password=oco_helpers.ADMIN_PASSWORD, api_key=None, connection_via="module_defaults", files=None):
    """Run ``module_calls(...)`` in this process; returns a PlaybookResult like ansible-playbook's."""
    defaults, run_env = {}, {}
    if connection_via == "module_defaults":
        defaults = oco_helpers.connection_options(server, username, password, api_key)
    else:
        run_env.update(oco_helpers.connection_env(server, username, password, api_key))
    run_env.update(env or {})
    results = []
    with tempfile.TemporaryDirectory(prefix="oco-inprocess-") as work, _environment(run_env), _working_directory(work):
        oco_helpers.write_files(work, files)
        for call in calls:
            results.append(run_module(call.module, {**defaults, **call.args}, workdir=work,
                                      check=check if call.check_mode is None else call.check_mode,
                                      diff=diff if call.diff is None else call.diff))
    return InProcessResult(list(names) or [None] * len(results), results)


class InProcessResult(oco_helpers.PlaybookResult):
    """The results of an in-process run. There is no ansible-playbook output: reading it is an
    error (not an empty text a test could pass on), pass ``via="playbook"`` for such a test."""

    # No output fields to set: they are the properties below.
    def __init__(self, names, results):  # pylint: disable=super-init-not-called
        self.rc, self.names, self.results = 0, names, results

    def _no_output(self, what):
        raise AttributeError("this play ran in-process and has no ansible-playbook %s; pass via='playbook' to "
                             "run_tasks when the test is about what ansible-playbook prints or does" % what)

    stdout = property(lambda self: self._no_output("stdout"))
    stderr = property(lambda self: self._no_output("stderr"))
    playbook = property(lambda self: self._no_output("playbook"))

    def shown(self):
        """Everything ansible-playbook would display of these tasks is made from their results (a
        crash is the MODULE FAILURE result, its traceback in module_stderr): they are what shows."""
        return json.dumps(self.results, default=str, ensure_ascii=False)

    def __repr__(self):
        return "InProcessResult(%r)" % (self.results,)

    def __str__(self):
        return "in-process run of %d module task(s)\n%s" % (
            len(self.results), json.dumps(self.results, indent=2, sort_keys=True, default=str))
