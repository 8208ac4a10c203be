"""The package payload: paths checked before any request, what is uploaded (module_utils/package_payload.py)."""

from __future__ import annotations

import zipfile

import pytest

from ansible_collections.oco.oco.plugins.module_utils.errors import OcoValidationError
from ansible_collections.oco.oco.plugins.module_utils.package_payload import check_paths, members, upload_files


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
