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
attributes:
  check_mode:
    support: full
    description: Reads only; reports what would be created or removed without sending a change.
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
from ansible_collections.oco.oco.plugins.module_utils.errors import OcoAmbiguousWriteError, OcoInvalidRequestError, OcoValidationError
from ansible_collections.oco.oco.plugins.module_utils.module import OcoModule, not_carried_out, write_then_verify
from ansible_collections.oco.oco.plugins.module_utils.normalize import as_list, to_int
from ansible_collections.oco.oco.plugins.module_utils.package_payload import check_payload, upload_files

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


def _choice(mapping, value):
    names = {number: name for name, number in mapping.items()}
    return names.get(to_int(value), value)


def _text(value):
    return "" if value is None else str(value)


# option -> (API parameter, package field, option value -> API value, field value -> option value)
OPTIONS = {
    "description": ("description", "notes", str, _text),
    "install_procedure": ("install_procedure", "install_procedure", str, _text),
    "install_procedure_success_return_codes": ("install_procedure_success_return_codes", "install_procedure_success_return_codes",
                                               lambda v: ",".join(str(c) for c in v), _codes),
    "install_procedure_post_action": ("install_procedure_post_action", "install_procedure_post_action",
                                      INSTALL_POST_ACTIONS.get, lambda v: _choice(INSTALL_POST_ACTIONS, v)),
    "uninstall_procedure": ("uninstall_procedure", "uninstall_procedure", str, _text),
    "uninstall_procedure_success_return_codes": ("uninstall_procedure_success_return_codes", "uninstall_procedure_success_return_codes",
                                                 lambda v: ",".join(str(c) for c in v), _codes),
    "uninstall_procedure_post_action": ("uninstall_procedure_post_action", "uninstall_procedure_post_action",
                                        UNINSTALL_POST_ACTIONS.get, lambda v: _choice(UNINSTALL_POST_ACTIONS, v)),
    "download_for_uninstall": ("download_for_uninstall", "download_for_uninstall", int, lambda v: bool(to_int(v))),
    "upgrade_behavior": ("upgrade_behavior", "upgrade_behavior", UPGRADE_BEHAVIORS.get, lambda v: _choice(UPGRADE_BEHAVIORS, v)),
    "compatible_os": ("compatible_os", "compatible_os", "\n".join, _lines),
    "compatible_os_version": ("compatible_os_version", "compatible_os_version", "\n".join, _lines),
    "compatible_architecture": ("compatible_architecture", "compatible_architecture", "\n".join, _lines),
    "license_count": ("license_count", "license_count", int, to_int),
    "line_endings": ("line_endings", "line_endings", str, _text),
}
UNORDERED = ("install_procedure_success_return_codes", "uninstall_procedure_success_return_codes",
             "compatible_os", "compatible_os_version", "compatible_architecture")
WITH_PLACEHOLDERS = ("description", "install_procedure", "uninstall_procedure")
ABSENT = {"state": "absent"}


def view(package):
    """The stored package in the names and values of this module's options."""
    result = {"family": package.get("package_family_name"), "version": package.get("version"), "state": "present"}
    for option, (_param, field, _to_api, from_field) in OPTIONS.items():
        if field in package:
            result[option] = from_field(package[field])
    return result


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
    result = []
    for option, value in wanted.items():
        if option not in current:
            result.append("%s (this server version does not store it)" % option)
        elif not same(option, value, current[option]):
            result.append("%s (stored %s, wanted %s)" % (option, _short(current[option]), _short(value)))
    return result


def validate(module):
    params = module.params
    for option in ("family", "version"):
        if not params[option].strip() or params[option] == "0":
            module.fail_option(option, params[option], "the server treats an empty value and 0 as missing")
    if params["state"] == "absent":
        return
    if not params["install_procedure"].strip() or params["install_procedure"] == "0":
        module.fail_option("install_procedure", params["install_procedure"], "the server treats an empty value and 0 as missing")
    try:
        validation.license_count(params["license_count"])
        for option in ("install_procedure_success_return_codes", "uninstall_procedure_success_return_codes"):
            validation.return_codes(option, params[option])
    except OcoValidationError as exc:
        module.fail_json(msg=str(exc))
    for option in ("compatible_os", "compatible_os_version", "compatible_architecture"):
        for item in params[option] or []:
            if not item.strip() or "\n" in item:
                module.fail_option(option, params[option], "every entry must be a non-empty line of text (%r is not)" % item)


def wanted_options(params):
    wanted = {}
    for option in OPTIONS:
        value = params[option]
        if value is None:
            continue
        if option in UNORDERED and option.startswith("compatible_"):
            value = [item.strip() for item in value]
        wanted[option] = value
    return wanted


def create_data(params, wanted):
    data = {"package_family_name": params["family"], "version": params["version"]}
    for option, value in wanted.items():
        param, _field, to_api, _from_field = OPTIONS[option]
        data[param] = to_api(value)
    return data


