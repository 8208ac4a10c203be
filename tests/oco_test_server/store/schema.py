"""Tables named and shaped like OCO's MariaDB schema, so report queries are real SQL.

Text comparisons the real server makes case-insensitively through its default collation
(hostname, family name, version, username) use COLLATE NOCASE here.
"""

from .predefined_reports import PREDEFINED

TABLES = """
CREATE TABLE IF NOT EXISTS setting (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  value TEXT
);
CREATE TABLE IF NOT EXISTS system_user_role (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  permissions TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS system_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  password TEXT,
  ldap INTEGER NOT NULL DEFAULT 0,
  email TEXT,
  phone TEXT,
  mobile TEXT,
  description TEXT,
  locked INTEGER NOT NULL DEFAULT 0,
  last_login TEXT,
  created TEXT,
  system_user_role_id INTEGER REFERENCES system_user_role(id)
);
CREATE TABLE IF NOT EXISTS computer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT,
  hostname TEXT NOT NULL COLLATE NOCASE,
  os TEXT NOT NULL DEFAULT '',
  os_version TEXT NOT NULL DEFAULT '',
  os_license TEXT NOT NULL DEFAULT '',
  os_locale TEXT NOT NULL DEFAULT '',
  kernel_version TEXT NOT NULL DEFAULT '',
  architecture TEXT NOT NULL DEFAULT '',
  cpu TEXT NOT NULL DEFAULT '',
  gpu TEXT NOT NULL DEFAULT '',
  ram TEXT NOT NULL DEFAULT '',
  agent_version TEXT NOT NULL DEFAULT '',
  remote_address TEXT NOT NULL DEFAULT '',
  serial TEXT NOT NULL DEFAULT '',
  manufacturer TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL DEFAULT '',
  bios_version TEXT NOT NULL DEFAULT '',
  battery_level REAL,
  battery_status INTEGER,
  uptime INTEGER DEFAULT 0,
  boot_type TEXT NOT NULL DEFAULT '',
  domain TEXT NOT NULL DEFAULT '',
  secure_boot TEXT NOT NULL DEFAULT '',
  last_ping TEXT,
  last_update TEXT,
  force_update INTEGER NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT '',
  agent_key TEXT NOT NULL DEFAULT '',
  server_key TEXT NOT NULL DEFAULT '',
  created TEXT,
  created_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL,
  -- No type affinity: 0 (an int) until the agent first sends its clock, a float afterwards, as a real 1.2.2 server lists it.
  agent_timestamp DEFAULT 0
);
CREATE INDEX IF NOT EXISTS computer_hostname ON computer(hostname);
CREATE TABLE IF NOT EXISTS computer_network (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  nic_number INTEGER NOT NULL DEFAULT 0,
  address TEXT NOT NULL DEFAULT '',
  netmask TEXT NOT NULL DEFAULT '',
  broadcast TEXT NOT NULL DEFAULT '',
  mac TEXT NOT NULL DEFAULT '',
  interface TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS computer_network_computer ON computer_network(computer_id);
CREATE TABLE IF NOT EXISTS computer_screen (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  manufacturer TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL DEFAULT '',
  resolution TEXT NOT NULL DEFAULT '',
  size TEXT NOT NULL DEFAULT '',
  manufactured TEXT NOT NULL DEFAULT '',
  serialno TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS computer_printer (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  driver TEXT NOT NULL DEFAULT '',
  paper TEXT NOT NULL DEFAULT '',
  dpi TEXT NOT NULL DEFAULT '',
  uri TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS computer_partition (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  device TEXT NOT NULL DEFAULT '',
  mountpoint TEXT NOT NULL DEFAULT '',
  filesystem TEXT NOT NULL DEFAULT '',
  size INTEGER,
  free INTEGER,
  name TEXT,
  uuid TEXT,
  encrypted INTEGER
);
CREATE TABLE IF NOT EXISTS computer_service (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  status INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL DEFAULT '',
  metrics TEXT,
  details TEXT,
  timestamp TEXT,
  updated TEXT
);
CREATE TABLE IF NOT EXISTS computer_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  log TEXT NOT NULL DEFAULT '',
  timestamp TEXT,
  provider TEXT NOT NULL DEFAULT '',
  level INTEGER NOT NULL DEFAULT 0,
  event_id INTEGER NOT NULL DEFAULT 0,
  data TEXT
);
CREATE TABLE IF NOT EXISTS software (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  version TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS computer_software (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  software_id INTEGER NOT NULL REFERENCES software(id) ON DELETE CASCADE,
  installed TEXT
);
CREATE TABLE IF NOT EXISTS domain_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  uid TEXT,
  username TEXT NOT NULL COLLATE NOCASE,
  display_name TEXT NOT NULL DEFAULT '',
  created TEXT
);
CREATE TABLE IF NOT EXISTS domain_user_logon (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  domain_user_id INTEGER NOT NULL REFERENCES domain_user(id) ON DELETE CASCADE,
  console TEXT,
  timestamp TEXT
);
CREATE TABLE IF NOT EXISTS computer_group (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_computer_group_id INTEGER REFERENCES computer_group(id) ON DELETE CASCADE,
  name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS computer_group_member (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  computer_group_id INTEGER NOT NULL REFERENCES computer_group(id) ON DELETE CASCADE,
  UNIQUE (computer_id, computer_group_id)
);
CREATE INDEX IF NOT EXISTS computer_group_member_group ON computer_group_member(computer_group_id);
CREATE TABLE IF NOT EXISTS package_family (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL COLLATE NOCASE,
  license_count INTEGER,
  notes TEXT NOT NULL DEFAULT '',
  icon BLOB,
  created TEXT
);
CREATE TABLE IF NOT EXISTS package (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  package_family_id INTEGER NOT NULL REFERENCES package_family(id) ON DELETE CASCADE,
  version TEXT NOT NULL COLLATE NOCASE,
  notes TEXT NOT NULL DEFAULT '',
  install_procedure TEXT NOT NULL DEFAULT '',
  install_procedure_success_return_codes TEXT NOT NULL DEFAULT '0',
  install_procedure_post_action INTEGER NOT NULL DEFAULT 0,
  upgrade_behavior INTEGER NOT NULL DEFAULT 2,
  uninstall_procedure TEXT NOT NULL DEFAULT '',
  uninstall_procedure_success_return_codes TEXT NOT NULL DEFAULT '0',
  download_for_uninstall INTEGER NOT NULL DEFAULT 0,
  uninstall_procedure_post_action INTEGER NOT NULL DEFAULT 0,
  line_endings TEXT,
  compatible_os TEXT NOT NULL DEFAULT '',
  compatible_os_version TEXT NOT NULL DEFAULT '',
  compatible_architecture TEXT NOT NULL DEFAULT '',
  license_count INTEGER,
  created TEXT,
  created_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL,
  updated TEXT,
  updated_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS package_package_family ON package(package_family_id);
-- Which packages have a ZIP. The ZIP itself is a file, <payload dir>/<id>.zip, as on the real
-- server's <PACKAGE_PATH>: installers of a gigabyte and more do not fit into an SQLite value.
CREATE TABLE IF NOT EXISTS package_payload (
  package_id INTEGER PRIMARY KEY REFERENCES package(id) ON DELETE CASCADE,
  size INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS package_group (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_package_group_id INTEGER REFERENCES package_group(id) ON DELETE CASCADE,
  name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS package_group_member (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  package_group_id INTEGER NOT NULL REFERENCES package_group(id) ON DELETE CASCADE,
  sequence INTEGER NOT NULL DEFAULT 1,
  UNIQUE (package_id, package_group_id)
);
-- package_id needs dependent_package_id installed first.
CREATE TABLE IF NOT EXISTS package_dependency (
  package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  dependent_package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  PRIMARY KEY (package_id, dependent_package_id)
);
CREATE TABLE IF NOT EXISTS computer_package (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  installed_procedure TEXT NOT NULL DEFAULT '',
  installed_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL,
  installed_by_domain_user_id INTEGER REFERENCES domain_user(id) ON DELETE SET NULL,
  installed TEXT
);
CREATE INDEX IF NOT EXISTS computer_package_computer ON computer_package(computer_id);
CREATE INDEX IF NOT EXISTS computer_package_package ON computer_package(package_id);
CREATE TABLE IF NOT EXISTS job_container (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  start_time TEXT NOT NULL,
  end_time TEXT,
  notes TEXT NOT NULL DEFAULT '',
  wol_sent INTEGER NOT NULL DEFAULT -1,
  shutdown_waked_after_completion INTEGER NOT NULL DEFAULT 0,
  sequence_mode INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 0,
  agent_ip_ranges TEXT,
  time_frames TEXT,
  self_service INTEGER NOT NULL DEFAULT 0,
  created TEXT,
  created_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL,
  created_by_domain_user_id INTEGER REFERENCES domain_user(id) ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS job_container_job (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_container_id INTEGER NOT NULL REFERENCES job_container(id) ON DELETE CASCADE,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  "procedure" TEXT NOT NULL DEFAULT '',
  success_return_codes TEXT NOT NULL DEFAULT '',
  upgrade_behavior INTEGER NOT NULL DEFAULT 0,
  is_uninstall INTEGER NOT NULL DEFAULT 0,
  download INTEGER NOT NULL DEFAULT 0,
  post_action INTEGER,
  post_action_timeout INTEGER,
  sequence INTEGER NOT NULL DEFAULT 0,
  state INTEGER NOT NULL DEFAULT 0,
  download_progress INTEGER,
  return_code INTEGER,
  message TEXT NOT NULL DEFAULT '',
  wol_shutdown_set TEXT,
  download_started TEXT,
  execution_started TEXT,
  execution_finished TEXT
);
CREATE INDEX IF NOT EXISTS job_container_job_computer ON job_container_job(computer_id);
CREATE INDEX IF NOT EXISTS job_container_job_container ON job_container_job(job_container_id);
CREATE TABLE IF NOT EXISTS deployment_rule (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  computer_group_id INTEGER NOT NULL REFERENCES computer_group(id) ON DELETE CASCADE,
  package_group_id INTEGER NOT NULL REFERENCES package_group(id) ON DELETE CASCADE,
  sequence_mode INTEGER NOT NULL DEFAULT 0,
  priority INTEGER NOT NULL DEFAULT 0,
  post_action_timeout INTEGER NOT NULL DEFAULT 5,
  created TEXT,
  created_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL
);
CREATE TABLE IF NOT EXISTS deployment_rule_job (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  deployment_rule_id INTEGER NOT NULL REFERENCES deployment_rule(id) ON DELETE CASCADE,
  computer_id INTEGER NOT NULL REFERENCES computer(id) ON DELETE CASCADE,
  package_id INTEGER NOT NULL REFERENCES package(id) ON DELETE CASCADE,
  "procedure" TEXT NOT NULL DEFAULT '',
  success_return_codes TEXT NOT NULL DEFAULT '',
  upgrade_behavior INTEGER NOT NULL DEFAULT 0,
  is_uninstall INTEGER NOT NULL DEFAULT 0,
  download INTEGER NOT NULL DEFAULT 0,
  post_action INTEGER,
  post_action_timeout INTEGER,
  sequence INTEGER NOT NULL DEFAULT 0,
  state INTEGER NOT NULL DEFAULT 0,
  download_progress INTEGER,
  return_code INTEGER,
  message TEXT NOT NULL DEFAULT '',
  download_started TEXT,
  execution_started TEXT,
  execution_finished TEXT
);
CREATE INDEX IF NOT EXISTS deployment_rule_job_computer ON deployment_rule_job(computer_id);
CREATE TABLE IF NOT EXISTS report_group (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_report_group_id INTEGER REFERENCES report_group(id),
  name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS report (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  report_group_id INTEGER REFERENCES report_group(id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  query TEXT NOT NULL,
  created TEXT,
  created_by_system_user_id INTEGER REFERENCES system_user(id) ON DELETE SET NULL
);
"""

# Predefined reports are stored with language keys as names (shown translated); user reports start at 1000.
FIRST_USER_REPORT_ID = 1000


def create(conn):
    conn.executescript(TABLES)
    fresh = conn.execute('SELECT COUNT(*) FROM report_group').fetchone()[0] == 0
    if fresh:
        conn.execute("INSERT INTO report_group (id, parent_report_group_id, name) VALUES (1, NULL, 'report_predefined')")
    # Always the shipped set, also in a database file an older test server wrote (ids below 1000 are OCO's own).
    conn.executemany("INSERT OR REPLACE INTO report (id, report_group_id, name, notes, query) VALUES (?, 1, ?, '', ?)",
                     [(r.id, r.name_key, r.query) for r in PREDEFINED])
    if fresh:
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'report'", (FIRST_USER_REPORT_ID - 1,))
