"""Explain why an operator's poll fails here (on demand: ``gotcha.explain_poll``; not part of a scan, so it is not
in ALL_CHECKS).

Safety rules: no operator is ever executed. ``poll()`` is called in this process only where it was first asked
without a crash elsewhere: for operators a knowledge base (KB) lists, in the editors of its safety map; for the
others, in the editors a child Blender process (probe_child.py) just polled. Blender's own message is read only where
the KB marks the operator's poll deterministic and the call safe: the call comes right after ``poll()`` returned
False in the same, unchanged context, so Blender runs that same poll again, it fails again, and the call raises
RuntimeError before any execute/invoke. Everything else is read from RNA and the context.
"""

from __future__ import annotations

import difflib
import inspect
import os
from dataclasses import dataclass, field
from typing import Any

import bpy

from ..core.findings import CheckInfo, Finding
from ..core.poll import compose, kb, parse
from ..core.poll.recipe import Recipe, build_snippet
from ..core.poll.steps import STEPS
from ..core.poll.words import EDITORS
from . import poll_context

INFO = CheckInfo(
    id="operator_poll",
    topic="operator-poll",
    title="Operator poll explained",
    description="Why an operator's poll() fails in this context, what it needs, and a context in which it passes",
    severity="WARNING",
)
COPY_FIX = "copy_poll_snippet"  # a fix key (operators.FIX_OPERATORS)
SHIPPED_KB_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "poll_kb")
_PACKAGE = __package__.rpartition(".")[0] if __package__ else ""

# Operators whose execute (or a setup need) goes around temp_override: known from their source, not from the
# sweep. Polls that ignore an overridden active object are measured by the sweep instead.
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

_kb_cache: dict[str, kb.KnowledgeBase] = {}


# ---------------------------------------------------------------------------------------------------------------
# Knowledge bases: shipped ones, and the one built by this Blender (kb_builder.py) in the extension's user folder.


def user_kb_dir(create: bool = False) -> str | None:
    """The extension's user folder for KBs built on this machine (outside the add-on folder), or None."""
    try:
        return str(bpy.utils.extension_path_user(_PACKAGE, path="poll_kb", create=create))
    except (ValueError, AttributeError, OSError):  # not loaded as an extension, or the folder cannot be made
        return None


def blender_version() -> str:
    return ".".join(str(part) for part in bpy.app.version)  # version_string may end in " LTS"


def kb_files() -> dict[str, str]:
    """version -> KB path; one built on this machine wins over a shipped one of the same version."""
    return kb.kb_files([SHIPPED_KB_DIR, user_kb_dir() or ""])


def load_kb(version: str | None = None) -> tuple[kb.KnowledgeBase | None, str]:
    """(KB, how it matched): this exact version, else the newest of the same major.minor series, else None."""
    path, how = kb.choose(kb_files(), version or blender_version())
    if path is None:
        return None, how
    if path not in _kb_cache:
        try:
            _kb_cache[path] = kb.KnowledgeBase.read(path)
        except kb.KBError:
            return None, "none"  # an unreadable file (a build cut short): answer as without a KB
    return _kb_cache[path], how


def forget_kbs() -> None:
    """Drop loaded KBs (after a KB was built, the next explanation reads it)."""
    _kb_cache.clear()


def all_kbs() -> list[kb.KnowledgeBase]:
    return [found for found in (load_kb(version)[0] for version in sorted(kb_files())) if found is not None]


# ---------------------------------------------------------------------------------------------------------------
# The operator (read from RNA and Python, never run)


def registered_operators() -> list[str]:
    return parse.operator_idnames(bpy.ops)


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
    cls = bpy.types.Operator.bl_rna_get_subclass_py(parse.class_name(idname))
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


def _poll(proxy: Any, override: dict[str, Any] | None) -> bool:
    if not override:
        return bool(proxy.poll())
    with bpy.context.temp_override(**override):
        return bool(proxy.poll())


