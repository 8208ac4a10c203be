"""MariaDB's utf8mb4_general_ci, the collation OCO's tables get by default, as a SQLite collation.

OCO's schema declares ``DEFAULT CHARSET=utf8mb4`` and no collation, so MariaDB (up to 11.4)
compares names with utf8mb4_general_ci: one weight per character; letters without case or accent
(``é`` = ``E``, ``ß`` = ``S``, dotless ``ı`` = ``I``); every character beyond U+FFFF the same
weight; trailing spaces ignored (PAD SPACE). This server models the weight of a character as the
base letter of its canonical decomposition, uppercased when that gives one character, within the
blocks that MariaDB's table folds (Latin, Greek, Cyrillic, Armenian, a few symbol blocks); outside
them a character weighs itself. The server keeps its own model: it must not borrow the client's.
"""

import unicodedata

NAME = 'general_ci'

_FOLDED_BLOCKS = (
    (0x0000, 0x017F), (0x0181, 0x0194), (0x0196, 0x0199), (0x019B, 0x019D), (0x019F, 0x01BE),
    (0x01C0, 0x01F5), (0x01F8, 0x021F), (0x0386, 0x03CE), (0x03DA, 0x03EF), (0x0400, 0x04BF),
    (0x04C1, 0x04CE), (0x04D0, 0x04F5), (0x04F8, 0x04F9), (0x0531, 0x0556), (0x0561, 0x0586),
    (0x1E00, 0x1E9B), (0x1EA0, 0x1EF9), (0x1F00, 0x1FFF), (0x2160, 0x217F), (0x24B6, 0x24E9),
    (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),
)


def _in_table(char):
    code = ord(char)
    return any(low <= code <= high for low, high in _FOLDED_BLOCKS)


def weight(char):
    if ord(char) > 0xFFFF:
        return '\ufffd'
    if char == '\u00df':
        return 'S'
    if not _in_table(char):
        return char
    base = unicodedata.normalize('NFD', char)[0]
    base = base if _in_table(base) else char
    upper = base.upper()
    return upper if len(upper) == 1 and _in_table(upper) else base


def sort_key(text):
    return ''.join(weight(char) for char in (text or '').rstrip(' '))


def compare(left, right):
    """SQLite collation callback: negative, zero or positive like MariaDB's comparison."""
    a, b = sort_key(left), sort_key(right)
    return (a > b) - (a < b)


def register(conn):
    conn.create_collation(NAME, compare)
