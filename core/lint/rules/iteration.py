"""Loops over Blender collections that change the collection they walk.

Gotchas: "Unfortunate Corner Cases / Collection Objects", "Data-Blocks Renaming During Iteration".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from ..base import Family, Lint, Where
from ..model import Rule

ALL_OBJECTS_HIDE = Rule(
    "GD190",
    "hide-while-iterating-all-objects",
    "collection-iteration",
    "ERROR",
    "hide_viewport/hide_select/hide_render is changed while iterating Collection.all_objects",
    "iterate over a copy: `for ob in collection.all_objects[:]:`",
)
RENAME_WHILE_ITERATING = Rule(
    "GD191",
    "rename-while-iterating-bpy-data",
    "rename-during-iteration",
    "WARNING",
    "Datablocks are renamed while iterating bpy.data directly; renaming re-sorts it, so items are skipped or repeated",
    "iterate over a copy: `for ob in list(bpy.data.objects):` (or bpy.data.objects[:])",
)
HIDE_FLAGS = frozenset({"hide_viewport", "hide_select", "hide_render"})


def _stored(target: ast.expr) -> Iterator[ast.expr]:
    """What an assignment target stores into: the target itself, or each element of a tuple or list unpacked into
    (``d[ob.name] = x`` stores into ``d``, and only reads ``ob.name``)."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _stored(element)
    elif isinstance(target, ast.Starred):
        yield from _stored(target.value)
    else:
        yield target


def _stores_to(body: list[ast.stmt], name: str, attrs: frozenset[str]) -> ast.Attribute | None:
    for stmt in body:
        for node in ast.walk(stmt):
            targets: list[ast.expr] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [node.target]
            for target in targets:
                for sub in _stored(target):
                    if (
                        isinstance(sub, ast.Attribute)
                        and sub.attr in attrs
                        and isinstance(sub.value, ast.Name)
                        and sub.value.id == name
                    ):
                        return sub
    return None


class IterationFamily(Family):
    name = "iteration"
    rules = (ALL_OBJECTS_HIDE, RENAME_WHILE_ITERATING)

    def on_for(self, lint: Lint, where: Where, node: ast.For | ast.AsyncFor, key: str | None) -> None:
        if key is None or not isinstance(node.target, ast.Name):
            return
        name = node.target.id
        if key.endswith(".all_objects"):
            store = _stores_to(node.body, name, HIDE_FLAGS)
            if store is not None:
                lint.report(
                    ALL_OBJECTS_HIDE,
                    store,
                    f"`{name}.{store.attr}` is set while iterating `all_objects` (line {node.lineno}); it rebuilds "
                    f"the collection cache under the loop and can crash. {ALL_OBJECTS_HIDE.fix}",
                    loop_line=node.lineno,
                )
        elif key.startswith("bpy.data.") and key.count(".") == 2 and "[" not in key and "(" not in key:
            store = _stores_to(node.body, name, frozenset({"name"}))
            if store is not None:
                lint.report(
                    RENAME_WHILE_ITERATING,
                    store,
                    f"`{name}.name` is set while iterating `{key}` (line {node.lineno}); renaming re-sorts it, so "
                    f"items are skipped or visited twice. {RENAME_WHILE_ITERATING.fix}",
                    loop_line=node.lineno,
                )


FAMILY = IterationFamily()
