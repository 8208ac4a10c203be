"""The one error text of modules, the inventory and the lookup (errors.failure_text)."""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.client import OcoClient
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoAuthError, OcoLookupError, failure_text


def test_the_text_is_the_message_with_the_client_secrets_removed():
    client = OcoClient("https://oco.example.test", "ansible", "pw-Secret-1", api_key="key-Secret-2")
    error = OcoAuthError("login refused for pw-Secret-1 / key-Secret-2", status=401)
    assert failure_text(error, client) == "login refused for ******** / ********"


def test_without_a_client_the_message_is_shown_as_it_is():
    assert failure_text(OcoLookupError("no computer matches 'pc'")) == "no computer matches 'pc'"
