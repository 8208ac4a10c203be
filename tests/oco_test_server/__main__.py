"""`python -m oco_test_server --port 0 [--db FILE] [--fleet N] [--api-key K] [--stringify] [--https] [--agents S]`."""

import argparse
import signal
import sys
import threading

from .server import OcoTestServer


def main(argv=None):
    parser = argparse.ArgumentParser(prog='oco_test_server', description='OCO test server (client API stand-in)')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--db', default=':memory:', help='SQLite file (state survives restarts) or :memory:')
    parser.add_argument('--fleet', type=int, default=0, help='generate N computers when the database has none')
    parser.add_argument('--api-key', default=None)
    parser.add_argument('--stringify', action='store_true', help='all row values as strings (PHP <= 8.0)')
    parser.add_argument('--https', action='store_true')
    parser.add_argument('--legacy', action='store_true', help='pre-1.0.3 dialect')
    parser.add_argument('--auth-delay', type=float, default=0.0, help='seconds to wait after a failed login (real: 2)')
    parser.add_argument('--agents', type=float, default=None, metavar='SECONDS',
                        help='simulated agents run every eligible job every SECONDS (a background agent clock), '
                             'so deployments finish while a playbook waits')
    parser.add_argument('--verbose', action='store_true')
    args = parser.parse_args(argv)

    server = OcoTestServer(db=args.db, api_key=args.api_key, https=args.https, legacy=args.legacy, port=args.port,
                           stringify=args.stringify, auth_failure_delay=args.auth_delay, verbose=args.verbose)
    if args.fleet and not server.store.value('SELECT COUNT(*) FROM computer'):
        server.admin.generate_fleet(computers=args.fleet, groups=max(1, args.fleet // 35))
    server.start()
    if args.agents is not None:
        server.admin.agent_clock(interval=args.agents)
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    print('OCO test server listening on %s' % server.url, flush=True)
    stopped.wait()
    server.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
