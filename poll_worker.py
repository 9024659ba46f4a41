"""A poll worker: a child process that imports bpy and answers poll questions, one JSON line per answer.

Protocol (stdin -> the answer pipe, one JSON object per line):
  {"cmd": "hello"}                                     -> {"version": "5.0.1", "ops": [...]}
  {"cmd": "batch", "recipe": {...}, "ops": [...], "message": bool}
      -> {"setup": "ok"} or {"setup": "error", "error": "..."}, then per op {"op": ..., "ok": bool, ...}, then {"done": 1}
  {"cmd": "editors", "op": "...", "keys": ["DOPESHEET", "VIEW_3D:UI", ...]}
      -> per key {"start": key} then {"key": key, "ok": bool} (or "error"), then {"done": 1}
Each answer is flushed before the next poll starts, so when this process dies (a poll that segfaults) the parent
knows exactly which operator was being polled. The worker never executes an operator on purpose: it only calls
``poll()``, and calls the operator only to read Blender's message right after ``poll()`` returned False twice in a
row in the same, unchanged context -- the call then runs the same poll, fails, and raises RuntimeError before any
``execute``/``invoke`` (observed for every failing operator of 5.0.1). If a call ever does
not raise, the answer says ``executed`` and the worker rebuilds its context before going on.
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

_CORE_POLL = Path(__file__).resolve().parent / "core" / "poll"
if "BLENDER_USER_RESOURCES" not in os.environ:  # started by hand (try_recipe.py): a folder of its own, removed at exit
    _OWN_FOLDER = tempfile.mkdtemp(prefix="gd-poll-worker-")
    atexit.register(shutil.rmtree, _OWN_FOLDER, True)
    os.environ["BLENDER_USER_RESOURCES"] = os.environ["TMPDIR"] = _OWN_FOLDER
    tempfile.tempdir = _OWN_FOLDER  # what the recipes write goes there too


def load_by_path(name: str = "gd_poll") -> Any:
    """Import core/poll as the package ``name`` from its folder: this script runs without its own package."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, _CORE_POLL / "__init__.py", submodule_search_locations=[str(_CORE_POLL)]
        )
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return sys.modules[name]


load_by_path()
recipe_module = importlib.import_module("gd_poll.recipe")
parse_module = importlib.import_module("gd_poll.parse")

import bpy  # noqa: E402 - after BLENDER_USER_RESOURCES

# Answers go to their own pipe (fd GD_ANSWER_FD), so Blender's own prints on stdout never mix with them.
_OUT = os.fdopen(int(os.environ.get("GD_ANSWER_FD", "1")), "w", encoding="utf-8")


def say(obj: dict[str, Any]) -> None:
    _OUT.write(json.dumps(obj) + "\n")
    _OUT.flush()


def op_of(idname: str) -> Any:
    group, name = idname.split(".")
    return getattr(getattr(bpy.ops, group), name)


def reset(*, factory_objects: bool) -> None:
    # use_empty=False is the factory startup (cube, camera, light); recipes start from an empty scene so that every
    # object they need is made by a named setup step.
    bpy.ops.wm.read_factory_settings(use_empty=not factory_objects)


def build(recipe_json: dict[str, Any] | None) -> dict[str, Any]:
    """Reset, then run the recipe's setup code (our own step functions' bodies, core/poll/steps.py); returns the override."""
    return build_namespace(recipe_json)["override"]


def build_namespace(recipe_json: dict[str, Any] | None) -> dict[str, Any]:
    """build(), returning every name the setup code defined (``override``, ``obj``, ...)."""
    if recipe_json is None:  # the default context: factory startup, no override at all
        reset(factory_objects=True)
        return {"override": {}, "obj": bpy.context.view_layer.objects.active}  # the Cube
    reset(factory_objects=False)
    recipe = recipe_module.Recipe.from_json(recipe_json)
    code = recipe_module.build_setup_code(recipe)
    namespace: dict[str, Any] = {"__name__": "gd_recipe"}
    exec(compile(code, "<recipe>", "exec"), namespace)  # noqa: S102 - our own setup code, never user input
    return namespace


def alive(obj: Any) -> bool:
    try:
        return obj is not None and obj.name in bpy.data.objects
    except ReferenceError:  # the setup removed it
        return False


