"""The repository stands on its own: no file names a document or path outside it.

A contributor or user with a clone has nothing but the clone, so a pointer to a sibling folder or
to a path on one machine leads nowhere. What such a document said belongs in the repository, in
the project's own words.
"""

from __future__ import annotations

import re
import subprocess

import oco_helpers

REPO_ROOT = oco_helpers.REPO_ROOT
# A sibling folder of the checkout, or a document kept there by name (the server-behaviour notes, the
# design notes). Folders of one machine are tests/unit/tooling/test_no_machine_paths.py's concern.
# Also a numbered section of such a document (the word "facts" or "spec seed" and a number), which a
# reader cannot look up: say the fact itself, or name a document in the repository.
OUTSIDE = re.compile(r"\.\./shared\b|\boco-server-facts\.md\b|\bDESIGN\.md\b"
                     r"|\bfacts'?\s*(?:§\s*|section\s*)?\(?\d|\bspec seed\s*\d", re.IGNORECASE)


def repository_files():
    """Tracked files plus new ones not ignored (what the next commit can hold), as sanity sees them."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    return [REPO_ROOT / name for name in listed if name and (REPO_ROOT / name).is_file()]


def mentions_outside(text):
    return [(text.count("\n", 0, match.start()) + 1, match.group(0)) for match in OUTSIDE.finditer(text)]


def test_the_pattern_finds_what_it_must_and_nothing_else():
    # Spelled in pieces so that this file does not itself name what it looks for.
    sibling = ".." + "/shared"
    facts, design = "oco-server-" + "facts.md", "DESIGN" + ".md"
    assert mentions_outside("see %s/spec/\nand %s/fidelity" % (sibling, sibling)) == [(1, sibling), (2, sibling)]
    assert mentions_outside("written against `%s`, see %s" % (facts, design)) == [(1, facts), (1, design)]
    assert mentions_outside("the shared action group, ../roles/deploy, notes/shared-notes") == []


def test_the_pattern_finds_numbered_sections_of_outside_documents():
    # Spelled in pieces, like the names above.
    facts, seed = "fa" + "cts", "spec " + "seed"
    text = "(%s 3.9)\n%s §4.5, %s section 10\n%s' (1.1)\n%s 12.1: values\n(%s 000)" % (
        facts, facts, facts, facts, facts.title(), seed)
    assert [line for line, _hit in mentions_outside(text)] == [1, 2, 2, 3, 4, 5]
    assert mentions_outside("gather_%s: false\nset the %s of 3 hosts; ansible_%s\n%s about 2 hosts" % (
        facts, facts, facts, seed)) == []


def test_no_file_refers_to_anything_outside_the_repository():
    files = repository_files()
    assert any(path.name == "CONTRIBUTING.md" for path in files) and len(files) > 100
    found = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary payloads of the demo and tests
        found += ["%s:%d: %s" % (path.relative_to(REPO_ROOT), line, hit) for line, hit in mentions_outside(text)]
    assert not found, "files refer to places outside the repository:\n" + "\n".join(found)
