"""HTTP layer: the order of checks, envelope, batches, API key, localisation."""

import base64

import requests

from server_api import READER


def test_api_disabled_wins_over_everything(api, admin):
    admin.set_setting('api_enabled', 0)
    response = api.post({}, auth=('nobody', 'x'), headers={'Content-Type': 'text/plain'})
    assert response.status_code == 405
    assert response.content == b''


def test_brew_is_a_teapot_before_auth_and_content_type(server):
    response = requests.request('brew', server.url + '/api-client.php', data=b'garbage', timeout=10)
    assert response.status_code == 418
    assert 'teapot' in response.text


def test_content_type_must_be_exact(api):
    for ctype in ('application/json; charset=utf-8', 'text/plain'):
        response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, headers={'Content-Type': ctype})
        assert response.status_code == 400
        assert response.content == b''


def test_auth_failures_are_401_text_bodies(api, admin):
    admin.create_user('locked', 'pw', locked=True)
    admin.create_user('noapi', 'pw')
    admin.set_user('noapi', client_api=False)
    cases = [(('', ''), 'The user name cannot be empty'), (('admin', ''), 'The user name cannot be empty'),
             (('ghost', 'x'), 'User does not exist'), (('locked', 'pw'), 'User locked'),
             (('admin', 'wrong'), 'Login failed'), (('noapi', 'pw'), 'User is not allowed to login on the API')]
    for auth, message in cases:
        response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, auth=auth)
        assert response.status_code == 401
        assert response.text == 'HTTP Basic Auth: ' + message
        assert response.headers['Content-Type'].startswith('text/html')
        assert 'WWW-Authenticate' not in response.headers


def test_missing_authorization_header(server):
    response = requests.post(server.url + '/api-client.php', data='{}', headers={'Content-Type': 'application/json'}, timeout=10)
    assert response.status_code == 401


def test_auth_before_body(api):
    response = api.post(None, auth=('admin', 'wrong'), raw='not json')
    assert response.status_code == 401


def test_unicode_credentials(api, admin):
    admin.create_user('ünïcode', 'Pässwörd-🌈')
    token = base64.b64encode('ünïcode:Pässwörd-🌈'.encode('utf-8')).decode()
    response = api.session.post(api.url, data='{"jsonrpc":"2.0","id":1,"method":"oco.info"}',
                                headers={'Content-Type': 'application/json', 'Authorization': 'Basic ' + token}, timeout=10)
    assert response.status_code == 200
    latin1 = base64.b64encode('ünïcode:x'.encode('latin-1')).decode()
    response = api.session.post(api.url, data='{}', headers={'Content-Type': 'application/json',
                                                             'Authorization': 'Basic ' + latin1}, timeout=10)
    assert response.status_code == 500


def test_username_is_case_insensitive(api):
    assert api.ok('oco.info', auth=('ADMIN', 'oco-admin-pw'))['version'] == '1.2.2'


def test_corrupt_and_empty_bodies(api):
    for raw in ('', 'nope', '{}', '[]', '0', '""', 'false', 'null', '"0"'):
        response = api.post(None, raw=raw)
        assert response.status_code == 400, raw
        assert response.content == b''
    assert api.post(None, raw='5').status_code == 500


def test_request_validation(api):
    bad = [{'jsonrpc': '1.0', 'id': 1, 'method': 'oco.info'}, {'jsonrpc': '2.0', 'method': 'oco.info'},
           {'jsonrpc': '2.0', 'id': None, 'method': 'oco.info'}, {'jsonrpc': '2.0', 'id': 1}]
    for body in bad:
        assert api.post(body).status_code == 400
    # loose comparison: 2 == "2.0"; params are optional
    answer = api.post({'jsonrpc': 2, 'id': 'x', 'method': 'oco.info'}).json()
    assert answer['id'] == 'x' and answer['result']['success'] is True


def test_envelope_shapes(api):
    response = api.post({'jsonrpc': '2.0', 'id': 7, 'method': 'oco.info', 'params': {}})
    assert response.headers['Content-Type'] == 'application/json'
    answer = response.json()
    assert set(answer) == {'jsonrpc', 'id', 'result'} and answer['id'] == 7
    failure = api.call('oco.nope', request_id='abc')
    assert set(failure) == {'jsonrpc', 'id', 'error'}
    assert failure['error'] == {'code': -32001, 'message': 'Unknown Method', 'data': None}
    assert failure['id'] == 'abc'


def test_json_like_php(api, admin):
    admin.create_computer('pc/ü')
    raw = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.list'}).content
    assert b'pc\\/\\u00fc' in raw


def test_batch_in_order(api):
    body = [{'jsonrpc': '2.0', 'id': i, 'method': m} for i, m in enumerate(['oco.info', 'oco.nope', 'oco.computer.list'])]
    answers = api.post(body).json()
    assert [a['id'] for a in answers] == [0, 1, 2]
    assert 'result' in answers[0] and answers[1]['error']['code'] == -32001 and 'result' in answers[2]
    single = api.post([{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}]).json()
    assert isinstance(single, list) and len(single) == 1


