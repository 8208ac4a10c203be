"""Run ansible-playbook and ansible-inventory against the collection in this checkout.

Ansible finds a collection only under a path ending in ``ansible_collections/oco/oco``; the
checkout is the collection root, so a temp dir with that layout links back to it and is exported
as ANSIBLE_COLLECTIONS_PATH (env, so every subprocess sees it).
"""

from __future__ import annotations

import atexit
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTS_DIR = REPO_ROOT / "tests"
CALLBACK_DIR = TESTS_DIR / "callback_plugins"
BIN_DIR = Path(sys.executable).parent

ADMIN_USER = "admin"
ADMIN_PASSWORD = "oco-admin-pw"
# Every OCO_* variable of the calling shell (connection, OCO_RETRIES, ...) stays out of the ansible
# subprocesses: a test sees only the settings it passes itself.
OUTSIDE_SETTINGS_PREFIX = "OCO_"

_collections_root = None


def collections_root() -> Path:
    """Return (creating once per process) ``<tmp>`` holding ``ansible_collections/oco/oco`` -> checkout."""
    global _collections_root
    if _collections_root is None:
        root = Path(tempfile.mkdtemp(prefix="oco-collections-"))
        atexit.register(shutil.rmtree, root, True)
        (root / "ansible_collections" / "oco").mkdir(parents=True)
        (root / "ansible_collections" / "oco" / "oco").symlink_to(REPO_ROOT, target_is_directory=True)
        os.environ["ANSIBLE_COLLECTIONS_PATH"] = str(root)
        _collections_root = root
    return _collections_root


def _tool(name: str) -> str:
    """The venv's copy of an ansible CLI, so subprocesses use the same ansible-core as pytest."""
    candidate = BIN_DIR / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise RuntimeError(f"{name} not found next to {sys.executable} or on PATH")
    return found


def outside_settings(environ=None) -> list:
    """Names of the OCO_* variables in ``environ`` (default: this process's environment)."""
    return sorted(k for k in (os.environ if environ is None else environ) if k.startswith(OUTSIDE_SETTINGS_PREFIX))


def base_env(env: dict | None = None) -> dict:
    """Environment for an ansible subprocess: this collection, this python, no OCO_* setting but ``env``'s."""
    result = {k: v for k, v in os.environ.items() if not k.startswith(OUTSIDE_SETTINGS_PREFIX)}
    result.update(
        ANSIBLE_COLLECTIONS_PATH=str(collections_root()),
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_HOST_KEY_CHECKING="0",
        PYTHONDONTWRITEBYTECODE="1",
    )
    for key, value in (env or {}).items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = str(value)
    return result


_payload_cache = None


def recording_env(record: Path, work: Path) -> dict:
    """Environment of an ansible-playbook run whose task results the test reads back from ``record``.

    The run keeps its temp files in ``work`` and shares its module payloads with the other runs
    of this process (tests/callback_plugins/oco_payload_cache.py).
    """
    global _payload_cache
    if _payload_cache is None:
        _payload_cache = tempfile.mkdtemp(prefix="oco-module-payloads-")
        atexit.register(shutil.rmtree, _payload_cache, True)
    return {
        "OCO_RECORD_FILE": str(record),
        "OCO_PAYLOAD_CACHE": _payload_cache,
        "ANSIBLE_CALLBACK_PLUGINS": str(CALLBACK_DIR),
        "ANSIBLE_CALLBACKS_ENABLED": "oco_record,oco_payload_cache",
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
    }


def connection_options(server, username=ADMIN_USER, password=ADMIN_PASSWORD, api_key=None) -> dict:
    options = {"url": server.url, "username": username, "password": password}
    if api_key is not None:
        options["api_key"] = api_key
    return options


def connection_env(server, username=ADMIN_USER, password=ADMIN_PASSWORD, api_key=None) -> dict:
    return {f"OCO_{k.upper()}": v for k, v in connection_options(server, username, password, api_key).items()}


class CommandFailed(AssertionError):
    """An ansible CLI exited non-zero; carries its output for the assertion message and for tests."""

    def __init__(self, argv, rc, stdout, stderr):
        super().__init__(f"{' '.join(map(str, argv))} exited {rc}\n--- stdout\n{stdout}\n--- stderr\n{stderr}")
        self.argv, self.rc, self.stdout, self.stderr = argv, rc, stdout, stderr


