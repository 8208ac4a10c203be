"""The bundled OCO test server in a process of its own, driven through its HTTP admin door.

The server is Python too: run in the benchmark's process, its request handling would share the
interpreter (and on a 2-core machine the CPU) with whatever is measured. In its own process it still
competes for the cores, but its CPU time is not charged to the measured client and its memory is not
part of the client's peak RSS.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import requests

TESTS_DIR = Path(__file__).resolve().parents[1]
ADMIN_USER = "admin"
ADMIN_PASSWORD = "oco-admin-pw"


class ServerProcess:
    """``python -m oco_test_server`` on 127.0.0.1 with an in-memory database; ``admin(command, **kw)``."""

    def __init__(self, startup_timeout=60):
        env = dict(os.environ, PYTHONPATH=str(TESTS_DIR), PYTHONDONTWRITEBYTECODE="1")
        self._proc = subprocess.Popen([sys.executable, "-m", "oco_test_server", "--port", "0"], cwd=str(TESTS_DIR),
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
        deadline = time.monotonic() + startup_timeout
        line = ""
        while time.monotonic() < deadline:
            line = self._proc.stdout.readline()
            if "listening on" in line or self._proc.poll() is not None:
                break
        if "listening on" not in line:
            self.stop()
            raise RuntimeError("the OCO test server did not start: %r" % line)
        self.url = line.strip().rsplit(" ", 1)[-1]
        self.pid = self._proc.pid
        self._session = requests.Session()

    def admin(self, command, **kwargs):
        answer = self._session.post("%s/admin/%s" % (self.url, command), json=kwargs, timeout=600)
        if answer.status_code != 200:
            raise RuntimeError("admin %s failed: HTTP %s %s" % (command, answer.status_code, answer.text[:500]))
        return answer.json()

    def counters(self):
        return self.admin("counters")

    def reset_counters(self):
        self.admin("reset_counters")

    def cpu_seconds(self):
        """User + system CPU the server process has used so far (Linux /proc), or None."""
        try:
            fields = Path("/proc/%d/stat" % self.pid).read_text(encoding="ascii").rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def connection(self):
        return {"url": self.url, "username": ADMIN_USER, "password": ADMIN_PASSWORD}

    def stop(self):
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stdout:
            self._proc.stdout.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
