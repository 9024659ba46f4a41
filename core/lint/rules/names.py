"""Looking data up by the name it was given: the name may not be what was asked for (too long, taken, empty),
and linked data may share it.

Gotchas: "Data Names / Naming Limitations", "Library Collisions".
"""

from __future__ import annotations

import ast

from ...names import name_limit_bytes
from ..astutil import call_arg, const_str, dotted_raw, is_id_collection, segments
from ..base import Family, Lint, Where
from ..flow import FlowHook, FunctionFlow, State
from ..model import Rule

LOOKUP_BY_REQUESTED_NAME = Rule(
    "GD180",
    "lookup-by-requested-name",
    "data-name-limits",
    "WARNING",
    "Data is looked up by the name it was created or renamed with; Blender may have given it another name",
    "keep the object new() returned (or a dict from your names to the created data) instead of looking it up",
)
NAME_TOO_LONG = Rule(
    "GD181",
    "name-over-limit",
    "data-name-limits",
    "WARNING",
    "A datablock name longer than Blender's limit is cut, so lookups by the full name fail",
    "keep names within the limit (63 bytes before Blender 5.0, 255 from 5.0)",
)
AMBIGUOUS_LOOKUP = Rule(
    "GD182",
    "lookup-ambiguous-with-libraries",
    "library-name-collision",
    "WARNING",
    "Data is looked up by name alone in code that links libraries; local and linked data can share the name",
    "look up with a (name, library_filepath) pair, e.g. bpy.data.objects[name, None] for local data",
)


def name_limit(target: tuple[int, int]) -> int:
    """Bytes a datablock name can hold on the target Blender."""
    return name_limit_bytes(target)


def _name_key(flow: FunctionFlow, state: State, node: ast.AST | None) -> str | None:
    if node is None:
        return None
    text = const_str(node)
    if text is not None:
        return repr(text)
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
        return ast.unparse(node)  # as written: a loop variable of the same name in a later loop is the same name
    return None


# Collections of data inside a datablock (not datablocks): renaming one of their items names nothing that a
# bpy.data collection is searched for (an NLA track's name is not its action's).
_SUB_DATA = frozenset(
    {
        "nla_tracks",
        "strips",
        "modifiers",
        "constraints",
        "bones",
        "edit_bones",
        "vertex_groups",
        "nodes",
        "inputs",
        "outputs",
        "fcurves",
        "keyframe_points",
        "markers",
        "timeline_markers",
        "pose_markers",
        "uv_layers",
        "vertex_colors",
        "color_attributes",
        "attributes",
        "layers",
        "particle_systems",
        "key_blocks",
        "view_layers",
        "slots",
        "tracks",
        "material_slots",
        "texture_slots",
        "keying_sets",
        "channels",
        "sequences",
        "strips_all",
        "sequences_all",
    }
)


def _names_sub_data(flow: FunctionFlow, state: State, owner: ast.AST) -> bool:
    """``owner`` (what ``owner.name = ...`` renames) is an item of a collection inside a datablock."""
    head = owner.id if isinstance(owner, ast.Name) else None
    binding = state.bindings.get(head) if head is not None else None
    keys = [flow.key_of(state, owner)] + ([binding.container] if binding is not None else [])
    return any(key is not None and any(part in _SUB_DATA for part in segments(key)) for key in keys)


# What the context names by these keys is an Object.
_CONTEXT_OBJECTS = frozenset(
    {
        "bpy.context.object",
        "bpy.context.active_object",
        "bpy.context.edit_object",
        "bpy.context.view_layer.objects.active",
    }
)


def _kind(collection: str) -> str:
    """The kind of data a collection holds, by its last name: "objects" for ``bpy.data.objects`` and
    ``scene.objects``."""
    return collection.rpartition(".")[2]


def _renamed_kind(owner: str, container: str | None) -> str:
    """The kind of data ``owner.name = ...`` renames, when the code says it (an item of, or made by, an ID
    collection; the context's object); "?" when not known, which any lookup matches."""
    if container is not None and is_id_collection(container):
        return _kind(container)
    if owner in _CONTEXT_OBJECTS:
        return "objects"
    return "?"


def _made_when_missing(flow: FunctionFlow, state: State, collection: str, name: str) -> bool:
    """The new() runs only when ``collection`` has nothing of that name (``if name not in bpy.data.images:``, ``if not
    bpy.data.images.get(name):``, ``if bpy.data.images.get(name) is None:``): the name is free, so the data gets it
    (a name too long for it fails the later lookup loudly instead; GD181 measures literal ones)."""
    for test in flow.conditions:
        asked: ast.AST | None
        where: ast.AST | None
        if isinstance(test, ast.Compare) and len(test.ops) == 1 and len(test.comparators) == 1:
            operator, right = test.ops[0], test.comparators[0]
            if isinstance(operator, ast.NotIn):
                asked, where = test.left, right
            elif isinstance(operator, (ast.Is, ast.Eq)) and isinstance(right, ast.Constant) and right.value is None:
                asked, where = _get_argument(test.left)
            else:
                continue
        elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            asked, where = _get_argument(test.operand)
        else:
            continue
        if asked is not None and where is not None and _name_key(flow, state, asked) == name:
            if flow.key_of(state, where) == collection:
                return True
    return False


