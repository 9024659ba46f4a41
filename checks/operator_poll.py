"""Explain why an operator's poll fails here (on demand: ``gotcha.explain_poll``; not part of a scan, so it is not
in ALL_CHECKS).

Safety rules (issue 5): no operator is ever executed. ``poll()`` is called in this process only for operators the
knowledge base (poll_kb/kb-<version>.json.gz, made by tools/poll_kb/sweep.py) lists for this Blender version and
never saw crash. Blender's own message is read only where the KB marks the operator's poll deterministic and the call
safe: the call comes right after ``poll()`` returned False in the same, unchanged context, so Blender runs that same
poll again, it fails again, and the call raises RuntimeError before any execute/invoke (the sweep observed exactly
that for every such operator). Everything else is read from RNA and the context, which is safe to read.
"""

from __future__ import annotations

import difflib
import gzip
import inspect
import json
import os
from typing import Any

import bpy

from ..core import poll_text
from ..core.findings import CheckInfo, Finding

INFO = CheckInfo(
    id="operator_poll",
    topic="operator-poll",
    title="Operator poll explained",
    description="Why an operator's poll() fails in this context, what it needs, and a context in which it passes",
    severity="WARNING",
)
COPY_FIX = "copy_poll_snippet"  # a fix key (operators.FIX_OPERATORS)
KB_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "poll_kb")

# Operators whose execute (or a setup need) goes around temp_override: known from their source, not from the
# sweep. Polls that ignore an overridden active object are measured by the sweep instead (KB flag "io").
OVERRIDE_NOTES = {
    "object.mode_set": "reads the view layer's active object directly: overriding 'object' or 'active_object' is "
    "ignored; set view_layer.objects.active instead",
    "object.select_all": "acts on the view layer's objects, not on an overridden 'selected_objects'",
    "ed.undo": "needs the undo system initialized (bpy.ops.ed.undo_push()); background sessions start without it",
    "ed.redo": "needs the undo system initialized (bpy.ops.ed.undo_push()); background sessions start without it",
}

IGNORES_ACTIVE_OVERRIDE = (
    "its poll ignores an overridden active object: passing 'active_object'/'object' to temp_override does not "
    "help (measured: with another object active in the view layer, poll failed even with them overridden); set "
    "context.view_layer.objects.active instead"
)

_kb_cache: dict[str, Any] = {}


# ---------------------------------------------------------------------------------------------------------------
# The knowledge base


def kb_files() -> dict[str, str]:
    """version string -> path of every shipped KB."""
    found = {}
    if os.path.isdir(KB_DIR):
        for name in os.listdir(KB_DIR):
            if name.startswith("kb-") and name.endswith(".json.gz"):
                found[name[3:-8]] = os.path.join(KB_DIR, name)
    return found


def load_kb(version: str | None = None) -> tuple[dict[str, Any] | None, str]:
    """(KB, how it matched): the KB of this exact version, else of the same major.minor, else None."""
    version = version or ".".join(str(part) for part in bpy.app.version)  # version_string may end in " LTS"
    files = kb_files()
    chosen = files.get(version)
    how = "exact"
    if chosen is None:
        same_series = sorted(v for v in files if v.split(".")[:2] == version.split(".")[:2])
        if same_series:
            chosen, how = files[same_series[-1]], f"same series ({same_series[-1]})"
    if chosen is None:
        return None, "none"
    if chosen not in _kb_cache:
        with gzip.open(chosen, "rb") as handle:
            _kb_cache[chosen] = json.loads(handle.read().decode("utf-8"))
    return _kb_cache[chosen], how


# ---------------------------------------------------------------------------------------------------------------
# Reading the operator and the context (read-only)


def registered_operators() -> list[str]:
    return poll_text.operator_idnames(bpy.ops)


def operator_proxy(idname: str) -> Any:
    """bpy.ops' proxy for a registered operator, or None (bpy.ops makes a proxy for any name, so check the RNA)."""
    group, name = idname.split(".")
    module = getattr(bpy.ops, group)
    if name not in dir(module):
        return None
    proxy = getattr(module, name)
    try:
        proxy.get_rna_type()
    except KeyError:
        return None
    return proxy