def _message_after_failed_poll(proxy: Any, idname: str) -> str | None:
    """Blender's reason, from the RuntimeError of a call made right after poll() returned False here.

    Only used where the KB marks the poll deterministic and this call safe (see the module docstring): the call
    re-runs the same poll in the same context, it fails, and Blender raises before executing anything.
    """
    try:
        proxy()
    except RuntimeError as error:
        return parse.poll_message_from_error(idname, str(error))
    except TypeError:  # a required property: the call stopped before poll
        return None
    raise AssertionError(f"{idname} ran although its poll had just failed")  # never reached: the KB rules it out


# ---------------------------------------------------------------------------------------------------------------
# What was observed, from a KB or from a child process


@dataclass
class Observed:
    poll_here: bool | None = None
    polled: str = compose.NOT_POLLED
    polled_words: str = ""
    areas: list[dict[str, Any]] = field(default_factory=list)
    message: str | None = None
    recipe: Recipe | None = None
    passed_by_default: bool = False
    passing_from: str | None = None
    verified_in: str = ""
    needs_observed: bool = True
    why_unknown: str | None = None
    warnings: list[str] = field(default_factory=list)
    passes_in_editors: tuple[str, ...] = ()
    source: str = ""


def _poll_where_safe(proxy: Any, context: Any, safe_keys: set[str | None], observed: Observed) -> None:
    """Poll here and in each area of this screen (main region), only where ``safe_keys`` allows."""
    here = poll_context.editor_key(context)
    if here in safe_keys:
        observed.poll_here = _poll(proxy, None)
        observed.polled = compose.POLLED_HERE
    else:
        observed.polled = compose.NOT_IN_SAFETY_MAP
    for area in poll_context.area_list(context):
        override = poll_context.area_override(context, area) if area.ui_type in safe_keys else None
        observed.areas.append(
            {"area": area.type, "ui_type": area.ui_type, "poll": _poll(proxy, override) if override else None}
        )


def _recipe_words(recipe: Recipe | None) -> str:
    if recipe is None:
        return "with no context override"
    parts = [recipe.ui_type or "no editor"]
    if recipe.mode != "OBJECT":
        parts.append(recipe.mode)
    return " / ".join(parts + list(recipe.setup))


def from_kb(idname: str, proxy: Any, context: Any, base: kb.KnowledgeBase, entry: kb.Entry, how: str) -> Observed:
    observed = Observed(passes_in_editors=entry.passes_in_editors)
    observed.source = f"the knowledge base of Blender {base.blender_version}" + ("" if how == "exact" else f" ({how})")
    if base.built_by != "shipped":
        observed.source += f", {base.built_by}"
    if entry.crashed:
        places = ", ".join(_recipe_words(recipe) for recipe in entry.crashed_in)
        stopped = "; the sweep stopped polling it after these crashes" if entry.polling_stopped else ""
        observed.warnings.append(
            f"poll() crashed Blender during the knowledge-base sweep ({places}{stopped}); "
            "it is not called here, and you should always call it inside a temp_override"
        )
        observed.polled = compose.RECORDED_CRASHER
        observed.polled_words = "not polled: its poll() is a recorded crasher"
    else:
        # The default context (no area) and every editor of the KB's safety map (empty scene, main region; the 3D
        # Viewport's sidebar, where the panel runs) polled this operator without a crash.
        _poll_where_safe(proxy, context, {None, *base.swept_editors}, observed)
        if observed.poll_here is False and entry.message_call_safe and not entry.nondeterministic:
            observed.message = _message_after_failed_poll(proxy, idname)
        observed.polled_words = (
            "in this Blender session (the knowledge base polled it in these editors without a crash)"
            if observed.polled == compose.POLLED_HERE
            else f"not polled in this context ({poll_context.editor_key(context)} is not in the knowledge base's "
            "safety map); the areas of this screen were polled where the map allows"
        )
    observed.message = observed.message or entry.message
    if entry.ignores_active_override:
        observed.warnings.append(IGNORES_ACTIVE_OVERRIDE)
    if entry.nondeterministic:
        observed.warnings.append("its poll gave different answers when asked twice in the same context")
    observed.passed_by_default = entry.passes_by_default
    observed.recipe = entry.recipe
    observed.passing_from = _passing_from(observed, compose.FROM_KB)
    observed.verified_in = f"a fresh factory-startup session of Blender {base.blender_version}"
    observed.why_unknown = entry.why_unknown
    return observed


