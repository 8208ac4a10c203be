"""Agent simulation through the admin door: job state reports on command or on a clock.

The real server only changes job states when an agent calls `oco.agent.update_job_state`; these
commands play that agent.
"""

import datetime
import random
import sqlite3
import threading
import weakref

from . import constraints, php, phpdate, registry
from .registry import admin_command

STATE_WAITING, STATE_DOWNLOAD_STARTED, STATE_EXECUTION_STARTED, STATE_SUCCEEDED, STATE_FAILED = 0, 1, 2, 3, -1
RETURN_CODE_ABORTED = -8888
ABORT_MESSAGE = 'Aborted after failed job'
# kind -> (job table, owner table, owner column)
TABLES = {'static': ('job_container_job', 'job_container', 'job_container_id'),
          'dynamic': ('deployment_rule_job', 'deployment_rule', 'deployment_rule_id')}


def code_accepted(codes, return_code):
    """Blank entries are ignored; an empty list accepts every return code."""
    accepted = [c.strip() for c in php.strval(codes).split(',') if c.strip()]
    if not accepted:
        return True
    given = php.strval(return_code).strip()
    for code in accepted:
        if code == given or (php.is_numeric(code) and php.is_numeric(given) and float(code) == float(given)):
            return True
    return False


def _abort_container(store, container_id, stamp):
    """`abort after failed`: every waiting job of the container, on every computer, fails too."""
    store.execute('UPDATE job_container_job SET state = ?, return_code = ?, message = ?, execution_finished = ? '
                  'WHERE job_container_id = ? AND state = ?',
                  (STATE_FAILED, RETURN_CODE_ABORTED, ABORT_MESSAGE, stamp, container_id, STATE_WAITING))


def _record_installation(server, job, owner, stamp):
    """Only a succeeded job touches installation records; creating or refreshing one re-evaluates rules."""
    store = server.store
    if job['is_uninstall']:
        store.execute('DELETE FROM computer_package WHERE computer_id = ? AND package_id = ?', (job['computer_id'], job['package_id']))
        return
    if job['upgrade_behavior'] == 1:
        # The installer replaced every other version of the family.
        store.execute('DELETE FROM computer_package WHERE computer_id = ? AND package_id <> ? AND package_id IN '
                      '(SELECT id FROM package WHERE package_family_id = (SELECT package_family_id FROM package WHERE id = ?))',
                      (job['computer_id'], job['package_id'], job['package_id']))
    existing = store.value('SELECT id FROM computer_package WHERE computer_id = ? AND package_id = ? ORDER BY id',
                           (job['computer_id'], job['package_id']))
    values = {'installed_procedure': job['procedure'], 'installed_by_system_user_id': owner['created_by_system_user_id'],
              'installed': stamp}
    if existing is None:
        store.insert('computer_package', dict(values, computer_id=job['computer_id'], package_id=job['package_id']))
    else:
        store.execute('UPDATE computer_package SET installed_procedure = ?, installed_by_system_user_id = ?, installed = ? '
                      'WHERE id = ?', (values['installed_procedure'], values['installed_by_system_user_id'], stamp, existing))
    registry.emit(server.admin.context(), registry.INSTALLATION_CHANGED, computer_id=job['computer_id'])


def update_job(server, job_id, state, return_code=None, message='', kind='static', now=None, download_progress=None):
    """One agent report; returns the stored job row. `download_progress` (percent) comes with state 1."""
    table, owner_table, owner_column = TABLES[kind]
    store = server.store
    stamp = phpdate.at(now).strftime(phpdate.FORMAT)
    with store.transaction():
        job = store.row('SELECT * FROM %s WHERE id = ?' % table, (job_id,))
        if job is None:
            raise KeyError('no %s job %r' % (kind, job_id))
        state = int(state)
        if state == STATE_SUCCEEDED and not code_accepted(job['success_return_codes'], return_code):
            state = STATE_FAILED
        column = {STATE_DOWNLOAD_STARTED: 'download_started', STATE_EXECUTION_STARTED: 'execution_started'}.get(
            state, 'execution_finished')
        store.execute('UPDATE %s SET state = ?, return_code = ?, message = ?, %s = ? WHERE id = ?' % (table, column),
                      (state, return_code, message or '', stamp, job['id']))
        if download_progress is not None:
            store.execute('UPDATE %s SET download_progress = ? WHERE id = ?' % table, (int(download_progress), job['id']))
        owner = store.row('SELECT * FROM %s WHERE id = ?' % owner_table, (job[owner_column],))
        if state == STATE_FAILED and kind == 'static' and owner['sequence_mode'] == 1:
            _abort_container(store, owner['id'], stamp)
        if state == STATE_SUCCEEDED:
            _record_installation(server, job, owner, stamp)
        return store.row('SELECT * FROM %s WHERE id = ?' % table, (job['id'],))


@admin_command()
def agent_update_job(server, job_id, state, return_code=None, message='', dynamic=False, now=None, download_progress=None):
    """What `oco.agent.update_job_state` does for one (static, or with dynamic=True rule) job."""
    return update_job(server, job_id, state, return_code, message, 'dynamic' if dynamic else 'static', now,
                      download_progress)