def python_poll_source(idname: str) -> dict[str, Any] | None:
    """File and line of a Python operator's poll (None for operators written in C)."""
    cls = bpy.types.Operator.bl_rna_get_subclass_py(poll_text.class_name(idname))
    if cls is None:
        return None
    poll = getattr(cls, "poll", None)
    result: dict[str, Any] = {
        "class": cls.__name__,
        "module": cls.__module__,
        "file": None,
        "line": None,
        "has_poll": poll is not None,
    }
    if poll is None:
        return result
    function = getattr(poll, "__func__", poll)
    try:
        result["file"] = inspect.getsourcefile(function)
        result["line"] = inspect.getsourcelines(function)[1]
    except (OSError, TypeError) as error:
        result["source_error"] = str(error)
    return result


def _editor_words(ui_type: str) -> str:
    return poll_text.EDITORS.get(ui_type, (ui_type, ui_type.replace("_", " ").title()))[1]


def _object_words(obj: Any) -> str:
    if obj is None:
        return "there is no active object"
    kind = obj.type.replace("_", " ").title().replace("Greasepencil", "Grease Pencil").replace("Font", "Text")
    return f'active is {kind} "{obj.name}" in {poll_text.mode_words(obj.mode)}'


def area_list(context: Any) -> list[Any]:
    screen = context.screen or (context.window.screen if context.window else None)
    return list(screen.areas) if screen else []


# Data steps -> (test on the context, what is there instead). Only reads.
def _have(step: str, context: Any) -> bool | None:
    obj = context.view_layer.objects.active if context.view_layer else None
    scene = context.scene
    tests = {
        "keyframes": lambda: bool(obj and obj.animation_data and obj.animation_data.action),
        "driver": lambda: bool(obj and obj.animation_data and len(obj.animation_data.drivers)),
        "nla_strip": lambda: bool(obj and obj.animation_data and len(obj.animation_data.nla_tracks)),
        "shape_keys": lambda: bool(obj and getattr(obj.data, "shape_keys", None)),
        "vertex_group": lambda: bool(obj and len(obj.vertex_groups)),
        "modifier": lambda: bool(obj and len(obj.modifiers)),
        "constraint": lambda: bool(obj and len(obj.constraints)),
        "material": lambda: bool(obj and obj.active_material),
        "particle_system": lambda: bool(obj and len(getattr(obj, "particle_systems", ()))),
        "markers": lambda: any(marker.select for marker in scene.timeline_markers),
        "strips": lambda: bool(
            _sequencer_scene(context)
            and _sequencer_scene(context).sequence_editor
            and len(_strips(_sequencer_scene(context).sequence_editor))
        ),
        "second_selected": lambda: len(context.selected_objects) >= 2,
        "rigid_body": lambda: bool(scene.rigidbody_world and obj and obj.rigid_body),
        "text": lambda: len(bpy.data.texts) > 0,
        "image": lambda: len(bpy.data.images) > 0,
        "movie_clip": lambda: len(bpy.data.movieclips) > 0,
        "mask": lambda: len(bpy.data.masks) > 0,
        "world": lambda: scene.world is not None,
        "saved_file": lambda: bool(bpy.data.filepath),
    }
    test = tests.get(step)
    return None if test is None else bool(test())


def _sequencer_scene(context: Any) -> Any:
    return getattr(context.workspace, "sequencer_scene", None) or context.scene


def _strips(editor: Any) -> Any:
    return editor.strips if hasattr(editor, "strips") else editor.sequences


# ---------------------------------------------------------------------------------------------------------------
# Polling (only what the KB says is safe)


def _poll(proxy: Any, override: dict[str, Any] | None) -> bool:
    if not override:
        return bool(proxy.poll())
    with bpy.context.temp_override(**override):
        return bool(proxy.poll())


def _editor_key(context: Any) -> str | None:
    """None for no area (the default context), "DOPESHEET", or "VIEW_3D:UI" for a region other than the main one."""
    if context.area is None:
        return None
    region = context.region.type if context.region is not None else "WINDOW"
    return context.area.ui_type + ("" if region == "WINDOW" else f":{region}")


