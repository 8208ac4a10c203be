# -*- coding: utf-8 -*-
# Copyright: oco.oco contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Attributes shared by the modules: the action group (every module), modules that change objects, read-only modules."""

    DOCUMENTATION = r"""
options: {}
attributes:
  action_group:
    description: Takes its connection options from O(url) and friends set once for C(group/oco.oco.oco) in C(module_defaults).
    support: full
    membership:
      - oco.oco.oco
"""

    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    description: The module never changes anything and runs unchanged in check mode.
  diff_mode:
    support: N/A
    description: The module never changes anything.
"""

    CHANGES = r"""
options: {}
attributes:
  check_mode:
    support: full
    description:
      - Reads the server and reports what would change, without sending a single write request.
      - A computer or package named by a name that matches nothing is taken for an object an earlier task would create
        (the reference is shown as written, with id null, and the task warns once naming each such option and value);
        outside check mode such a name fails the task.
"""
