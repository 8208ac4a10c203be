"""Message tables. The language is the first two characters of Accept-Language."""

EN = {
    'username_cannot_be_empty': 'The user name cannot be empty',
    'user_does_not_exist': 'User does not exist',
    'user_locked': 'User locked',
    'login_failed': 'Login failed',
    'api_login_not_allowed': 'User is not allowed to login on the API',
    'not_found': 'Not found',
    'permission_denied': 'Permission denied. You do not have the necessary rights.',
    'unknown_method': 'Unknown Method',
    'invalid_input': 'Invalid Value. Please check your input.',
    'name_cannot_be_empty': 'The name cannot be empty',
    'hostname_cannot_be_empty': 'The host name cannot be empty',
    'hostname_already_exists': 'This hostname already exists',
    'no_jobs_created': 'Your request did not produced any jobs. Please check if you have at least one computer and one package selected.',
    'no_mac_addresses_for_wol': 'No WOL packet could be sent because no MAC address of this computer is known. '
                                'Please connect a network adapter to the computer and run the agent so that the MAC '
                                'address is reported to the server.',
    'delete_failed_active_jobs': 'The object could not be deleted because there are still active jobs referencing this object. '
                                 'Please delete the corresponding jobs first, then try again.',
    'delete_failed_dependent_packages': 'The package could not be deleted because there are still dependent packages '
                                        'which are referenced to this package.',
    'payload_corrupt': 'Payload corrupt',
    'your_license_is_invalid': 'Your license is invalid. Please upload a new license in the settings.',
    'please_fill_required_fields': 'Please fill the required fields',
    'package_exists_with_version': 'A package with this name already exists with this version.',
    'cannot_move_uploaded_file': 'Cannot move uploaded file',
    'cannot_create_zip_file': 'Cannot create ZIP file',
    'end_time_before_start_time': 'The end time cannot be before the start time.',
    'invalid_ip_address': 'Invalid IP address',
    'invalid_time_input': 'Invalid time input',
    'not_registered': 'NOT REGISTERED',
    'report_predefined': 'Predefined',
    'report_secureboot_disabled': 'SecureBoot Disabled',
    'report_packages_without_installations': 'Packages Without Installations',
    'report_recognized_software_chrome': 'Recognized Software Chrome',
    'report_domain_users_with_multiple_pcs': 'Domain Users With Multiple PCs',
    'report_expired_job_containers': 'Expired Job Containers',
    'report_preregistered_computers': 'Pre-Registered Computers',
    'report_all_monitors': 'All Monitors',
    'report_7_days_no_agent_contact': '7 Days No Agent Contact',
    'report_total_disk_space': 'Total Disk Space (All Computers)',
    'report_total_ram_space': 'Total RAM Space (All Computers)',
    'report_all_19_monitors': 'All 19" Monitors',
    'report_computers_with_less_than_20_gib_on_drive_c': 'Computers with less than 20 GiB on Drive C:',
    'report_critical_services': 'Critical Services',
    'report_critical_events': 'Critical Events',
}

DE = {
    'login_failed': 'Anmeldung fehlgeschlagen',
    'not_found': 'Nicht gefunden',
    'permission_denied': 'Zugriff verweigert. Sie besitzen nicht die notwendigen Rechte.',
    'unknown_method': 'Unbekannte Methode',
    'invalid_input': 'Ungültiger Wert. Bitte prüfen Sie Ihre Eingaben.',
    'name_cannot_be_empty': 'Der Name darf nicht leer sein',
    'no_jobs_created': 'Ihre Anfrage erzeugte keine Jobs. Bitte prüfen Sie, ob Sie mindestens einen Computer und ein Paket '
                       'ausgewählt haben.',
    'hostname_already_exists': 'Der angegebene Hostname existiert bereits',
}

# fr is shipped by OCO; without a table here it falls back to English like any missing key would.
TABLES = {'en': EN, 'de': DE, 'fr': {}}


def language(accept_language):
    """PHP takes substr(HTTP_ACCEPT_LANGUAGE, 0, 2) without normalising case."""
    lang = (accept_language or '')[:2]
    return lang if lang in TABLES else 'en'


def translate(lang, key):
    """Missing keys fall back to English, unknown keys to the key itself."""
    table = TABLES.get(lang, EN)
    return table.get(key) or EN.get(key) or key


def translator(lang):
    return lambda key: translate(lang, key)
