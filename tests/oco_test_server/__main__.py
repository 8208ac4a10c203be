"""Start the OCO test server from a checkout or from an installed collection.

From an installed collection (the directory that holds ``ansible_collections`` on PYTHONPATH):

    PYTHONPATH=~/.ansible/collections python3 -m ansible_collections.oco.oco.tests.oco_test_server --port 8080 --agents 1
"""

import argparse
import signal
import sys
import threading

from .eras import ERAS, OLDEST
from .server import OcoTestServer

EPILOG = """\
users: admin / oco-admin-pw (every permission), reader / oco-reader-pw (read-only)
API:   <url>/api-client.php      admin door: POST <url>/admin/<command>, JSON body = keyword arguments

Simulated agents (nothing happens to a job until an agent reports on it):
  --agents SECONDS                 every SECONDS each agent runs its due jobs to the end, and the
                                   housekeeping job runs, so `wait: true` deploys finish
  POST /admin/agents_run           {"outcome": "succeed"|"fail", "computer_ids": [...],
                                    "container_id": N, "fail_hostnames": [...]}: run every due job once now
  POST /admin/agent_update_job     {"job_id": N, "state": 1|2|3, "return_code": 0, "message": "",
                                    "dynamic": false, "download_progress": 100}: one agent report
  POST /admin/agent_clock          {"interval": 1, "failure_rate": 0.0, "fail_hostnames": [...],
                                    "housekeeping": false}: start the background agents
  POST /admin/agent_clock_stop     stop them; /admin/agent_clock_status shows what they did
  POST /admin/housekeeping         {"now": "YYYY-MM-DD HH:MM:SS"}: one run of the cron job (expiry, purge)

Example: curl -s -X POST -d '{"outcome": "succeed"}' http://127.0.0.1:8080/admin/agents_run
Every admin command is listed in the test server's README.md.
"""


def parser():
    out = argparse.ArgumentParser(prog='oco_test_server', description='OCO test server: a stand-in for an OCO 1.2.2 '
                                  "server's client API on 127.0.0.1", epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    out.add_argument('--port', type=int, default=0, help='TCP port (0: any free one; the URL is printed)')
    out.add_argument('--db', default=':memory:', help='SQLite file (state survives restarts) or :memory:')
    out.add_argument('--fleet', type=int, default=0, help='generate N computers when the database has none')
    out.add_argument('--api-key', default=None, help='client API key every request must send (default: none needed)')
    out.add_argument('--stringify', action='store_true', help='all row values as strings (PHP <= 8.0)')
    out.add_argument('--https', action='store_true', help='TLS with a throw-away self-signed certificate')
    out.add_argument('--legacy', nargs='?', const='0.9.0', default=None, metavar='VERSION',
                     help='speak the API of a release before 1.0.3: %s (default %s)' % (', '.join(ERAS), OLDEST))
    out.add_argument('--legacy-ints', action='store_true', help='legacy answers with numbers as numbers (PHP 8)')
    out.add_argument('--auth-delay', type=float, default=0.0, help='seconds to wait after a failed login (real: 2)')
    out.add_argument('--agents', type=float, default=None, metavar='SECONDS',
                     help='simulated agents finish due jobs every SECONDS (default: only when told through the admin door)')
    out.add_argument('--agent-failure-rate', type=float, default=0.0, metavar='RATE',
                     help='with --agents: share of jobs that fail, 0..1 (default 0)')
    out.add_argument('--verbose', action='store_true', help='log every HTTP request')
    return out


def main(argv=None):
    args = parser().parse_args(argv)
    if args.agents is not None and args.agents <= 0:
        parser().error('--agents: SECONDS must be more than 0, got %r' % args.agents)
    if not 0.0 <= args.agent_failure_rate <= 1.0:
        parser().error('--agent-failure-rate: RATE must be within 0..1, got %r' % args.agent_failure_rate)

    server = OcoTestServer(db=args.db, api_key=args.api_key, https=args.https, legacy=args.legacy, legacy_ints=args.legacy_ints,
                           port=args.port,
                           stringify=args.stringify, auth_failure_delay=args.auth_delay, verbose=args.verbose)
    if args.fleet and not server.store.value('SELECT COUNT(*) FROM computer'):
        server.admin.generate_fleet(computers=args.fleet, groups=max(1, args.fleet // 35))
    server.start()
    if args.agents is not None:
        server.admin.agent_clock(interval=args.agents, failure_rate=args.agent_failure_rate, housekeeping=True)
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    print('OCO test server listening on %s' % server.url, flush=True)
    stopped.wait()
    server.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
