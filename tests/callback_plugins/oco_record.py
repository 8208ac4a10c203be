# Copyright: OCO Ansible contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: appends every task result, as JSON, to the file named by OCO_RECORD_FILE.

The playbook runner in tests/oco_helpers.py reads the file back, so tests see each task's result
(including diff, warnings and failures) without parsing the human-readable stdout.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: oco_record
type: aggregate
short_description: record task results for the oco.oco test suite
description:
  - Appends one JSON line per task result to the file named by the E(OCO_RECORD_FILE) environment variable.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "oco_record"
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        path = os.environ.get("OCO_RECORD_FILE")
        if not path:
            return
        data = getattr(result, "result", None)
        if data is None:  # ansible-core before 2.19
            data = result._result
        data = {k: v for k, v in data.items() if not k.startswith("_ansible_")}
        # The keys a registered variable always has, which callbacks do not always get.
        data.setdefault("changed", False)
        data.setdefault("failed", status == "failed")
        if status == "skipped":
            data.setdefault("skipped", True)
        host = getattr(result, "host", None) or result._host
        task = getattr(result, "task", None) or result._task
        # The name as written: ansible-core 2.21 puts the role in front of task_name, 2.19 does not.
        name = task.name or result.task_name
        line = {"task": name, "host": host.get_name(), "status": status, "result": data}
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, default=str, sort_keys=True) + "\n")

    def v2_runner_on_ok(self, result):
        self._record(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._record(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._record(result, "unreachable")