def eligible_jobs(store, moment, computer_ids=None, container_id=None, dynamic=True):
    """Jobs agents would receive now, in the order they run them (priority desc, creation, sequence)."""
    stamp = moment.strftime(phpdate.FORMAT)
    jobs = [dict(r, kind='static') for r in store.rows(
        'SELECT j.id, j.computer_id, j.success_return_codes, c.hostname, c.remote_address, o.id AS owner_id, o.priority, '
        'o.created, o.agent_ip_ranges, o.time_frames, j.sequence FROM job_container_job j '
        'JOIN job_container o ON o.id = j.job_container_id JOIN computer c ON c.id = j.computer_id '
        'WHERE j.state IN (0, 1, 2) AND o.enabled = 1 AND o.start_time < ? AND (o.end_time IS NULL OR o.end_time > ?)',
        (stamp, stamp)) if constraints.ip_allowed(r['agent_ip_ranges'], r['remote_address'])
        and constraints.time_allowed(r['time_frames'], moment)]
    if dynamic and container_id is None:
        jobs += [dict(r, kind='dynamic') for r in store.rows(
            'SELECT j.id, j.computer_id, j.success_return_codes, c.hostname, o.id AS owner_id, o.priority, o.created, '
            'j.sequence FROM deployment_rule_job j JOIN deployment_rule o ON o.id = j.deployment_rule_id '
            'JOIN computer c ON c.id = j.computer_id WHERE j.state IN (0, 1, 2) AND o.enabled = 1')]
    if computer_ids is not None:
        jobs = [j for j in jobs if j['computer_id'] in set(int(c) for c in computer_ids)]
    if container_id is not None:
        jobs = [j for j in jobs if j['owner_id'] == int(container_id)]
    jobs.sort(key=lambda j: (-int(j['priority'] or 0), j['created'] or '', j['kind'], j['owner_id'], j['sequence'], j['id']))
    return jobs


def _final_code(job, succeed, return_code):
    if return_code is not None:
        return return_code
    codes = [c.strip() for c in php.strval(job['success_return_codes']).split(',') if c.strip()]
    if succeed:
        return php.intval(codes[0]) if codes else 0
    return 1 if '1' not in codes else 2


def run_agents(server, decide, computer_ids=None, container_id=None, return_code=None, now=None, dynamic=True):
    """Move every eligible job through 1 -> 2 -> 3/-1; `decide(job)` says whether it succeeds."""
    moment = phpdate.at(now)
    table_state = 'SELECT state FROM %s WHERE id = ?'
    moved = []
    for job in eligible_jobs(server.store, moment, computer_ids, container_id, dynamic):
        # An earlier failure in "abort after failed" mode may have finished this job already.
        state = server.store.value(table_state % TABLES[job['kind']][0], (job['id'],))
        if state not in (STATE_WAITING, STATE_DOWNLOAD_STARTED, STATE_EXECUTION_STARTED):
            continue
        for step in (STATE_DOWNLOAD_STARTED, STATE_EXECUTION_STARTED):
            if state < step:
                update_job(server, job['id'], step, None, '', job['kind'], now)
        succeed = decide(job)
        code = _final_code(job, succeed, return_code)
        final = update_job(server, job['id'], STATE_SUCCEEDED if succeed else STATE_FAILED, code,
                           'simulated agent: %s' % ('success' if succeed else 'failure'), job['kind'], now)
        moved.append({'job_id': job['id'], 'kind': job['kind'], 'computer_id': final['computer_id'],
                      'package_id': final['package_id'], 'state': final['state'], 'return_code': final['return_code']})
    return moved


@admin_command()
def agents_run(server, outcome='succeed', computer_ids=None, container_id=None, return_code=None, fail_hostnames=None,
               now=None, dynamic=True):
    """Let every agent process its eligible jobs once. outcome: 'succeed' or 'fail'; fail_hostnames always fail."""
    if outcome not in ('succeed', 'fail'):
        raise ValueError("outcome must be 'succeed' or 'fail'")
    failing = {h.lower() for h in fail_hostnames or ()}
    return run_agents(server, lambda job: outcome == 'succeed' and job['hostname'].lower() not in failing,
                      computer_ids, container_id, return_code, now, dynamic)


# What a waiting client reads to see job states: the calls a stepped clock counts.
POLL_METHODS = ('oco.job_container.job.list', 'oco.deployment_rule.job.list')


