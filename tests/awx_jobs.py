"""Launch a playbook the way an AWX job template does (ansible_runner.run), in a process of its own.

ansible-runner starts ansible-playbook through a pseudo-terminal (forkpty). Forking a process
that runs threads -- the pytest process serves the OCO test server from threads -- may deadlock
the child, and Python 3.12+ warns about it. A freshly spawned interpreter has no such threads,
so the job runs there and hands back what the tests read of its result.
"""

from __future__ import annotations

import multiprocessing
import types

import ansible_runner


def _run(queue, private_data_dir, playbook):
    result = ansible_runner.run(private_data_dir=private_data_dir, playbook=playbook, inventory="localhost,", quiet=True)
    queue.put({"status": result.status, "rc": result.rc, "stdout": result.stdout.read(),
               "events": list(result.events), "stats": result.stats})


def run_job_template(private_data_dir, playbook, timeout=600):
    """``ansible_runner.run`` in a spawned process: status, rc, stdout (text), events and stats of the job."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_run, args=(queue, str(private_data_dir), playbook))
    child.start()
    try:
        outcome = queue.get(timeout=timeout)
    finally:
        child.join(timeout=60)
    return types.SimpleNamespace(**outcome)
