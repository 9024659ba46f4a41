"""What the user typed -> an operator idname, and Blender's own poll message from an error text (Blender-free).

Nothing is evaluated: one strict regex per accepted form, then the caller looks the name up in the registry.
"""

from __future__ import annotations

import re
from typing import Any

MAX_INPUT = 400  # longer text is refused before any regex runs
_IDNAME = r"[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9_]*"
_PATTERNS = (
    # bpy.ops.action.clean / action.clean / bpy.ops.action.clean() / ...clean.poll()
    re.compile(rf"^(?:bpy\.ops\.)?(?P<op>{_IDNAME})(?:\s*\(\s*\)|\.poll\s*\(\s*\))?$"),
    # Blender's error text: "Operator bpy.ops.action.clean.poll() failed, context is incorrect"
    re.compile(rf"^(?:RuntimeError:\s*)?(?:Error:\s*)?Operator bpy\.ops\.(?P<op>{_IDNAME})\.poll\(\)"),
    # the class name: ACTION_OT_clean
    re.compile(r"^(?P<cls>[A-Z][A-Z0-9_]*_OT_[a-z0-9_]+)$"),
)


class BadOperatorText(ValueError):
    """What the user typed is not an operator name; str() is the one-line answer."""


def parse_operator(text: str) -> str:
    """``"bpy.ops.action.clean"``, ``"action.clean"``, ``"ACTION_OT_clean"`` or Blender's poll error -> ``"action.clean"``.

    Raises BadOperatorText with a one-line reason. Nothing is evaluated.
    """
    if not isinstance(text, str):
        raise BadOperatorText("Expected the operator as text, e.g. action.clean")
    if len(text) > MAX_INPUT:
        raise BadOperatorText(
            f"Not an operator name: the text is {len(text):,} characters long; paste e.g. action.clean"
        )
    stripped = text.strip().strip("`'\"").strip()
    if not stripped:
        raise BadOperatorText("No operator given; type one such as action.clean or bpy.ops.action.clean")
    if not stripped.isascii():
        raise BadOperatorText(
            f"Not an operator name: {short(stripped)!r} has non-ASCII characters; operators look like action.clean"
        )
    for pattern in _PATTERNS:
        match = pattern.match(stripped)
        if match is None:
            continue
        if match.groupdict().get("cls"):
            prefix, _, name = match.group("cls").partition("_OT_")
            return f"{prefix.lower()}.{name}"
        return match.group("op")
    raise BadOperatorText(
        f"Not an operator name: {short(stripped)!r}; expected group.name such as action.clean or bpy.ops.action.clean"
    )


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def class_name(idname: str) -> str:
    """``"action.clean"`` -> ``"ACTION_OT_clean"`` (how Blender names the operator's RNA type)."""
    group, _, name = idname.partition(".")
    return f"{group.upper()}_OT_{name}"


GENERIC_POLL_MESSAGE = "context is incorrect"


def poll_message_from_error(idname: str, error_text: str) -> str | None:
    """Blender's own reason from the RuntimeError of a call whose poll failed; None when it only says the generic
    "context is incorrect" (or the text is not a poll failure)."""
    head = f"Operator bpy.ops.{idname}.poll()"
    text = error_text.strip()
    if not text.startswith(head):
        return None
    rest = text[len(head) :].strip()
    if rest.startswith("failed, "):
        rest = rest[len("failed, ") :]
    if not rest or rest == GENERIC_POLL_MESSAGE:
        return None
    return rest


def operator_idnames(ops: Any) -> list[str]:
    """Every ``group.name`` registered under ``ops`` (pass ``bpy.ops``), sorted. Takes the object instead of
    importing bpy, so this module stays importable without Blender (the sweep worker loads it by file)."""
    idnames = []
    for group in dir(ops):
        if group.startswith("_"):
            continue
        module = getattr(ops, group)
        idnames += [f"{group}.{name}" for name in dir(module) if not name.startswith("_")]
    return sorted(idnames)
