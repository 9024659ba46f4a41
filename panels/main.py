"""Draw code only: reads the window manager's findings and lays out buttons; all work is in operators."""

from __future__ import annotations

import json
import textwrap
from array import array
from typing import Any

try:  # optional: only sorts long lists faster; official Blender builds bundle it, Debian's do not
    import numpy as np
except ImportError:
    np = None

import bpy
from bpy.props import EnumProperty

from .. import checks, properties, runner
from ..core.findings import SEVERITIES
from ..core.summary import short_problem
from ..core.text import display
from ..core.topics import TOPICS
from ..operators import FIX_OPERATORS

_CHECK_FILTER_ITEMS = [("ALL", "All Checks", "Show findings of every check")] + [
    (module.INFO.id, module.INFO.title, module.INFO.description)
    for module in (*checks.ALL_CHECKS, *checks.ON_DEMAND_CHECKS)
]
_SEVERITY_FILTER_ITEMS = [("ALL", "All Severities", "Show every severity")] + [
    (s, s.title(), f"Only {s.lower()} findings") for s in SEVERITIES
]
_MAX_DETAIL_ROWS = 12


def wrap(layout: Any, text: str, width_px: int, icon: Any = "NONE") -> None:
    """Labels cannot wrap; split the text into lines that fit the region (about 7 px per character)."""
    chars = max(20, int(width_px / 7.0) - 4)
    lines = textwrap.wrap(display(text), chars) or [""]
    column = layout.column(align=True)
    for number, line in enumerate(lines):
        column.label(text=line, icon=icon if number == 0 else "BLANK1" if icon != "NONE" else "NONE")


class GOTCHA_UL_findings(bpy.types.UIList):
    """Findings, most severe first; filter by check and by severity, plus the usual name filter."""

    bl_idname = "GOTCHA_UL_findings"

    filter_check: EnumProperty(name="Check", items=_CHECK_FILTER_ITEMS, default="ALL")
    filter_severity: EnumProperty(name="Severity", items=_SEVERITY_FILTER_ITEMS, default="ALL")

    def draw_item(
        self,
        context: Any,
        layout: Any,
        data: Any,
        item: Any,
        icon: Any,
        active_data: Any,
        active_property: str,
        index: int = 0,
        flt_flag: int = 0,
    ) -> None:  # noqa: PLR0913 - Blender's signature
        # At the sidebar's default width a row holds about 40 characters: it leads with the owner (its ID-type icon
        # and name) and says the problem in a few words; the message, topic and details are in the Finding box.
        # Both halves are buttons: clicking a finding shows / selects its datablock (like 3D Print Toolbox).
        owner, owner_icon = row_owner(item)
        problem = short_problem(item.check, item.severity, item.message, properties.finding_details(item))
        split = layout.split(factor=0.5, align=True)
        split.operator("gotcha.select_finding", text=owner, icon=owner_icon, emboss=False).index = index
        right = split.row(align=True)
        right.operator("gotcha.select_finding", text=problem, emboss=False).index = index
        right.label(text="", icon=properties.SEVERITY_ICONS[item.severity])

    def draw_filter(self, context: Any, layout: Any) -> None:
        row = layout.row(align=True)
        row.prop(self, "filter_name", text="")
        row.prop(self, "use_filter_invert", text="", icon="ARROW_LEFTRIGHT")
        row = layout.row(align=True)
        row.prop(self, "filter_check", text="")
        row.prop(self, "filter_severity", text="")

    def filter_items(self, context: Any, data: Any, propname: str) -> tuple[list[int], list[int]]:
        items = getattr(data, propname)
        if not self.filter_name and self.filter_check == "ALL" and self.filter_severity == "ALL":
            return [], severity_order(items)  # no filter: an empty flags list shows every item
        flags = filter_flags(items, self.filter_name, self.filter_check, self.filter_severity, self.bitflag_filter_item)
        if self.use_filter_invert:
            flags = [0 if f else self.bitflag_filter_item for f in flags]
        return flags, severity_order(items)