def _main_region(area: Any) -> Any:
    return next((region for region in area.regions if region.type == "WINDOW"), None)


def _message_after_failed_poll(proxy: Any, idname: str) -> str | None:
    """Blender's reason, from the RuntimeError of a call made right after poll() returned False here.

    Only used where the KB marks the poll deterministic and this call safe (see the module docstring): the call
    re-runs the same poll in the same context, it fails, and Blender raises before executing anything.
    """
    try:
        proxy()
    except RuntimeError as error:
        return poll_text.poll_message_from_error(idname, str(error))
    except TypeError:  # a required property: the call stopped before poll
        return None
    raise AssertionError(f"{idname} ran although its poll had just failed")  # never reached: the KB rules it out


# ---------------------------------------------------------------------------------------------------------------


def all_kbs() -> list[dict[str, Any]]:
    kbs = []
    for version in sorted(kb_files()):
        kb, _ = load_kb(version)
        if kb is not None:
            kbs.append(kb)
    return kbs


def explain(text: str, context: Any, *, use_kb: bool = True, probe: bool = True) -> Finding:
    """The one finding that explains ``text``'s poll here. Raises BadOperatorText for text that names no operator.

    use_kb=False answers as for a Blender version without a knowledge base; probe=False skips the child process.
    """
    idname = poll_text.parse_operator(text)
    proxy = operator_proxy(idname)
    if proxy is None:
        known = registered_operators()
        close = difflib.get_close_matches(idname, known, n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(close)}?" if close else " (an add-on that is not enabled, or a typo?)"
        raise poll_text.BadOperatorText(f"bpy.ops.{idname} is not a registered operator{hint}")

    kb, kb_match = load_kb() if use_kb else (None, "none")
    entry = (kb or {}).get("ops", {}).get(idname) if kb else None
    recipes = (kb or {}).get("recipes", [])
    details: dict[str, Any] = {
        "operator": idname,
        "blender_version": bpy.app.version_string,
        "knowledge_base": kb["blender_version"] if kb else None,
        "kb_match": kb_match,
    }
    warnings: list[str] = []
    crashes = (entry or {}).get("x") or []
    if crashes:
        places = ", ".join("with no context override" if r is None else _recipe_short(recipes[r]) for r in crashes)
        warnings.append(
            f"poll() crashed Blender during the knowledge-base sweep ({places}); "
            "it is not called here, and you should always call it inside a temp_override"
        )
    if idname in OVERRIDE_NOTES:
        warnings.append(OVERRIDE_NOTES[idname])
    if entry and entry.get("io"):
        warnings.append(IGNORES_ACTIVE_OVERRIDE)
    if entry and entry.get("nd"):
        warnings.append("its poll gave different answers when asked twice in the same context")

    # 1. Poll here and in each area of this screen, when the KB says that is safe.
    safe = entry is not None and not crashes
    poll_here: bool | None = None
    areas_report: list[dict[str, Any]] = []
    message = None
    if safe:
        # Only where the sweep polled this operator without a crash: the default context (no area) and every
        # editor of the KB's safety map (empty scene, main region; the 3D Viewport's sidebar, where the panel runs).
        swept = set((kb or {}).get("swept_editors", ()))
        here = _editor_key(context)
        if here is None or here in swept:
            poll_here = _poll(proxy, None)
            if not poll_here and entry.get("ms") and not entry.get("nd"):
                message = _message_after_failed_poll(proxy, idname)
        window = context.window
        for area in area_list(context):
            region = _main_region(area)
            polled = bool(window and region and area.ui_type in swept)
            override = {"window": window, "screen": window.screen, "area": area, "region": region} if polled else None
            areas_report.append(
                {"area": area.type, "ui_type": area.ui_type, "poll": _poll(proxy, override) if override else None}
            )
        details["polled"] = (
            "in this Blender session (the knowledge base polled it in these editors without a crash)"
            if poll_here is not None
            else f"not polled in this context ({here} is not in the knowledge base's safety map); the areas of "
            "this screen were polled where the map allows"
        )
    elif crashes:
        details["polled"] = "not polled: its poll() is a recorded crasher"
    else:
        details["polled"] = (
            f"not polled here: no knowledge base entry for it in Blender {bpy.app.version_string}; "
            "explained from what can be read safely (RNA, Python source, the context)"
        )
    probed = None
    if entry is None and probe:
        from .. import probe_child

        probed = probe_child.probe(idname, probe_child.candidates(idname, all_kbs()))
        details["polled"] += f"; probed in a child Blender process ({probed['tried']} contexts tried"
        details["polled"] += f": {probed['error']})" if probed["error"] else ")"
        for crashed in probed["crashes"]:
            where = "with no context override" if crashed is None else _recipe_short(crashed)
            warnings.append(f"poll() crashed a child Blender process ({where}); never call it there")
    details["poll_here"] = poll_here
    details["areas"] = areas_report
    details["blender_message"] = message or ((entry or {}).get("m") if entry else None)

    # 2. What it needs (the verified passing context) against what is here.
    recipe = poll_text.Recipe.from_json(recipes[entry["r"]]) if entry and "r" in entry else None
    passes_by_default = bool(entry and entry.get("d"))
    verified_in = f"a fresh factory-startup session of Blender {details['knowledge_base']}"
    if probed is not None and probed["passing"] is not None:
        recipe = poll_text.Recipe.from_json(probed["passing"])
        verified_in = f"a child Blender {bpy.app.version_string} process (factory settings), just now"
    elif probed is not None and probed["passed_by_default"]:
        passes_by_default = True
    needs: list[str] = []
    have: list[str] = []
    if recipe is not None:
        needs, have = compare(recipe, context)
        snippet = poll_text.build_snippet(idname, recipe)
        details["passing_context"] = {
            **recipe.to_json(),
            "verified": True,
            "snippet": snippet,
            "verified_in": verified_in,
        }
    elif passes_by_default:
        details["passing_context"] = {
            "area": None,
            "ui_type": None,
            "region": None,
            "mode": "OBJECT",
            "setup": ["factory_startup"],
            "verified": True,
            "verified_in": "the default context (factory startup, background, no override)",
            "snippet": f"import bpy\n\n# {poll_text.STEPS['factory_startup'].needs}\nbpy.ops.{idname}()\n",
        }
        if not poll_here:
            needs = ["what a fresh factory-startup session has (Object Mode, the Cube active and selected)"]
            obj = context.view_layer.objects.active if context.view_layer else None
            if obj is None or obj.mode != "OBJECT" or not obj.select_get():
                have = [_object_words(obj) + ("" if obj is None or obj.select_get() else ", not selected")]
    else:
        details["passing_context"] = None
        if entry and entry.get("why"):
            details["why_unknown"] = entry["why"]
        elif probed is not None:
            details["why_unknown"] = probed["error"] or "no context tried in the child process made its poll pass"
    if entry and entry.get("a"):
        details["passes_in_editors"] = entry["a"]  # empty scene, main region: where a fresh session's poll passed
    details["needs"] = needs
    details["have"] = have
    details["python_poll"] = python_poll_source(idname)
    details["warnings"] = warnings
    description = proxy.get_rna_type().description
    if description:
        details["description"] = description

    message_text = compose_message(idname, poll_here, details, needs, have, areas_report)
    # The panel's details box shows the first keys: the answer first, provenance last.
    first = (
        "operator",
        "poll_here",
        "needs",
        "have",
        "blender_message",
        "passing_context",
        "why_unknown",
        "python_poll",
        "warnings",
        "areas",
        "polled",
    )
    details = {
        **{key: details[key] for key in first if key in details},
        **{key: value for key, value in details.items() if key not in first},
    }
    severity = "INFO" if poll_here else "WARNING"
    fixes = (COPY_FIX,) if details["passing_context"] else ()
    return Finding(
        check=INFO.id, topic=INFO.topic, severity=severity, message=message_text, details=details, fixes=fixes
    )


