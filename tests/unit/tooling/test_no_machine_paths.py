"""The repository stands alone: no file names a folder of one particular machine (a pyenv
version folder, a home or work directory); scripts find interpreters through PATH, pyenv or an
environment variable instead."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SKIP_DIRS = {".git", "__pycache__", ".pytest_cache", ".hypothesis", "build", "output"}
# Written in pieces so that this file does not match itself.
MACHINE_PATH = re.compile("|".join([r"\.pyenv/" + "versions", "/" + "work/", "/" + r"root/", "/" + r"home/[a-z]"]))


def text_files(root):
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in SKIP_DIRS or part.startswith(".venv") for part in relative.parts) or not path.is_file():
            continue
        try:
            yield relative, path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue


def machine_paths(root):
    return ["%s:%d: %s" % (relative, text.count("\n", 0, match.start()) + 1, match.group(0))
            for relative, text in text_files(root) for match in MACHINE_PATH.finditer(text)]


def test_no_file_names_a_folder_of_one_machine():
    found = machine_paths(ROOT)
    assert not found, "machine-specific paths:\n" + "\n".join(found)


def test_the_check_finds_one(tmp_path):
    (tmp_path / "lib.sh").write_text('python="$HOME/.pyenv/' + 'versions/3.11.7/bin/python"\n', encoding="utf-8")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "x.py").write_text("/" + "work/x\n", encoding="utf-8")
    assert machine_paths(tmp_path) == ["lib.sh:1: .pyenv/" + "versions"]