def row_owner(item: Any) -> tuple[str, str]:
    """What a row leads with: the datablock's name and its ID-type icon, or for a finding about no datablock (a
    session check, an operator's poll) the operator or check it is about."""
    if item.has_datablock:
        return display(item.id_name, 200), id_type_icon(item.id_type)
    details = properties.finding_details(item)
    operator = details.get("operator")
    if isinstance(operator, str) and operator:
        return display(operator, 200), "QUESTION"
    owner = details.get("owner")  # session checks: the add-on, extension or script whose code it is
    if isinstance(owner, str) and owner:
        return display(owner.rsplit(".", 1)[-1] if owner.startswith("bl_ext.") else owner, 200), "PLUGIN"
    check = checks.info(item.check)
    return (check.title if check else item.check), "SCRIPT"


_ID_ICONS: dict[str, str] = {}


def id_type_icon(id_type: str) -> str:
    """Blender's own icon for an ``ID.id_type`` (the Outliner's), read once from RNA."""
    if not _ID_ICONS:
        id_type_property: Any = bpy.types.ID.bl_rna.properties["id_type"]  # an EnumProperty
        for enum_item in id_type_property.enum_items:
            _ID_ICONS[enum_item.identifier] = enum_item.icon
    return _ID_ICONS.get(id_type) or "QUESTION"


def filter_flags(items: Any, name: str, check: str, severity: str, visible: int) -> list[int]:
    """The text filter matches the message, the owner's name and the topic key."""
    needle = name.lower().strip("*")
    flags = []
    for item in items:
        shown = (
            (check == "ALL" or item.check == check)
            and (severity == "ALL" or item.severity == severity)
            and (
                not needle
                or needle in item.message.lower()
                or needle in item.id_name.lower()
                or needle in item.topic.lower()
            )
        )
        flags.append(visible if shown else 0)
    return flags


def severity_ranks(items: Any) -> array:
    """Each finding's severity as its enum index (0 = ERROR ... 2 = INFO), read in one bulk call.

    Per-item access is far too slow for draw code: ``items[i]`` walks the collection, and a list redraws often.
    """
    ranks = array("i", bytes(4 * len(items)))
    items.foreach_get("severity", ranks)
    return ranks


def severity_order(items: Any) -> list[int]:
    """New position of each item: most severe first, scan order within a severity."""
    ranks = severity_ranks(items)
    if np is not None:  # one stable argsort in C: ~10x faster on long lists, which redraw often
        ranked = np.argsort(np.frombuffer(ranks, np.int32), kind="stable")
        order = np.empty_like(ranked)
        order[ranked] = np.arange(len(ranked))
        return [int(position) for position in order.tolist()]
    # Without numpy (Debian's Blender): a counting sort, one pass over the ranks (three severities).
    tally = [0] * len(SEVERITIES)
    for rank in ranks:
        tally[rank] += 1
    next_position = [sum(tally[:rank]) for rank in range(len(SEVERITIES))]
    positions = []
    for rank in ranks:
        positions.append(next_position[rank])
        next_position[rank] += 1
    return positions


def severity_counts(items: Any) -> dict[str, int]:
    ranks = severity_ranks(items)
    return {severity: ranks.count(rank) for rank, severity in enumerate(SEVERITIES)}