@dataclasses.dataclass
class PlaybookResult:
    rc: int
    stdout: str
    stderr: str
    playbook: str
    names: list
    """Name of every task as written (None when the task had none), in play order."""
    results: list
    """Result dict of every task in play order (the value ``register`` would hold); a task that
    never ran (the play stopped first) has no entry."""

    @property
    def failed_tasks(self) -> list:
        """``(index, name, result)`` of every task that failed."""
        return [(i, self.names[i] if i < len(self.names) else None, r)
                for i, r in enumerate(self.results) if r.get("failed")]

    def shown(self) -> str:
        """All a user could see of the run: ansible-playbook's output and every registered result
        (non-ASCII kept as it is, so a secret such as "Pässwörd" is found as written)."""
        return "\n".join((self.stdout, self.stderr, json.dumps(self.results, default=str, ensure_ascii=False)))

    def __getitem__(self, index):
        return self.results[index]

    def __len__(self):
        return len(self.results)

    def __str__(self):
        return f"ansible-playbook rc={self.rc}\n--- playbook\n{self.playbook}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


RUNS = []
"""How each play of the current test ran ("in-process" or "playbook"); conftest.py reports the counts."""

VIA = (None, "playbook", "in-process")


def write_files(directory, files) -> None:
    """Write ``files`` (``{relative path: text}``) below ``directory``, where the play runs."""
    for name, text in (files or {}).items():
        path = Path(directory) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run_tasks(tasks, server, *, check=False, diff=False, env=None, extra_vars=None, vars=None,
              username=ADMIN_USER, password=ADMIN_PASSWORD, api_key=None,
              connection_via="module_defaults", timeout=600, via=None, files=None) -> PlaybookResult:
    """Run ``tasks`` in one play on localhost against ``server`` and return every task's result.

    Each task is registered and gets ``ignore_errors: true`` (unless it sets it), so a failure does
    not hide the results of the tasks after it. The connection goes into
    ``module_defaults: {group/oco.oco.oco: ...}`` or, with ``connection_via="env"``, into OCO_*
    environment variables. ``env`` adds to (or, with a None value, removes from) the environment.

    A play of nothing but literal calls of this collection's modules runs in this process
    (tests/oco_inprocess.py), with the same registered results; ``via="playbook"`` forces
    ansible-playbook (for tests whose point is Ansible itself: its output, module_defaults,
    templating), as does OCO_TESTS_VIA_PLAYBOOK=1 for every play. ``via="in-process"`` insists
    on the in-process path and fails when the play cannot take it. ``files`` (``{relative path:
    text}``) are written into the directory the modules run in (the playbook's, either way).
    """
    if connection_via not in ("module_defaults", "env"):
        raise ValueError(f"connection_via must be 'module_defaults' or 'env', not {connection_via!r}")
    if via not in VIA:
        raise ValueError(f"via must be one of {VIA}, not {via!r}")
    if via != "playbook":
        # Imported here: it imports this module, and ansible's module side.
        import oco_inprocess  # pylint: disable=import-outside-toplevel

        calls = oco_inprocess.module_calls(tasks, env=env, extra_vars=extra_vars, vars=vars, connection_via=connection_via)
        if via == "in-process" and calls is None:
            raise ValueError("this play cannot run in-process (only literal calls of oco.oco modules can):\n%s" % tasks)
        if calls is not None and (via == "in-process" or not oco_inprocess.forced_playbook()):
            RUNS.append("in-process")
            return oco_inprocess.run_calls(calls, server, names=[task.get("name") for task in tasks], check=check,
                                           diff=diff, env=env, username=username, password=password, api_key=api_key,
                                           connection_via=connection_via, files=files)
    RUNS.append("playbook")
    tasks = [dict(task) for task in tasks]
    names = [task.get("name") for task in tasks]
    for index, task in enumerate(tasks):
        task.setdefault("register", f"oco_task_{index}")
        task.setdefault("ignore_errors", True)
    play = {"name": "oco test play", "hosts": "localhost", "gather_facts": False, "connection": "local",
            "tasks": tasks}
    run_env = {}
    if connection_via == "module_defaults":
        play["module_defaults"] = {"group/oco.oco.oco": connection_options(server, username, password, api_key)}
    else:
        run_env.update(connection_env(server, username, password, api_key))
    if vars:
        play["vars"] = vars
    run_env.update(env or {})
    playbook_text = yaml.safe_dump([play], sort_keys=False)

    with tempfile.TemporaryDirectory(prefix="oco-play-") as work:
        work = Path(work)
        (work / "playbook.yml").write_text(playbook_text, encoding="utf-8")
        write_files(work, files)
        record = work / "results.jsonl"
        argv = [_tool("ansible-playbook"), "-i", "localhost,", str(work / "playbook.yml")]
        if check:
            argv.append("--check")
        if diff:
            argv.append("--diff")
        if extra_vars:
            (work / "extra_vars.json").write_text(json.dumps(extra_vars), encoding="utf-8")
            argv += ["-e", f"@{work / 'extra_vars.json'}"]
        proc_env = base_env(run_env)
        proc_env.update(recording_env(record, work))
        proc = subprocess.run(argv, cwd=work, env=proc_env, capture_output=True, text=True, timeout=timeout, check=False)
        lines = record.read_text(encoding="utf-8").splitlines() if record.exists() else []
    results = [json.loads(line)["result"] for line in lines]
    return PlaybookResult(proc.returncode, proc.stdout, proc.stderr, playbook_text, names, results)


