"""The getting started guide's "From a checkout" commands install a collection whose README holds.

The commands are read from the guide and run in a copy of the checkout (``git clone`` and ``cd``
are the copy). The installed README must only name files the tarball carries, except in its
sections for a clone of the repository: ``scripts/`` and the development files stay out of the
tarball (galaxy.yml build_ignore), so a README pointing at them would send an installed user
nowhere.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import PurePosixPath

import oco_helpers

REPO_ROOT = oco_helpers.REPO_ROOT
GUIDE = REPO_ROOT / "docs" / "guides" / "getting_started.rst"
CLONE_SECTION = re.compile(r"from a clone", re.IGNORECASE)


def tracked_files():
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO_ROOT,
                            capture_output=True, check=True).stdout.decode("utf-8").split("\0")
    return [name for name in listed if name and (REPO_ROOT / name).is_file()]


def guide_commands():
    """The ``$ `` lines of the console block under the "From a checkout" heading."""
    section = GUIDE.read_text(encoding="utf-8").split("From a checkout\n", 1)[1]
    block = re.search(r"\.\. code-block:: console\n\n((?:(?:   .*)?\n)+)", section).group(1)
    return [line.strip()[2:] for line in block.splitlines() if line.strip().startswith("$ ")]


def readme_sections(text):
    """(heading, body) pairs of the level-2 sections; the part before the first one is ''."""
    parts = re.split(r"^## (.*)\n", text, flags=re.MULTILINE)
    return [("", parts[0])] + list(zip(parts[1::2], parts[2::2]))


def repository_paths_named(text, known):
    """Words of the text that are paths of the repository (files or folders)."""
    words = {word.strip(".").rstrip("/").removeprefix("./") for word in re.split(r"[\s`()\[\]<>,;:\"'|]+", text)}
    return sorted(word for word in words if word in known)


def test_installed_readme_names_only_what_the_tarball_carries(tmp_path):
    files = tracked_files()
    known = set(files) | {str(parent) for name in files for parent in PurePosixPath(name).parents if str(parent) != "."}
    checkout = tmp_path / "oco.oco"
    checkout.mkdir()
    subprocess.run(["tar", "-cf", str(tmp_path / "copy.tar"), "--", *files], cwd=REPO_ROOT, check=True)
    subprocess.run(["tar", "-xf", str(tmp_path / "copy.tar")], cwd=checkout, check=True)

    commands = guide_commands()
    assert [c.split()[:2] for c in commands[:2]] == [["git", "clone"], ["cd", "oco.oco"]], commands
    assert any("collection build" in c for c in commands[2:]) and any("collection install" in c for c in commands[2:])
    # The guide's ansible-galaxy is the one of the running tests; the install goes to a path of its own.
    env = oco_helpers.base_env({"ANSIBLE_COLLECTIONS_PATH": str(tmp_path / "collections"),
                                "PATH": "%s%s%s" % (oco_helpers.BIN_DIR, os.pathsep, os.environ.get("PATH", ""))})
    env.pop("ANSIBLE_COLLECTIONS_PATHS", None)
    for command in commands[2:]:
        run = subprocess.run(["bash", "-c", command], cwd=checkout, env=env, capture_output=True, text=True, check=False)
        assert run.returncode == 0, "%s\n%s%s" % (command, run.stdout, run.stderr)
    installed = tmp_path / "collections" / "ansible_collections" / "oco" / "oco"
    readme = (installed / "README.md").read_text(encoding="utf-8")
    assert readme == (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    # The premise: the development tooling stays out of the tarball.
    assert not (installed / "scripts").exists() and (installed / "plugins" / "modules").is_dir()

    sections = readme_sections(readme)
    clone_sections = [body for heading, body in sections if CLONE_SECTION.search(heading)]
    assert clone_sections and "git clone https://" in clone_sections[0]
    named, missing = [], []
    for heading, body in sections:
        if CLONE_SECTION.search(heading):
            continue
        for path in repository_paths_named(body, known):
            named.append(path)
            if not (installed / path).exists():
                missing.append("%s (section %r)" % (path, heading or "intro"))
    assert len(named) >= 8, named  # the check sees the README's paths at all
    assert not missing, "the installed README names files the tarball leaves out: " + ", ".join(missing)
    # Outside the clone sections, nothing points into scripts/.
    outside = "".join(body for heading, body in sections if not CLONE_SECTION.search(heading))
    assert "scripts/" not in outside
