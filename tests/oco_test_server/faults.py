"""Fault injection and request counters, both outside the API state (kept in memory).

A fault fires on an api-client.php request that passed authentication and body parsing and that
calls its `method` (any method when None), `count` times.

`barrier` runs each of its `count` requests at once but holds its answer until the last of them has
been answered too (at most `seconds`, default 60): no client gets an answer, so none can write,
before every one of them was answered from the same state, whatever the scheduling of their
processes and of the server's threads.
"""

import threading
import time

# http502/503/504 stand for a proxy or load balancer in front of the server: nothing runs.
GATEWAY = {'http502': (502, 'Bad Gateway'), 'http503': (503, 'Service Unavailable'), 'http504': (504, 'Gateway Timeout')}
KINDS = ('latency', 'http500', 'drop', 'commit_drop', 'barrier') + tuple(GATEWAY)


class Fault:
    def __init__(self, kind, method=None, count=1, seconds=0.0):
        if kind not in KINDS:
            raise ValueError('unknown fault kind %r (known: %s)' % (kind, ', '.join(KINDS)))
        self.kind = kind
        self.method = method
        self.count = int(count)
        self.seconds = float(seconds or 0)
        self._answers_left = self.count    # barrier: requests not answered yet
        self._answered = threading.Condition()

    def matches(self, methods):
        return self.method is None or self.method in methods

    def before(self):
        """Act before anything runs; a Response ends the request, None continues."""
        from .pipeline import DROP, Response  # pylint: disable=import-outside-toplevel
        if self.kind == 'barrier':
            return None
        if self.seconds:
            time.sleep(self.seconds)
        if self.kind == 'http500':
            return Response(500, 'Internal Server Error')
        if self.kind in GATEWAY:
            status, reason = GATEWAY[self.kind]
            return Response(status, reason, b'<html><body><h1>%d %s</h1></body></html>' % (status, reason.encode('ascii')),
                            'text/html')
        if self.kind == 'drop':
            return DROP
        return None

    def hold_answer(self):
        """A barrier's answer waits until the last of its requests has been answered."""
        if self.kind != 'barrier':
            return
        with self._answered:
            self._answers_left -= 1
            self._answered.notify_all()
            self._answered.wait_for(lambda: self._answers_left <= 0, self.seconds or 60)

    def drops_after(self):
        return self.kind == 'commit_drop'

    def describe(self):
        return {'kind': self.kind, 'method': self.method, 'count': self.count, 'seconds': self.seconds}


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults = []

    def inject(self, kind, method=None, count=1, seconds=0.0):
        fault = Fault(kind, method, count, seconds)
        with self._lock:
            self._faults.append(fault)
        return fault.describe()

    def clear(self):
        with self._lock:
            self._faults = []

    def pending(self):
        with self._lock:
            return [f.describe() for f in self._faults]

    def take(self, methods):
        with self._lock:
            for fault in self._faults:
                if fault.matches(methods):
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                    return fault
        return None


class Counters:
    """http_requests counts api-client.php requests; calls/reads/writes count dispatched calls."""

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._http = 0
            self._calls = {}
            self._reads = 0
            self._writes = 0

    def http_request(self):
        with self._lock:
            self._http += 1

    def call(self, name, write):
        """`write` is None for unknown methods (counted as a call only)."""
        with self._lock:
            self._calls[name] = self._calls.get(name, 0) + 1
            if write is True:
                self._writes += 1
            elif write is False:
                self._reads += 1

    def snapshot(self):
        with self._lock:
            return {'http_requests': self._http, 'calls': dict(self._calls), 'reads': self._reads, 'writes': self._writes}