def from_child(idname: str, proxy: Any, context: Any) -> Observed:
    from .. import probe_child  # a process launcher: only needed for operators no KB lists

    observed = Observed(source=f"a child Blender {bpy.app.version_string} process (factory settings), just now")
    keys = {area.ui_type for area in poll_context.area_list(context)}
    here = poll_context.editor_key(context)
    if here is not None:
        keys.add(here)
    editor_keys = sorted(key for key in keys if key.partition(":")[0] in EDITORS)
    recipes = probe_child.candidates(idname, all_kbs(), tuple(bpy.app.version))
    result = probe_child.probe(idname, editor_keys, recipes)
    for crashed in result.crashes:
        where = _recipe_words(None if crashed is None else Recipe.from_json(crashed))
        observed.warnings.append(f"poll() crashed a child Blender process ({where}); never call it there")
    if result.crashes:
        observed.polled = compose.RECORDED_CRASHER
    elif result.editors:
        _poll_where_safe(proxy, context, set(result.editors), observed)
    asked = f"a child Blender process was asked ({result.tried} contexts, {result.seconds:.2f} s" + (
        f": {result.error})" if result.error else ")"
    )
    if observed.polled == compose.POLLED_HERE:
        observed.polled_words = f"in this Blender session, where {asked} polled it without a crash first"
    else:
        observed.polled_words = f"not polled here; {asked}"
    observed.passed_by_default = result.passed_by_default
    if result.passing is not None:
        observed.recipe = Recipe.from_json(result.passing)
        observed.needs_observed = result.minimized
    observed.passing_from = _passing_from(observed, compose.FROM_CHILD)
    observed.verified_in = observed.source
    if result.passing is None and not result.passed_by_default:
        observed.why_unknown = result.error or "no context tried in the child process made its poll pass"
    return observed


def _passing_from(observed: Observed, recipe_source: str) -> str | None:
    if observed.recipe is not None:
        return recipe_source
    return compose.FROM_DEFAULT if observed.passed_by_default else None


def unpolled(idname: str) -> Observed:
    return Observed(
        polled_words=f"not polled here: no knowledge base entry for it in Blender {bpy.app.version_string}; "
        "explained from what can be read safely (RNA, Python source, the context)",
        source="what can be read safely in this session (no knowledge base entry, no child process)",
        why_unknown="not in the knowledge base",
    )


# ---------------------------------------------------------------------------------------------------------------
# The answer


def passing_context(idname: str, observed: Observed, context: Any = None) -> dict[str, Any] | None:
    if observed.recipe is not None:
        # The snippet uses what this session has before it adds anything: the active object when it is of the type
        # the recipe adds, an editor of this window where the poll was seen to pass. ``snippet_uses`` says which
        # (build_snippet(idname, recipe, **snippet_uses) gives it back); the recipe itself is what was verified.
        obj = poll_context.active_object(context) if context is not None else None
        active_type: str | None = obj.type if obj is not None else None
        editors = sorted({area["ui_type"] for area in observed.areas if area["poll"]})
        uses = {"active_type": active_type, "editors": editors}
        return {
            **observed.recipe.to_json(),
            "verified": True,
            "snippet": build_snippet(idname, observed.recipe, active_type=active_type, editors=editors),
            "snippet_uses": uses,
            "verified_in": observed.verified_in,
        }
    if observed.passed_by_default:
        return {
            "area": None,
            "ui_type": None,
            "region": None,
            "mode": "OBJECT",
            "setup": ["factory_startup"],
            "verified": True,
            "verified_in": "the default context (factory startup, background, no override)",
            "snippet": f"import bpy\n\n# {STEPS['factory_startup'].needs}\nbpy.ops.{idname}()\n",
        }
    return None


