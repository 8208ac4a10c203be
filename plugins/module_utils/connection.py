# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options, written once for modules; plugins read the same names from their docs."""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

CONNECTION_OPTIONS = ("url", "username", "password", "api_key", "validate_certs", "ca_path", "timeout", "retries")


def connection_argument_spec():
    return dict(
        url=dict(type="str", required=True, fallback=(env_fallback, ["OCO_URL"])),
        username=dict(type="str", required=True, fallback=(env_fallback, ["OCO_USERNAME"])),
        password=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["OCO_PASSWORD"])),
        api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["OCO_API_KEY"])),
        validate_certs=dict(type="bool", default=True, fallback=(env_fallback, ["OCO_VALIDATE_CERTS"])),
        ca_path=dict(type="path", fallback=(env_fallback, ["OCO_CA_PATH"])),
        timeout=dict(type="int", default=30, fallback=(env_fallback, ["OCO_TIMEOUT"])),
        retries=dict(type="int", default=3, fallback=(env_fallback, ["OCO_RETRIES"])),
    )


def client_kwargs(options):
    """Keyword arguments for OcoClient from a mapping of option values (module params or plugin options)."""
    return {name: options.get(name) for name in CONNECTION_OPTIONS if options.get(name) is not None}