def run_cases(cases, server, **options) -> dict:
    """Run many independent cases in ONE ansible-playbook: ``{case id: [task, ...]}`` -> ``{case id: [result, ...]}``.

    Starting ansible-playbook costs about a second; cases that need no state of their own (bad
    input refused before any request, lookups that only read) share one run. Every task keeps
    ``ignore_errors``, so one case's failure does not hide the next; ``options`` go to run_tasks.
    """
    order = [(case, list(tasks)) for case, tasks in cases.items()]
    result = run_tasks([task for _case, tasks in order for task in tasks], server, **options)
    if len(result.results) != sum(len(tasks) for _case, tasks in order):
        raise AssertionError("not every case ran:\n%s" % result)
    answers, start = {}, 0
    for case, tasks in order:
        answers[case] = result.results[start:start + len(tasks)]
        start += len(tasks)
    return answers


def check_each(answers, check) -> None:
    """Call ``check(case, results)`` for every case and fail once, naming every case that failed."""
    problems = []
    for case, results in answers.items():
        try:
            check(case, results)
        except AssertionError as exc:
            problems.append("%s: %s" % (case, exc))
    assert not problems, "%d of %d cases failed:\n%s" % (len(problems), len(answers), "\n".join(problems))


def unwrap_unsafe(value):
    """Drop the ``{"__ansible_unsafe": ...}`` wrappers that ansible-inventory --list puts on plugin values."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return unwrap_unsafe(value["__ansible_unsafe"])
        return {k: unwrap_unsafe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_unsafe(v) for v in value]
    return value


ENVIRONMENT_AT_START = dict(os.environ)
"""The environment ansible-core was imported with (conftest.py imports this module first): an
in-process inventory run is only equivalent while the ANSIBLE_* settings are still these."""

INVENTORY_VIA = (None, "ansible-inventory", "in-process")


@dataclasses.dataclass
class InventoryRun:
    """What ``ansible-inventory`` printed, and its exit code."""
    argv: list
    rc: int
    stdout: str
    stderr: str


def run_inventory(source, server, env=None, args=("--list",), *, raw=False, **options):
    """Run ``ansible-inventory -i <source> --list`` and return its parsed JSON output.

    ``source`` is the YAML text of an inventory source (``plugin: oco.oco.oco`` ...); the
    connection comes from OCO_* environment variables for ``server`` unless ``env`` overrides
    them. A source that fails to parse is an error (ANSIBLE_INVENTORY_UNPARSED_FAILED), raised as
    CommandFailed with the output. ``raw=True`` keeps the ``__ansible_unsafe`` wrappers.
    ``options`` go to run_inventory_command.
    """
    run = run_inventory_command(source, server, env, args, **options)
    if run.rc != 0:
        raise CommandFailed(run.argv, run.rc, run.stdout, run.stderr)
    data = json.loads(run.stdout)
    return data if raw else unwrap_unsafe(data)


def run_inventory_command(source, server, env=None, args=("--list",), *, username=ADMIN_USER,
                          password=ADMIN_PASSWORD, api_key=None, filename="test.oco.yml", timeout=600,
                          directory=None, via=None) -> InventoryRun:
    """Run ``ansible-inventory -i <source> ARGS`` (see run_inventory) and return what it printed.

    ``directory`` keeps the source file at one path across runs (inventory caches are keyed by
    the source's path); by default each run gets a fresh temp dir.

    A plain ``--list`` run with no environment but OCO_* variables runs the command's code in this
    process (tests/oco_inprocess_inventory.py) with the same output and errors; ``via="ansible-inventory"``
    forces the command (for a test about the command's own output), as does OCO_TESTS_VIA_PLAYBOOK=1
    for every run. ``via="in-process"`` insists on the in-process path and fails when the run cannot take it.
    """
    if via not in INVENTORY_VIA:
        raise ValueError(f"via must be one of {INVENTORY_VIA}, not {via!r}")
    in_process = False
    if via != "ansible-inventory":
        # Imported here: it imports this module, and ansible-core's command line code.
        import oco_inprocess  # pylint: disable=import-outside-toplevel
        import oco_inprocess_inventory  # pylint: disable=import-outside-toplevel

        why_not = oco_inprocess_inventory.why_not_in_process(args, env, directory)
        if via == "in-process" and why_not is not None:
            raise ValueError(f"this inventory run cannot run in-process: {why_not}")
        in_process = why_not is None and (via == "in-process" or not oco_inprocess.forced_playbook())
    run_env = connection_env(server, username, password, api_key) if server is not None else {}
    run_env.update(ANSIBLE_INVENTORY_UNPARSED_FAILED="true", ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    run_env.update(env or {})
    with tempfile.TemporaryDirectory(prefix="oco-inventory-") as work:
        work = Path(directory) if directory is not None else Path(work)
        work.mkdir(parents=True, exist_ok=True)
        (work / filename).write_text(source, encoding="utf-8")
        if in_process:
            RUNS.append("inventory in-process")
            return InventoryRun(*oco_inprocess_inventory.run_list(work / filename, run_env, work))
        RUNS.append("inventory ansible-inventory")
        proc_env = base_env(run_env)
        proc_env.setdefault("ANSIBLE_LOCAL_TEMP", str(work / "tmp"))
        argv = [_tool("ansible-inventory"), "-i", str(work / filename), *args]
        proc = subprocess.run(argv, cwd=work, env=proc_env, capture_output=True, text=True, timeout=timeout, check=False)
    return InventoryRun(argv, proc.returncode, proc.stdout, proc.stderr)


GOLDEN_UPDATE_ENV = "OCO_UPDATE_GOLDEN"


class GoldenRewritten(AssertionError):
    """Raised in update mode after a golden file was written: the run must not pass unreviewed."""


def assert_golden(path, value):
    """Compare ``value`` with the JSON golden file ``path``.

    With OCO_UPDATE_GOLDEN=1 the file is rewritten from ``value`` and the test fails all the same
    ("golden files rewritten, review the diff"), so an update run can never pass as a test run.
    """
    path = Path(path)
    text = json.dumps(value, indent=2, sort_keys=True) + "\n"
    if os.environ.get(GOLDEN_UPDATE_ENV) == "1":
        before = path.read_text(encoding="utf-8") if path.exists() else None
        path.write_text(text, encoding="utf-8")
        state = "unchanged" if before == text else ("new" if before is None else "changed")
        raise GoldenRewritten("golden files rewritten, review the diff: %s (%s)" % (path, state))
    assert path.exists(), "no golden file %s; run with %s=1 to write it" % (path, GOLDEN_UPDATE_ENV)
    assert value == json.loads(path.read_text(encoding="utf-8")), "output differs from golden file %s" % path


def collection_modules() -> list:
    """``oco.oco.<name>`` of every module in plugins/modules: tests that cover them all find a new one."""
    return sorted("oco.oco." + p.stem for p in (REPO_ROOT / "plugins" / "modules").glob("*.py") if p.name != "__init__.py")


def module_of(task) -> str:
    """The oco.oco module a task calls."""
    return next(key for key in task if key.startswith("oco.oco."))
