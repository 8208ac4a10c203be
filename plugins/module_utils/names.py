# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When the OCO server takes two names for the same: the one comparison key of the collection.

OCO compares names with SQL equality. Its schema creates the tables with ``DEFAULT
CHARSET=utf8mb4`` and no collation, so MariaDB's default for utf8mb4 decides:
``utf8mb4_general_ci``. That collation gives each character one weight:

* letters compare without case and without accents: ``é`` = ``E``, ``Ä`` = ``a``;
* ``ß`` weighs ``S`` (so ``straße`` = ``STRASE``, but not ``STRASSE``);
* the dotless ``ı`` weighs ``I``, and ``İ`` is ``I`` with a dot above, so both equal ``i``;
* every character beyond the Basic Multilingual Plane (emoji, for example) weighs the same;
* trailing spaces do not count (PAD SPACE); leading spaces do, except in host names, which the
  server trims when it stores them.

``name_key`` models that per character: a character beyond U+FFFF becomes U+FFFD; any other
character becomes the base letter of its canonical decomposition, then that letter's uppercase
when the uppercase is one character. The collation's table is older than today's Unicode, so
case and accents are only folded in the blocks whose letters the table has long known (Latin,
Greek, Cyrillic, Armenian and a few symbol blocks, see ``_FOLDED``); elsewhere a character only
equals itself. The model may therefore see two names as different that the server takes as the
same (a lookup then fails and says so), but never the other way round, which would act on the
wrong object.
"""

from __future__ import annotations

import unicodedata

# Code point ranges (inclusive) whose case and accent folding the server's table shares with
# Python's Unicode data. Letters whose partner was added to Unicode later are left out, and a
# character is only folded when what it folds to lies in these ranges too.
_FOLDED = (
    (0x0000, 0x017F),   # ASCII, Latin-1, Latin Extended-A
    (0x0181, 0x0194), (0x0196, 0x0199), (0x019B, 0x019D), (0x019F, 0x01BE), (0x01C0, 0x01F5),
    (0x01F8, 0x021F),   # Latin Extended-B, without the pairs completed in later Unicode versions
    (0x0386, 0x03CE), (0x03DA, 0x03EF),   # Greek
    (0x0400, 0x04BF), (0x04C1, 0x04CE), (0x04D0, 0x04F5), (0x04F8, 0x04F9),   # Cyrillic
    (0x0531, 0x0556), (0x0561, 0x0586),   # Armenian
    (0x1E00, 0x1E9B), (0x1EA0, 0x1EF9),   # Latin Extended Additional
    (0x1F00, 0x1FFF),   # Greek Extended
    (0x2160, 0x217F),   # Roman numerals
    (0x24B6, 0x24E9),   # circled letters
    (0xFF21, 0xFF3A), (0xFF41, 0xFF5A),   # fullwidth letters
)
# Where the collation's weight is not what decomposition and uppercase give.
_SPECIAL = {"\u00df": "S"}
_BEYOND_BMP = "\ufffd"
_WEIGHTS = {}   # character -> weight, filled as characters are met


def _folded(code):
    return any(low <= code <= high for low, high in _FOLDED)


def _weight(char):
    weight = _WEIGHTS.get(char)
    if weight is None:
        weight = _WEIGHTS[char] = _compute_weight(char)
    return weight


def _compute_weight(char):
    code = ord(char)
    if code > 0xFFFF:
        return _BEYOND_BMP
    if char in _SPECIAL:
        return _SPECIAL[char]
    if not _folded(code):
        return char
    base = unicodedata.normalize("NFD", char)[0]
    if not _folded(ord(base)):
        base = char
    upper = base.upper()
    return upper if len(upper) == 1 and _folded(ord(upper)) else base


def name_key(text, trim=False):
    """The key under which the server compares ``text``; ``trim`` for host names (trimmed by the server).

    Two names are the same for the server when their keys are equal (see the module docstring
    for what is modelled and where the model stops).
    """
    text = "" if text is None else str(text)
    text = text.rstrip(" ")
    if trim:
        text = text.strip(" \t\n\r\0\x0b")
    if text.isascii():
        return text.upper()   # ASCII letters fold to their uppercase and nothing else changes
    return "".join(_weight(char) for char in text)


def same_name(left, right, trim=False):
    """Whether the server takes ``left`` and ``right`` for the same name."""
    return name_key(left, trim) == name_key(right, trim)
