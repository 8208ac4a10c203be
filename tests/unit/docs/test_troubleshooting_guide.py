"""docs/guides/troubleshooting.rst explains every error message the client raises.

The message templates are read from plugins/module_utils/client.py (the string constants in the
first argument of every ``errors.Oco...(...)`` call); each literal piece of a template (the text
between its ``%s`` placeholders) must appear in the guide, so a new or reworded message fails this
test until the guide says what it means and what to do.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
GUIDE = REPO_ROOT / "docs" / "guides" / "troubleshooting.rst"
SOURCES = ["plugins/module_utils/client.py"]
PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdrif]")
MIN_PIECE = 10


def _normalise(text):
    return " ".join(text.replace("``", "").split())


def message_pieces(path):
    """``(line, piece)`` for every literal piece of every error message raised in ``path``."""
    pieces = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "errors" and node.args):
            continue
        for const in ast.walk(node.args[0]):
            if isinstance(const, ast.Constant) and isinstance(const.value, str):
                for piece in PLACEHOLDER.split(const.value):
                    piece = _normalise(piece).strip(" :;.,()")
                    if len(piece) >= MIN_PIECE:
                        pieces.append((node.lineno, piece))
    return pieces


def test_the_client_raises_messages():
    assert len(message_pieces(REPO_ROOT / SOURCES[0])) > 20


def test_every_client_message_is_in_the_troubleshooting_guide():
    guide = _normalise(GUIDE.read_text(encoding="utf-8"))
    missing = ["%s:%d: %s" % (source, line, piece)
               for source in SOURCES for line, piece in message_pieces(REPO_ROOT / source) if piece not in guide]
    assert not missing, "docs/guides/troubleshooting.rst does not explain:\n" + "\n".join(missing)
