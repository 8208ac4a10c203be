"""Replays the recorded 1.2.2 sequence (fidelity/sequence-1.2.2.json) against an OcoTestServer.

The recording fixes what happened between requests (agent contacts, settings, housekeeping, a
wait); here those become admin-door commands. Nothing in this file looks at an answer to decide
what to send: every request goes out as recorded (dates shifted to the replay's clock).
"""

import json
import re
import secrets
import time
from datetime import datetime, timedelta
from pathlib import Path

import requests

SEQUENCE = Path(__file__).with_name('sequence-1.2.2.json')
DATE = re.compile(r'^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$')
DATE_FORMAT = '%Y-%m-%d %H:%M:%S'
DATE_FIELDS = ('date_start', 'date_end')
SOFTWARE_FIELDS = ('webserver', 'database', 'php')
# The recorded server was PHP's built-in web server, which answers a BREW request itself (501)
# before OCO runs; behind Apache or nginx OCO answers it with its teapot (sequence README).
OCO_BREW_ANSWER = {'http_status': 418, 'http_reason': "I'm a teapot"}


def load():
    return json.loads(SEQUENCE.read_text(encoding='utf-8'))


# initial state ---------------------------------------------------------------------------------------


def build_initial_state(server, state):
    """Bring a fresh test server to the recording's starting point through the admin door."""
    admin = server.admin
    users = sorted(state['users'], key=lambda u: u['id'])
    # The seeded superadmin and read-only user take ids 1 and 2, as the recording's users do.
    seeded = {'superadmin': 'admin', 'readonly': 'reader'}
    for user in users:
        if user['id'] <= 2:
            admin.set_user(seeded[user['role']], rename_to=user['username'], password=user['password'])
        else:
            created = admin.create_user(user['username'], user['password'], role=user['role'], locked=user['locked'])
            assert created == user['id']
        if not user['client_api']:
            admin.set_user(user['username'], client_api=False)
    for key, value in state['settings'].items():
        admin.set_setting(key, value)
    admin.set_license(computers=state['licence']['computers'], expiration=state['licence']['expiration'])
    _create_in_order(admin.create_computer_group, state['computer_groups'])
    _create_in_order(admin.create_package_group, state['package_groups'])
    _create_in_order(admin.create_report_group, state['report_groups'])
    for report in state['reports']:
        created = admin.create_report(report['name'], report['query'], report_group_id=report['report_group_id'],
                                      notes=report['notes'])
        assert created == report['id']
    for rule in state['deployment_rules']:
        created = admin.create_deployment_rule(
            rule['name'], rule['computer_group_id'], rule['package_group_id'], notes=rule['notes'],
            enabled=rule['enabled'], sequence_mode=rule['sequence_mode'], priority=rule['priority'],
            post_action_timeout=rule['post_action_timeout'])
        assert created == rule['id']


def _create_in_order(create, groups):
    for group in groups:
        assert create(group['name'], parent_id=group['parent_id']) == group['id']


# steps ---------------------------------------------------------------------------------------------------


class Replay:
    """Runs the steps in order; `answers` holds (step, recorded response, replayed response)."""

    def __init__(self, server, sequence):
        self.server = server
        self.sequence = sequence
        self.session = requests.Session()
        self.answers = []
        self.dates_sent = {}
        self.moment = None       # the replay's clock after a recorded wait (None: the real clock)

    def run(self):
        for step in self.sequence['steps']:
            getattr(self, 'step_' + step['kind'])(step)
        return self.answers

    def now(self):
        return self.moment or datetime.now().replace(microsecond=0)

    def step_exchange(self, step):
        request = step['request']
        body = request['body']
        if 'clock' in step:
            body = self._shift_dates(step, body)
        if body is None:
            data = None
        elif isinstance(body, str):
            data = body.encode('utf-8')
        else:
            data = json.dumps(body).encode('utf-8')
        auth = (request['auth_user'], request['auth_password']) if request['auth_user'] is not None else None
        response = self.session.request(request['http_method'], self.server.url + request['path'], data=data,
                                        headers=dict(request['headers']), auth=auth, timeout=30)
        if step.get('held_out'):
            return
        self.answers.append((step, step['response'], _as_recorded(response)))

    def _shift_dates(self, step, body):
        """sent = recorded + (replay now - recorded clock), for every date field of the request."""
        offset = self.now() - datetime.strptime(step['clock'], DATE_FORMAT)
        body = json.loads(json.dumps(body))
        data = body['params']['data']
        for field in DATE_FIELDS:
            if isinstance(data.get(field), str) and DATE.match(data[field]):
                shifted = datetime.strptime(data[field], DATE_FORMAT) + offset
                data[field] = shifted.strftime(DATE_FORMAT)
                self.dates_sent[(step['step'], 'params.data.' + field)] = shifted
        return body

    def step_clock(self, step):
        # Instead of sleeping, the replay's clock moves past the shifted date; the housekeeping run
        # that follows is told the time (admin door `housekeeping(now=...)`).
        target = self.dates_sent[(step['refers_to']['step'], step['refers_to']['field'])]
        self.moment = target + timedelta(seconds=step['margin_seconds'])

    def step_housekeeping(self, step):  # pylint: disable=unused-argument
        self.server.admin.housekeeping(now=self.now().strftime(DATE_FORMAT))
        self.moment = None

    def step_setting(self, step):
        self.server.admin.set_setting(step['key'], step['value'])

    def step_agent(self, step):
        admin = self.server.admin
        computer_id = step['computer_id']
        for action in step['actions']:
            if action['action'] in ('first_contact', 'hello'):
                columns = {k: _placeholder(v, self.now()) for k, v in action['computer'].items()}
                sections = {k: action[k] for k in ('networks', 'filesystems', 'software') if k in action}
                admin.set_inventory(computer_id, **sections, **columns)
            elif action['action'] == 'job_state':
                job = action['job']
                admin.agent_update_job(job_id=job['id'], state=action['state'], return_code=action['return_code'],
                                       message=action['message'], dynamic=job['type'] == 'deployment_rule_job',
                                       download_progress=action.get('download_progress'))
            else:
                raise AssertionError('unknown agent action %r' % action['action'])


