"""Probe an operator's poll in a child Blender process, for operators no knowledge base lists.

The child is poll_worker.py (the sweep's worker): it starts from factory settings, builds each recipe with exactly
the snippet code of core/poll/recipe.py and only calls ``poll()``, never the operator. One child stays warm for the
session (started on first use, stopped at unregister), so a later explanation costs a few factory resets, not a
Blender start. A child that crashes names the recipe it was polling; it is recorded and a new child goes on.

What it asks, in order, within a time budget:
1. the default context and each editor of the user's screen (empty scene, main region): where poll answered without
   a crash, the explainer may poll it in the user's session too (the same rule as a knowledge base's safety map);
2. candidate recipes (this operator's passing context in any knowledge base, then its group's) until one passes;
3. that recipe minimized (one step, the mode, the region or the editor less while poll still passes), so the
   requirements named are the ones observed to be needed.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bpy

from .core.poll import library
from .core.poll.kb import KnowledgeBase
from .core.poll.steps import STEPS
from .core.poll.sweep import Worker, run_batch

WORKER_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "poll_worker.py")
MAX_CANDIDATES = 40
BUDGET_S = 0.8  # for steps 2 and 3 once the child is warm (the first explanation also waits for its start)
ANSWER_TIMEOUT_S = 30.0


def worker_command() -> list[str]:
    """How to start poll_worker.py with this Blender: the binary in background with factory settings, or (the bpy
    module) this Python, which can import bpy."""
    if bpy.app.binary_path and not bpy.app.binary_path.endswith(("python", "python3")):
        return [bpy.app.binary_path, "-b", "--factory-startup", "--python", WORKER_SCRIPT]
    return [sys.executable, WORKER_SCRIPT]


@dataclass
class ProbeResult:
    editors: dict[str | None, bool] = field(default_factory=dict)  # editor key (None: default context) -> poll
    crashes: list[dict[str, Any] | None] = field(default_factory=list)  # recipes whose poll killed a child
    passing: dict[str, Any] | None = None
    passed_by_default: bool = False
    minimized: bool = False
    tried: int = 0
    error: str | None = None
    seconds: float = 0.0


class ProbeSession:
    """One warm child process and its private user folder (removed on close)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gotcha-doctor-probe-"))
        (self.folder / "user").mkdir()
        # TMPDIR too: files a recipe writes (a library .blend, an image) stay in this folder, removed on close.
        env = {"BLENDER_USER_RESOURCES": str(self.folder / "user"), "TMPDIR": str(self.folder / "user")}
        self.worker = Worker(worker_command(), self.folder, 0, env=env, timeout_s=ANSWER_TIMEOUT_S)
        self.operators: set[str] | None = None
        self.lock = threading.Lock()

    def registered(self) -> set[str]:
        if self.operators is None:
            if not self.worker.alive():
                self.worker.start()
            self.worker.send({"cmd": "hello"})
            answer = self.worker.read()
            if answer is None:
                raise RuntimeError(f"the child process ended on start ({self.worker.dead()})")
            self.operators = set(answer["ops"])
        return self.operators

    def poll(self, idname: str, recipe: dict[str, Any] | None) -> tuple[bool | None, str | None]:
        """(poll's answer, None) or (None, why there is none: "crash: signal 11", "setup: ...")."""
        result = run_batch(self.worker, recipe, [idname], False, False)
        if idname in result.crashes:
            return None, f"crash: {result.crashes[idname]}"
        if result.setup_error:
            return None, f"setup: {result.setup_error}"
        answer = result.answers.get(idname)
        if answer is None or "error" in answer:
            return None, f"error: {(answer or {}).get('error', 'no answer')}"
        return bool(answer.get("ok")), None

    def close(self) -> None:
        self.worker.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


_session: ProbeSession | None = None


def session() -> ProbeSession:
    global _session
    if _session is None:
        _session = ProbeSession()
    return _session


def shutdown() -> None:
    """Stop the warm child (unregister, exit)."""
    global _session
    if _session is not None:
        _session.close()
        _session = None


atexit.register(shutdown)


def editor_recipe(key: str) -> dict[str, Any]:
    ui_type, _, region = key.partition(":")
    return {"ui_type": ui_type, "region": region or "WINDOW", "mode": "OBJECT", "setup": []}


def candidates(idname: str, kbs: list[KnowledgeBase], version: tuple[int, ...]) -> list[dict[str, Any]]:
    """Recipes worth trying: this operator's passing context in any knowledge base, its group's most used ones
    there, then the group's likely recipes from the library."""
    group = idname.split(".")[0]
    found: list[dict[str, Any]] = []
    for kb in kbs:
        item = kb.ops.get(idname)
        if item is not None and item.get("recipe") is not None:
            found.append(kb.recipes[item["recipe"]])
    for kb in kbs:
        found += kb.group_recipes(group)
    found += library.candidates(group, version)
    unique: list[dict[str, Any]] = []
    for recipe in found:
        if recipe not in unique and all(step in STEPS for step in recipe["setup"]):
            unique.append(recipe)
    return unique[:MAX_CANDIDATES]


def probe(
    idname: str, editor_keys: list[str], recipes: list[dict[str, Any]], budget_s: float = BUDGET_S
) -> ProbeResult:
    """Ask a child process about ``idname``'s poll (see the module docstring). Never raises for a child's failure:
    the result's ``error`` says what went wrong."""
    started = time.monotonic()
    result = ProbeResult()
    child = session()
    with child.lock:
        try:
            if idname not in child.registered():
                result.error = "not registered in a factory-settings child (an add-on's operator?)"
                return result
            _probe(child, idname, editor_keys, recipes, budget_s, result)
        except (OSError, RuntimeError) as error:
            result.error = f"the child process failed: {error}"
    result.seconds = time.monotonic() - started
    return result


def _probe(
    child: ProbeSession,
    idname: str,
    editor_keys: list[str],
    recipes: list[dict[str, Any]],
    budget_s: float,
    result: ProbeResult,
) -> None:
    # 1. Where may it be polled in the user's session? The default context, then each editor of the screen.
    for key in [None, *editor_keys]:
        recipe = None if key is None else editor_recipe(key)
        answer, why = child.poll(idname, recipe)
        result.tried += 1
        if why and why.startswith("crash"):
            result.crashes.append(recipe)
        elif answer is not None:
            result.editors[key] = answer
    if result.editors.get(None):
        result.passed_by_default = True
        return
    # 2. A passing context, within the budget (it starts once the child is warm).
    deadline = time.monotonic() + budget_s
    passing = None
    for recipe in recipes:
        if time.monotonic() > deadline:
            result.error = f"time budget spent after {result.tried} contexts"
            break
        answer, why = child.poll(idname, recipe)
        result.tried += 1
        if why and why.startswith("crash"):
            result.crashes.append(recipe)
        if answer:
            passing = recipe
            break
    if passing is None:
        return
    # 3. Minimize: what is left was needed (poll failed without it).
    result.minimized = True
    changed = True
    while changed:
        changed = False
        for variant in library.simpler(passing):
            if time.monotonic() > deadline + budget_s:
                result.minimized = False
                break
            answer, _ = child.poll(idname, variant)
            result.tried += 1
            if answer:
                passing, changed = variant, True
                break
    result.passing = passing