def test_bad_batch_element_400_after_side_effects(api, admin):
    body = [{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.computer.create', 'params': {'data': {'hostname': 'early'}}},
            {'jsonrpc': '2.0', 'method': 'oco.info'},
            {'jsonrpc': '2.0', 'id': 3, 'method': 'oco.computer.create', 'params': {'data': {'hostname': 'late'}}}]
    response = api.post(body)
    assert response.status_code == 400 and response.content == b''
    hostnames = [r['hostname'] for r in admin.sql('SELECT hostname FROM computer')]
    assert hostnames == ['early']


def test_api_key(api, admin):
    admin.set_setting('api_key', '🌈💜👆🚧🛸💩')
    assert api.err('oco.info') == (-32002, 'Permission denied. You do not have the necessary rights.')
    assert api.err('oco.info', api_key='wrong')[0] == -32002
    assert api.err('oco.nope', api_key='wrong')[0] == -32002
    assert api.ok('oco.info', api_key='🌈💜👆🚧🛸💩')['version']
    admin.set_setting('api_key', '123')
    answer = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': {'api_key': 123}}).json()
    assert answer['error']['code'] == -32002


def test_api_key_checked_per_batch_element(api, admin):
    admin.set_setting('api_key', 'k')
    body = [{'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info', 'params': {'api_key': 'k'}},
            {'jsonrpc': '2.0', 'id': 2, 'method': 'oco.info'}]
    first, second = api.post(body).json()
    assert 'result' in first and second['error']['code'] == -32002


def test_german_messages(api):
    headers = {'Accept-Language': 'de-DE,de;q=0.9'}
    assert api.err('oco.computer.get', {'id': 99}, headers=headers) == (-32003, 'Nicht gefunden')
    assert api.err('oco.nope', headers=headers)[1] == 'Unbekannte Methode'
    api.ok('oco.computer.create', {'hostname': 'dup'})
    assert api.err('oco.computer.create', {'hostname': 'dup'}, headers=headers)[1] == 'Der angegebene Hostname existiert bereits'
    # keys without a German text fall back to English
    assert api.err('oco.computer.create', {'hostname': ' '}, headers=headers)[1] == 'The host name cannot be empty'
    assert api.err('oco.computer.get', {'id': 99}, headers={'Accept-Language': 'xx'})[1] == 'Not found'
    response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, auth=('ghost', 'x'), headers=headers)
    assert response.status_code == 401


def test_reader_role(api, admin):
    computer = admin.create_computer('pc1', networks=[{'address': '10.0.0.1', 'mac': '00:11:22:33:44:55'}])
    group = admin.create_computer_group('g')
    assert api.ok('oco.computer.list', auth=READER)['computers'][0]['hostname'] == 'pc1'
    assert api.ok('oco.computer.get', {'id': computer}, auth=READER)['general']['id'] == computer
    for method, data in [('oco.computer.create', {'hostname': 'x'}), ('oco.computer.wol', {'id': computer}),
                         ('oco.computer.remove', {'id': computer}),
                         ('oco.computer.add_to_group', {'computer_id': computer, 'computer_group_id': group}),
                         ('oco.package.create', {'package_family_name': 'f', 'version': '1', 'install_procedure': 'x'})]:
        assert api.err(method, data, auth=READER)[0] == -32002, method
    # existence first for id-taking methods
    assert api.err('oco.computer.remove', {'id': 999}, auth=READER)[0] == -32003
    assert api.err('oco.computer.add_to_group', {'computer_id': 999, 'computer_group_id': group}, auth=READER)[0] == -32003
    # create-style: permission first, even with invalid input
    assert api.err('oco.computer.create', {'hostname': ''}, auth=READER)[0] == -32002


def test_object_permissions_hide_objects(api, admin):
    visible = admin.create_computer('visible')
    admin.create_computer('hidden')
    admin.create_user('limited', 'pw', role={'Special\\ClientApi': True, 'Models\\Computer': {str(visible): {'read': True}}})
    listed = api.ok('oco.computer.list', auth=('limited', 'pw'))['computers']
    assert [c['hostname'] for c in listed] == ['visible']


def test_group_inherited_permission(api, admin):
    parent = admin.create_computer_group('parent')
    child = admin.create_computer_group('child', parent_id=parent)
    member = admin.create_computer('member')
    admin.add_computer_to_group(member, child)
    admin.create_user('grp', 'pw', role={'Special\\ClientApi': True,
                                         'Models\\ComputerGroup': {str(parent): {'read': True, 'items': {'read': True}}}})
    assert api.ok('oco.computer.get', {'id': member}, auth=('grp', 'pw'))['general']['hostname'] == 'member'
    assert api.ok('oco.computer.list', {'computer_group_id': child}, auth=('grp', 'pw'))['name'] == 'child'


def test_stringify_mode():
    from oco_test_server import OcoTestServer  # pylint: disable=import-outside-toplevel
    from server_api import Api  # pylint: disable=import-outside-toplevel
    with OcoTestServer(stringify=True) as server:
        server.admin.create_computer('pc1')
        api = Api(server)
        computer = api.ok('oco.computer.list')['computers'][0]
        assert computer['id'] == '1' and computer['force_update'] == '0' and computer['last_ping'] is None
        assert api.ok('oco.computer.create', {'hostname': 'pc2'}) == {'id': '2'}


def test_unknown_path_and_auth_delay(server, api):
    assert requests.post(server.url + '/other.php', timeout=10).status_code == 404
    server.auth_failure_delay = 0.2
    response = api.post({'jsonrpc': '2.0', 'id': 1, 'method': 'oco.info'}, auth=('admin', 'bad'))
    assert response.status_code == 401 and response.elapsed.total_seconds() >= 0.2
