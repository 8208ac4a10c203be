"""The test-only payload cache: shared payloads carry bytecode that module processes use, or ignore."""

import base64
import importlib.util
import io
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import oco_helpers

FAKE_SERVER = SimpleNamespace(url="http://127.0.0.1:9/oco")


def load_callback():
    spec = importlib.util.spec_from_file_location("oco_payload_cache", oco_helpers.CALLBACK_DIR / "oco_payload_cache.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_zip(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


def import_from_zip(tmp_path, zip_data, module):
    """Where the module was loaded from and its VALUE, imported from the zip in a fresh Python."""
    archive = tmp_path / "payload.zip"
    archive.write_bytes(zip_data)
    code = f"import sys; sys.path.insert(0, sys.argv[1]); import {module} as m; print(m.__file__); print(m.VALUE)"
    out = subprocess.run([sys.executable, "-I", "-c", code, str(archive)], capture_output=True, text=True, check=True)
    loaded_from, value = out.stdout.splitlines()
    return loaded_from, value


def test_the_module_process_imports_the_bytecode(tmp_path):
    callback = load_callback()
    source = "import sys\nVALUE = sys._getframe().f_code.co_filename\n"
    zip_data = callback.with_bytecode(make_zip({"pkg/__init__.py": "", "pkg/mod.py": source}))
    names = zipfile.ZipFile(io.BytesIO(zip_data)).namelist()
    assert sorted(names) == ["pkg/__init__.py", "pkg/__init__.pyc", "pkg/mod.py", "pkg/mod.pyc"]
    loaded_from, value = import_from_zip(tmp_path, zip_data, "pkg.mod")
    assert loaded_from.endswith("payload.zip/pkg/mod.pyc")
    # The code names its file by the path in the payload (compiled from the source, it would be
    # ".../payload.zip/pkg/mod.py"): the path ansible-core matches a collection's frames against.
    assert value == "/pkg/mod.py"


def test_bytecode_of_another_source_is_ignored(tmp_path):
    callback = load_callback()
    with_old_bytecode = zipfile.ZipFile(io.BytesIO(callback.with_bytecode(make_zip({"mod.py": "VALUE = 'old'\n"}))))
    changed = {"mod.py": "VALUE = 'new'\n", "mod.pyc": with_old_bytecode.read("mod.pyc")}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in changed.items():
            archive.writestr(name, body)
    loaded_from, value = import_from_zip(tmp_path, out.getvalue(), "mod")
    assert loaded_from.endswith("payload.zip/mod.py")
    assert value == "new"


def test_a_file_that_does_not_compile_stays_source_only():
    callback = load_callback()
    zip_data = callback.with_bytecode(make_zip({"good.py": "VALUE = 1\n", "bad.py": "def (:\n", "data.txt": "x"}))
    archive = zipfile.ZipFile(io.BytesIO(zip_data))
    assert sorted(archive.namelist()) == ["bad.py", "data.txt", "good.py", "good.pyc"]
    assert archive.read("bad.py") == b"def (:\n" and archive.read("data.txt") == b"x"


def test_payloads_shared_by_playbook_runs_carry_bytecode():
    result = oco_helpers.run_tasks([{"oco.oco.oco_computer": {"hostname": "pc-1"}}], FAKE_SERVER, via="playbook")
    assert result.rc == 0, result
    # The module ran from the payload and reached its own request: nothing listens there.
    assert "connection refused" in result.results[0]["msg"], result.results[0]
    shared = Path(oco_helpers.recording_env(Path("unused"), Path("unused"))["OCO_PAYLOAD_CACHE"])
    # Earlier tests of this process may have shared payloads of other modules, or of other
    # collection paths (one directory each): every payload of this module carries the bytecode.
    payloads = [path for path in shared.glob("*/ansible_collections.oco.oco.plugins.modules.oco_computer-*")
                if not path.name.endswith(".lock")]
    assert payloads, sorted(shared.rglob("*"))
    for payload in payloads:
        with payload.open("rb") as cached:
            names = zipfile.ZipFile(io.BytesIO(base64.b64decode(pickle.load(cached).zip_data))).namelist()
        assert "ansible/module_utils/basic.pyc" in names
        assert "ansible_collections/oco/oco/plugins/modules/oco_computer.pyc" in names
