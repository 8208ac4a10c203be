"""The test server answers the recorded OCO 1.2.2 sequence as the real server did.

fidelity/sequence-1.2.2.json holds a real server's answers in order, with the agent steps and
setting changes between them (fidelity/README.md). Every request is replayed in order and every
answer the recording gives is compared, volatile values (dates, random keys, the agent's clock,
the server software) normalised on both sides.
"""

import importlib.util
from pathlib import Path

import pytest

from oco_test_server import OcoTestServer

_SPEC = importlib.util.spec_from_file_location('oco_fidelity_replay', Path(__file__).with_name('fidelity') / 'replay.py')
replay = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(replay)

SEQUENCE = replay.load()


@pytest.fixture(name='replayed', scope='module')
def replayed_fixture():
    with OcoTestServer(db=':memory:', api_key=SEQUENCE['initial_state']['api_key']) as server:
        replay.build_initial_state(server, SEQUENCE['initial_state'])
        yield replay.Replay(server, SEQUENCE).run()


def test_every_given_answer_is_replayed(replayed):
    given = [s for s in SEQUENCE['steps'] if s['kind'] == 'exchange' and not s.get('held_out')]
    assert SEQUENCE['counts']['steps'] == len(SEQUENCE['steps'])
    assert len(given) == SEQUENCE['counts']['by_kind']['exchange'] - SEQUENCE['counts']['exchanges_held_out']
    assert [step['step'] for step, _rec, _rep in replayed] == [s['step'] for s in given]


def test_replayed_answers_equal_the_recorded_ones(replayed):
    report = []
    for step, recorded, answer in replayed:
        for difference in replay.differences(step, recorded, answer):
            report.append('step %d %s %s' % (step['step'], step['name'], difference))
    assert not report, '%d differences:\n%s' % (len(report), '\n'.join(report))


@pytest.mark.parametrize('recorded, replayed_value, same', [
    ({'created': '2026-12-01 15:18:33'}, {'created': '2031-01-02 03:04:05'}, True),
    ({'created': None}, {'created': '2031-01-02 03:04:05'}, False),
    ({'agent_key': 'abc'}, {'agent_key': 'xyz'}, True),
    ({'agent_key': ''}, {'agent_key': 'xyz'}, False),
    ({'agent_timestamp': 1764600000.5}, {'agent_timestamp': 1864600000.25}, True),
    ({'agent_timestamp': 1764600000.5}, {'agent_timestamp': 1864600000}, False),
    ({'agent_timestamp': 0}, {'agent_timestamp': None}, False),
    ({'download_progress': 100}, {'download_progress': 100.0}, False),
    ({'a': [1, 2]}, {'a': [2, 1]}, False),
])
def test_only_volatile_values_are_normalised(recorded, replayed_value, same):
    """The comparison must still see every non-volatile difference (README "Volatile values")."""
    step = {'name': 'x', 'step': 0}
    answer = {'http_status': 200, 'http_reason': 'OK', 'content_type': 'application/json', 'text': None}
    found = replay.differences(step, dict(answer, json=recorded), dict(answer, json=replayed_value))
    assert (found == []) is same, found
