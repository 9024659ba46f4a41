"""Fixes act only on a finding that offers them, about the file that is open now.

Findings stay in the window manager when another file is opened with Load UI off, and a script or F3 can call any
fix with any ``finding_index``: without these checks a fix would change data its finding never described (another
file's image, a path whose finding offered no such fix).
"""

from __future__ import annotations

import os
from typing import Any

from .. import properties, runner
from ..core.text import display


def refuse_foreign_finding(op: Any, context: Any, item: Any) -> bool:
    """True (after reporting why) when ``op`` must not act on the stored finding ``item``."""
    state = properties.state(context)
    if runner.scanned_file_changed(state):
        scanned = os.fsdecode(state.blend_file) or "an unsaved file"
        op.report(
            {"ERROR"},
            f"This finding is about {display(scanned, 300)} as it was when scanned, not the file open now; "
            "scan this file, then fix. Nothing changed",
        )
        return True
    # A fix's key (Finding.fixes) is its operator's name: gotcha.<key> (GOTCHA_OT_<key> once registered).
    idname = op.bl_idname
    key = idname.split("_OT_", 1)[1] if "_OT_" in idname else idname.partition(".")[2]
    if key not in item.fixes.split(","):
        offered = [k for k in item.fixes.split(",") if k]
        op.report(
            {"ERROR"},
            f"{op.bl_label} is not offered for this finding ({item.check}"
            f"{': offered ' + ', '.join(offered) if offered else ': no fix offered'}). Nothing changed",
        )
        return True
    return False
