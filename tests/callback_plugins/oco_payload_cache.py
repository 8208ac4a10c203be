# Copyright: OCO Ansible contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: lets the test suite's ansible-playbook runs share their module payloads.

ansible-playbook builds each module's payload (the AnsiballZ zip: the module and every
module_utils file it imports, found by parsing them) once per run, in a cache inside the run's own
temp dir, and deletes it at exit. The suite starts a hundred and more runs with the same modules,
so this callback points the run's cache at a directory shared by the runs of one test process,
named by the directory in OCO_PAYLOAD_CACHE plus everything a payload is built from that the cache
key (the module's name) leaves out: the ansible-core version, the Python, and the collection,
module and module_utils paths. What the module process gets is the zip the run would have built.
Runs may share the directory at the same time (the 20-fork race, ten concurrent runs) or be killed
mid-run (the interrupted rollout): ansible-core builds a payload under a file lock and renames it
into place when it is complete, as it does for the forks of one run.
Without OCO_PAYLOAD_CACHE, or if the link cannot be made, the run builds its own as usual.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys

from ansible import constants as C
from ansible.plugins.callback import CallbackBase
from ansible.release import __version__ as ANSIBLE_VERSION

DOCUMENTATION = """
name: oco_payload_cache
type: aggregate
short_description: share module payloads between the oco.oco test suite's ansible-playbook runs
description:
  - Links the run's AnsiballZ cache to a directory under E(OCO_PAYLOAD_CACHE).
"""


def shared_cache_dir(base):
    paths = {name: [os.path.realpath(path) for path in getattr(C, name, None) or []]
             for name in ("COLLECTIONS_PATHS", "DEFAULT_MODULE_PATH", "DEFAULT_MODULE_UTILS_PATH")}
    key = json.dumps([ANSIBLE_VERSION, sys.executable, paths], sort_keys=True)
    return os.path.join(base, hashlib.sha256(key.encode("utf-8")).hexdigest()[:16])


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "oco_payload_cache"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        base = os.environ.get("OCO_PAYLOAD_CACHE")
        if not base:
            return
        # Loaded by the controller before the first task, so every worker of the run sees the link.
        run_cache = os.path.join(C.DEFAULT_LOCAL_TMP, "ansiballz_cache")
        try:
            shared = shared_cache_dir(base)
            os.makedirs(shared, exist_ok=True)
            if not os.path.lexists(run_cache):
                os.symlink(shared, run_cache)
        except OSError:
            pass