def _placeholder(value, moment):
    if value == '<now>':
        return moment.strftime(DATE_FORMAT)
    if value == '<generated key>':
        return secrets.token_hex(15)
    if value == '<unix time>':
        return time.time()
    return value


def _as_recorded(response):
    """The replayed answer in the recording's shape."""
    try:
        parsed = response.json() if response.content else None
    except ValueError:
        parsed = None
    out = {'http_status': response.status_code, 'http_reason': response.reason,
           'content_type': response.headers.get('Content-Type'),
           'json': parsed, 'text': None if parsed is not None else response.text}
    return out


# comparison --------------------------------------------------------------------------------------------


def normalise(value, key=None, info=False):
    """Replace what two runs of the same sequence never share (sequence README, "Volatile values")."""
    if isinstance(value, dict):
        is_info = info or ('license_computers' in value and 'version' in value)
        return {k: normalise(v, k, is_info) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, key, info) for v in value]
    if isinstance(value, str) and DATE.match(value):
        return '<date>'
    if key in ('agent_key', 'server_key') and value:
        return '<key>'
    if key == 'agent_timestamp' and isinstance(value, (int, float)) and not isinstance(value, bool) and value > 1e9:
        return '<agent clock: %s>' % type(value).__name__
    if info and key in SOFTWARE_FIELDS and isinstance(value, str):
        return '<software>'
    return value


def differences(step, recorded, replayed):
    """Human-readable differences of one exchange; [] when the answers match."""
    expected = dict(recorded)
    if step['name'] == 'error__brew_method':
        expected = dict(expected, **OCO_BREW_ANSWER)
        expected.pop('content_type', None)
        expected['json'], expected['text'] = None, replayed['text']
    found = []
    for field in ('http_status', 'http_reason', 'content_type'):
        if field in expected and expected[field] != replayed[field]:
            found.append('%s: recorded %r, replayed %r' % (field, expected[field], replayed[field]))
    if (expected['json'] is None) != (replayed['json'] is None):
        found.append('body: recorded %r, replayed %r' % (expected['json'] or expected['text'], replayed['json'] or replayed['text']))
    elif expected['json'] is not None:
        found += ['body' + d for d in _diff(normalise(expected['json']), normalise(replayed['json']), '')]
    elif (expected['text'] or '') != (replayed['text'] or ''):
        found.append('text: recorded %r, replayed %r' % (expected['text'], replayed['text']))
    return found


def _diff(expected, actual, path):
    if type(expected) is not type(actual):  # pylint: disable=unidiomatic-typecheck
        return ['%s: recorded %r, replayed %r' % (path, expected, actual)]
    if isinstance(expected, dict):
        out = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                out.append('%s.%s: missing (recorded %r)' % (path, key, expected[key]))
            elif key not in expected:
                out.append('%s.%s: extra (replayed %r)' % (path, key, actual[key]))
            else:
                out += _diff(expected[key], actual[key], '%s.%s' % (path, key))
        return out
    if isinstance(expected, list):
        if len(expected) != len(actual):
            return ['%s: %d items recorded, %d replayed: %r vs %r' % (path, len(expected), len(actual), expected, actual)]
        out = []
        for index, (one, other) in enumerate(zip(expected, actual)):
            out += _diff(one, other, '%s[%d]' % (path, index))
        return out
    return [] if expected == actual else ['%s: recorded %r, replayed %r' % (path, expected, actual)]
