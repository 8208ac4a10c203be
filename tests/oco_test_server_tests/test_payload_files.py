"""Package ZIPs are files (<payload dir>/<id>.zip), as on the real server's package path."""

import base64
import os

from oco_test_server import OcoTestServer
from server_api import Api


def create(api, version):
    content = base64.b64encode(b'installer bytes').decode('ascii')
    return int(api.ok('oco.package.create', {'package_family_name': 'Files', 'version': version,
                                             'install_procedure': 'setup.exe', 'files': [{'name': 'setup.exe', 'content': content}]})['id'])


def test_zip_is_a_file_that_goes_with_its_package(tmp_path):
    db = str(tmp_path / 'oco.sqlite')
    with OcoTestServer(db=db) as server:
        api = Api(server)
        first, second = create(api, '1'), create(api, '2')
        zips = sorted(os.listdir(db + '.packages'))
        assert zips == sorted(['%d.zip' % first, '%d.zip' % second])
        api.ok('oco.package.remove', {'id': first})
        assert os.listdir(db + '.packages') == ['%d.zip' % second]
    with OcoTestServer(db=db) as server:
        assert server.admin.package_zip_members(second) == ['setup.exe']
        assert server.admin.package_zip_members(first) is None


def test_memory_server_removes_its_payload_folder():
    server = OcoTestServer(db=':memory:')
    server.start()
    create(Api(server), '1')
    folder = server.store.payload_dir
    assert os.listdir(folder) == ['1.zip']
    server.stop()
    server.close()
    assert not os.path.exists(folder)
