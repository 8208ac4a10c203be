# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Translate between the legacy (pre-1.0.3) API and the current shapes the rest of the code uses.

Older servers return plain lists where current ones return objects, and use older field names
(facts 9.2/9.3). Everything above the client sees the current shapes only.
"""

from __future__ import annotations

# old field name -> current field name, applied recursively to rows
FIELD_RENAMES = {
    "addr": "address",
    "domainuser_id": "domain_user_id",
    "domainuser_username": "domain_user_username",
    "domainuser_display_name": "domain_user_display_name",
    "package_name": "package_family_name",
    "package_procedure": "procedure",
}


def _rename(value):
    if isinstance(value, dict):
        return {FIELD_RENAMES.get(key, key): _rename(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rename(item) for item in value]
    return value


def translate_request(method, data):
    """Arguments in the form a legacy server reads them."""
    if method == "oco.package.list" and isinstance(data, dict) and "package_family_id" in data:
        data = dict(data)
        data["id"] = data.pop("package_family_id")
    return data


def normalize_legacy(method, data):
    """Current shape of a legacy answer."""
    data = _rename(data)
    if method == "oco.computer.list" and isinstance(data, list):
        return {"computers": data, "groups": []}
    if method == "oco.package.list" and isinstance(data, list):
        for row in data:
            if isinstance(row, dict) and "package_family_name" not in row and "name" in row:
                row["package_family_name"] = row.pop("name")
        return {"name": None, "packages": data, "groups": []}
    if method == "oco.report.list" and isinstance(data, list):
        return {"reports": data, "groups": []}
    return data
