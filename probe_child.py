"""Probe an operator's poll in child Blender processes (for operators the knowledge base does not list).

The child starts from factory settings, builds each candidate recipe with exactly the snippet code of
core/poll_text.py, and calls only ``poll()`` (never the operator). Answers come back one JSON line per recipe,
flushed before the next poll, so a child that crashes names the recipe it was polling; the parent records it and
starts a new child for the rest. The user's session never polls the operator.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

import bpy

from .core import poll_text

PROBE_TIMEOUT_S = 60.0
MAX_RECIPES = 40
_MARK = "@@GDPROBE "

# Runs in the child. argv[-1] is a JSON task: poll_text path, operator, recipes (list; null = the default context).
_CHILD = r"""
import importlib.util, json, os, sys
task = json.loads(sys.argv[-1])
spec = importlib.util.spec_from_file_location("gd_poll_text", task["poll_text"])
pt = importlib.util.module_from_spec(spec); sys.modules["gd_poll_text"] = pt; spec.loader.exec_module(pt)
import bpy
def say(obj):
    sys.stdout.write("@@GDPROBE " + json.dumps(obj) + "\n"); sys.stdout.flush()
group, name = task["op"].split(".")
if name not in dir(getattr(bpy.ops, group)):
    say({"unknown": True}); sys.exit(0)
op = getattr(getattr(bpy.ops, group), name)
for index, recipe in enumerate(task["recipes"]):
    say({"start": index})
    try:
        if recipe is None:
            bpy.ops.wm.read_factory_settings(use_empty=False)
            ok = bool(op.poll())
        else:
            bpy.ops.wm.read_factory_settings(use_empty=True)
            space = {"__name__": "gd_recipe"}
            exec(compile(pt.build_setup_code(pt.Recipe.from_json(recipe)), "<recipe>", "exec"), space)
            with bpy.context.temp_override(**space["override"]):
                ok = bool(op.poll())
    except Exception as error:
        say({"index": index, "setup_error": f"{type(error).__name__}: {error}"[:300]}); continue
    say({"index": index, "ok": ok})
    if ok:
        break
say({"done": True})
"""


def child_command(task: dict[str, Any]) -> list[str]:
    argument = json.dumps(task)
    if bpy.app.binary_path:  # a Blender binary: background, factory settings, no add-ons
        return [bpy.app.binary_path, "-b", "--factory-startup", "--python-expr", _CHILD, "--", argument]
    return [sys.executable, "-c", _CHILD, argument]  # the bpy module: this Python can import bpy


def candidates(idname: str, kbs: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """Recipes worth trying: this operator's passing recipe in any shipped KB, then its group's most common ones."""
    group = idname.split(".")[0]
    found: list[dict[str, Any] | None] = [None]  # the default context first
    counts: dict[str, tuple[int, dict[str, Any]]] = {}
    for kb in kbs:
        entry = kb["ops"].get(idname)
        if entry and "r" in entry:
            found.append(kb["recipes"][entry["r"]])
        for op, item in kb["ops"].items():
            if op.split(".")[0] == group and "r" in item:
                recipe = kb["recipes"][item["r"]]
                key = json.dumps(recipe, sort_keys=True)
                counts[key] = (counts.get(key, (0, recipe))[0] + 1, recipe)
    found += [recipe for _, recipe in sorted(counts.values(), key=lambda pair: -pair[0])]
    unique: list[dict[str, Any] | None] = []
    for recipe in found:
        if recipe not in unique and (recipe is None or all(s in poll_text.STEPS for s in recipe["setup"])):
            unique.append(recipe)
    return unique[:MAX_RECIPES]


def probe(idname: str, recipes: list[dict[str, Any] | None]) -> dict[str, Any]:
    """{"passing": recipe or None (None with passed_by_default), "crashes": [recipe...], "tried": n, "error": str}"""
    result: dict[str, Any] = {"passing": None, "passed_by_default": False, "crashes": [], "tried": 0, "error": None}
    pending = list(recipes)
    env = dict(os.environ, BLENDER_USER_RESOURCES=tempfile.mkdtemp(prefix="gotcha-doctor-probe-"))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core", "poll_text.py")
    for _attempt in range(4):  # a crash costs one child; the rest of the recipes go to the next one
        if not pending:
            break
        task = {"poll_text": path, "op": idname, "recipes": pending}
        try:
            done = subprocess.run(
                child_command(task), capture_output=True, text=True, env=env, timeout=PROBE_TIMEOUT_S, errors="replace"
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            result["error"] = f"the child process failed: {error}"
            return result
        answers = [json.loads(line[len(_MARK) :]) for line in done.stdout.splitlines() if line.startswith(_MARK)]
        if any(a.get("unknown") for a in answers):
            result["error"] = "not registered in a factory-settings child (an add-on's operator?)"
            return result
        started = [a["start"] for a in answers if "start" in a]
        result["tried"] += len(started)
        for answer in answers:
            if answer.get("ok"):
                recipe = pending[answer["index"]]
                result["passing"] = recipe
                result["passed_by_default"] = recipe is None
                return result
        if any(a.get("done") for a in answers):
            return result
        if not started:
            result["error"] = f"the child process ended before polling (exit {done.returncode})"
            return result
        crashed = started[-1]
        result["crashes"].append(pending[crashed])
        pending = pending[crashed + 1 :]
    return result
