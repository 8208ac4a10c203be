"""Public properties of OCO's model classes, in declaration order.

PHP serialises a fetched row with every declared property (null when not selected) followed by
selected columns the class does not declare; `build` does the same.
"""

COMPUTER = (
    'id', 'uid', 'hostname', 'os', 'os_version', 'os_license', 'os_locale', 'kernel_version', 'architecture', 'cpu', 'gpu',
    'ram', 'agent_version', 'remote_address', 'serial', 'manufacturer', 'model', 'bios_version', 'battery_level',
    'battery_status', 'uptime', 'boot_type', 'domain', 'secure_boot', 'last_ping', 'last_update', 'force_update', 'notes',
    'agent_key', 'server_key', 'created', 'created_by_system_user_id', 'software_id', 'software_name', 'software_version',
    'computer_network_mac', 'created_by_system_user_username', 'agent_timestamp')
COMPUTER_GROUP = ('id', 'parent_computer_group_id', 'name')
LOGIN = ('id', 'computer_id', 'domain_user_id', 'console', 'timestamp', 'logon_amount', 'computer_hostname',
         'domain_user_username', 'domain_user_display_name', 'domain_user_uid')
NETWORK = ('id', 'computer_id', 'nic_number', 'address', 'netmask', 'broadcast', 'mac', 'interface')
SCREEN = ('id', 'computer_id', 'name', 'manufacturer', 'type', 'resolution', 'size', 'manufactured', 'serialno', 'active')
PRINTER = ('id', 'computer_id', 'name', 'driver', 'paper', 'dpi', 'uri', 'status')
FILESYSTEM = ('id', 'computer_id', 'device', 'mountpoint', 'filesystem', 'size', 'free', 'name', 'uuid', 'encrypted')
SOFTWARE = ('id', 'computer_id', 'software_id', 'installed', 'software_name', 'software_version', 'software_description')
INSTALLATION = ('id', 'computer_id', 'package_id', 'installed_procedure', 'installed_by_system_user_id',
                'installed_by_domain_user_id', 'installed', 'computer_hostname', 'package_family_id', 'package_family_name',
                'package_version', 'installed_by_system_user_username', 'installed_by_domain_user_username')
PACKAGE_FAMILY = ('id', 'name', 'license_count', 'notes', 'icon', 'package_count', 'install_count', 'newest_package_created',
                  'oldest_package_created')
PACKAGE = (
    'id', 'version', 'notes', 'install_procedure', 'install_procedure_success_return_codes', 'install_procedure_post_action',
    'upgrade_behavior', 'uninstall_procedure', 'uninstall_procedure_success_return_codes', 'download_for_uninstall',
    'uninstall_procedure_post_action', 'line_endings', 'compatible_os', 'compatible_os_version', 'compatible_architecture',
    'license_count', 'created', 'created_by_system_user_id', 'updated', 'updated_by_system_user_id',
    'package_group_member_sequence', 'package_family_id', 'package_family_name', 'package_family_icon',
    'created_by_system_user_username', 'install_count')
PACKAGE_GROUP = ('id', 'parent_package_group_id', 'name')
JOB_BASE = (
    'id', 'computer_id', 'package_id', 'procedure', 'success_return_codes', 'upgrade_behavior', 'is_uninstall', 'download',
    'post_action', 'post_action_timeout', 'sequence', 'state', 'download_progress', 'return_code', 'message')
STATIC_JOB = JOB_BASE + (
    'wol_shutdown_set', 'download_started', 'execution_started', 'execution_finished', 'computer_hostname',
    'package_family_name', 'package_version', 'job_container_id', 'job_container_start_time',
    'job_container_created_by_system_user_id', 'job_container_created_by_domain_user_id', 'job_container_enabled',
    'job_container_sequence_mode', 'job_container_priority', 'job_container_agent_ip_ranges', 'job_container_time_frames',
    'job_container_self_service')
DYNAMIC_JOB = JOB_BASE + (
    'wol_shutdown_set', 'download_started', 'execution_started', 'execution_finished', 'computer_hostname', 'package_family_name',
    'package_version', 'deployment_rule_id', 'deployment_rule_name', 'deployment_rule_created_by_system_user_id',
    'deployment_rule_enabled', 'deployment_rule_sequence_mode', 'deployment_rule_priority')
JOB_CONTAINER = (
    'id', 'name', 'enabled', 'start_time', 'end_time', 'notes', 'wol_sent', 'shutdown_waked_after_completion',
    'sequence_mode', 'priority', 'agent_ip_ranges', 'time_frames', 'self_service', 'created', 'created_by_system_user_id',
    'created_by_domain_user_id', 'created_by_system_user_username', 'created_by_domain_user_username', 'execution_finished')
DEPLOYMENT_RULE = ('id', 'name', 'notes', 'enabled', 'computer_group_id', 'package_group_id', 'sequence_mode', 'priority',
                   'post_action_timeout', 'created', 'created_by_system_user_id', 'created_by_system_user_username')
REPORT = ('id', 'report_group_id', 'name', 'notes', 'query')
REPORT_GROUP = ('id', 'parent_report_group_id', 'name')


def build(keys, row, hidden=()):
    """Declared keys first (missing -> None), then undeclared selected columns; `hidden` columns are dropped."""
    out = {key: row.get(key) for key in keys}
    for key, value in row.items():
        if key not in out and key not in hidden:
            out[key] = value
    return out


def build_all(keys, rows, hidden=()):
    return [build(keys, row, hidden) for row in rows]