def _get_argument(node: ast.AST) -> tuple[ast.AST | None, ast.AST | None]:
    """(name asked, collection) of ``collection.get(name)``; (None, None) for anything else."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and len(node.args) >= 1
        and not node.keywords
    ):
        return node.args[0], node.func.value
    return None, None


class NamesHook(FlowHook):
    def on_call(self, flow: FunctionFlow, state: State, call: ast.Call, key: str) -> None:
        collection, _, method = key.rpartition(".")
        if not is_id_collection(collection):
            return
        if method == "new":
            name = _name_key(flow, state, call_arg(call, 0, "name"))
            if name is not None and not _made_when_missing(flow, state, collection, name):
                state.flags[f"name:{_kind(collection)}:{name}"] = (call.lineno, f"{collection}.new()")
        elif method == "get" and len(call.args) == 1 and not isinstance(call.args[0], ast.Tuple):
            self._lookup(flow, state, call, call.args[0], collection)

    def on_store(
        self, flow: FunctionFlow, state: State, target: ast.Attribute | ast.Subscript, key: str, value: ast.AST | None
    ) -> None:
        if (
            isinstance(target, ast.Attribute)
            and target.attr == "name"
            and isinstance(value, (ast.Name, ast.Constant, ast.Attribute))
            and not _names_sub_data(flow, state, target.value)
        ):
            name = _name_key(flow, state, value)
            owner = target.value
            binding = state.bindings.get(owner.id) if isinstance(owner, ast.Name) else None
            if binding is not None and "operator-properties" in binding.tags:
                return  # a button's operator properties: its `name` is an argument of the operator
            if name is not None:
                kind = _renamed_kind(flow.key_of(state, owner) or "", binding.container if binding else None)
                state.flags[f"name:{kind}:{name}"] = (target.lineno, f"`{dotted_raw(target)} = …`")

    def on_load(self, flow: FunctionFlow, state: State, node: ast.Attribute | ast.Subscript, key: str) -> None:
        if isinstance(node, ast.Subscript):
            collection = flow.key_of(state, node.value) or ""
            if is_id_collection(collection) and not isinstance(node.slice, ast.Tuple):
                self._lookup(flow, state, node, node.slice, collection)

    def _lookup(self, flow: FunctionFlow, state: State, node: ast.AST, name_node: ast.AST, collection: str) -> None:
        name = _name_key(flow, state, name_node)
        if name is None:
            return
        # Only a name given to data of this kind: objects.new("Snow") says nothing of collections["Snow"].
        flag = state.flags.get(f"name:{_kind(collection)}:{name}") or state.flags.get(f"name:?:{name}")
        if flag is None:
            return
        line, what = flag
        flow.report(
            LOOKUP_BY_REQUESTED_NAME,
            node,
            f"{collection} is searched by the name given to {what} at line {line}; if that name was too long, "
            f"taken or empty the data got another one and this finds other data (or none). "
            f"{LOOKUP_BY_REQUESTED_NAME.fix}",
            named_line=line,
        )


class NamesFamily(Family):
    name = "names"
    rules = (LOOKUP_BY_REQUESTED_NAME, NAME_TOO_LONG, AMBIGUOUS_LOOKUP)

    def flow_hook(self, lint: Lint) -> FlowHook | None:
        return NamesHook()

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        collection, _, method = key.rpartition(".")
        if not is_id_collection(collection):
            return
        if method == "new":
            self._check_length(lint, call_arg(call, 0, "name"))
        elif (
            method == "get"
            and len(call.args) == 1
            and lint.facts.loads_libraries
            and not isinstance(call.args[0], ast.Tuple)
        ):
            self._ambiguous(lint, call, collection)

    def on_assign(self, lint: Lint, where: Where, node: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "name" for t in node.targets
        ):
            self._check_length(lint, node.value)
        if lint.facts.loads_libraries:
            for sub in ast.walk(node.value) if node.value is not None else ():
                if isinstance(sub, ast.Subscript) and not isinstance(sub.slice, (ast.Tuple, ast.Slice)):
                    collection = lint.facts.canonical(sub.value) or ""
                    if is_id_collection(collection):
                        self._ambiguous(lint, sub, collection)

    def _check_length(self, lint: Lint, node: ast.AST | None) -> None:
        text = const_str(node)
        if text is None or node is None:
            return
        size, limit = len(text.encode("utf-8", "surrogatepass")), name_limit(lint.target)
        if size > limit:
            version = ".".join(map(str, lint.target))
            lint.report(
                NAME_TOO_LONG,
                node,
                f"the name {text[:40]!r}… is {size} bytes; Blender {version} keeps {limit}, so the data gets a "
                f"shorter name and lookups by this one fail. {NAME_TOO_LONG.fix}",
                bytes=size,
                limit=limit,
            )

    def _ambiguous(self, lint: Lint, node: ast.AST, collection: str) -> None:
        lint.report(
            AMBIGUOUS_LOOKUP,
            node,
            f"{collection} is searched by name alone, and this module links libraries (line "
            f"{lint.facts.loads_libraries}); a local and a linked datablock can share the name. {AMBIGUOUS_LOOKUP.fix}",
            libraries_line=lint.facts.loads_libraries,
        )


FAMILY = NamesFamily()
