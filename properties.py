"""Where findings live: ``bpy.context.window_manager.gotcha_doctor`` (contract.md).

The window manager holds UI state, not scene data, so storing findings there never marks the file dirty and
never adds an undo step. Every string is made safe (core.text) before it is stored: a Blender string property
rejects the surrogate escapes of non-UTF-8 paths.
"""

from __future__ import annotations

import secrets
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

import bpy
from bpy.props import (
    BoolProperty,
    CollectionProperty,
    EnumProperty,
    FloatProperty,
    IntProperty,
    PointerProperty,
    StringProperty,
)

from .checks import operator_poll
from .core.findings import SEVERITIES, Finding
from .core.report import finding_to_dict
from .core.text import readable, sanitize_details

SEVERITY_ITEMS = [(s, s.title(), f"{s.title()} finding") for s in SEVERITIES]
# Blender's own report icons: errors show CANCEL, warnings ERROR (the triangle), info INFO.
SEVERITY_ICONS: dict[str, Any] = {"ERROR": "CANCEL", "WARNING": "ERROR", "INFO": "INFO"}


# The findings themselves, kept as the engine made them (plain values), by key. A listed item stores only its key
# and severity (set in bulk, and what the list sorts by); its other fields are read from the finding when asked (the
# list draws the rows it shows), so storing tens of thousands of findings costs little, and the details and the
# report come from the findings themselves, never turned into text and back. Keys start at a random number each
# session: an item saved in a .blend and opened in another session names nothing here (load_post drops such items).
_findings: dict[int, Finding] = {}
_next_key = [secrets.randbelow(1 << 29) + 1]
_FORGOTTEN = Finding("", "", "INFO", "")  # what an item whose finding is not in the store reads as


# Getters of the items' fields (module functions: Blender evaluates the class annotations elsewhere).
def _get_check(item: Any) -> str:
    return _findings.get(item.key, _FORGOTTEN).check


def _get_topic(item: Any) -> str:
    return _findings.get(item.key, _FORGOTTEN).topic


def _get_id_type(item: Any) -> str:
    return _findings.get(item.key, _FORGOTTEN).id_type or ""


def _get_id_name(item: Any) -> str:
    name = _findings.get(item.key, _FORGOTTEN).id_name
    return "" if name is None else readable(name)


def _get_has_datablock(item: Any) -> bool:
    return _findings.get(item.key, _FORGOTTEN).id_type is not None


def _get_library(item: Any) -> str:
    library = _findings.get(item.key, _FORGOTTEN).library
    return "" if library is None else readable(library)


def _get_has_library(item: Any) -> bool:
    return _findings.get(item.key, _FORGOTTEN).library is not None


def _get_message(item: Any) -> str:
    return readable(_findings.get(item.key, _FORGOTTEN).message)


def _get_fixes(item: Any) -> str:
    return ",".join(_findings.get(item.key, _FORGOTTEN).fixes)


class GotchaFinding(bpy.types.PropertyGroup):
    key: IntProperty(name="Key", description="Names the finding in this session's store (details, report)")
    severity: EnumProperty(name="Severity", items=SEVERITY_ITEMS)
    check: StringProperty(name="Check", get=_get_check)
    topic: StringProperty(name="Topic", get=_get_topic)
    id_type: StringProperty(name="Datablock Type", get=_get_id_type)
    id_name: StringProperty(name="Datablock Name", get=_get_id_name)
    has_datablock: BoolProperty(name="Has Datablock", get=_get_has_datablock)
    library: StringProperty(name="Library", get=_get_library)
    has_library: BoolProperty(name="Linked", description="The datablock comes from a library", get=_get_has_library)
    message: StringProperty(name="Message", get=_get_message)
    fixes: StringProperty(name="Fixes", description="Comma-separated keys of the fixes offered", get=_get_fixes)


class GotchaDoctorState(bpy.types.PropertyGroup):
    findings: CollectionProperty(type=GotchaFinding)
    active_index: IntProperty(name="Active Finding", default=0)
    is_running: BoolProperty(name="Scan Running")
    progress: FloatProperty(name="Progress", min=0.0, max=1.0, subtype="FACTOR")
    cancelled: BoolProperty(name="Cancelled", description="The last scan was cancelled; its findings are partial")
    has_scanned: BoolProperty(name="Scanned")
    status: StringProperty(name="Status")
    # Bytes, not text: the file's own path may not be UTF-8, and a text property rejects it (Unicode gotcha).
    blend_file: StringProperty(
        name="Scanned File", description="The file the findings are about", subtype="BYTE_STRING"
    )
    checks_run: StringProperty(name="Checks Run")
    scanned_in: StringProperty(
        name="Scanned In", description="Which load of the file the findings describe (runner.findings_token)"
    )


# The poll explainer's operator field and F3's search popup search over the registered operators.
_operators_cache: list[str] = []


def all_operators() -> list[str]:
    """Every registered operator's ``group.name``, sorted (read once)."""
    if not _operators_cache:
        _operators_cache.extend(operator_poll.registered_operators())  # already sorted
    return _operators_cache


def search_operators(self: Any, context: Any, edit_text: str) -> list[str]:
    """A StringProperty ``search`` callback: operators whose name holds every word typed."""
    operators = all_operators()
    needle = edit_text.strip().lower().removeprefix("bpy.ops.")
    if not needle:
        return operators[:200]
    words = needle.replace(".", " ").replace("_", " ").split()
    return [op for op in operators if all(word in op for word in words)][:200]


