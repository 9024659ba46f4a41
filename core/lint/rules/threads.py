"""Threads and threading timers that touch Blender data, or outlive the script that started them.

Gotcha: "Strange Errors when Using the 'Threading' Module".
"""

from __future__ import annotations

import ast

from ..astutil import call_arg, dotted_raw
from ..base import Family, Lint, Where
from ..model import Rule
from ..programs import own_program

THREAD_TOUCHES_BPY = Rule(
    "GD120",
    "thread-touches-blender",
    "threading",
    "ERROR",
    "A thread that touches Blender data keeps running after the script returns",
    "join() the thread before returning, or move the Blender work to bpy.app.timers.register()",
)
THREADING_TIMER = Rule(
    "GD121",
    "threading-timer-touches-blender",
    "threading",
    "ERROR",
    "threading.Timer runs Blender code on another thread after the script returned",
    "use bpy.app.timers.register(function, first_interval=...) instead of threading.Timer",
)


THREAD_LEFT_RUNNING = Rule(
    "GD122",
    "thread-left-running",
    "threading",
    "WARNING",
    "A thread (or threading.Timer) is started and not joined; Blender's Python is not thread-safe and threads "
    "still running after the script returns crash it",
    "join() the thread before returning, or run the work in a subprocess / bpy.app.timers",
)


class ThreadsFamily(Family):
    name = "threads"
    rules = (THREAD_TOUCHES_BPY, THREADING_TIMER, THREAD_LEFT_RUNNING)

    def on_call(self, lint: Lint, where: Where, call: ast.Call, key: str) -> None:
        tail = key.rsplit(".", 1)[-1]
        target: ast.AST | None
        if key not in {"threading.Thread", "threading.Timer", "Thread", "Timer"}:
            if tail == "submit" and call.args:  # executor.submit(fn): same as a thread
                target = call.args[0]
                self._check(lint, where, call, target, THREAD_TOUCHES_BPY, "executor task")
            return
        if tail == "Timer":
            target = call_arg(call, 1, "function")
            self._check(lint, where, call, target, THREADING_TIMER, "threading.Timer")
        else:
            target = next((kw.value for kw in call.keywords if kw.arg == "target"), None)
            if target is None and len(call.args) >= 2:
                target = call.args[1]
            self._check(lint, where, call, target, THREAD_TOUCHES_BPY, "thread")

    def _check(self, lint: Lint, where: Where, call: ast.Call, target: ast.AST | None, rule: Rule, what: str) -> None:
        if target is None or own_program(lint):  # a tool run in its own Python: its threads are not Blender's
            return
        function = lint.facts.function_for_name(target)
        if function is None and isinstance(target, ast.Name) and where.function is not None:
            function = _local_functions(where.function).get(target.id)  # a closure: def worker(): ... in execute()
        body = target if isinstance(target, ast.Lambda) else function
        touches = body is not None and (_touches_bpy(lint, body, set()) or _uses_blender_context(where, body))
        if not touches:
            if what != "executor task" and not _joined(lint, where):
                name = dotted_raw(target) or "lambda"
                lint.report(
                    THREAD_LEFT_RUNNING,
                    call,
                    f"{what} running `{name}` is started and never joined here; {THREAD_LEFT_RUNNING.fix}",
                )
            return
        if rule is THREAD_TOUCHES_BPY and _joined(lint, where):
            return  # the Gotchas page's supported pattern: threads finish before the script does
        name = dotted_raw(target) or "lambda"
        lint.report(rule, call, f"{what} running `{name}` touches Blender data from another thread; {rule.fix}")


# Calls that wait for a thread, or poll it from the main thread (a bpy.app.timers callback asking is_alive(): the
# pattern Blender's documentation recommends for work that must not block the UI).
_WAITS = frozenset({"join", "result", "shutdown", "wait", "is_alive"})
# What joins strings and paths, not threads.
_STRING_JOINERS = frozenset({"os.path", "posixpath", "ntpath", "str", "shlex"})


