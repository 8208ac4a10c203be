# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the ``files`` option of a package (paths of files and directories) into what is uploaded.

The server stores one ZIP per package (facts 7): a single uploaded ZIP is kept as it is, a single
other file is wrapped in a ZIP under its base name, and several uploaded files are zipped under
their given names. Directories cannot be uploaded, so they are zipped here, with member names
relative to the directory. Everything is streamed from and to disk: payloads may be larger than
the memory of the machine running the module.
"""

from __future__ import annotations

import os
import zipfile

from ansible_collections.oco.oco.plugins.module_utils.validation import invalid


def check_paths(paths, option="files"):
    """Absolute paths of ``paths``, each an existing file or directory; raise before any request."""
    result = []
    for path in paths or []:
        if not isinstance(path, str) or not path.strip():
            raise invalid(option, path, "every entry must be the path of a file or directory")
        full = os.path.abspath(os.path.expanduser(path))
        if os.path.isdir(full):
            if not any(_walk(full)):
                raise invalid(option, path, "the directory contains no files")
        elif os.path.isfile(full):
            if len(paths) == 1:
                _check_single_file(option, path, full)
        else:
            raise invalid(option, path, "no such file or directory on the machine running the module")
        result.append(full)
    if len(result) > 1 or any(os.path.isdir(full) for full in result):
        members(result, option)
    return result


def _check_single_file(option, path, full):
    # The server skips empty contents and refuses a file holding just "0" (PHP-falsy, facts 3.12).
    size = os.path.getsize(full)
    if size == 0:
        raise invalid(option, path, "the file is empty; the server would store no payload")
    if size == 1:
        with open(full, "rb") as handle:
            if handle.read() == b"0":
                raise invalid(option, path, "the server rejects a payload consisting of the single character 0")


def _walk(directory):
    """``(path, name relative to directory with / separators)`` of every file below ``directory``."""
    for root, dirs, names in os.walk(directory):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(root, name)
            if os.path.isfile(path):
                yield path, os.path.relpath(path, directory).replace(os.sep, "/")


def members(paths, option="files"):
    """``[(name in the zip, path)]`` for several paths; a name given twice is an error."""
    seen = {}
    result = []
    for full in paths:
        entries = _walk(full) if os.path.isdir(full) else [(full, os.path.basename(full))]
        for path, name in entries:
            if name in seen:
                raise invalid(option, full, "%s and %s would both be stored as %r in the package ZIP" % (seen[name], path, name))
            seen[name] = path
            result.append((name, path))
    return result


def upload_files(paths, workdir):
    """``[(name, path)]`` to upload for the checked ``paths``; a ZIP is written to ``workdir`` if needed."""
    if not paths:
        return []
    if len(paths) == 1 and os.path.isfile(paths[0]):
        return [(os.path.basename(paths[0]), paths[0])]
    target = os.path.join(workdir, "payload.zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True, strict_timestamps=False) as archive:
        for name, path in members(paths):
            archive.write(path, name)
    return [("payload.zip", target)]