class AgentClock:
    """Simulated agents: each step runs every eligible job once, failing with `failure_rate`.

    Stepped (`every=N`): the agents take one step just before every Nth poll call (POLL_METHODS)
    is answered, so a client waiting for its jobs sees them finish on its Nth poll, however slow
    the machine is. Nothing moves with wall time; `agent_clock_tick` steps by hand. A step acts
    one second ahead of the wall clock, so jobs created this second are due.
    Background (`interval=S`): a thread steps every S seconds, for demos and interactive use.
    """

    def __init__(self, server, interval, failure_rate, seed, fail_hostnames, housekeeping, every=None, methods=None):
        self._server = weakref.proxy(server)
        self.interval = None if interval is None else float(interval)
        self.every = None if every is None else int(every)
        self.methods = frozenset(methods or POLL_METHODS)
        self.failure_rate = float(failure_rate)
        self.fail_hostnames = {h.lower() for h in fail_hostnames or ()}
        self.housekeeping = housekeeping
        self.ticks = 0
        self.moved = 0
        self.polls = 0
        self.last_error = None
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        if self.interval is not None:
            self._served = self._serving()
            self._thread = threading.Thread(target=self._loop, name='oco-agent-clock', daemon=True)
            self._thread.start()

    def _serving(self):
        try:
            return bool(self._server.url)
        except (RuntimeError, ReferenceError):
            return False

    def _decide(self, job):
        if job['hostname'].lower() in self.fail_hostnames:
            return False
        return self._random.random() >= self.failure_rate

    def _loop(self):
        waited = 0.0
        while not self._stop.wait(min(self.interval, 0.05)):
            # server.stop() ends the clock too: the HTTP side is gone, so are the agents.
            if self._served and not self._serving():
                break
            waited += min(self.interval, 0.05)
            if waited + 1e-9 < self.interval:
                continue
            waited = 0.0
            try:
                self.tick()
            except (sqlite3.ProgrammingError, ReferenceError):
                break    # store closed or server gone
            except sqlite3.Error as exc:
                self.last_error = str(exc)

    def polled(self, method):
        """A stepped clock counts the poll calls and steps on every `every`-th one."""
        if self.every is None or method not in self.methods:
            return
        with self._lock:
            self.polls += 1
            due = self.polls % self.every == 0
        if due:
            self.tick()

    def tick(self):
        moment = None
        if self._thread is None:
            # A step stands for the second an agent takes to pick a job up: jobs start only after
            # their start time (`start_time < now`), which for a container created this very second
            # wall time would reach only a second later.
            moment = (phpdate.now() + datetime.timedelta(seconds=1)).strftime(phpdate.FORMAT)
        with self._lock:
            moved = run_agents(self._server, self._decide, now=moment)
            self.moved += len(moved)
            if self.housekeeping:
                from .housekeeping import run_housekeeping  # pylint: disable=import-outside-toplevel
                run_housekeeping(self._server, None if moment is None else phpdate.at(moment))
            self.ticks += 1
        return moved

    def running(self):
        if self._thread is None:
            return not self._stop.is_set()
        return self._thread.is_alive()

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def status(self):
        return {'running': self.running(), 'mode': 'background' if self._thread is not None else 'stepped',
                'interval': self.interval, 'every': self.every, 'polls': self.polls,
                'failure_rate': self.failure_rate, 'ticks': self.ticks, 'jobs_moved': self.moved,
                'last_error': self.last_error}


_CLOCKS = weakref.WeakKeyDictionary()
_STOPPED = {'running': False, 'ticks': 0, 'jobs_moved': 0}


@registry.on_call
def _count_poll(server, method):
    clock = _CLOCKS.get(server)
    if clock is not None:
        clock.polled(method)


@admin_command()
def agent_clock(server, interval=None, every=None, methods=None, failure_rate=0.0, seed=None, fail_hostnames=None,
                housekeeping=False):
    """Start (or restart) the simulated agents, stepped (`every` N poll calls) or background (`interval` s).

    Without either, a background clock of 1 s. server.stop() or agent_clock_stop() ends them.
    """
    if interval is not None and every is not None:
        raise ValueError('give either interval (seconds, background) or every (poll calls, stepped), not both')
    if every is None and interval is None:
        interval = 1.0
    if interval is not None and float(interval) <= 0:
        raise ValueError('interval must be > 0, not %r' % (interval,))
    if every is not None and (isinstance(every, bool) or int(every) < 1 or int(every) != float(every)):
        raise ValueError('every must be a whole number >= 1, not %r' % (every,))
    if not 0.0 <= float(failure_rate) <= 1.0:
        raise ValueError('failure_rate must be within 0..1, not %r' % (failure_rate,))
    agent_clock_stop(server)
    _CLOCKS[server] = AgentClock(server, interval, failure_rate, seed, fail_hostnames, housekeeping, every, methods)
    return _CLOCKS[server].status()


@admin_command()
def agent_clock_tick(server, steps=1):
    """Step the agents of the running clock (with its failure settings) `steps` times; returns the moved jobs."""
    clock = _CLOCKS.get(server)
    if clock is None:
        raise ValueError('no agent clock is running: start one with agent_clock(every=N) first')
    moved = []
    for _step in range(int(steps)):
        moved += clock.tick()
    return moved


@admin_command()
def agent_clock_stop(server):
    clock = _CLOCKS.pop(server, None)
    if clock is None:
        return dict(_STOPPED)
    clock.stop()
    return clock.status()


@admin_command()
def agent_clock_status(server):
    clock = _CLOCKS.get(server)
    return clock.status() if clock else dict(_STOPPED)
