# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every module (DOCUMENTATION) and every plugin (PLUGIN).

    The two texts say the same: modules read the environment variable through their argument spec
    (module_utils/connection.py) and name it in the description, plugins declare it with ``env:``.
    They stay literal strings (ansible-test reads them without running this file);
    tests/unit/plugins/doc_fragments/test_connection.py fails when they or the argument spec drift apart.
    """

    DOCUMENTATION = r"""
options:
  url:
    description:
      - "Base URL of the OCO server, for example C(https://oco.example.com), or the full address of its C(api-client.php)."
      - "If not set, the value of the E(OCO_URL) environment variable is used."
    type: str
    required: true
  username:
    description:
      - "OCO system user for HTTP Basic authentication. Its role must allow the client API."
      - "If not set, the value of the E(OCO_USERNAME) environment variable is used."
    type: str
    required: true
  password:
    description:
      - "Password of O(username)."
      - "If not set, the value of the E(OCO_PASSWORD) environment variable is used."
    type: str
    required: true
  api_key:
    description:
      - "Client API key, when the server requires one (sent as C(params.api_key))."
      - "A wrong key is reported by the server as C(permission denied)."
      - "If not set, the value of the E(OCO_API_KEY) environment variable is used."
    type: str
  validate_certs:
    description:
      - "Verify the server's TLS certificate. Only switch this off for tests."
      - "If not set, the value of the E(OCO_VALIDATE_CERTS) environment variable is used."
    type: bool
    default: true
  ca_path:
    description:
      - "CA bundle file used to verify the server's certificate. It takes precedence over E(REQUESTS_CA_BUNDLE)."
      - "If not set, the value of the E(OCO_CA_PATH) environment variable is used."
    type: path
  timeout:
    description:
      - "Seconds to wait for each HTTP request."
      - "If not set, the value of the E(OCO_TIMEOUT) environment variable is used."
    type: int
    default: 30
  retries:
    description:
      - "How often a read is retried after a connection failure, a timeout or HTTP 502, 503 or 504, with exponential
        backoff. Writes are never sent twice; when the answer to a write is lost, the collection reads the server's
        state to find out whether it was carried out."
      - "If not set, the value of the E(OCO_RETRIES) environment variable is used."
    type: int
    default: 3
requirements:
  - requests
"""

    PLUGIN = r"""
options:
  url:
    description:
      - "Base URL of the OCO server, for example C(https://oco.example.com), or the full address of its C(api-client.php)."
    type: str
    required: true
    env:
      - name: OCO_URL
  username:
    description:
      - "OCO system user for HTTP Basic authentication. Its role must allow the client API."
    type: str
    required: true
    env:
      - name: OCO_USERNAME
  password:
    description:
      - "Password of O(username)."
    type: str
    required: true
    env:
      - name: OCO_PASSWORD
  api_key:
    description:
      - "Client API key, when the server requires one (sent as C(params.api_key))."
      - "A wrong key is reported by the server as C(permission denied)."
    type: str
    env:
      - name: OCO_API_KEY
  validate_certs:
    description:
      - "Verify the server's TLS certificate. Only switch this off for tests."
    type: bool
    default: true
    env:
      - name: OCO_VALIDATE_CERTS
  ca_path:
    description:
      - "CA bundle file used to verify the server's certificate. It takes precedence over E(REQUESTS_CA_BUNDLE)."
    type: path
    env:
      - name: OCO_CA_PATH
  timeout:
    description:
      - "Seconds to wait for each HTTP request."
    type: int
    default: 30
    env:
      - name: OCO_TIMEOUT
  retries:
    description:
      - "How often a read is retried after a connection failure, a timeout or HTTP 502, 503 or 504, with exponential
        backoff. Writes are never sent twice; when the answer to a write is lost, the collection reads the server's
        state to find out whether it was carried out."
    type: int
    default: 3
    env:
      - name: OCO_RETRIES
requirements:
  - requests
"""
