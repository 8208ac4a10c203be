"""The legacy server releases the test server can stand for, and what changed between them (README.md, "Legacy mode").

A legacy server is one release before 1.0.3. Every difference the client API shows between two of
them is a named change with the first release that has it; the legacy pipeline and methods ask
`era.has(change)` instead of comparing version numbers all over the place.
"""

# change -> first release that has it (read from the releases' api-client.php and models)
CHANGES = {
    'api_key': (0, 9, 2),                   # params.api_key, "Invalid API Key" answer
    'package_create': (0, 9, 2),            # oco.package.create (name, file, file_name)
    'post_action': (0, 9, 2),               # *_post_action instead of restart/shutdown flags and timeouts
    'network_interface': (0, 9, 2),         # network `interface` (was `domain`)
    'sequence_mode': (0, 9, 2),
    'priority': (0, 10, 0),
    'remove_force': (0, 10, 0),             # computer/package remove `force`, default true
    'force_install_same_version': (0, 11, 0),
    'already_installed_state': (0, 11, 0),  # job state -5
    'shutdown_waked_after_completion': (0, 11, 0),
    'package_family_name_in_joins': (0, 11, 0),   # job / installation rows: package_name -> package_family_name
    'partial_json': (0, 11, 0),             # JSON_PARTIAL_OUTPUT_ON_ERROR: a binary icon becomes null
    'domain_user_names': (0, 12, 1),        # logins: domainuser_* -> domain_user_*
    'permissions': (0, 13, 0),              # roles, Special\\ClientApi, per-object checks
    'http_error_status': (0, 13, 0),        # 404 / 403 / 400 for method errors
    'constraint_ip_ranges': (0, 13, 0),     # deploy/uninstall parameter, renamed in 1.0.2
    'container_constraints': (0, 13, 0),    # job container rows: sequence_mode, priority, agent_ip_ranges ...
    'package_family_name_arg': (0, 13, 0),  # package.create `package_family_name` (was `name`), package rows too
    'single_group_expanded': (0, 13, 3),    # one group id of a kind expands (before: only two or more)
    'job_timestamps': (0, 14, 3),           # jobs: download/execution timestamps instead of last_update
    'report_targets': (0, 14, 3),           # deploy computer_report_ids / package_report_ids
    'network_address': (0, 15, 0),          # network `address` (was `addr`)
    'current_method_names': (0, 15, 0),     # oco.job_container.deploy ... (was oco.deploy ...)
    'group_lists': (0, 15, 2),              # computer.list / package.list objects with groups, group ids
    'group_methods': (0, 15, 2),            # add/remove_from_group, report.list, deployment rules
    'files_arg': (0, 15, 5),                # package.create `files` (was `file` / `file_name`)
    'created_by': (0, 16, 1),               # created_by_system_user_id instead of `author`
    'upgrade_behavior': (0, 16, 3),
    'agent_ip_ranges': (1, 0, 2),           # deploy/uninstall `agent_ip_ranges` (was constraint_ip_ranges)
    'time_frames': (1, 0, 2),
    'per_package_upgrade': (1, 0, 2),       # auto_create_uninstall_jobs gone, deployment rule auto_uninstall gone
}

# The releases the test server models: the first client API and the last release of each later era.
ERAS = ('0.9.0', '0.13.3', '0.15.5', '1.0.2')
OLDEST = ERAS[0]


def parse(text):
    parts = tuple(int(part) for part in str(text).strip().lstrip('v').split('.'))
    if len(parts) != 3:
        raise ValueError('a legacy version looks like 0.15.5, not %r' % (text,))
    return parts


class Era:
    """One legacy release (before 1.0.3)."""

    def __init__(self, version):
        if version is True:
            version = OLDEST
        self.version = parse(version)
        if not (0, 9, 0) <= self.version < (1, 0, 3):
            raise ValueError('legacy versions range from 0.9.0 to 1.0.2, not %s' % (version,))
        self.text = '.'.join(str(part) for part in self.version)

    def has(self, change):
        return self.version >= CHANGES[change]

    def __repr__(self):
        return 'Era(%r)' % self.text


def era_of(legacy):
    """None for the current dialect; `True` is the oldest release (0.9.0), the meaning it always had."""
    if legacy in (None, False, '', 0):
        return None
    return Era(legacy)
