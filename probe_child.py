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
BUDGET_S = 0.9  # for all three steps once the child is warm (the first explanation also waits for its start)
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

    def poll_editors(self, idname: str, keys: list[str]) -> tuple[dict[str, bool], list[str]]:
        """({editor key: poll}, keys whose poll crashed a child) for the editors of one empty scene."""
        answers: dict[str, bool] = {}
        crashed: list[str] = []
        pending = list(keys)
        while pending:
            if not self.worker.alive():
                self.worker.stop()
                self.worker.start()
            self.worker.send({"cmd": "editors", "op": idname, "keys": pending})
            in_flight = None
            while True:
                answer = self.worker.read()
                if answer is None:  # the child died on the key in flight: record it, go on with the rest
                    self.worker.dead()
                    self.worker.stop()
                    if in_flight is None:
                        return answers, crashed + pending
                    crashed.append(in_flight)
                    pending = pending[pending.index(in_flight) + 1 :]
                    break
                if "start" in answer:
                    in_flight = answer["start"]
                elif "key" in answer and "ok" in answer:
                    answers[answer["key"]] = bool(answer["ok"])
                elif "done" in answer:
                    return answers, crashed
        return answers, crashed

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
    """Stop the warm child (unregister, exit) and forget its answers."""
    global _session
    _answers.clear()
    if _session is not None:
        _session.close()
        _session = None


atexit.register(shutdown)


def forget_answers() -> None:
    """Ask the child again next time (the warm child stays)."""
    _answers.clear()


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


_answers: dict[tuple[str, tuple[str, ...]], ProbeResult] = {}


def probe(
    idname: str, editor_keys: list[str], recipes: list[dict[str, Any]], budget_s: float = BUDGET_S
) -> ProbeResult:
    """Ask a child process about ``idname``'s poll (see the module docstring). Never raises for a child's failure:
    the result's ``error`` says what went wrong. Answers are kept for the session (a fresh child's answers do not
    depend on the user's scene), so asking again is free."""
    key = (idname, tuple(editor_keys))
    if key in _answers:
        return _answers[key]
    started = time.monotonic()
    result = ProbeResult()
    child = session()
    with child.lock:
        try:
            if idname not in child.registered():
                result.error = "not registered in a factory-settings child (an add-on's operator?)"
                return result
            _probe(child, idname, editor_keys, recipes, time.monotonic() + budget_s, result)
        except (OSError, RuntimeError) as error:
            result.error = f"the child process failed: {error}"
            return result
    result.seconds = time.monotonic() - started
    _answers[key] = result
    return result


def _probe(
    child: ProbeSession,
    idname: str,
    editor_keys: list[str],
    recipes: list[dict[str, Any]],
    deadline: float,
    result: ProbeResult,
) -> None:
    # 1. Where may it be polled in the user's session? The default context, then each editor of the screen.
    answer, why = child.poll(idname, None)
    result.tried += 1
    if why and why.startswith("crash"):
        result.crashes.append(None)
    elif answer is not None:
        result.editors[None] = answer
    polled, crashed = child.poll_editors(idname, editor_keys)
    result.tried += len(editor_keys)
    result.editors.update(polled)
    result.crashes += [editor_recipe(key) for key in crashed]
    if result.editors.get(None):
        result.passed_by_default = True
        return
    # 2. A passing context, within the budget.
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
    # 3. Minimize within the same budget: what is left was needed (poll failed without it).
    result.minimized = True
    changed = True
    while changed:
        changed = False
        for variant in library.simpler(passing):
            if time.monotonic() > deadline:
                result.minimized = False
                break
            answer, _ = child.poll(idname, variant)
            result.tried += 1
            if answer:
                passing, changed = variant, True
                break
    result.passing = passing
