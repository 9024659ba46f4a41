"""A small per-function flow analysis over ``ast``: which name was bound from which Blender container, which
later call invalidated that container (``.add()``, ``mode_set``, ``remove()``, ``to_mesh``…), and which later
use still reads the stale name.

Statements are walked in order. ``if``/``try`` branches are analysed apart and merged (a name is stale when it
is stale on any path that reaches the use; a branch that ends in ``return``/``raise``/``break``/``continue``
does not reach it). Loop bodies are walked twice so that a container changed late in one iteration is seen
by a use early in the next. Nested functions are analysed on their own.

Every bound name gets a *key*: the canonical dotted path of the value it was bound to. A plain attribute chain
keeps expanding (``pts = spline.bezier_points`` makes ``pts.add()`` read ``spline.bezier_points.add()``); any
other value starts a fresh root ``name#N``. A binding also remembers its *container* (``p = pts[0]``,
``p = pts.add()``, ``for p in pts`` take an item of ``pts``). Rule families plug in through :class:`FlowHook`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .astutil import dotted_raw, last_attr, segments

if TYPE_CHECKING:
    from .astutil import ModuleFacts
    from .model import Reporter, Rule

# Attributes that point at another datablock: removing the owner does not free what they point at.
ID_POINTERS = frozenset(
    {
        "data",
        "parent",
        "active_material",
        "material",
        "image",
        "texture",
        "node_tree",
        "library",
        "scene",
        "world",
        "camera",
        "object",
        "instance_collection",
        "original",
        "id_data",
        "action",
        "shape_keys",
        "target",
        "id",
        "objects",
        "children",
        "children_recursive",
        "bpy",
    }
)


# Attributes whose value Python copies (strings, numbers, flags): nothing to go stale.
VALUE_ATTRS = frozenset(
    {
        "name",
        "name_full",
        "type",
        "mode",
        "index",
        "users",
        "session_uid",
        "is_editmode",
        "select",
        "hide_viewport",
        "hide_render",
        "hide_select",
        "length",
        "frame_current",
        "filepath",
        "bl_idname",
        "identifier",
        "label",
        "is_evaluated",
        "use_fake_user",
        "data_path",
        "array_index",
        "extrapolation",
        "interpolation",
        "subtarget",
        "vertex_group",
        "id_type",
        "data_type",
        "domain",
    }
)
# An item's own on/off flags (``uv_layer.active``); a collection's ``active`` is an item, so only read as a flag
# where the reader is an item, as a comprehension's loop variable is.
ITEM_FLAGS = frozenset({"active", "active_render"})


VALUE_PREFIXES = ("show_", "use_", "is_", "has_", "hide_", "frame_", "select")
# Numbers and names by their spelling (``active_material_index``, a custom ``parent_idx``, ``bone_count``).
VALUE_SUFFIXES = ("_index", "_idx", "_count", "_name")


# Calls that give an operator's properties (a button's in a layout, the last ones used), not Blender data: setting
# their ``name`` renames nothing.
OPERATOR_PROPERTIES_CALLS = frozenset(
    {"operator", "operator_menu_enum", "operator_menu_hold", "operator_properties_last"}
)


def copied_value(attr: str) -> bool:
    """Reading ``attr`` gives a plain value copied out of Blender's memory (a name, a flag, a number), not data."""
    return attr in VALUE_ATTRS or attr.startswith(VALUE_PREFIXES) or attr.endswith(VALUE_SUFFIXES)


# Float-array attributes (a vertex's ``co``, a bone's ``head``): an item or slice of one is a number or a tuple of
# them, copied out of Blender's memory (``vert.co[2]``), unlike the attribute itself (a vector that reads through).
NUMBER_ARRAYS = frozenset(
    {
        "co",
        "normal",
        "location",
        "rotation_euler",
        "rotation_quaternion",
        "scale",
        "color",
        "uv",
        "head",
        "tail",
        "dimensions",
        "handle_left",
        "handle_right",
        "vector",
    }
)