def _recipe_short(recipe: dict[str, Any]) -> str:
    parts = [recipe.get("ui_type") or "no editor"]
    if recipe.get("mode") and recipe["mode"] != "OBJECT":
        parts.append(recipe["mode"])
    return " / ".join(parts + list(recipe.get("setup") or ()))


def compare(recipe: poll_text.Recipe, context: Any) -> tuple[list[str], list[str]]:
    """Each requirement of the recipe in words, and for each unmet one what this context has instead."""
    needs: list[str] = []
    have: list[str] = []
    if recipe.ui_type:
        editor = _editor_words(recipe.ui_type)
        region = "" if recipe.region == "WINDOW" else f" ({poll_text.REGION_WORDS.get(recipe.region, recipe.region)})"
        needs.append(f"{editor}{region}")
        open_here = [area for area in area_list(context) if area.ui_type == recipe.ui_type]
        current = context.area
        if current is not None and current.ui_type == recipe.ui_type:
            if recipe.region != "WINDOW" and (context.region is None or context.region.type != recipe.region):
                have.append(f"the call runs in the {(context.region.type if context.region else 'no').lower()} region")
        elif open_here:
            where = (
                f"runs in the {_editor_words(current.ui_type).split(' ', 1)[1]}"
                if current is not None
                else "has no area (context.area is None)"
            )
            have.append(f"this window has {editor} open, but the call {where}: pass that area to temp_override")
        else:
            have.append(f"this window has no {editor.split(' ', 1)[1]} open")
    steps = poll_text.ordered_steps(recipe.setup)
    obj = context.view_layer.objects.active if context.view_layer else None
    object_steps = [step for step in steps if step.phase == "object"]
    wanted_type = next((step.object_type for step in object_steps if step.object_type), None)
    if object_steps or recipe.mode != "OBJECT":
        kind = object_steps[0].needs if object_steps else "an active object"
        want = kind + (f" in {poll_text.mode_words(recipe.mode)}" if recipe.mode != "OBJECT" else "")
        needs.append(want)
        type_ok = wanted_type is None or (obj is not None and obj.type == wanted_type)
        mode_ok = (
            recipe.mode == "OBJECT"
            and (obj is None or obj.mode == "OBJECT")
            or (obj is not None and obj.mode == recipe.mode)
        )
        if object_steps and object_steps[0].name == "no_active_object":
            type_ok, mode_ok = obj is None, True
        if not (type_ok and mode_ok):
            have.append(_object_words(obj))
    for step in steps:
        if step.phase == "object":
            continue
        needs.append(step.needs)
        present = _have(step.name, context)
        if present is False:
            have.append(f"missing here: {step.needs}")
    return needs, have


