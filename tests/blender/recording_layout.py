"""A stand-in for ``UILayout`` that records what draw code lays out (panels never draw in the bpy module)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import bpy

# Blender's own icon names: a draw call with any other icon raises in a real UI, so the stand-in raises too.
ICONS = frozenset(
    item.identifier for item in bpy.types.UILayout.bl_rna.functions["label"].parameters["icon"].enum_items
)


def _check_icon(kwargs: dict[str, Any]) -> None:
    icon = kwargs.get("icon")
    if icon is not None and icon not in ICONS:
        raise TypeError(f'UILayout: icon "{icon}" not found')


class RecordingLayout:
    def __init__(self, calls: list | None = None, depth: int = 0) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = [] if calls is None else calls
        self.depth = depth
        self.operators: list[SimpleNamespace] = []

    def _child(self, kind: str, **kwargs: Any) -> RecordingLayout:
        _check_icon(kwargs)
        self.calls.append((kind, kwargs))
        child = RecordingLayout(self.calls, self.depth + 1)
        child.operators = self.operators
        return child

    def row(self, **kwargs: Any) -> RecordingLayout:
        return self._child("row", **kwargs)

    def column(self, **kwargs: Any) -> RecordingLayout:
        return self._child("column", **kwargs)

    def box(self, **kwargs: Any) -> RecordingLayout:
        return self._child("box", **kwargs)

    def split(self, **kwargs: Any) -> RecordingLayout:
        return self._child("split", **kwargs)

    def label(self, **kwargs: Any) -> None:
        _check_icon(kwargs)
        self.calls.append(("label", kwargs))

    def separator(self, **kwargs: Any) -> None:
        _check_icon(kwargs)
        self.calls.append(("separator", kwargs))

    def prop(self, data: Any, prop: str, **kwargs: Any) -> None:
        _check_icon(kwargs)
        self.calls.append(("prop", {"prop": prop, **kwargs}))

    def progress(self, **kwargs: Any) -> None:
        _check_icon(kwargs)
        self.calls.append(("progress", kwargs))

    def menu(self, menu: str, **kwargs: Any) -> None:
        _check_icon(kwargs)
        self.calls.append(("menu", {"menu": menu, **kwargs}))

    def template_list(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("template_list", {"args": args, **kwargs}))

    def operator(self, idname: str, **kwargs: Any) -> SimpleNamespace:
        _check_icon(kwargs)
        self.calls.append(("operator", {"idname": idname, **kwargs}))
        props = SimpleNamespace(idname=idname)
        self.operators.append(props)
        return props

    def texts(self) -> list[str]:
        return [kwargs.get("text", "") for kind, kwargs in self.calls if kind == "label"]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [kwargs for k, kwargs in self.calls if k == kind]


def draw_panel(panel_class: type, context: Any) -> RecordingLayout:
    layout = RecordingLayout()
    panel_class.draw(SimpleNamespace(layout=layout), context)
    return layout
