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

A payload built for the shared directory also carries the bytecode of its Python files. The module
process imports the payload from the zip, and Python compiles what it imports from a zip every
time: about half of a module process's CPU went to compiling ansible-core's module_utils. The
bytecode is compiled by the Python of the run, which the directory's name includes, as
hash-checked .pyc files next to their sources: a module process whose Python or source does not
match ignores them and compiles the source as before. The code that runs is the same; its code
objects name each file by its path in the payload ("/ansible/module_utils/basic.py"), where Python
would prefix the payload's temp file, which is only known when the module runs. Only tracebacks
show the difference, and ansible-core still tells a collection's frames by their path.
Without OCO_PAYLOAD_CACHE, or if the link cannot be made, the run builds its own as usual.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import json
import marshal
import os
import sys
import zipfile

from ansible import constants as C
from ansible.executor import module_common
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


# PEP 552 flags: the .pyc is valid for the source with the hash in its header, which is checked.
HASH_BASED_CHECKED = 0b11


def with_bytecode(zip_data):
    """The zip with a checked-hash .pyc next to each .py entry that compiles."""
    source_zip = zipfile.ZipFile(io.BytesIO(zip_data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target_zip:
        for entry in source_zip.infolist():
            source = source_zip.read(entry)
            target_zip.writestr(entry, source)
            if not entry.filename.endswith(".py"):
                continue
            try:
                code = compile(source, "/" + entry.filename, "exec", dont_inherit=True)
            except (SyntaxError, ValueError):
                continue  # the module process reports it, as it would without this
            header = importlib.util.MAGIC_NUMBER + HASH_BASED_CHECKED.to_bytes(4, "little")
            header += importlib.util.source_hash(source)
            pyc = zipfile.ZipInfo(entry.filename[:-3] + ".pyc", entry.date_time)
            pyc.compress_type = zipfile.ZIP_DEFLATED
            target_zip.writestr(pyc, header + marshal.dumps(code))
    return out.getvalue()


def build_payloads_with_bytecode():
    """Make the run's payload builds add bytecode (the workers are forked from this process)."""
    cached_module = getattr(module_common, "_CachedModule", None)
    dump = getattr(cached_module, "dump", None)
    if dump is None or getattr(dump, "adds_bytecode", False):
        return

    # The run that builds a payload sends the object it dumps, so the bytecode goes into that
    # object (a frozen dataclass: hence object.__setattr__), not only into the file.
    def dump_with_bytecode(self, path):
        try:
            zip_data = base64.b64encode(with_bytecode(base64.b64decode(self.zip_data)))
            object.__setattr__(self, "zip_data", zip_data)
        except (AttributeError, TypeError, ValueError, zipfile.BadZipFile):
            pass  # a payload this code does not know: kept as ansible-core built it
        dump(self, path)

    dump_with_bytecode.adds_bytecode = True
    cached_module.dump = dump_with_bytecode


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
            return
        build_payloads_with_bytecode()