class GotchaPollState(bpy.types.PropertyGroup):
    operator: StringProperty(
        name="Operator",
        description="Operator to explain (type to search; pasting bpy.ops.x.y or Blender's error text also works)",
        search=search_operators,
    )
    answer: StringProperty(name="Answer", description="The last one-line answer for text that names no operator")


classes: tuple[type, ...] = (GotchaFinding, GotchaDoctorState, GotchaPollState)


def register() -> None:
    # Pointers are added here, after register_class, not from a PropertyGroup's own register() classmethod:
    # that pattern made the bpy 4.2 module segfault at process exit.
    window_manager: Any = bpy.types.WindowManager  # RNA properties are added to Blender's types at run time
    window_manager.gotcha_doctor = PointerProperty(type=GotchaDoctorState)
    window_manager.gotcha_doctor_poll = PointerProperty(type=GotchaPollState)


def unregister() -> None:
    window_manager: Any = bpy.types.WindowManager
    del window_manager.gotcha_doctor_poll
    del window_manager.gotcha_doctor


def state(context: Any = None) -> GotchaDoctorState:
    wm = (context or bpy.context).window_manager
    return wm.gotcha_doctor


def finding_at(context: Any, index: int) -> GotchaFinding | None:
    """The stored finding at ``index``, or None when there is none (the list changed since the button was drawn)."""
    findings = state(context).findings
    return findings[index] if 0 <= index < len(findings) else None


def finding_of(item: GotchaFinding) -> Finding:
    """The finding a listed item shows."""
    return _findings.get(item.key, _FORGOTTEN)


def finding_details(item: GotchaFinding) -> dict[str, Any]:
    """A listed finding's ``details``, made safe to show and to write (non-UTF-8 paths readable and as base64)."""
    return sanitize_details(finding_of(item).details)


def finding_as_report_dict(item: GotchaFinding) -> dict[str, Any]:
    """A listed finding in report form (contract.md)."""
    return finding_to_dict(finding_of(item))


def listed_findings(target: GotchaDoctorState) -> list[Finding]:
    """The listed findings, in list order."""
    keys = array("i", bytes(4 * len(target.findings)))
    target.findings.foreach_get("key", keys)
    return [_findings.get(key, _FORGOTTEN) for key in keys]


def add_finding(target: GotchaDoctorState, finding: Finding) -> None:
    add_findings(target, [finding])


def add_findings(target: GotchaDoctorState, findings: Sequence[Finding]) -> None:
    """List ``findings`` after those listed: each gets a key and an item holding it and its severity."""
    if not findings:
        return
    collection = target.findings
    key = _next_key[0]
    if key + len(findings) >= 1 << 30:
        key = 1
    _next_key[0] = key + len(findings)
    _findings.update(zip(range(key, key + len(findings)), findings, strict=True))
    add = collection.add
    # Set one item at a time: foreach_set on the window manager's collection tags it for a depsgraph update, which
    # the runner's handler would count as an edit of the file (and restart the running check of a modal scan).
    for number, finding in enumerate(findings, key):
        item = add()
        item.key = number
        item.severity = finding.severity


def forget_unknown(target: GotchaDoctorState) -> None:
    """Drop the items whose finding this session does not hold (a list saved in a .blend and loaded again)."""
    findings = target.findings
    for position in range(len(findings) - 1, -1, -1):
        if findings[position].key not in _findings:
            findings.remove(position)


def remove_findings_from(target: GotchaDoctorState, index: int) -> None:
    """Remove the listed findings from ``index`` to the end."""
    findings = target.findings
    for position in range(len(findings) - 1, index - 1, -1):
        _findings.pop(findings[position].key, None)
        findings.remove(position)


def remove_finding(target: GotchaDoctorState, index: int) -> None:
    _findings.pop(target.findings[index].key, None)
    target.findings.remove(index)


def remove_findings_of(target: GotchaDoctorState, check_id: str) -> None:
    """Remove every listed finding of one check: one pass over the list (``findings[i]`` walks it from the head:
    asking each index was quadratic, 2.3 s after a scan that listed 20,000 findings), then the removals from the end."""
    earlier = [index for index, item in enumerate(target.findings) if item.check == check_id]
    for index in reversed(earlier):
        remove_finding(target, index)


def clear_findings(target: GotchaDoctorState) -> None:
    target.findings.clear()
    _findings.clear()


PANEL_CATEGORY = "Gotcha Doctor"  # the sidebar tab of the panels


def _sidebars(context: Any) -> Iterator[tuple[Any, Any]]:
    """(3D View space, sidebar region) of every 3D View in every window."""
    wm = context.window_manager
    for window in wm.windows if wm is not None else ():
        screen = window.screen
        for area in screen.areas if screen is not None else ():
            if area.type == "VIEW_3D":
                for region in area.regions:
                    if region.type == "UI":
                        yield area.spaces.active, region


def panel_shown(context: Any) -> bool:
    """Whether a window shows the panel now: a 3D View with its sidebar open on the Gotcha Doctor tab."""
    return any(
        getattr(space, "show_region_ui", False) and getattr(region, "active_panel_category", None) == PANEL_CATEGORY
        for space, region in _sidebars(context)
    )


def tag_panel_redraw(context: Any) -> None:
    """Redraw the 3D View sidebars of every window, where the panel is: changing the findings from an operator (a
    scan tick, an explanation picked in F3's search, a script's or a timer's ``bpy.ops.gotcha.scan()``, which has no
    screen in its context) does not redraw them by itself, and a click on a list not redrawn hits the old rows."""
    for _space, region in _sidebars(context):
        region.tag_redraw()
