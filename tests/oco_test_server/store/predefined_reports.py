"""The reports OCO 1.2.2 ships in report group 1, as its sql/SCHEMA.sql defines them.

`query` is the shipped MariaDB text, which oco.report.list shows. Report execution here runs on
SQLite, so each shipped text has an SQLite statement that returns the same rows on the same data
(MariaDB's SUBSTRING_INDEX, IF, CURRENT_TIME, HAVING without GROUP BY, integer-free division and
double-quoted strings have no SQLite twin). A user report is run as written.
"""

from collections import namedtuple

Report = namedtuple('Report', 'id name_key query sqlite')

_SCREEN_SIDE = "CAST(TRIM(%s) AS REAL)"
_WIDTH = _SCREEN_SIDE % "substr(cs.size, 1, instr(cs.size, ' x ') - 1)"
_HEIGHT = _SCREEN_SIDE % "substr(cs.size, instr(cs.size, ' x ') + 3)"

PREDEFINED = (
    Report(1, 'report_secureboot_disabled',
           'SELECT id AS computer_id, hostname, os, os_version FROM computer WHERE secure_boot = 0',
           "SELECT id AS computer_id, hostname, os, os_version FROM computer WHERE secure_boot IN ('0', 0)"),
    Report(2, 'report_packages_without_installations',
           'SELECT p.id AS package_id, pf.name, p.version, count(cp.package_id) AS install_count FROM package p '
           'LEFT JOIN computer_package cp ON p.id = cp.package_id INNER JOIN package_family pf ON p.package_family_id = pf.id '
           'GROUP BY p.id HAVING install_count = 0',
           None),
    Report(3, 'report_recognized_software_chrome',
           "SELECT id as software_id, name FROM software WHERE name LIKE '%chrome%'",
           None),
    Report(4, 'report_domain_users_with_multiple_pcs',
           'SELECT du.id AS domain_user_id, username, (SELECT count(DISTINCT dl2.computer_id) FROM domain_user_logon dl2 '
           "WHERE dl2.domain_user_id = du.id) AS 'computer_count' FROM domain_user du HAVING computer_count > 1",
           'SELECT * FROM (SELECT du.id AS domain_user_id, username, (SELECT count(DISTINCT dl2.computer_id) '
           'FROM domain_user_logon dl2 WHERE dl2.domain_user_id = du.id) AS computer_count FROM domain_user du) '
           'WHERE computer_count > 1'),
    Report(5, 'report_expired_job_containers',
           'SELECT id AS job_container_id, name, end_time FROM job_container WHERE end_time IS NOT NULL AND end_time < CURRENT_TIME()',
           # MariaDB compares a DATETIME with a TIME on today's date: the current moment.
           "SELECT id AS job_container_id, name, end_time FROM job_container WHERE end_time IS NOT NULL "
           "AND end_time < datetime('now', 'localtime')"),
    Report(6, 'report_preregistered_computers',
           "SELECT id AS computer_id, hostname FROM computer WHERE last_update IS NULL OR last_update <= '2000-01-01 00:00:00'",
           None),
    Report(7, 'report_all_monitors',
           'SELECT c.hostname, cs.* FROM computer_screen cs INNER JOIN computer c ON c.id = cs.computer_id WHERE cs.serialno != ""',
           "SELECT c.hostname, cs.* FROM computer_screen cs INNER JOIN computer c ON c.id = cs.computer_id WHERE cs.serialno != ''"),
    Report(8, 'report_7_days_no_agent_contact',
           "SELECT id AS 'computer_id', hostname, os, os_version, last_ping FROM computer WHERE last_ping IS NULL "
           'OR last_ping < NOW() - INTERVAL 7 DAY',
           'SELECT id AS computer_id, hostname, os, os_version, last_ping FROM computer WHERE last_ping IS NULL '
           "OR last_ping < datetime('now', 'localtime', '-7 days')"),
    Report(9, 'report_total_disk_space',
           "SELECT ROUND(SUM(free)/1024/1024/1024/1024, 2) AS 'Free Space (TiB)', "
           "ROUND(SUM(size)/1024/1024/1024/1024, 2) AS 'Total Space (TiB)' FROM computer_partition",
           'SELECT ROUND(SUM(free) / 1099511627776.0, 2) AS "Free Space (TiB)", '
           'ROUND(SUM(size) / 1099511627776.0, 2) AS "Total Space (TiB)" FROM computer_partition'),
    Report(10, 'report_total_ram_space',
           "SELECT ROUND(SUM(ram)/1024/1024/1024, 2) AS 'Total RAM (GiB)' FROM computer",
           'SELECT ROUND(SUM(CAST(ram AS REAL)) / 1073741824.0, 2) AS "Total RAM (GiB)" FROM computer'),
    Report(11, 'report_all_19_monitors',
           'SELECT c.hostname, cs.*, ROUND(SQRT(POW(SUBSTRING_INDEX(cs.size, " x ", 1),2) + '
           'POW(SUBSTRING_INDEX(cs.size, " x ", -1),2)) * 0.393701) AS \'Size (inches)\' FROM `computer_screen` cs '
           'INNER JOIN `computer` c ON c.id = cs.computer_id WHERE cs.serialno != "" '
           'HAVING `Size (inches)` <= 19 AND `Size (inches)` > 0',
           'SELECT * FROM (SELECT c.hostname, cs.*, ROUND(sqrt(%s * %s + %s * %s) * 0.393701) AS "Size (inches)" '
           "FROM computer_screen cs INNER JOIN computer c ON c.id = cs.computer_id WHERE cs.serialno != '' "
           "AND instr(cs.size, ' x ') > 0) "
           'WHERE "Size (inches)" <= 19 AND "Size (inches)" > 0' % (_WIDTH, _WIDTH, _HEIGHT, _HEIGHT)),
    Report(12, 'report_computers_with_less_than_20_gib_on_drive_c',
           "SELECT c.id AS 'computer_id', c.hostname, ROUND((SELECT cp.free FROM computer_partition cp "
           "WHERE cp.computer_id = c.id AND cp.mountpoint LIKE 'C:')/1024/1024/1024) AS 'Free Space (GiB)' "
           'FROM computer c HAVING `Free Space (GiB)` < 20',
           'SELECT * FROM (SELECT c.id AS computer_id, c.hostname, ROUND((SELECT cp.free FROM computer_partition cp '
           "WHERE cp.computer_id = c.id AND cp.mountpoint LIKE 'C:') / 1073741824.0) AS \"Free Space (GiB)\" "
           'FROM computer c) WHERE "Free Space (GiB)" < 20'),
    Report(13, 'report_critical_services',
           'SELECT cs.computer_id, c.hostname, cs.status, cs.timestamp, cs.updated, cs.details FROM computer_service cs '
           'INNER JOIN computer c ON c.id = cs.computer_id WHERE cs.id IN (SELECT MAX(cs2.id) FROM computer_service cs2 '
           'GROUP BY cs2.computer_id, cs2.name) AND cs.status != 0 ORDER BY c.hostname ASC',
           None),
    Report(14, 'report_critical_events',
           'SELECT timestamp, computer_id, hostname, event_id, IF(level=2, "ERROR", IF(level=3, "WARNING", level)) AS "level", '
           'data AS "Error Description" FROM computer_event ce INNER JOIN computer c ON c.id = ce.computer_id '
           'ORDER BY timestamp DESC',
           "SELECT timestamp, computer_id, hostname, event_id, CASE level WHEN 2 THEN 'ERROR' WHEN 3 THEN 'WARNING' "
           'ELSE level END AS "level", data AS "Error Description" FROM computer_event ce '
           'INNER JOIN computer c ON c.id = ce.computer_id ORDER BY timestamp DESC'),
)

_SQLITE = {r.query: r.sqlite for r in PREDEFINED if r.sqlite}


def executable(query):
    """The statement to run for a report query: the SQLite twin of a shipped text, else the text."""
    return _SQLITE.get(query, query)
