"""Run ``ansible-inventory -i SOURCE --list`` inside the pytest process, with the output the command prints.

Starting ``ansible-inventory`` costs about a second of CPU, nearly all of it importing ansible-core
and loading plugins that the pytest process has loaded already. ``oco_helpers.run_inventory``
therefore hands a plain ``--list`` run to ``run_list`` here, which calls the command's own entry
point (``InventoryCLI.cli_executor``, what the ``ansible-inventory`` script calls) with its stdout and
stderr captured: the inventory is built, shaped (``json_inventory``) and encoded (``dump``, with the
encoder of this ansible-core) by ansible-core's code, and a failure is printed by the same
``display.error``/``error_as_warning`` calls, so the captured text is what the command would print.

What the command would read from its own fresh process is set up for each call and put back
afterwards: the OCO_* and ANSIBLE_INVENTORY_*UNPARSED* variables of the run (the latter are read
when ansible-core is imported, so the constants are set too), the working directory, and the global
state ansible-core keeps between runs (the parsed command line, the vault secrets, the warnings
already shown, the verbosity, the traceback setting, colour). ``why_not_in_process`` names what only a
process of its own can reproduce (other ANSIBLE_* settings, a cache kept across runs, other
arguments); such runs go through ansible-inventory as before.
``tests/integration/plugins/inventory/test_inprocess_inventory_equivalence.py`` proves both paths
give the same output, the same errors and the same requests to the server.
"""

from __future__ import annotations

import contextlib
import io
import locale
import os
import tempfile
import warnings

from unittest import mock

from ansible import constants as C, context
from ansible.config.manager import find_ini_config_file
from ansible.errors import ExitCode
from ansible.module_utils._internal import _traceback
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.parsing.vault import VaultSecretsContext
from ansible.utils import color
from ansible.utils.context_objects import GlobalCLIArgs
from ansible.utils.display import Display

import oco_helpers
import oco_inprocess


def _import_cli():
    """ansible.cli, imported without keeping the locale it sets for a command's own process."""
    before = locale.setlocale(locale.LC_ALL)
    try:
        from ansible.cli.inventory import InventoryCLI  # pylint: disable=import-outside-toplevel
    finally:
        locale.setlocale(locale.LC_ALL, before)
    return InventoryCLI


InventoryCLI = _import_cli()

PROGRAM = "ansible-inventory"
ARGS = ("--list",)
UNPARSED_SETTINGS = {
    # run_inventory makes a source that no plugin parses an error; ansible-core reads these once, on import.
    "ANSIBLE_INVENTORY_UNPARSED_FAILED": "INVENTORY_UNPARSED_IS_FAILED",
    "ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED": "INVENTORY_ANY_UNPARSED_IS_FAILED",
}


def _settings(environ):
    """The variables ansible-core's configuration depends on. ANSIBLE_COLLECTIONS_PATH is left out:
    oco_helpers sets it for the commands, and this process's collection loader has the same directory."""
    found = {key: value for key, value in environ.items() if key.startswith("ANSIBLE_") or key in ("HOME", "TMPDIR")}
    found.pop("ANSIBLE_COLLECTIONS_PATH", None)
    return found


def _config_file_of_a_command():
    """The configuration file ansible-inventory reads when started in a fresh directory, as run_inventory starts it."""
    with tempfile.TemporaryDirectory(prefix="oco-inventory-config-") as empty, \
            oco_inprocess._working_directory(empty):  # pylint: disable=protected-access
        return find_ini_config_file(warnings=set())


def why_not_in_process(args, env, directory):
    """Why this run needs an ansible-inventory process of its own, or None when it can run here."""
    if tuple(args) != ARGS:
        return "arguments other than --list: %s" % " ".join(map(str, args))
    others = sorted(key for key in (env or {}) if not key.startswith(oco_helpers.OUTSIDE_SETTINGS_PREFIX))
    if others:
        return "environment other than OCO_*: %s (ansible-core reads its settings when imported)" % ", ".join(others)
    if directory is not None:
        return "a source kept at one path across runs (its inventory cache outlives a run)"
    if _settings(os.environ) != _settings(oco_helpers.ENVIRONMENT_AT_START):
        return "ANSIBLE_*, HOME or TMPDIR changed since ansible-core read its configuration"
    if C.CONFIG_FILE != _config_file_of_a_command():
        return "this process read the configuration file %s, ansible-inventory started elsewhere would not" % C.CONFIG_FILE
    return None


@contextlib.contextmanager
def _fresh_command_state(run_env):
    """ansible-core's process-wide state as a new ansible-inventory process has it, restored afterwards."""
    display = Display()
    constants = {name: boolean(run_env.get(key, False), strict=False) for key, name in UNPARSED_SETTINGS.items()}
    with contextlib.ExitStack() as stack:
        for name, value in constants.items():
            stack.enter_context(mock.patch.object(C, name, value))
        # The command line of the run (kept in a singleton: the first one parsed would stay) and the
        # vault secrets it sets up (once per process, else an error).
        stack.enter_context(mock.patch.object(context, "CLIARGS", context.CLIARGS))
        stack.enter_context(mock.patch.object(GlobalCLIArgs, "_Singleton__instance", None))
        stack.enter_context(mock.patch.object(VaultSecretsContext, "_current", None))
        # Each process shows a warning or an error once: a fresh process has shown none.
        for seen in ("_warns", "_errors", "_deprecations"):
            stack.enter_context(mock.patch.object(display, seen, set()))
        stack.enter_context(mock.patch.object(display, "verbosity", display.verbosity))
        # An unexpected exception turns tracebacks on for the rest of the process.
        stack.enter_context(mock.patch.object(_traceback, "_is_traceback_enabled", _traceback._is_traceback_enabled))
        # oco_helpers.base_env gives the command ANSIBLE_NOCOLOR=1.
        stack.enter_context(mock.patch.object(color, "ANSIBLE_COLOR", False))
        yield


@contextlib.contextmanager
def _python_warnings_to(stream):
    """Python warnings of the run (urllib3's InsecureRequestWarning...) go to its stderr under the filters a
    new Python starts with, as in a command of its own, not into pytest's warning summary."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        # The command configures the collection loader, which this process has done already: ansible-core
        # says so and keeps the loader it has (given the same collections).
        warnings.filterwarnings("ignore", message="AnsibleCollectionFinder has already been configured")
        yield
    for item in caught:
        stream.write(warnings.formatwarning(item.message, item.category, item.filename, item.lineno))


def run_list(source_path, run_env, workdir):
    """``ansible-inventory -i SOURCE_PATH --list`` in ``workdir`` with ``run_env``: ``(argv, rc, stdout, stderr)``,
    for a run ``why_not_in_process`` lets through."""
    argv = [PROGRAM, "-i", str(source_path), *ARGS]
    stdout, stderr = io.StringIO(), io.StringIO()
    rc = 0
    # pylint: disable-next=protected-access
    with oco_inprocess._environment(run_env), oco_inprocess._working_directory(workdir), \
            _fresh_command_state(run_env), _python_warnings_to(stderr), \
            contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            InventoryCLI.cli_executor(list(argv))
        except SystemExit as exc:
            rc = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    if rc == ExitCode.KEYBOARD_INTERRUPT:
        # The command turns Ctrl-C into an exit code; here it must stop pytest, not fail one test.
        raise KeyboardInterrupt
    return ["%s (in-process)" % PROGRAM, *argv[1:]], rc, stdout.getvalue(), stderr.getvalue()