def explain(text: str, context: Any, *, use_kb: bool = True, probe: bool = True) -> Finding:
    """The one finding that explains ``text``'s poll here. Raises BadOperatorText for text that names no operator.

    use_kb=False answers as for a Blender version without a knowledge base; probe=False skips the child process.
    """
    idname = parse.parse_operator(text)
    proxy = operator_proxy(idname)
    if proxy is None:
        close = difflib.get_close_matches(idname, registered_operators(), n=3, cutoff=0.75)
        hint = f"; did you mean {', '.join(close)}?" if close else " (an add-on that is not enabled, or a typo?)"
        raise parse.BadOperatorText(f"bpy.ops.{idname} is not a registered operator{hint}")
    base, how = load_kb() if use_kb else (None, "none")
    entry = base.entry(idname) if base is not None else None
    if base is not None and entry is not None:
        observed = from_kb(idname, proxy, context, base, entry, how)
    elif probe:
        observed = from_child(idname, proxy, context)
    else:
        observed = unpolled(idname)
    if idname in OVERRIDE_NOTES:
        observed.warnings.append(OVERRIDE_NOTES[idname])
    return _finding(idname, proxy, context, observed, base, how)


def _finding(
    idname: str, proxy: Any, context: Any, observed: Observed, base: kb.KnowledgeBase | None, how: str
) -> Finding:
    passing = passing_context(idname, observed, context)
    needs: list[str] = []
    have: list[str] = []
    elsewhere = None
    if observed.recipe is not None:
        needs, have, elsewhere = poll_context.compare(observed.recipe, context)
    elif observed.passed_by_default and observed.poll_here is False:
        obj = poll_context.active_object(context)
        if obj is None or obj.mode != "OBJECT" or not obj.select_get():
            have = [poll_context.object_words(obj) + ("" if obj is None or obj.select_get() else ", not selected")]
    passing_editors = sorted({area["ui_type"] for area in observed.areas if area["poll"]})
    facts = compose.Facts(
        idname=idname,
        poll_here=observed.poll_here,
        polled=observed.polled,
        source=observed.source,
        blender_message=observed.message,
        passing_editors=[poll_context.editor_name(ui_type) for ui_type in passing_editors],
        passing_from=observed.passing_from,
        needs=needs,
        needs_observed=observed.needs_observed,
        have=have,
        editor_elsewhere=elsewhere,
        why_unknown=observed.why_unknown,
        warnings=observed.warnings,
        exact_kb=how == "exact",
    )
    # The panel's details box shows the first keys: the answer first, provenance last.
    details: dict[str, Any] = {
        "operator": idname,
        "poll_here": observed.poll_here,
        "needs": needs,
        "have": have,
        "blender_message": observed.message,
        "passing_context": passing,
    }
    if passing is None:
        details["why_unknown"] = observed.why_unknown
    details.update(
        python_poll=python_poll_source(idname),
        warnings=observed.warnings,
        areas=observed.areas,
        polled=observed.polled_words,
        source=observed.source,
        blender_version=bpy.app.version_string,
        knowledge_base=base.blender_version if base is not None else None,
        kb_match=how,
    )
    if observed.passes_in_editors:
        details["passes_in_editors"] = list(observed.passes_in_editors)
    description = proxy.get_rna_type().description
    if description:
        details["description"] = description
    return Finding(
        check=INFO.id,
        topic=INFO.topic,
        severity="INFO" if observed.poll_here else "WARNING",
        message=compose.compose_message(facts),
        details=details,
        fixes=(COPY_FIX,) if passing else (),
    )