def _waits(node: ast.AST) -> bool:
    """``node`` is a call that waits for a thread. ``join`` counts only as a thread's: at most one argument (the
    timeout), on something that is not a string or a path module (``", ".join(names)``, ``os.path.join(a, b)``)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _WAITS):
        return False
    if node.func.attr != "join":
        return True
    receiver = node.func.value
    raw = dotted_raw(receiver) or ""
    if isinstance(receiver, (ast.Constant, ast.JoinedStr)) or raw in _STRING_JOINERS or raw.endswith("sep"):
        return False
    if len(node.args) > 1:
        return False
    # Thread.join(timeout): a number, or a name or expression holding one; str.join takes a sequence.
    return not node.args or isinstance(node.args[0], (ast.Constant, ast.Name, ast.Attribute, ast.BinOp))


def _joined(lint: Lint, where: Where) -> bool:
    """The scope that starts the thread also waits for it (join(), future.result(), executor.shutdown()) or polls
    it (is_alive())."""
    scope: ast.AST | None = where.function
    if where.cls is not None:
        scope = where.cls.node  # started in one method, joined in another (close(), cancel(), __exit__)
    if scope is not None:
        return any(_waits(n) for n in ast.walk(scope))
    stack: list[ast.AST] = [
        s for s in lint.tree.body if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
    ]
    while stack:
        node = stack.pop()
        if _waits(node):
            return True
        stack.extend(
            c
            for c in ast.iter_child_nodes(node)
            if not isinstance(c, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
        )
    return False


def _local_functions(scope: ast.AST) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions defined inside ``scope`` by name (closures handed to a thread, and what they call); the
    outermost of a name wins."""
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in ast.walk(scope):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node is not scope:
            found.setdefault(node.name, node)
    return found


def _uses_blender_context(where: Where, body: ast.AST) -> bool:
    """``body`` is defined in a method of an operator or a panel that takes ``context``, and reads that context,
    itself or through other functions defined in that method: Blender's context, from another thread."""
    function = where.function
    if where.cls is None or where.cls.kind not in {"operator", "ui"}:
        return False
    if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)) or "context" not in {
        arg.arg for arg in function.args.args
    }:
        return False
    local = _local_functions(function)
    todo, seen = [body], set()
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        own = current.args.args if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else []
        if any(arg.arg == "context" for arg in own):
            continue  # its own parameter of that name
        for node in ast.walk(current):
            if isinstance(node, ast.Name) and node.id == "context" and isinstance(node.ctx, ast.Load):
                return True
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in local:
                todo.append(local[node.func.id])
    return False


class _TouchesBpy(dict[int, bool]):
    """Per file, kept in ``lint.extra``: id of a function -> whether it reads Blender."""


def _touches_bpy(lint: Lint, function: ast.AST, seen: set[int]) -> bool:
    """The function reads Blender (a bpy name, bpy.context) directly or through a function of this module."""
    cache = lint.extra.get("touches_bpy")
    if not isinstance(cache, _TouchesBpy):
        cache = _TouchesBpy()
        lint.extra["touches_bpy"] = cache
    if id(function) in cache:
        return cache[id(function)]
    seen.add(id(function))
    result = False
    for node in ast.walk(function):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in {"bpy", "bmesh"} for a in node.names):
            result = True
        elif isinstance(node, ast.Name):
            target = lint.facts.aliases.get(node.id, "")
            if target.split(".", 1)[0] in {"bpy", "bmesh"} and node.id != "context":
                result = True
            elif isinstance(node.ctx, ast.Load) and node.id in lint.facts.functions:
                callee = lint.facts.functions[node.id]
                if id(callee) not in seen and _touches_bpy(lint, callee, seen):
                    result = True
        if result:
            break
    cache[id(function)] = result
    return result


FAMILY = ThreadsFamily()
