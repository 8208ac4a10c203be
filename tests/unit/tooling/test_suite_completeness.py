"""Omissions fail here: a plugin or role without an integration test, and a method whose read/write
flag differs between the client's table and the test server (a write the server counts as a read
would let a check-mode test pass that sends writes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.oco.oco.plugins.module_utils import methods as client_methods

from oco_test_server import eras, methods_legacy, registry

ROOT = Path(__file__).resolve().parents[3]


def plugins_and_roles(root):
    """``(what, name, expected test file)`` for every module, plugin and role under ``root``."""
    found = []
    for kind in ("modules", "inventory", "lookup"):
        for path in sorted((root / "plugins" / kind).glob("*.py")):
            if path.name != "__init__.py":
                found.append((kind, path.stem, Path("tests/integration/plugins") / kind / ("test_%s.py" % path.stem)))
    for role in sorted(p for p in (root / "roles").iterdir() if p.is_dir()) if (root / "roles").is_dir() else ():
        found.append(("role", role.name, Path("tests/integration/roles") / ("test_%s.py" % role.name)))
    return found


def untested(root):
    """What has no integration test file, or one that never names it (``oco.oco.<name>``)."""
    missing = []
    for kind, name, test in plugins_and_roles(root):
        path = root / test
        if not path.is_file():
            missing.append("%s %s: no %s" % (kind, name, test))
        elif "oco.oco.%s" % name not in path.read_text(encoding="utf-8"):
            missing.append("%s %s: %s never uses oco.oco.%s" % (kind, name, test, name))
    return missing


def test_every_module_plugin_and_role_has_an_integration_test():
    assert len(plugins_and_roles(ROOT)) >= 17
    assert not untested(ROOT), "\n".join(untested(ROOT))


def test_the_check_notices_a_missing_or_unused_test_file(tmp_path):
    (tmp_path / "plugins" / "modules").mkdir(parents=True)
    (tmp_path / "plugins" / "modules" / "oco_new.py").write_text("", encoding="utf-8")
    (tmp_path / "plugins" / "modules" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "roles" / "fresh").mkdir(parents=True)
    assert untested(tmp_path) == ["modules oco_new: no tests/integration/plugins/modules/test_oco_new.py",
                                  "role fresh: no tests/integration/roles/test_fresh.py"]
    (tmp_path / "tests" / "integration" / "roles").mkdir(parents=True)
    (tmp_path / "tests" / "integration" / "roles" / "test_fresh.py").write_text("def test(): pass\n", encoding="utf-8")
    assert untested(tmp_path)[1] == "role fresh: tests/integration/roles/test_fresh.py never uses oco.oco.fresh"


@pytest.fixture(scope="module")
def server_methods():
    registry.load_methods()
    return registry.methods()


def test_server_and_client_know_the_same_methods(server_methods):
    assert sorted(server_methods) == sorted(client_methods.METHODS)


@pytest.mark.parametrize("name", sorted(client_methods.METHODS))
def test_write_flag_is_the_same_in_client_and_server(name, server_methods):
    client = client_methods.METHODS[name]
    assert server_methods[name].write is client.write, (
        "%s: plugins/module_utils/methods.py says write=%s, the test server write=%s"
        % (name, client.write, server_methods[name].write))
    assert client_methods.is_write(name) is client.write


@pytest.mark.parametrize("release", eras.ERAS)
def test_legacy_server_methods_match_the_legacy_names_and_flags(release):
    era = eras.Era(release)
    # Releases from 0.15.0 on answer under the current names too.
    by_name = {m.legacy_name: m for m in client_methods.METHODS.values() if m.legacy_name}
    by_name.update(client_methods.METHODS)
    for name in methods_legacy.names(era):
        assert name in by_name, "the %s test server has %s, the client table does not know it" % (release, name)
        _func, write = methods_legacy.lookup(name, era)
        assert write is by_name[name].write, "%s on %s: legacy server write=%s, client table write=%s" % (
            name, release, write, by_name[name].write)
    if release == eras.OLDEST:
        first_api = {m.legacy_name for m in client_methods.METHODS.values() if m.legacy_name and m.since == (0, 9, 0)}
        assert first_api <= set(methods_legacy.names(era)), sorted(first_api - set(methods_legacy.names(era)))