class PackageEnsurer:
    def __init__(self, module):
        self.module = module
        self.client = module.client
        self.params = module.params
        self.label = "package %s %s" % (self.params["family"], self.params["version"])

    def read(self, package_id):
        return self.client.call("oco.package.get", {"id": package_id}) or {}

    def fail_if_different(self, package, wanted, why=""):
        diffs = differences(wanted, view(package))
        if diffs:
            self.module.fail_json(
                msg="%s (id %s) exists with other settings%s, and OCO cannot change a package: %s. Publish a new "
                    "version, or remove this one first (state: absent)" % (self.label, package.get("id"), why, "; ".join(diffs)),
                package=package)

    def present(self, paths):
        wanted = wanted_options(self.params)
        existing = self.module.resolver.find_package(self.params["family"], self.params["version"])
        if existing is not None:
            package = self.read(existing["id"]).get("general") or existing
            self.fail_if_different(package, wanted)
            current = view(package)
            self.module.finish(False, package=package, before=current, after=current)
        after = dict(family=self.params["family"], version=self.params["version"], state="present", **wanted)
        if self.params["files"]:
            after["files"] = self.params["files"]
        if self.module.check_mode:
            self.module.finish(True, package={}, before=ABSENT, after=after)
        package, changed = self.create(paths, wanted)
        final = view(package)
        if self.params["files"]:
            final["files"] = self.params["files"]
        self.module.finish(changed, package=package, before=ABSENT, after=final)

    def create(self, paths, wanted):
        data = create_data(self.params, wanted)
        try:
            with tempfile.TemporaryDirectory(prefix="oco-package-") as workdir:
                uploads = upload_files(paths, workdir, follow_links=self.params["follow_links"])
                if uploads:
                    answer = self.client.call_with_files("oco.package.create", data, uploads)
                else:
                    answer = self.client.call("oco.package.create", data)
        except OcoAmbiguousWriteError as exc:
            # The server may have created it: look before anything is sent again.
            found = self.module.resolver.find_package(self.params["family"], self.params["version"], refresh=True)
            if found is None:
                raise not_carried_out(exc) from None
            package = self.read(found["id"]).get("general") or found
            self.fail_if_different(package, wanted, " after the answer to its creation was lost")
            return package, True
        except OcoInvalidRequestError as exc:
            if "already exists with this version" not in (exc.server_message or ""):
                raise
            # Created by someone else since this task looked.
            found = self.module.resolver.find_package(self.params["family"], self.params["version"], refresh=True)
            if found is None:
                raise
            package = self.read(found["id"]).get("general") or found
            self.fail_if_different(package, wanted, " (created meanwhile by someone else)")
            return package, False
        package_id = to_int((answer or {}).get("id"))
        return self.read(package_id).get("general") or {"id": package_id}, True

    def absent(self):
        existing = self.module.resolver.find_package(self.params["family"], self.params["version"])
        if existing is None:
            self.module.finish(False, package={}, pending_jobs=0, before=ABSENT, after=ABSENT)
        details = self.read(existing["id"])
        package = details.get("general") or existing
        force = self.params["force"]
        pending = as_list(details.get("pending_jobs"))
        if pending and not force:
            containers = sorted({str(job.get("job_container_name") or job.get("deployment_rule_name") or "?") for job in pending})
            self.module.fail_json(
                msg="cannot remove %s (id %s): it has %d pending job%s (in %s); wait for them to finish, remove them, "
                    "or set force: true to remove the package with its jobs"
                    % (self.label, package.get("id"), len(pending), "" if len(pending) == 1 else "s", ", ".join(containers)),
                package=package)
        if not self.module.check_mode:
            try:
                write_then_verify(
                    lambda: self.client.call("oco.package.remove", {"id": package["id"], "force": force}),
                    lambda: self.module.resolver.find_package(self.params["family"], self.params["version"], refresh=True) is None,
                    resend=True)
            except OcoInvalidRequestError as exc:
                if force:
                    raise
                self.module.fail_json(msg="cannot remove %s (id %s): %s Set force: true to remove it anyway"
                                      % (self.label, package.get("id"), exc.server_message or exc), package=package)
        self.module.finish(True, package={}, pending_jobs=len(pending), before=view(package), after=ABSENT)


def main():
    module = OcoModule(
        argument_spec=dict(
            family=dict(type="str", required=True),
            version=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            description=dict(type="str"),
            install_procedure=dict(type="str"),
            install_procedure_success_return_codes=dict(type="list", elements="int"),
            install_procedure_post_action=dict(type="str", choices=list(INSTALL_POST_ACTIONS)),
            uninstall_procedure=dict(type="str"),
            uninstall_procedure_success_return_codes=dict(type="list", elements="int"),
            uninstall_procedure_post_action=dict(type="str", choices=list(UNINSTALL_POST_ACTIONS)),
            download_for_uninstall=dict(type="bool"),
            upgrade_behavior=dict(type="str", choices=list(UPGRADE_BEHAVIORS)),
            compatible_os=dict(type="list", elements="str"),
            compatible_os_version=dict(type="list", elements="str"),
            compatible_architecture=dict(type="list", elements="str"),
            license_count=dict(type="int"),
            line_endings=dict(type="str"),
            files=dict(type="list", elements="path"),
            follow_links=dict(type="bool", default=False),
            force=dict(type="bool", default=False),
        ),
        required_if=[("state", "present", ["install_procedure"])],
    )
    validate(module)
    with module.errors():
        if module.params["state"] == "absent":
            PackageEnsurer(module).absent()
        paths, skipped = check_payload(module.params["files"], follow_links=module.params["follow_links"])
        for entry in skipped:
            module.warn("files: skipped %s: %s" % (entry.path, entry.why))
        PackageEnsurer(module).present(paths)


if __name__ == "__main__":
    main()
