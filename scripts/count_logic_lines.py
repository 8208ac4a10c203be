# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Count the hand-written logic of Python files: the lines that are not documentation, argument spec or imports.

A line counts when it holds code. Left out: blank lines, comments, docstrings, the DOCUMENTATION,
EXAMPLES and RETURN strings, import statements, the value of an ``argument_spec=`` keyword and
module-level assignments to ``ARGUMENT_SPEC``.

    python3 scripts/count_logic_lines.py plugins/modules/oco_computer.py plugins/modules/oco_package.py
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize

DOC_NAMES = ("DOCUMENTATION", "EXAMPLES", "RETURN", "ARGUMENT_SPEC")
NOT_CODE = (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING,
            tokenize.ENDMARKER)


def excluded_lines(tree):
    lines = set()

    def cover(node):
        lines.update(range(node.lineno, node.end_lineno + 1))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            cover(node)
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id in DOC_NAMES for t in node.targets):
            cover(node)
        elif isinstance(node, ast.keyword) and node.arg == "argument_spec":
            cover(node.value)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                cover(first)
    return lines


def logic_lines(text):
    code = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type not in NOT_CODE:
            code.update(range(token.start[0], token.end[0] + 1))
    return len(code - excluded_lines(ast.parse(text)))


def main(paths):
    total = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            count = logic_lines(handle.read())
        total += count
        print("%5d  %s" % (count, path))
    if len(paths) > 1:
        print("%5d  total" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
