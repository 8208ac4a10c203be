#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: oco_package
short_description: Create or remove an OCO software package
version_added: 1.0.0
description:
  - Ensures that the package O(version) of the package family O(family) exists on an OCO server, with
    its procedures, options and payload, or that it does not exist.
  - A package is created with C(oco.package.create); the family is created by the server when it does
    not exist yet.
  - OCO cannot change a package after it was created. When the package exists, the options set in the
    task are compared with the stored package (options left unset are not compared); if any differs,
    the task fails and lists the differing options. The module never deletes a package to create it
    again. Publish a new O(version), or remove the package first (O(state=absent)).
  - The payload (O(files)) cannot be read back through the API, so it is only used when the package is
    created and never compared.
author:
  - OCO Ansible contributors (@oco-ansible)
extends_documentation_fragment:
  - oco.oco.connection
  - oco.oco.attributes
  - oco.oco.attributes.CHANGES
attributes:
  diff_mode:
    support: full
    description: Shows the package's options before and after, in the names of this module's options.
options:
  family:
    description:
      - Name of the package family. The server compares family names without regard to case.
    type: str
    required: true
  version:
    description:
      - Version of the package, unique within its family. Any text except an empty one or C(0).
      - Quote it in YAML (C("1.10")), or YAML reads it as a number and V(1.10) becomes C(1.1).
    type: str
    required: true
  state:
    description:
      - V(present) creates the package if it does not exist; V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - Description of the package (stored as its C(notes)).
    type: str
  install_procedure:
    description:
      - Command line the agent runs to install the package, relative to the unpacked payload.
      - Required with O(state=present).
      - The server replaces the MSI placeholders C($$ProductCode$$), C($$UpgradeCode$$),
        C($$ProductName$$), C($$ProductVersion$$) and C($$Manufacturer$$) in procedures and description;
        when comparing with an existing package, each placeholder matches any text.
    type: str
  install_procedure_success_return_codes:
    description:
      - Return codes of the install procedure that mean success. Sent as a comma-separated list.
      - An empty list means that every return code counts as success.
      - When not set, the server uses C(0).
    type: list
    elements: int
  install_procedure_post_action:
    description:
      - What the agent does after a successful installation.
      - V(exit_agent) makes the agent exit so that it restarts; it is meant for agent updates.
      - When not set, the server uses V(none).
    type: str
    choices: [none, restart, shutdown, exit_agent]
  uninstall_procedure:
    description:
      - Command line the agent runs to uninstall the package.
    type: str
  uninstall_procedure_success_return_codes:
    description:
      - Return codes of the uninstall procedure that mean success, as for
        O(install_procedure_success_return_codes). When not set, the server uses C(0).
    type: list
    elements: int
  uninstall_procedure_post_action:
    description:
      - What the agent does after a successful uninstallation. When not set, the server uses V(none).
    type: str
    choices: [none, restart, shutdown]
  download_for_uninstall:
    description:
      - Whether the agent downloads the payload before it runs the uninstall procedure.
      - When not set, the server uses V(false).
    type: bool
  upgrade_behavior:
    description:
      - What happens to other installed versions of the family when this package is installed.
      - V(keep_other_versions) leaves them alone; V(installer_removes_previous) means the installer
        replaces them itself, so OCO drops their installation records on success;
        V(explicit_uninstall) makes OCO create uninstall jobs for them.
      - When not set, the API's default applies, which is V(keep_other_versions). The OCO web console
        defaults to V(explicit_uninstall) instead; set the option to get the same behaviour.
    type: str
    choices: [keep_other_versions, installer_removes_previous, explicit_uninstall]
  compatible_os:
    description:
      - Operating systems the package may be installed on, compared exactly with what the agent
        reports (for example C(Windows 10 Home)). Empty or unset means any.
    type: list
    elements: str
  compatible_os_version:
    description:
      - Operating system versions the package may be installed on (for example C(10.0.19042)).
        Empty or unset means any.
    type: list
    elements: str
  compatible_architecture:
    description:
      - Architectures the package may be installed on (for example C(AMD64)). Empty or unset means any.
      - Needs OCO server 1.1.10 or later.
    type: list
    elements: str
  license_count:
    description:
      - Number of licences available for this package. Needs OCO server 1.1.1 or later.
    type: int
  line_endings:
    description:
      - When set, the server replaces the Windows line endings (CRLF) in the procedures with this text
        when it creates jobs, for example V("\\n") for agents on Linux and macOS. Empty means no
        replacement. Needs OCO server 1.1.13 or later.
    type: str
  files:
    description:
      - Payload of the package, as paths of files or directories on the machine that runs the module.
      - A single file is uploaded as it is; the server keeps a ZIP file as the payload and wraps any
        other file in a ZIP under its base name.
      - A directory is zipped with names relative to it. Several paths are zipped together (the files
        under their base names, the contents of directories relative to the directory); two entries
        with the same name in the ZIP are an error.
      - The upload is streamed from temporary files (in E(TMPDIR)) and needs free space there of about
        1.4 times the payload (twice that when the payload is zipped), but little memory. Large uploads
        may need a higher O(timeout), and the server's PHP C(post_max_size) and C(memory_limit) must
        allow them.
      - Only used when the package is created. The payload of an existing package is not compared.
      - Omit it, or give an empty list, for a package without payload.
      - In a directory, a symbolic link that points outside the directory fails the task (it would
        upload a file from elsewhere on the machine under the link's name). Links inside the directory
        are skipped unless O(follow_links=true). Broken links and special files (sockets, pipes,
        devices) are skipped. Every skipped entry is reported in a warning.
      - A file name with a backslash (a folder separator for Windows agents) or one that is not UTF-8
        fails the task, naming the file.
    type: list
    elements: path
  follow_links:
    description:
      - Store what a symbolic link inside a directory of O(files) points to, under the link's name.
      - Links that point outside the directory are never followed, whatever this option says.
    type: bool
    default: false
    version_added: 1.1.0
  force:
    description:
      - With O(state=absent), remove the package even when jobs for it are still pending (they are
        removed with it) or other packages depend on it.
      - When false, the task fails and names the number of pending jobs, or the dependency, instead.
    type: bool
    default: false
notes:
  - Files are read and zipped on the machine that runs the module, normally the controller
    (C(connection=local) or C(delegate_to=localhost)).
"""

EXAMPLES = r"""
- name: Publish Firefox 128.0 from one MSI file
  oco.oco.oco_package:
    url: https://oco.example.com
    username: ansible
    password: "{{ oco_password }}"
    family: Firefox
    version: "128.0"
    description: Mozilla Firefox ESR
    install_procedure: msiexec /quiet /i firefox.msi
    install_procedure_success_return_codes: [0, 3010]
    uninstall_procedure: msiexec /quiet /x $$ProductCode$$
    upgrade_behavior: installer_removes_previous
    compatible_architecture: [AMD64]
    files:
      - files/firefox-128.0.msi

- name: Publish a script package from a directory (zipped with paths relative to it)
  oco.oco.oco_package:
    family: Maintenance scripts
    version: "2026.12"
    install_procedure: powershell -ExecutionPolicy Bypass -File install.ps1
    install_procedure_post_action: restart
    files:
      - build/maintenance

- name: A package without payload
  oco.oco.oco_package:
    family: Reboot
    version: "1"
    install_procedure: shutdown /r /t 60

- name: Remove an old version, even with pending jobs
  oco.oco.oco_package:
    family: Firefox
    version: "115.0"
    state: absent
    force: true
"""

RETURN = r"""
package:
  description:
    - The package as the server stores it (C(oco.package.get)), after creation for a new package.
    - Empty when the package does not exist (any more), or in check mode when it would be created.
  returned: always
  type: dict
  sample:
    id: 12
    package_family_id: 3
    package_family_name: Firefox
    version: "128.0"
    notes: Mozilla Firefox ESR
    install_procedure: msiexec /quiet /i firefox.msi
    install_procedure_success_return_codes: "0,3010"
    install_procedure_post_action: 0
    upgrade_behavior: 1
    uninstall_procedure: msiexec /quiet /x {2A3B...}
    uninstall_procedure_success_return_codes: "0"
    uninstall_procedure_post_action: 0
    download_for_uninstall: 0
    line_endings: null
    compatible_os: ""
    compatible_os_version: ""
    compatible_architecture: AMD64
    license_count: null
    created: "2026-12-01 10:00:00"
    created_by_system_user_id: 1
    created_by_system_user_username: ansible
    install_count: 0
pending_jobs:
  description: Number of pending jobs of the package when it was removed (they were removed with it).
  returned: with O(state=absent)
  type: int
  sample: 0
"""

import re
import tempfile

from ansible_collections.oco.oco.plugins.module_utils import validation
from ansible_collections.oco.oco.plugins.module_utils.ensure import ABSENT, Entity, Runner
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule
from ansible_collections.oco.oco.plugins.module_utils.normalize import to_int
from ansible_collections.oco.oco.plugins.module_utils.package_payload import upload_files, warned_paths

INSTALL_POST_ACTIONS = {"none": 0, "restart": 1, "shutdown": 2, "exit_agent": 3}
UNINSTALL_POST_ACTIONS = {"none": 0, "restart": 1, "shutdown": 2}
UPGRADE_BEHAVIORS = {"keep_other_versions": 0, "installer_removes_previous": 1, "explicit_uninstall": 2}
MSI_PLACEHOLDER = re.compile(r"\\\$\\\$(?:ProductCode|UpgradeCode|ProductName|ProductVersion|Manufacturer)\\\$\\\$")


def _codes(value):
    """Return codes as the module shows them: ints where the stored text is numeric."""
    parts = [part.strip() for part in str(value or "").split(",") if part.strip()]
    return [int(part) if re.match(r"^-?\d+$", part) else part for part in parts]


def _lines(value):
    return [line.strip() for line in str(value or "").split("\n") if line.strip()]


def _text(value):
    return "" if value is None else str(value)


def _choices(mapping):
    names = {number: name for name, number in mapping.items()}
    return dict(type="str", choices=list(mapping)), mapping.get, lambda value: names.get(to_int(value), value)


# Each option is sent under its own name when the package is created and read back from the package
# field of the same name (FIELDS names the exceptions):
# option -> (argument spec, option value -> API value, field value -> option value)
TEXT = (dict(type="str"), str, _text)
CODES = (dict(type="list", elements="int"), lambda codes: ",".join(str(c) for c in codes), _codes)
LINES = (dict(type="list", elements="str"), "\n".join, _lines)
OPTIONS = {
    "description": TEXT,
    "install_procedure": TEXT,
    "install_procedure_success_return_codes": CODES,
    "install_procedure_post_action": _choices(INSTALL_POST_ACTIONS),
    "uninstall_procedure": TEXT,
    "uninstall_procedure_success_return_codes": CODES,
    "uninstall_procedure_post_action": _choices(UNINSTALL_POST_ACTIONS),
    "download_for_uninstall": (dict(type="bool"), int, lambda value: bool(to_int(value))),
    "upgrade_behavior": _choices(UPGRADE_BEHAVIORS),
    "compatible_os": LINES,
    "compatible_os_version": LINES,
    "compatible_architecture": LINES,
    "license_count": (dict(type="int"), int, to_int),
    "line_endings": TEXT,
}
FIELDS = {"description": "notes"}
UNORDERED = ("install_procedure_success_return_codes", "uninstall_procedure_success_return_codes",
             "compatible_os", "compatible_os_version", "compatible_architecture")
WITH_PLACEHOLDERS = ("description", "install_procedure", "uninstall_procedure")
ARGUMENT_SPEC = dict(
    family=dict(type="str", required=True),
    version=dict(type="str", required=True),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    files=dict(type="list", elements="path"),
    follow_links=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    **{option: dict(row[0]) for option, row in OPTIONS.items()}
)


def view(package):
    """The stored package in the names and values of this module's options."""
    if not package:
        return dict(ABSENT)
    shown = {option: row[2](package[FIELDS.get(option, option)]) for option, row in OPTIONS.items()
             if FIELDS.get(option, option) in package}
    return dict(shown, family=package.get("package_family_name"), version=package.get("version"), state="present")


def same(option, wanted, stored):
    if option in UNORDERED:
        return sorted(set(map(str, wanted))) == sorted(set(map(str, stored)))
    if option in WITH_PLACEHOLDERS and isinstance(wanted, str) and "$$" in wanted:
        # The server resolved the placeholders from the MSI when it created the package.
        pattern = MSI_PLACEHOLDER.sub(".*", re.escape(wanted))
        return re.fullmatch(pattern, stored or "", re.DOTALL) is not None
    return wanted == stored


def _short(value):
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def differences(wanted, current):
    """``["option (stored X, wanted Y)"]`` for every set option that differs from the package."""
    return ["%s (this server version does not store it)" % option if option not in current else
            "%s (stored %s, wanted %s)" % (option, _short(current[option]), _short(value))
            for option, value in wanted.items() if option not in current or not same(option, value, current[option])]


def validate(module):
    params = module.params
    present = params["state"] == "present"
    for option in ("family", "version", "install_procedure") if present else ("family", "version"):
        if not params[option].strip() or params[option] == "0":
            module.fail_option(option, params[option], "the server treats an empty value and 0 as missing")
    with module.errors():
        validation.package_numbers(params, present)
    for option in ("compatible_os", "compatible_os_version", "compatible_architecture") if present else ():
        for item in params[option] or []:
            if not item.strip() or "\n" in item:
                module.fail_option(option, params[option], "every entry must be a non-empty line of text (%r is not)" % item)


def wanted_options(params):
    """The options set in the task, list entries of the compatible_* options without surrounding spaces."""
    return {option: [item.strip() for item in value] if option.startswith("compatible_") else value
            for option, value in ((option, params[option]) for option in OPTIONS) if value is not None}


class Package(Entity):
    """The package ``family`` ``version``; OCO cannot change one, so a differing one fails the task."""

    view = staticmethod(view)

    def __init__(self, module):
        self.module, self.client, self.resolver, params = module, module.client, module.resolver, module.params
        self.family, self.version, present = params["family"], params["version"], params["state"] == "present"
        self.wanted, self.paths = (wanted_options(params), warned_paths(params["files"], params["follow_links"], module.warn)) if present else ({}, [])
        # The payload cannot be read back: the diff shows the paths it was made from.
        self.files, self.read_details = {"files": params["files"]} if params["files"] else {}, {}

    def label(self, obj):
        return "package %s %s (id %s)" % (self.family, self.version, obj.get("id"))

    def read(self, package_id):
        self.read_details[package_id] = self.client.call("oco.package.get", {"id": package_id}) or {}
        return self.read_details[package_id]

    def find(self, refresh=False):
        found = self.resolver.find_package(self.family, self.version, refresh=refresh)
        return None if found is None else self.read(found["id"]).get("general") or found

    def planned(self):
        return dict(self.wanted, family=self.family, version=self.version, state="present", **self.files)

    def created_view(self, obj):
        return dict(view(obj), **self.files)

    def settle(self, obj, why=""):
        diffs = differences(self.wanted, view(obj))
        if diffs:
            self.module.partial_result["package"] = obj
            raise OcoError("%s exists with other settings%s, and OCO cannot change a package: %s. Publish a new version, "
                           "or remove this one first (state: absent)" % (self.label(obj), why, "; ".join(diffs)))

    def create(self):
        data = dict({option: OPTIONS[option][1](value) for option, value in self.wanted.items()},
                    package_family_name=self.family, version=self.version)
        with tempfile.TemporaryDirectory(prefix="oco-package-") as workdir:
            uploads = upload_files(self.paths, workdir, follow_links=self.module.params["follow_links"])
            answer = self.client.call_with_files("oco.package.create", data, uploads) if uploads else \
                self.client.call("oco.package.create", data)
        package_id = to_int((answer or {}).get("id"))
        return self.read(package_id).get("general") or {"id": package_id}

    def taken(self, exc):
        return "already exists with this version" in (exc.server_message or "")

    def details(self, obj):
        return self.read_details.get(obj["id"]) or self.read(obj["id"])

    def remove(self, obj, force):
        self.client.call("oco.package.remove", {"id": obj["id"], "force": force})


def main():
    module = OcoModule(argument_spec=ARGUMENT_SPEC, required_if=[("state", "present", ["install_procedure"])])
    validate(module)
    with module.errors():
        runner = Runner(module, Package(module), "package")
        done = runner.ensure(module.params["state"], module.params["force"])
        # With state=absent pending_jobs is always returned, 0 when there was no package to remove.
        return runner.finish(done, **({"pending_jobs": done.pending_jobs or 0} if module.params["state"] == "absent" else {}))


if __name__ == "__main__":
    main()