def decoy_probe(idnames: list[str], override: dict[str, Any], obj: Any) -> None:
    """Does each operator's poll (which passed with ``obj`` active) honour an overridden active object?

    A decoy Empty becomes the view layer's active object. If poll now fails, it depends on the active object; then it
    is polled again with ``obj`` passed as ``active_object``/``object`` (and ``edit_object`` in Edit Mode) to
    temp_override. Still failing = the poll reads the view layer itself, so overriding those members is ignored.
    Runs after every plain poll of the batch (it changes the scene); each answer is {"decoy": op, "result": ...}.
    """
    decoy = bpy.data.objects.new("GD Decoy", None)
    bpy.context.scene.collection.objects.link(decoy)
    bpy.context.view_layer.objects.active = decoy
    members = {"active_object": obj, "object": obj}
    if obj.mode == "EDIT":
        members["edit_object"] = obj
    for idname in idnames:
        say({"decoy_start": idname})
        try:
            if poll(idname, override):
                result = "independent"  # passes with the decoy active: the active object is not what it needs
            else:
                result = "honoured" if poll(idname, {**override, **members}) else "ignored"
        except Exception as error:  # noqa: BLE001 - an exotic member combination raising is no finding
            result = f"error: {type(error).__name__}"
        say({"decoy": idname, "result": result})


def poll(idname: str, override: dict[str, Any]) -> bool:
    operator = op_of(idname)
    if not override:
        return bool(operator.poll())
    with bpy.context.temp_override(**override):
        return bool(operator.poll())


def message_after_failed_poll(idname: str, override: dict[str, Any]) -> tuple[str | None, bool]:
    """(error text, executed). Only called right after poll() returned False twice in this context."""
    operator = op_of(idname)
    try:
        if override:
            with bpy.context.temp_override(**override):
                operator()
        else:
            operator()
    except RuntimeError as error:
        return str(error), False
    except TypeError as error:  # a required argument we cannot know: the call stopped before poll
        return f"TypeError: {error}", False
    return None, True


def run_batch(task: dict[str, Any]) -> None:
    recipe = task.get("recipe")
    try:
        namespace = build_namespace(recipe)
        override = namespace["override"]
    except Exception as error:  # noqa: BLE001 - any setup failure is reported to the parent, which skips the recipe
        say(
            {
                "setup": "error",
                "error": f"{type(error).__name__}: {error}"[:500],
                "trace": traceback.format_exc()[-800:],
            }
        )
        return
    say({"setup": "ok"})
    passed: list[str] = []
    for idname in task["ops"]:
        say({"start": idname})  # the parent learns which op is in flight if we die now
        answer: dict[str, Any] = {"op": idname}
        try:
            first = poll(idname, override)
            second = poll(idname, override)
        except Exception as error:  # noqa: BLE001 - poll raising (e.g. a bad override) is a result, not a sweep error
            answer.update(ok=False, error=f"{type(error).__name__}: {error}"[:300])
            say(answer)
            continue
        answer["ok"] = first and second
        answer["det"] = first == second
        if task.get("message") and not first and not second:
            text, executed = message_after_failed_poll(idname, override)
            answer["msg"] = text
            if executed:
                answer["executed"] = True
                say(answer)
                namespace = build_namespace(recipe)  # the call ran: start from a clean context again
                override = namespace["override"]
                continue
        say(answer)
        if answer["ok"]:
            passed.append(idname)
    obj = namespace.get("obj")
    if task.get("decoy") and passed and alive(obj):
        decoy_probe(passed, override, obj)
    say({"done": 1})


def run_editors(task: dict[str, Any]) -> None:
    """One operator in several editors of one empty scene: a single reset, then each editor in turn (the largest
    area switched to it, as the snippet does). Answers {"start": key}, then {"key": key, "ok": bool} or
    {"key": key, "error": ...}; a crash leaves the key in flight as the last "start"."""
    reset(factory_objects=False)
    for key in task["keys"]:
        say({"start": key})
        ui_type, _, region = key.partition(":")
        recipe = recipe_module.Recipe(ui_type, region or "WINDOW", "OBJECT", ())
        namespace: dict[str, Any] = {"__name__": "gd_recipe"}
        try:
            exec(compile(recipe_module.build_setup_code(recipe), "<editor>", "exec"), namespace)  # noqa: S102
            say({"key": key, "ok": poll(task["op"], namespace["override"])})
        except Exception as error:  # noqa: BLE001 - an editor this Blender cannot show is an answer, not an error
            say({"key": key, "error": f"{type(error).__name__}: {error}"[:300]})
    say({"done": 1})


def main() -> None:
    for line in sys.stdin:
        task = json.loads(line)
        if task["cmd"] == "hello":
            say(
                {
                    "version": bpy.app.version_string,
                    "version_tuple": list(bpy.app.version),
                    "ops": parse_module.operator_idnames(bpy.ops),
                }
            )
        elif task["cmd"] == "batch":
            run_batch(task)
        elif task["cmd"] == "editors":
            run_editors(task)
        elif task["cmd"] == "quit":
            break


if __name__ == "__main__":
    main()
