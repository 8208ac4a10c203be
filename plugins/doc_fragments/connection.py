# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

# The connection options, written once. Modules read the environment variable through their
# argument spec (module_utils/connection.py) and say so in the description; plugins declare it
# with ``env:``. Both fragments are generated from this table so that they cannot drift apart.
# (name, type, default, required, environment variable, description)
OPTIONS = (
    ("url", "str", None, True, "OCO_URL", (
        "Base URL of the OCO server, for example C(https://oco.example.com), or the full address of its "
        "C(api-client.php).",
    )),
    ("username", "str", None, True, "OCO_USERNAME", (
        "OCO system user for HTTP Basic authentication. Its role must allow the client API.",
    )),
    ("password", "str", None, True, "OCO_PASSWORD", (
        "Password of O(username).",
    )),
    ("api_key", "str", None, False, "OCO_API_KEY", (
        "Client API key, when the server requires one (sent as C(params.api_key)).",
        "A wrong key is reported by the server as C(permission denied).",
    )),
    ("validate_certs", "bool", True, False, "OCO_VALIDATE_CERTS", (
        "Verify the server's TLS certificate. Only switch this off for tests.",
    )),
    ("ca_path", "path", None, False, "OCO_CA_PATH", (
        "CA bundle file used to verify the server's certificate. It takes precedence over E(REQUESTS_CA_BUNDLE).",
    )),
    ("timeout", "int", 30, False, "OCO_TIMEOUT", (
        "Seconds to wait for each HTTP request.",
    )),
    ("retries", "int", 3, False, "OCO_RETRIES", (
        "How often a read is retried after a connection failure, a timeout or HTTP 502, 503 or 504, with "
        "exponential backoff. Writes are never sent twice; when the answer to a write is lost, the "
        "collection reads the server's state to find out whether it was carried out.",
    )),
)


def fragment(plugin):
    """The options as YAML: ``plugin`` adds ``env:``, otherwise the description names the variable."""
    lines = ["options:"]
    for name, kind, default, required, env, description in OPTIONS:
        texts = list(description)
        if not plugin:
            texts.append("If not set, the value of the E(%s) environment variable is used." % env)
        lines += ["  %s:" % name, "    description:"] + ["      - %s" % json.dumps(text) for text in texts]
        lines.append("    type: %s" % kind)
        if required:
            lines.append("    required: true")
        if default is not None:
            lines.append("    default: %s" % json.dumps(default))
        if plugin:
            lines += ["    env:", "      - name: %s" % env]
    lines += ["requirements:", "  - requests"]
    return "\n".join(lines) + "\n"


class ModuleDocFragment:
    """Connection options shared by every module (DOCUMENTATION) and every plugin (PLUGIN)."""

    DOCUMENTATION = fragment(plugin=False)

    PLUGIN = fragment(plugin=True)
