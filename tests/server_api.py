"""Raw JSON-RPC calls to the OCO test server: exactly what a client sends, nothing normalised."""

import json

import requests

ADMIN = ('admin', 'oco-admin-pw')
READER = ('reader', 'oco-reader-pw')


class Api:
    """Minimal JSON-RPC caller: exactly what a client sends, nothing normalised."""

    def __init__(self, oco_server):
        self.server = oco_server
        self.url = oco_server.url + '/api-client.php'
        self.session = requests.Session()

    def post(self, body, auth=ADMIN, headers=None, raw=None):
        hdrs = {'Content-Type': 'application/json'}
        hdrs.update(headers or {})
        data = raw if raw is not None else json.dumps(body)
        return self.session.post(self.url, data=data, auth=auth, headers=hdrs, timeout=30)

    def call(self, method, data=None, auth=ADMIN, api_key=None, request_id=1, headers=None):
        params = {'data': data if data is not None else {}}
        if api_key is not None:
            params['api_key'] = api_key
        response = self.post({'jsonrpc': '2.0', 'id': request_id, 'method': method, 'params': params}, auth=auth,
                             headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def ok(self, method, data=None, **kwargs):
        answer = self.call(method, data, **kwargs)
        assert 'error' not in answer, answer
        assert answer['result']['success'] is True
        return answer['result']['data']

    def err(self, method, data=None, **kwargs):
        answer = self.call(method, data, **kwargs)
        assert 'result' not in answer, answer
        assert answer['error']['data'] is None
        return answer['error']['code'], answer['error']['message']