class VIEW3D_PT_gotcha_doctor(bpy.types.Panel):
    bl_idname = "VIEW3D_PT_gotcha_doctor"
    bl_label = "Gotcha Doctor"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = properties.PANEL_CATEGORY

    def draw(self, context: Any) -> None:
        layout = self.layout
        state = properties.state(context)
        if state.is_running:
            layout.progress(factor=state.progress, type="BAR", text=f"{state.progress * 100:.0f}%  {state.status}")
            layout.label(text="Press Esc to cancel (partial results are kept)", icon="INFO")
        else:
            layout.operator("gotcha.scan", text="Scan", icon="VIEWZOOM")
            layout.operator("gotcha.lint_addons", text="Lint Add-ons", icon="SCRIPT")
        if not state.has_scanned:
            layout.label(text="Scan to find Python API gotchas in this file")
            return
        counts = severity_counts(state.findings)
        row = layout.row()
        for severity in SEVERITIES:
            # The icon and the number are two labels: one label with both, in an aligned row, drew its icon over
            # the number's first digits ("2006" read "⊗06").
            count = row.row(align=True)
            count.label(text="", icon=properties.SEVERITY_ICONS[severity])
            count.label(text=str(counts[severity]))
        if state.cancelled:
            layout.label(text="Scan cancelled: the list is partial", icon="ERROR")
        if not state.is_running and runner.scanned_file_changed(state):
            layout.label(text="Findings are about another file; scan again", icon="ERROR")
        layout.template_list("GOTCHA_UL_findings", "", state, "findings", state, "active_index", rows=6)
        row = layout.row(align=True)
        row.operator("gotcha.export_report", text="Export JSON…", icon="EXPORT")
        row.operator("gotcha.clear_findings", text="", icon="X")


class VIEW3D_PT_gotcha_doctor_details(bpy.types.Panel):
    bl_idname = "VIEW3D_PT_gotcha_doctor_details"
    bl_label = "Finding"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = properties.PANEL_CATEGORY
    bl_parent_id = "VIEW3D_PT_gotcha_doctor"

    @classmethod
    def poll(cls, context: Any) -> bool:
        state = properties.state(context)
        return 0 <= state.active_index < len(state.findings)

    def draw(self, context: Any) -> None:
        layout = self.layout
        state = properties.state(context)
        item = state.findings[state.active_index]
        width = context.region.width if context.region else 300
        check = checks.info(item.check)
        title = check.title if check else item.check
        layout.label(text=f"{item.severity.title()}: {title}", icon=properties.SEVERITY_ICONS[item.severity])
        topic = TOPICS.get(item.topic)
        layout.label(text=f"Topic: {item.topic}", icon="HELP")
        if topic is not None:
            wrap(layout, f"Gotchas › {topic.section}", width)
        if item.has_datablock:
            owner = f'{item.id_type.title()} "{display(item.id_name, 200)}"'
            owner_icon: Any = "LINKED" if item.has_library else "FILE_BLEND"
            layout.label(text=owner, icon=owner_icon)
            if item.has_library:
                wrap(layout, f"from library {item.library}", width)
        box = layout.box()
        wrap(box, item.message, width)
        details = properties.finding_details(item)
        if details:
            box = layout.box()
            for number, (key, value) in enumerate(details.items()):
                if number == _MAX_DETAIL_ROWS:
                    box.label(text=f"… {len(details) - number} more in the JSON report")
                    break
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                wrap(box, f"{key}: {text}", width)
        for key in item.fixes.split(","):
            idname = FIX_OPERATORS.get(key)
            if idname is not None:
                op = layout.operator(idname, icon="TOOL_SETTINGS")
                op.finding_index = state.active_index


class TOPBAR_MT_gotcha_doctor(bpy.types.Menu):
    bl_idname = "TOPBAR_MT_gotcha_doctor"
    bl_label = "Gotcha Doctor"

    def draw(self, context: Any) -> None:
        layout = self.layout
        layout.operator("gotcha.scan", icon="VIEWZOOM").checks = ""
        layout.operator("gotcha.export_report", icon="EXPORT")
        layout.operator("gotcha.clear_findings", icon="X")
        layout.separator()
        # With no operator named, it asks for one in a dialog (its invoke); F3 finds it through this menu.
        layout.operator("gotcha.explain_poll", icon="QUESTION")
        layout.operator("gotcha.lint_addons", icon="SCRIPT")


def draw_edit_menu_entry(self: Any, context: Any) -> None:
    self.layout.separator()
    self.layout.menu(TOPBAR_MT_gotcha_doctor.bl_idname, icon="VIEWZOOM")