@dataclass(frozen=True)
class Stale:
    rule: Rule
    line: int
    cause: str  # e.g. "bezier_points.add() at line 4"


@dataclass(frozen=True)
class Binding:
    name: str
    key: str  # canonical dotted key of the value (alias chains expanded)
    container: str | None  # key of the container this value is an item of
    line: int
    alias: bool  # a plain attribute chain: later keys expand through it
    stale: Stale | None = None
    tags: frozenset[str] = frozenset()


@dataclass
class State:
    bindings: dict[str, Binding] = field(default_factory=dict)
    flags: dict[str, tuple[int, str]] = field(default_factory=dict)  # hook flag -> (line, what set it)
    dead: bool = False  # the path ended (return, raise, break, continue)

    def copy(self) -> State:
        return State(dict(self.bindings), dict(self.flags), self.dead)


def merge(states: list[State]) -> State:
    live = [s for s in states if not s.dead]
    if not live:
        out = states[0].copy() if states else State()
        out.dead = True
        return out
    out = live[0].copy()
    for other in live[1:]:
        for name, binding in other.bindings.items():
            mine = out.bindings.get(name)
            if mine is None or (binding.stale is not None and mine.stale is None):
                out.bindings[name] = binding
            elif mine.stale is None and binding.stale is None and mine.container is None and binding.container:
                out.bindings[name] = binding  # on some path it came to hold container items
        for flag, value in other.flags.items():
            out.flags.setdefault(flag, value)
    return out


class FlowHook:
    """Rule families subclass this to follow their own facts along a function. Every method may report."""

    def on_call(self, flow: FunctionFlow, state: State, call: ast.Call, key: str) -> None:
        """A call whose callee has the canonical key ``key`` (effects apply after the statement's reads)."""

    def on_store(
        self, flow: FunctionFlow, state: State, target: ast.Attribute | ast.Subscript, key: str, value: ast.AST | None
    ) -> None:
        """An assignment to an attribute or item; ``key`` is the target's key."""

    def on_load(self, flow: FunctionFlow, state: State, node: ast.Attribute | ast.Subscript, key: str) -> None:
        """A read of an attribute or item (called before the statement's calls take effect)."""

    def on_bind(self, flow: FunctionFlow, state: State, binding: Binding, value: ast.AST | None) -> None:
        """A name was bound (``value`` is None for loop targets)."""


