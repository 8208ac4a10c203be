"""The package payload (module_utils/package_payload.py): paths checked before any request, what is
uploaded, and what a package directory may contain (links, odd names, special files)."""

from __future__ import annotations

import errno
import os
import socket
import zipfile

import pytest

from ansible_collections.oco.oco.plugins.module_utils import package_payload
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError, OcoValidationError
from ansible_collections.oco.oco.plugins.module_utils.package_payload import check_paths, check_payload, members, upload_files, warned_paths


def write(path, content=b"payload"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def test_a_single_file_is_uploaded_as_it_is(tmp_path):
    setup = write(tmp_path / "setup.msi")
    paths = check_paths([str(setup)])
    assert upload_files(paths, str(tmp_path)) == [("setup.msi", str(setup))]


def test_a_directory_is_zipped_with_names_relative_to_it(tmp_path):
    write(tmp_path / "src" / "install.ps1")
    write(tmp_path / "src" / "lib" / "tool.exe")
    (tmp_path / "work").mkdir()
    [(name, target)] = upload_files(check_paths([str(tmp_path / "src")]), str(tmp_path / "work"))
    assert name == "payload.zip"
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["install.ps1", "lib/tool.exe"]


def test_several_paths_are_zipped_together(tmp_path):
    one, two = write(tmp_path / "a" / "one.txt"), write(tmp_path / "two.txt")
    assert members(check_paths([str(one), str(two)])) == [("one.txt", str(one)), ("two.txt", str(two))]


@pytest.mark.parametrize("content, why", [
    (b"", "the file is empty"),
    (b"0", "single character 0"),
])
def test_a_single_file_the_server_would_refuse(tmp_path, content, why):
    path = write(tmp_path / "p.bin", content)
    with pytest.raises(OcoValidationError, match=why) as failure:
        check_paths([str(path)])
    assert "files=" in str(failure.value)


def test_missing_paths_empty_directories_and_name_clashes_fail(tmp_path):
    with pytest.raises(OcoValidationError, match="no such file or directory"):
        check_paths([str(tmp_path / "missing")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(OcoValidationError, match="the directory contains no files"):
        check_paths([str(tmp_path / "empty")])
    with pytest.raises(OcoValidationError, match="would both be stored as 'x.txt'"):
        check_paths([str(write(tmp_path / "a" / "x.txt")), str(write(tmp_path / "b" / "x.txt"))])
    with pytest.raises(OcoValidationError, match="every entry must be the path"):
        check_paths([" "])


def test_no_payload_uploads_nothing(tmp_path):
    assert check_paths(None) == [] and upload_files([], str(tmp_path)) == []


@pytest.fixture
def secret(tmp_path):
    """A private file outside the package directory, like ~/.ssh/id_rsa."""
    path = tmp_path / "home" / "id_rsa"
    path.parent.mkdir()
    path.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    return path


@pytest.fixture
def package(tmp_path):
    root = tmp_path / "package"
    (root / "bin").mkdir(parents=True)
    (root / "install.cmd").write_text("setup.exe /S\n")
    (root / "bin" / "tool.exe").write_bytes(b"MZ")
    return root


def zipped(paths, tmp_path, follow_links=False):
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    [(name, path)] = upload_files(paths, str(work), follow_links=follow_links)
    assert name == "payload.zip"
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_a_plain_directory_is_zipped_relative_to_it(package, tmp_path):
    paths, skipped = check_payload([str(package)])
    assert skipped == []
    assert zipped(paths, tmp_path) == {"bin/tool.exe": b"MZ", "install.cmd": b"setup.exe /S\n"}


@pytest.mark.parametrize("follow_links", [False, True])
def test_a_link_that_leaves_the_directory_fails_naming_it(package, secret, follow_links):
    (package / "id_rsa.txt").symlink_to(secret)
    with pytest.raises(OcoValidationError) as info:
        check_payload([str(package)], follow_links=follow_links)
    message = str(info.value)
    assert "files" in message and "id_rsa.txt" in message and "outside the directory" in message, message
    assert "PRIVATE KEY" not in message


def test_a_relative_link_climbing_out_fails_too(package, secret):
    os.symlink(os.path.relpath(secret, package / "bin"), package / "bin" / "key")
    with pytest.raises(OcoValidationError, match="outside the directory"):
        check_payload([str(package)], follow_links=True)


def test_a_linked_directory_outside_fails(package, secret):
    (package / "home").symlink_to(secret.parent, target_is_directory=True)
    with pytest.raises(OcoValidationError, match="home is a symbolic link to .* outside the directory"):
        check_payload([str(package)], follow_links=True)


def test_links_inside_are_skipped_and_reported_unless_followed(package, tmp_path):
    (package / "setup.cmd").symlink_to(package / "install.cmd")
    (package / "tools").symlink_to(package / "bin", target_is_directory=True)
    paths, skipped = check_payload([str(package)])
    assert sorted(os.path.basename(entry.path) for entry in skipped) == ["setup.cmd", "tools"]
    assert all("follow_links: true" in entry.why for entry in skipped)
    assert set(zipped(paths, tmp_path)) == {"bin/tool.exe", "install.cmd"}

    paths, skipped = check_payload([str(package)], follow_links=True)
    assert skipped == []
    assert zipped(paths, tmp_path, follow_links=True) == {
        "bin/tool.exe": b"MZ", "install.cmd": b"setup.exe /S\n", "setup.cmd": b"setup.exe /S\n", "tools/tool.exe": b"MZ"}


def test_a_link_loop_is_skipped_not_followed_forever(package, tmp_path):
    (package / "bin" / "again").symlink_to(package, target_is_directory=True)
    paths, skipped = check_payload([str(package)], follow_links=True)
    assert [(os.path.basename(entry.path), "loop" in entry.why) for entry in skipped] == [("again", True)]
    assert set(zipped(paths, tmp_path, follow_links=True)) == {"bin/tool.exe", "install.cmd"}


def test_broken_links_and_special_files_are_skipped_and_reported(package, tmp_path):
    (package / "gone").symlink_to(package / "missing")
    os.mkfifo(package / "pipe")
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(package / "sock"))
        paths, skipped = check_payload([str(package)], follow_links=True)
    finally:
        listener.close()
    reasons = {os.path.basename(entry.path): entry.why for entry in skipped}
    assert set(reasons) == {"gone", "pipe", "sock"}
    assert "broken" in reasons["gone"] and "not a regular file" in reasons["pipe"]
    assert set(zipped(paths, tmp_path)) == {"bin/tool.exe", "install.cmd"}


def test_a_directory_of_nothing_storable_fails(tmp_path):
    root = tmp_path / "only-links"
    root.mkdir()
    (root / "gone").symlink_to(root / "missing")
    with pytest.raises(OcoValidationError, match="no files that can be stored"):
        check_payload([str(root)])


def test_a_backslash_in_a_name_fails_naming_the_file(package):
    (package / "bin" / "evil\\..\\..\\startup.cmd").write_text("x")
    with pytest.raises(OcoValidationError) as info:
        check_payload([str(package)])
    assert "backslash" in str(info.value) and "startup.cmd" in str(info.value)


def test_a_single_file_with_a_backslash_fails(tmp_path):
    path = tmp_path / "a\\b.msi"
    path.write_bytes(b"MSI")
    with pytest.raises(OcoValidationError, match="backslash"):
        check_payload([str(path)])


def test_a_name_that_is_not_utf8_fails_without_a_traceback(package):
    raw = os.path.join(os.fsencode(str(package)), b"caf\xe9.txt")
    with open(raw, "wb") as handle:
        handle.write(b"x")
    with pytest.raises(OcoValidationError) as info:
        check_payload([str(package)])
    message = str(info.value)
    assert "not UTF-8" in message and "caf\\xe9.txt" in message, message
    message.encode("utf-8")


def test_a_full_temporary_disk_is_named_with_tmpdir(package, tmp_path, monkeypatch):
    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", full)
    paths, _skipped = check_payload([str(package)])
    with pytest.raises(OcoError) as info:
        upload_files(paths, str(tmp_path))
    assert "no space left" in str(info.value) and "TMPDIR" in str(info.value)
    assert package_payload.temp_space_error(OSError(errno.EACCES, "Permission denied", "/x"), "/tmp", "zipping") \
        .message == "zipping failed (/x: Permission denied)"


def test_warned_paths_reports_every_skipped_entry(package, tmp_path):
    (package / "gone").symlink_to(tmp_path / "nowhere")
    warnings = []
    assert warned_paths([str(package)], False, warnings.append) == [str(package)]
    assert len(warnings) == 1 and "files: skipped" in warnings[0] and "gone" in warnings[0]
