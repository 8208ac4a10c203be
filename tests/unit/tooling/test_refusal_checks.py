"""The bad-input check itself: every case that was accepted, raised or misnamed its value is reported at once."""

import pytest

import refusal_checks

CASES = [
    ("oco.oco.oco_computer", {"timeout": 0}, ["timeout", "0"]),
    ("oco.oco.oco_computer", {"retries": -1}, ["retries"]),
    ("oco.oco.oco_package", {"version": ""}, ["version"]),
    ("oco.oco.oco_rpc", {"method": "oco.deploy"}, ["read_only"]),
]


def test_refused_cases_pass():
    refusal_checks.check_refusals(CASES, [
        {"failed": True, "msg": "invalid option timeout=0"},
        {"failed": True, "msg": "invalid option RETRIES=-1"},
        {"failed": True, "msg": "invalid option version=''", "exception": "(traceback unavailable)"},
        {"failed": True, "msg": "read_only is set"},
    ])


def test_every_case_not_refused_cleanly_is_named():
    with pytest.raises(AssertionError) as info:
        refusal_checks.check_refusals(CASES, [
            {"failed": True, "msg": "invalid option timeout"},
            {"changed": False},
            {"failed": True, "msg": "version", "exception": "Traceback (most recent call last): ..."},
            {"failed": True, "msg": "read_only is set"},
        ])
    message = str(info.value)
    assert message.startswith("3 of 4 cases failed:")
    assert "oco.oco.oco_computer {'timeout': 0}: 'invalid option timeout' does not name ['timeout', '0']" in message
    assert "oco.oco.oco_computer {'retries': -1}: was accepted" in message
    assert "oco.oco.oco_package {'version': ''}: raised Traceback" in message
    assert "oco_rpc" not in message


def test_a_missing_result_fails():
    with pytest.raises(AssertionError):
        refusal_checks.check_refusals(CASES, [{"failed": True, "msg": "timeout 0"}])