class FunctionFlow:
    def __init__(
        self,
        facts: ModuleFacts,
        reporter: Reporter,
        hooks: list[FlowHook],
        function: ast.AST | None,
    ) -> None:
        self.facts = facts
        self.reporter = reporter
        self.hooks = hooks
        self.function = function  # None for module level
        self.counter = 0
        self.reported: set[tuple[str, int]] = set()  # (name, binding line) already reported stale
        self.quiet = False  # second walk over a loop body: effects only, no duplicate binding reports
        self.conditions: list[ast.expr] = []  # tests of the `if` statements whose body is being walked, outermost first

    # -- keys -------------------------------------------------------------------------------------------------
    def key_of(self, state: State, node: ast.AST) -> str | None:
        raw = dotted_raw(node)
        if raw is None:
            return None
        cut = len(raw)
        for index, char in enumerate(raw):
            if char in ".[(":
                cut = index
                break
        head, rest = raw[:cut], raw[cut:]
        binding = state.bindings.get(head)
        if binding is not None:
            return binding.key + rest
        alias = self.facts.aliases.get(head)
        return (alias + rest) if alias else raw

    def _constructor(self, state: State, receiver: ast.AST) -> bool:
        """``bmesh.new()``, ``Image.new(...)``: a module's function or a class's constructor makes a new object;
        it is no item of a collection that a later ``new()`` could move."""
        if not isinstance(receiver, ast.Name) or receiver.id in state.bindings:
            return False
        name = receiver.id
        imported = self.facts.aliases.get(name)  # a module or a name imported from one; not C, D or context
        return name[:1].isupper() or name in self.facts.classes or (imported is not None and "." not in imported)

    def fresh_key(self, name: str) -> str:
        self.counter += 1
        return f"{name}#{self.counter}"

    # -- statements -------------------------------------------------------------------------------------------
    def run(self, body: list[ast.stmt]) -> State:
        state = State()
        if isinstance(self.function, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = self.function.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
                if arg.arg not in {"self", "cls", "context", "bpy", "C", "D"}:
                    state.bindings[arg.arg] = Binding(arg.arg, self.fresh_key(arg.arg), None, arg.lineno, False)
        return self.block(body, state)

    def block(self, body: list[ast.stmt], state: State) -> State:
        index = 0
        tests: list[str | None] | None = None  # each statement's trusted `if` test, worked out at the first `if`
        while index < len(body) and not state.dead:
            stmt = body[index]
            partner = None
            if isinstance(stmt, ast.If):
                if tests is None:
                    tests = [_trusted_test(candidate) for candidate in body]
                partner = _same_test_later(body, tests, index)
            if partner is None:
                state = self.statement(stmt, state)
                index += 1
                continue
            # `if mode == 'OBJECT': <enter Edit Mode> ... if mode == 'OBJECT': <leave it>`: the second test has the
            # first one's answer, so each branch of the first is followed to the same branch of the second
            # instead of every pairing (which would leave Edit Mode "maybe entered" after the pair).
            second = body[partner]
            assert isinstance(stmt, ast.If) and isinstance(second, ast.If)
            yes, no = self._branches(stmt, state)
            yes = self.block(body[index + 1 : partner], yes)
            no = self.block(body[index + 1 : partner], no)
            if not yes.dead:
                yes = self._branches(second, yes)[0]
            if not no.dead:
                no = self._branches(second, no)[1]
            state = merge([yes, no])
            index = partner + 1
        return state

    def _branches(self, stmt: ast.If, state: State) -> tuple[State, State]:
        """The states at the end of an `if` statement's body and of its `else`, both entered from ``state``."""
        self.expression(stmt.test, state)
        self.conditions.append(stmt.test)
        try:
            yes = self.block(stmt.body, state.copy())
        finally:
            self.conditions.pop()
        return yes, self.block(stmt.orelse, state.copy())

    def statement(self, stmt: ast.stmt, state: State) -> State:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for decorator in stmt.decorator_list:
                self.expression(decorator, state)
            state.bindings.pop(stmt.name, None)
            return state
        if isinstance(stmt, ast.If):
            return merge(list(self._branches(stmt, state)))
        if isinstance(stmt, (ast.For, ast.AsyncFor)):
            self.expression(stmt.iter, state)
            container = self.key_of(state, stmt.iter)
            before = state.copy()
            inner = state
            outer_quiet = self.quiet  # a loop inside another loop's second walk stays quiet after it
            for walk in range(2):
                self.quiet = walk == 1 or outer_quiet
                self.bind_target(stmt.target, None, inner, container=container, line=stmt.lineno)
                inner = self.block(stmt.body, inner)
                inner.dead = False  # break/continue end an iteration, not the function
            self.quiet = outer_quiet
            after = merge([before, inner])
            return self.block(stmt.orelse, after)
        if isinstance(stmt, ast.While):
            before = state.copy()
            inner = state
            outer_quiet = self.quiet
            for walk in range(2):
                self.quiet = walk == 1 or outer_quiet
                self.expression(stmt.test, inner)
                inner = self.block(stmt.body, inner)
                inner.dead = False
            self.quiet = outer_quiet
            return self.block(stmt.orelse, merge([before, inner]))
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            for item in stmt.items:
                self.expression(item.context_expr, state)
                if item.optional_vars is not None:
                    self.bind_target(item.optional_vars, item.context_expr, state, line=stmt.lineno)
            return self.block(stmt.body, state)
        if isinstance(stmt, (ast.Try, ast.TryStar)):
            start = state.copy()
            body = self.block(stmt.body, state)
            ends = [self.block(stmt.orelse, body)]
            for handler in stmt.handlers:
                ends.append(self.block(handler.body, merge([start, body]) if not body.dead else start.copy()))
            out = merge(ends)
            final = stmt.finalbody
            if final:
                dead = out.dead
                out.dead = False
                out = self.block(final, out)
                out.dead = out.dead or dead
            return out
        if isinstance(stmt, ast.Match):
            self.expression(stmt.subject, state)
            return merge([self.block(case.body, state.copy()) for case in stmt.cases] + [state])
        # simple statements
        if isinstance(stmt, ast.Assign):
            self.expression(stmt.value, state, stores=stmt.targets)
            for target in stmt.targets:
                self.bind_target(target, stmt.value, state, line=stmt.lineno)
        elif isinstance(stmt, ast.AnnAssign):
            if stmt.value is not None:
                self.expression(stmt.value, state, stores=[stmt.target])
                self.bind_target(stmt.target, stmt.value, state, line=stmt.lineno)
        elif isinstance(stmt, ast.AugAssign):
            self.expression(stmt.value, state, stores=[stmt.target], aug=True)
        elif isinstance(stmt, (ast.Return, ast.Raise)):
            for child in ast.iter_child_nodes(stmt):
                self.expression(child, state)
            state.dead = True
        elif isinstance(stmt, (ast.Break, ast.Continue)):
            state.dead = True
        elif isinstance(stmt, ast.Delete):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    state.bindings.pop(target.id, None)
                else:
                    self.expression(target, state)
        elif isinstance(stmt, (ast.Global, ast.Nonlocal, ast.Import, ast.ImportFrom, ast.Pass)):
            pass
        else:
            for child in ast.iter_child_nodes(stmt):
                if isinstance(child, ast.expr):
                    self.expression(child, state)
        return state

    # -- bindings ---------------------------------------------------------------------------------------------
    def bind_target(
        self,
        target: ast.AST,
        value: ast.AST | None,
        state: State,
        *,
        container: str | None = None,
        line: int = 0,
    ) -> None:
        if isinstance(target, ast.Name):
            binding = self.binding_for(target.id, value, state, container, line)
            state.bindings[target.id] = binding
            for hook in self.hooks:
                hook.on_bind(self, state, binding, value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                element = element.value if isinstance(element, ast.Starred) else element
                # unpacking gives fresh values whose origin is the whole right-hand side
                self.bind_target(element, None, state, container=None, line=line)
        elif isinstance(target, ast.NamedExpr):
            self.bind_target(target.target, target.value, state, line=line)

    def binding_for(self, name: str, value: ast.AST | None, state: State, container: str | None, line: int) -> Binding:
        if value is None:
            if container is not None:  # loop over a container: an item of it
                return Binding(name, self.fresh_key(name), container, line, False)
            return Binding(name, self.fresh_key(name), None, line, False)
        if isinstance(value, ast.Subscript):
            if isinstance(value.value, ast.Attribute) and value.value.attr in NUMBER_ARRAYS:
                return Binding(name, self.fresh_key(name), None, line, False)  # a number (or numbers), copied
            item_of = self.key_of(state, value.value)
            return Binding(name, self.fresh_key(name), item_of, line, False)
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
            if value.func.attr in {"add", "new"}:
                if self._constructor(state, value.func.value):
                    return Binding(name, self.fresh_key(name), None, line, False)  # a new object, in no container
                receiver = self.key_of(state, value.func.value)
                return Binding(name, self.fresh_key(name), receiver, line, False, tags=frozenset({"from-add"}))
            callee = self.key_of(state, value.func)
            if callee is not None and callee.startswith("bmesh."):
                return Binding(name, self.fresh_key(name), None, line, False, tags=frozenset({"bmesh"}))
            if value.func.attr in OPERATOR_PROPERTIES_CALLS:
                return Binding(name, self.fresh_key(name), None, line, False, tags=frozenset({"operator-properties"}))
        if isinstance(value, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            held = self._comprehension_container(state, value)
            return Binding(name, self.fresh_key(name), held, line, False)
        if isinstance(value, ast.Attribute) and copied_value(value.attr):
            return Binding(name, self.fresh_key(name), None, line, False)  # a copied value, not Blender memory
        if isinstance(value, (ast.Attribute, ast.Name)):
            key = self.key_of(state, value)
            if key is not None:
                source = state.bindings.get(value.id) if isinstance(value, ast.Name) else None
                stale = source.stale if source is not None else None
                container = source.container if source is not None else None
                return Binding(name, key, container, line, True, stale)
        return Binding(name, self.fresh_key(name), None, line, False)

    def _comprehension_container(
        self, state: State, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp
    ) -> str | None:
        """``[b for b in bones]`` and ``{b.name: b.head for b in bones}`` hold items of ``bones`` (their sub-data
        when a value is an attribute of the loop variable); ``[v.co.copy() ...]`` or ``[v.index ...]`` hold copies."""
        generators = node.generators
        if len(generators) != 1 or not isinstance(generators[0].target, ast.Name):
            return None
        loop = generators[0].target.id
        values = [node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for value in values:
            if (
                isinstance(value, ast.Attribute)
                and value.attr in ITEM_FLAGS
                and isinstance(value.value, ast.Name)
                and value.value.id == loop
            ):
                return None  # [uv.active for uv in mesh.uv_layers]: flags, copied
            while isinstance(value, ast.Attribute):
                if copied_value(value.attr):
                    return None
                value = value.value
            if isinstance(value, ast.Name) and value.id == loop:
                return self.key_of(state, generators[0].iter)
        return None

    # -- expressions ------------------------------------------------------------------------------------------
    def expression(
        self, node: ast.AST, state: State, stores: Sequence[ast.AST] | None = None, aug: bool = False
    ) -> None:
        """Reads first (stale names, attribute loads), then stores, then calls take effect, in source order."""
        calls: list[ast.Call] = []
        loads: list[ast.Attribute | ast.Subscript] = []
        roots = [node, *(stores or [])]
        local: set[str] = set()  # names bound by comprehensions here: their own scope, not the function's
        for root in roots:
            for child in _walk_expression(root):
                if isinstance(child, ast.comprehension):
                    local.update(n.id for n in ast.walk(child.target) if isinstance(n, ast.Name))
        for root in roots:
            for child in _walk_expression(root):
                if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
                    if child.id not in local:
                        self.check_use(child, state)
                elif isinstance(child, ast.Call):
                    calls.append(child)
                elif isinstance(child, (ast.Attribute, ast.Subscript)) and isinstance(child.ctx, ast.Load):
                    loads.append(child)
        for target in stores or []:
            if aug and isinstance(target, ast.Name):
                self.check_use(target, state)
        for load in loads:
            key = self.key_of(state, load)
            if key is not None:
                for hook in self.hooks:
                    hook.on_load(self, state, load, key)
        for target in stores or []:
            for store in _store_targets(target):
                key = self.key_of(state, store)
                if key is not None:
                    for hook in self.hooks:
                        hook.on_store(self, state, store, key, node)
        calls.sort(key=lambda c: (c.lineno, c.col_offset))
        for call in calls:
            key = self.key_of(state, call.func)
            if key is not None:
                for hook in self.hooks:
                    hook.on_call(self, state, call, key)
        for root in roots:  # `while node := next(...)`: each evaluation binds the name afresh
            for child in _walk_expression(root):
                if isinstance(child, ast.NamedExpr):
                    self.bind_target(child.target, child.value, state, line=child.lineno)

    def check_use(self, name: ast.Name, state: State) -> None:
        binding = state.bindings.get(name.id)
        if binding is None or binding.stale is None:
            return
        marker = (name.id, binding.line)
        if marker in self.reported:
            return
        self.reported.add(marker)
        stale = binding.stale
        self.reporter.add(
            stale.rule,
            name.lineno,
            name.col_offset + 1,
            f"`{name.id}` (bound at line {binding.line}) is used after {stale.cause}; {stale.rule.fix}",
            name=name.id,
            bound_line=binding.line,
            invalidated_line=stale.line,
        )

    # -- invalidation -----------------------------------------------------------------------------------------
    def invalidate(self, state: State, predicate: Callable[[Binding], bool], stale: Stale) -> list[str]:
        """Mark bindings for which ``predicate(binding)`` holds stale, and what was derived from them."""
        hit: list[Binding] = []
        for name, binding in list(state.bindings.items()):
            if binding.stale is None and predicate(binding):
                state.bindings[name] = replace(binding, stale=stale)
                hit.append(binding)
        # what was derived from a stale binding (its sub-data), but not other datablocks it points at
        changed = bool(hit)
        while changed:
            changed = False
            prefixes = [b.key for b in state.bindings.values() if b.stale is not None]
            for name, binding in list(state.bindings.items()):
                if binding.stale is not None:
                    continue
                for prefix in prefixes:
                    if _derived(binding.key, prefix) or (binding.container and _derived(binding.container, prefix)):
                        state.bindings[name] = replace(binding, stale=stale)
                        changed = True
                        break
        return [b.name for b in hit]

    def report(self, rule: Rule, node: ast.AST, message: str, **details: Any) -> None:
        if self.quiet:
            return
        self.reporter.add(rule, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1, message, **details)


def _trusted_test(stmt: ast.stmt) -> str | None:
    """An `if` statement's test, dumped, when it is made of local names and constants only (no call, attribute or
    item, which a call could change), so that asking it twice gives the same answer unless a name is assigned."""
    if not isinstance(stmt, ast.If):
        return None
    has_name = False
    for node in ast.walk(stmt.test):
        if isinstance(node, ast.Name):
            has_name = True
        elif not isinstance(node, _PURE_TEST_NODES):
            return None
    return ast.dump(stmt.test) if has_name else None


def _same_test_later(body: list[ast.stmt], tests: list[str | None], index: int) -> int | None:
    """The index of a later `if` in ``body`` with ``body[index]``'s trusted test, none of whose names is assigned
    from the first up to it; None when there is no such `if`."""
    wanted = tests[index]
    if wanted is None:
        return None
    try:
        later = tests.index(wanted, index + 1)
    except ValueError:
        return None
    first = body[index]
    assert isinstance(first, ast.If)
    names = {node.id for node in ast.walk(first.test) if isinstance(node, ast.Name)}
    for stmt in body[index:later]:  # the first `if` too: a branch of it may assign a name of the test
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load) and node.id in names:
                return None
            if isinstance(node, (ast.Global, ast.Nonlocal)) and names.intersection(node.names):
                return None
    return later


# What a test the flow may trust to answer twice the same is made of.
_PURE_TEST_NODES = (
    ast.Name,
    ast.Constant,
    ast.Compare,
    ast.BoolOp,
    ast.UnaryOp,
    ast.Tuple,
    ast.Load,
    ast.expr_context,
    ast.cmpop,
    ast.boolop,
    ast.unaryop,
)


def _derived(key: str, prefix: str) -> bool:
    """``key`` is sub-data of ``prefix`` (``p#3.co`` of ``p#3``) and not another datablock it points at."""
    if key == prefix or not key.startswith(prefix) or key[len(prefix)] not in ".[(":
        return False
    rest = key[len(prefix) :]
    return not any(part in ID_POINTERS for part in segments(rest)[1:] if part)


def _walk_expression(node: ast.AST):  # noqa: ANN202 - generator of ast nodes
    """Every node of an expression, not descending into lambdas (they run later, elsewhere)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        for child in ast.iter_child_nodes(current):
            if not isinstance(child, ast.Lambda):
                stack.append(child)


def _store_targets(target: ast.AST) -> list[ast.Attribute | ast.Subscript]:
    if isinstance(target, (ast.Attribute, ast.Subscript)):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        out: list[ast.Attribute | ast.Subscript] = []
        for element in target.elts:
            out.extend(_store_targets(element.value if isinstance(element, ast.Starred) else element))
        return out
    return []


def contains_segment(key: str | None, names: frozenset[str]) -> bool:
    return key is not None and any(part in names for part in segments(key))


__all__ = ["Binding", "FlowHook", "FunctionFlow", "Stale", "State", "contains_segment", "last_attr", "merge"]
