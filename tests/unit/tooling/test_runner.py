"""The playbook runner itself: results in order, failures kept, options reaching the play."""

import json
from types import SimpleNamespace

import pytest

import oco_helpers

FAKE_SERVER = SimpleNamespace(url="http://127.0.0.1:9/oco")


def test_results_in_order_and_failures_collected():
    result = oco_helpers.run_tasks(
        [
            {"name": "first", "ansible.builtin.debug": {"msg": "one"}},
            {"ansible.builtin.fail": {"msg": "boom"}},
            {"name": "skipped", "ansible.builtin.debug": {"msg": "x"}, "when": False},
            {"name": "uses a var", "ansible.builtin.debug": {"msg": "{{ greeting }} {{ extra }}"}},
        ],
        FAKE_SERVER,
        vars={"greeting": "hello"},
        extra_vars={"extra": "world"},
    )
    assert result.rc == 0, result
    assert [r.get("msg") for r in result.results] == ["one", "boom", None, "hello world"]
    assert result.results[2]["skipped"] is True
    assert [(index, name) for index, name, failed in result.failed_tasks] == [(1, None)]
    assert result.failed_tasks[0][2]["msg"] == "boom"


def test_module_defaults_carry_the_connection():
    result = oco_helpers.run_tasks(
        [{"ansible.builtin.debug": {"msg": "{{ lookup('ansible.builtin.file', playbook_dir + '/playbook.yml') }}"}}],
        FAKE_SERVER,
        api_key="k3y",
    )
    playbook = result.results[0]["msg"]
    assert "group/oco.oco.oco" in playbook and FAKE_SERVER.url in playbook and "k3y" in playbook


def test_env_connection_and_check_mode():
    result = oco_helpers.run_tasks(
        [
            {"ansible.builtin.debug": {"msg": "{{ lookup('ansible.builtin.env', 'OCO_URL') }} {{ ansible_check_mode }}"}},
            {"ansible.builtin.debug": {"msg": "{{ ansible_python_interpreter }}"}},
        ],
        FAKE_SERVER,
        connection_via="env",
        check=True,
        diff=True,
    )
    assert result.results[0]["msg"] == f"{FAKE_SERVER.url} True"
    assert "group/oco.oco.oco" not in result.playbook


def test_shown_is_the_output_and_the_results_with_text_as_written():
    result = oco_helpers.run_tasks([{"ansible.builtin.debug": {"msg": "Pässwörd"}}], FAKE_SERVER)
    shown = result.shown()
    assert result.stdout in shown and '"msg": "Pässwörd"' in shown


def test_collection_is_importable():
    import ansible_collections.oco.oco  # noqa: F401  (the path conftest.py set up)


def test_no_oco_setting_of_the_calling_shell_reaches_a_subprocess(monkeypatch):
    for name, value in (("OCO_RETRIES", "7"), ("OCO_URL", "http://elsewhere"), ("OCO_SOMETHING_NEW", "x")):
        monkeypatch.setenv(name, value)
    assert {"OCO_RETRIES", "OCO_URL", "OCO_SOMETHING_NEW"} <= set(oco_helpers.outside_settings())
    env = oco_helpers.base_env({"OCO_TIMEOUT": 5, "OCO_URL": None})
    assert oco_helpers.outside_settings(env) == ["OCO_TIMEOUT"]
    assert env["OCO_TIMEOUT"] == "5"
    result = oco_helpers.run_tasks(
        [{"ansible.builtin.debug": {"msg": "{{ lookup('ansible.builtin.env', 'OCO_RETRIES') }}|"
                                           "{{ lookup('ansible.builtin.env', 'OCO_URL') }}"}}],
        FAKE_SERVER)
    assert result.results[0]["msg"] == "|"


def test_golden_files_compare_and_update_mode_fails_the_run(tmp_path, monkeypatch):
    golden = tmp_path / "case.json"
    monkeypatch.delenv(oco_helpers.GOLDEN_UPDATE_ENV, raising=False)
    with pytest.raises(AssertionError, match="no golden file .*OCO_UPDATE_GOLDEN=1"):
        oco_helpers.assert_golden(golden, {"a": 1})
    monkeypatch.setenv(oco_helpers.GOLDEN_UPDATE_ENV, "1")
    with pytest.raises(oco_helpers.GoldenRewritten, match=r"golden files rewritten, review the diff: .*case.json \(new\)"):
        oco_helpers.assert_golden(golden, {"a": 1})
    assert json.loads(golden.read_text(encoding="utf-8")) == {"a": 1}
    with pytest.raises(oco_helpers.GoldenRewritten, match=r"\(unchanged\)"):
        oco_helpers.assert_golden(golden, {"a": 1})
    monkeypatch.delenv(oco_helpers.GOLDEN_UPDATE_ENV)
    oco_helpers.assert_golden(golden, {"a": 1})
    with pytest.raises(AssertionError, match="differs from golden file"):
        oco_helpers.assert_golden(golden, {"a": 2})


def test_cases_share_one_run_and_each_failure_is_named():
    answers = oco_helpers.run_cases({
        "one": [{"ansible.builtin.debug": {"msg": "a"}}],
        "two": [{"ansible.builtin.fail": {"msg": "b"}}, {"ansible.builtin.debug": {"msg": "c"}}],
    }, FAKE_SERVER)
    assert [[r["msg"] for r in results] for results in answers.values()] == [["a"], ["b", "c"]]
    assert list(answers) == ["one", "two"]

    def check(_case, results):
        assert not results[0].get("failed"), results[0]["msg"]

    with pytest.raises(AssertionError, match=r"1 of 2 cases failed:\ntwo: b"):
        oco_helpers.check_each(answers, check)
