"""The test server's model of utf8mb4_general_ci (collation.py)."""

import pytest

from oco_test_server import collation


@pytest.mark.parametrize('left, right, equal', [
    ('straße', 'STRASE', True), ('straße', 'STRASSE', False), ('É', 'e', True), ('ı', 'I', True),
    ('İ', 'i', True), ('\U0001F600', '\U0001F680', True), ('a  ', 'A', True), (' a', 'a', False),
    ('ƀ', 'Ƀ', False), ('ა', 'Ა', False),
])
def test_compare(left, right, equal):
    assert (collation.compare(left, right) == 0) is equal


def test_family_and_version_of_a_new_package_compare_like_host_names(api):
    base = {'install_procedure': 'x', 'files': {}}
    assert 'id' in api.ok('oco.package.create', dict(base, package_family_name='Café', version='1.0'))
    assert api.err('oco.package.create', dict(base, package_family_name='CAFE', version='1.0 '))[0] == -32001
    api.ok('oco.package.create', dict(base, package_family_name='CAFE', version='2.0'))
    families = api.ok('oco.package_family.list')
    assert [f['name'] for f in families] == ['Café']
