"""Exact values a running 1.2.2 server showed, one test per point.

Most are also checked by the replay of the recorded sequence; these cover the answers the
recording withholds and keep each point readable on its own.
"""

import requests

PHP_HTML = 'text/html; charset=UTF-8'


def test_computers_created_through_the_api_start_with_uptime_and_agent_clock_zero(api, admin):
    cid = int(api.ok('oco.computer.create', {'hostname': 'pre'})['id'])
    general = api.ok('oco.computer.get', {'id': cid})['general']
    assert general['uptime'] == 0 and type(general['uptime']) is int  # pylint: disable=unidiomatic-typecheck
    assert general['agent_timestamp'] == 0 and type(general['agent_timestamp']) is int  # pylint: disable=unidiomatic-typecheck
    admin.set_inventory(cid, uptime=1235, agent_timestamp=1764600000)    # the agent's hello: its clock as a float
    general = api.ok('oco.computer.get', {'id': cid})['general']
    assert general['uptime'] == 1235 and isinstance(general['agent_timestamp'], float)


def test_download_progress_is_an_integer(api, admin):
    cid = admin.create_computer('pc1')
    pid = admin.create_package('Fam', '1', files={'a.txt': 'YQ=='})
    container = api.ok('oco.job_container.deploy', {'name': 'c', 'computer_ids': [cid], 'package_ids': [pid],
                                                    'date_start': '2020-01-01 00:00:00'})['id']
    job = api.ok('oco.job_container.job.list', {'id': container})[0]
    assert job['download_progress'] is None
    admin.agent_update_job(job_id=job['id'], state=1, download_progress=100)
    job = api.ok('oco.job_container.job.list', {'id': container})[0]
    assert job['download_progress'] == 100 and type(job['download_progress']) is int  # pylint: disable=unidiomatic-typecheck


def test_error_pages_carry_php_content_type(server, api, admin):
    url = server.api_url
    assert requests.post(url, data='{}', auth=('admin', 'oco-admin-pw'), timeout=10).headers['Content-Type'] == PHP_HTML
    corrupt = api.post(None, raw='[]')
    assert corrupt.status_code == 400 and corrupt.headers['Content-Type'] == PHP_HTML and corrupt.content == b''
    wrong = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': {}}, auth=('admin', 'wrong'))
    assert wrong.status_code == 401 and wrong.headers['Content-Type'] == PHP_HTML
    admin.set_setting('api_enabled', 0)
    disabled = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': {}})
    assert disabled.status_code == 405 and disabled.headers['Content-Type'] == PHP_HTML


def test_failed_login_text_follows_the_language(api):
    body = {'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': {}}
    assert api.post(body, auth=('admin', 'wrong')).text == 'HTTP Basic Auth: Login failed'
    german = api.post(body, auth=('admin', 'wrong'), headers={'Accept-Language': 'de-DE'})
    assert german.text == 'HTTP Basic Auth: Anmeldung fehlgeschlagen'


def test_wol_without_mac_text(api, admin):
    cid = admin.create_computer('pc1')
    code, message = api.err('oco.computer.wol', {'id': cid})[:2]
    assert code == -32000 and message == (
        'No WOL packet could be sent because no MAC address of this computer is known. Please connect a network adapter '
        'to the computer and run the agent so that the MAC address is reported to the server.')


def test_licence_exceeded_text(api, admin):
    admin.set_license(computers=1)
    admin.create_computer('pc1')
    admin.create_computer('pc2')
    code, message = api.err('oco.package.create', {'package_family_name': 'F', 'version': '1', 'install_procedure': 'x'})[:2]
    assert code == -32000 and message == 'Your license is invalid. Please upload a new license in the settings.'
    assert api.ok('oco.info')['license_computers'] == 0