def compose_message(
    idname: str,
    poll_here: bool | None,
    details: dict[str, Any],
    needs: list[str],
    have: list[str],
    areas: list[dict[str, Any]],
) -> str:
    op = f"bpy.ops.{idname}"
    if poll_here:
        head = f"{op}: poll() passes here"
    elif poll_here is False:
        head = f"{op}: poll() fails here"
    else:
        why = "a recorded crasher" if "crasher" in details["polled"] else "not in the knowledge base"
        if "child Blender process" in details["polled"]:
            why += "; probed in a child process instead"
        head = f"{op}: not polled here ({why})"
    parts = [head]
    if details.get("blender_message"):
        parts.append(f"Blender says: {details['blender_message']}")
    passing_areas = sorted({a["ui_type"] for a in areas if a["poll"]})
    if not poll_here and passing_areas:
        parts.append(
            f"it passes in this window's {', '.join(_editor_words(u).split(' ', 1)[1] for u in passing_areas)} "
            "(pass that area to temp_override)"
        )
    if needs:
        text = f"needs {poll_text.join_words(needs)}"
        if passing_areas:  # already said, with proof: do not repeat "this window has X open" for the editor
            have = [item for item in have if "open, but the call" not in item]
        if have and not poll_here:
            text += f"; {'; '.join(have)}"
        parts.append(text)
    if details["passing_context"] is None:
        parts.append(
            f"no verified passing context is known ({details.get('why_unknown', 'not in the knowledge base')})"
        )
    elif not needs and details["passing_context"].get("ui_type") is None and not poll_here:
        parts.append("it passed in the default context of a fresh session")
    if details["warnings"]:
        parts.append("Warning: " + details["warnings"][0])
    return ". ".join(parts[:1] + [part[:1].upper() + part[1:] for part in parts[1:]]) + "."
