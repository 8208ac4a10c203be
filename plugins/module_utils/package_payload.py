# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turn the ``files`` option of a package (paths of files and directories) into what is uploaded.

The server stores one ZIP per package: a single uploaded ZIP is kept as it is, a single
other file is wrapped in a ZIP under its base name, and several uploaded files are zipped under
their given names. Directories cannot be uploaded, so they are zipped here, with member names
relative to the directory. Everything is streamed from and to disk: payloads may be larger than
the memory of the machine running the module.

A directory is read without trusting what it contains: a symbolic link that leads out of the
directory is an error (it would upload a file from anywhere on the controller, such as a private
key, under an innocent name), links inside it are only followed when asked to, and everything
that is not stored is reported. A name that a Windows agent would read as a path (a backslash) or
that is not UTF-8 cannot be stored faithfully, so it is an error naming the file.
"""

from __future__ import annotations

import errno
import os
import zipfile
from collections import namedtuple

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError
from ansible_collections.oco.oco.plugins.module_utils.validation import invalid

# A directory entry that is not put into the package ZIP, and why.
Skipped = namedtuple("Skipped", ["path", "why"])


def check_paths(paths, option="files", follow_links=False):
    """Absolute paths of ``paths``, each an existing file or directory; raise before any request."""
    return check_payload(paths, option, follow_links)[0]


def warned_paths(paths, follow_links, warn, option="files"):
    """The checked absolute paths of ``paths``; every entry left out is reported through ``warn``."""
    checked, skipped = check_payload(paths, option, follow_links)
    for entry in skipped:
        warn("%s: skipped %s: %s" % (option, entry.path, entry.why))
    return checked


def check_payload(paths, option="files", follow_links=False):
    """``(absolute paths, [Skipped])`` for ``paths``; raise before any request when one cannot be sent."""
    result = []
    for path in paths or []:
        if not isinstance(path, str) or not path.strip():
            raise invalid(option, path, "every entry must be the path of a file or directory")
        full = os.path.abspath(os.path.expanduser(path))
        if os.path.isdir(full):
            if not any(_walk(full, option, follow_links, [])):
                raise invalid(option, path, "the directory contains no files that can be stored (see the warnings "
                                            "for what was skipped)")
        elif os.path.isfile(full):
            _check_name(option, path, full, os.path.basename(full))
            if len(paths) == 1:
                _check_single_file(option, path, full)
        else:
            raise invalid(option, path, "no such file or directory on the machine running the module")
        result.append(full)
    skipped = []
    if len(result) > 1 or any(os.path.isdir(full) for full in result):
        members(result, option, follow_links, skipped)
    return result, skipped


def _check_single_file(option, path, full):
    # The server skips empty contents and refuses a file holding just "0" (PHP-falsy).
    size = os.path.getsize(full)
    if size == 0:
        raise invalid(option, path, "the file is empty; the server would store no payload")
    if size == 1:
        with open(full, "rb") as handle:
            if handle.read() == b"0":
                raise invalid(option, path, "the server rejects a payload consisting of the single character 0")


def _shown(path):
    """A path as text that can be printed, whatever bytes its name holds."""
    return os.fsencode(path).decode("utf-8", errors="backslashreplace")


def _check_name(option, top, path, name):
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid(option, top, "the name of %s is not UTF-8; a package ZIP cannot store it faithfully, rename it"
                      % _shown(path)) from None
    if "\\" in name:
        raise invalid(option, top, "the name of %s contains a backslash, which Windows agents unpack as a folder "
                                   "separator; rename it" % _shown(path))


def _inside(path, directory):
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _walk(directory, option="files", follow_links=False, skipped=None):
    """``(path, name relative to directory with / separators)`` of every file stored from ``directory``.

    Entries that are not stored are appended to ``skipped``; a link out of ``directory`` raises.
    """
    skipped = [] if skipped is None else skipped
    root = os.path.realpath(directory)
    return _walk_below(directory, "", root, (root,), option, follow_links, skipped)


def _walk_below(current, prefix, root, visited, option, follow_links, skipped):
    try:
        entries = sorted(os.scandir(current), key=lambda entry: entry.name)
    except OSError as exc:
        raise invalid(option, _shown(root), "cannot read the directory %s: %s" % (_shown(current), exc.strerror or exc)) from None
    for entry in entries:
        _check_name(option, _shown(root), entry.path, entry.name)
        name = prefix + entry.name
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            if not os.path.exists(target):
                skipped.append(Skipped(entry.path, "a broken symbolic link"))
                continue
            if not _inside(target, root):
                raise invalid(option, _shown(root), "%s is a symbolic link to %s, outside the directory; links that "
                              "leave the directory are never followed (the file would be uploaded under the link's "
                              "name). Copy the file into the directory or remove the link"
                              % (_shown(entry.path), _shown(target)))
            if not follow_links:
                skipped.append(Skipped(entry.path, "a symbolic link (set follow_links: true to store what it points to)"))
                continue
            if os.path.isdir(target):
                if target in visited:
                    skipped.append(Skipped(entry.path, "a symbolic link to a folder that contains it (a loop)"))
                    continue
                yield from _walk_below(entry.path, name + "/", root, visited + (target,), option, follow_links, skipped)
            elif os.path.isfile(target):
                yield entry.path, name
            else:
                skipped.append(Skipped(entry.path, "a link to something that is not a regular file"))
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk_below(entry.path, name + "/", root, visited + (os.path.realpath(entry.path),),
                                   option, follow_links, skipped)
        elif entry.is_file(follow_symlinks=False):
            yield entry.path, name
        else:
            skipped.append(Skipped(entry.path, "not a regular file (a socket, pipe or device)"))


def members(paths, option="files", follow_links=False, skipped=None):
    """``[(name in the zip, path)]`` for several paths; a name given twice is an error."""
    seen = {}
    result = []
    for full in paths:
        if os.path.isdir(full):
            entries = _walk(full, option, follow_links, skipped)
        else:
            entries = [(full, os.path.basename(full))]
        for path, name in entries:
            if name in seen:
                raise invalid(option, full, "%s and %s would both be stored as %r in the package ZIP" % (seen[name], path, name))
            seen[name] = path
            result.append((name, path))
    return result


def upload_files(paths, workdir, follow_links=False):
    """``[(name, path)]`` to upload for the checked ``paths``; a ZIP is written to ``workdir`` if needed."""
    if not paths:
        return []
    if len(paths) == 1 and os.path.isfile(paths[0]):
        return [(os.path.basename(paths[0]), paths[0])]
    target = os.path.join(workdir, "payload.zip")
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True, strict_timestamps=False) as archive:
            for name, path in members(paths, follow_links=follow_links):
                archive.write(path, name)
    except OSError as exc:
        raise temp_space_error(exc, workdir, "zipping the payload") from None
    return [("payload.zip", target)]


def temp_space_error(exc, where, doing):
    """A clear error for a failed write of temporary data, with the way out when the disk is full."""
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
        return OcoError("no space left in %s while %s: the payload needs free temporary space of about twice its "
                        "size; set the TMPDIR environment variable to a directory with enough space" % (where, doing))
    return OcoError("%s failed (%s: %s)" % (doing, _shown(exc.filename or where), exc.strerror or exc))
