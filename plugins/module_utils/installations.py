# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which installation records a package reference names: one rule for every module that acts on them.

A package reference elsewhere names one package, and a family name alone its newest package. An
installation record, though, is about what is on a computer, which is often an older version; so
here a family name alone (or ``{family: NAME}`` without a version) names every installed version
of that family, ``{family, version}`` that version, and an int that package id.
"""

from __future__ import annotations

from ansible_collections.oco.oco.plugins.module_utils.entities import as_id
from ansible_collections.oco.oco.plugins.module_utils.names import same_name
from ansible_collections.oco.oco.plugins.module_utils.normalize import to_int


def installation_matches(installation, ref):
    """Whether the installation record ``installation`` is of a package ``ref`` names."""
    package_id = as_id(ref)
    if package_id is not None:
        return to_int(installation.get("package_id")) == package_id
    family, version = (ref.get("family"), ref.get("version")) if isinstance(ref, dict) else (ref, None)
    if not same_name(installation.get("package_family_name"), family):
        return False
    return version in (None, "") or same_name(installation.get("package_version"), version)


def installations_of(records, ref):
    """The records among ``records`` that ``ref`` names, in their order."""
    return [record for record in records if installation_matches(record, ref)]
