"""The Blender-free half of the poll explainer: parsing, the step vocabulary, snippets, Blender's messages."""

from __future__ import annotations

import ast
import types

import pytest
from gotcha_doctor.core.poll import library, parse, recipe, steps, words


@pytest.fixture(scope="module")
def pt():
    """The poll package's public names in one namespace, as the explainer uses them."""
    namespace = types.SimpleNamespace()
    for module in (parse, words, steps, recipe):
        for name in dir(module):
            if not name.startswith("_"):
                setattr(namespace, name, getattr(module, name))
    return namespace


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("action.clean", "action.clean"),
        ("bpy.ops.action.clean", "action.clean"),
        ("  bpy.ops.action.clean()  ", "action.clean"),
        ("`bpy.ops.mesh.subdivide.poll()`", "mesh.subdivide"),
        ("ACTION_OT_clean", "action.clean"),
        ("Operator bpy.ops.action.clean.poll() failed, context is incorrect", "action.clean"),
        ("RuntimeError: Operator bpy.ops.object.mode_set.poll() Context missing active object", "object.mode_set"),
        ("view3d.snap_cursor_to_center", "view3d.snap_cursor_to_center"),
    ],
)
def test_operator_names_in_every_accepted_form(pt, text, expected):
    assert pt.parse_operator(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("bpy.ops.", "expected group.name"),
        ("a.b.c", "expected group.name"),
        ("action.clean(); import os", "expected group.name"),
        ("x" * 10_000, "10,000 characters"),
        ("action.cléan", "non-ASCII"),
        ("", "No operator given"),
        ("   ", "No operator given"),
        ("action.__init__", "expected group.name"),
        ("__import__('os').system('x')", "expected group.name"),
        ("Action.Clean", "expected group.name"),
    ],
)
def test_bad_text_gets_a_one_line_answer(pt, text, reason):
    with pytest.raises(pt.BadOperatorText) as caught:
        pt.parse_operator(text)
    message = str(caught.value)
    assert reason in message and "\n" not in message and len(message) < 200


def test_class_names(pt):
    assert pt.class_name("action.clean") == "ACTION_OT_clean"
    assert pt.class_name("view3d.snap_cursor_to_center") == "VIEW3D_OT_snap_cursor_to_center"


def test_blender_message_is_kept_only_when_it_says_more_than_the_generic_text(pt):
    generic = "Operator bpy.ops.action.clean.poll() failed, context is incorrect"
    assert pt.poll_message_from_error("action.clean", generic) is None
    specific = "Operator bpy.ops.armature.collection_unsolo_all.poll() None of the bone collections is marked 'solo'"
    assert pt.poll_message_from_error("armature.collection_unsolo_all", specific) == (
        "None of the bone collections is marked 'solo'"
    )
    assert pt.poll_message_from_error("action.clean", "something else") is None


def test_every_step_is_valid_python_and_every_phase_known(pt):
    for step in pt.STEPS.values():
        compile(step.code, step.name, "exec")
        assert step.phase in {"object", "data", "after_mode", "space", "override"}
        assert step.needs and step.needs[0].islower()


def test_snippet_orders_setup_editor_and_override(pt):
    recipe = pt.Recipe("DOPESHEET", "CHANNELS", "OBJECT", ("keyframes", "active_mesh", "dopesheet_action"))
    snippet = pt.build_snippet("action.clean", recipe)
    compile(snippet, "snippet", "exec")
    order = [
        snippet.index(part)
        for part in (
            "primitive_cube_add",
            "keyframe_insert",
            "a.ui_type == 'DOPESHEET'",
            "r.type == 'CHANNELS'",
            'space.mode = "ACTION"',
            "with context.temp_override(**override):\n    bpy.ops.action.clean()",
        )
    ]
    assert order == sorted(order)
    assert pt.build_snippet("action.clean", recipe, poll_only=True).endswith("print(bpy.ops.action.clean.poll())\n")


def test_mode_switch_comes_after_the_object_and_its_data(pt):
    recipe = pt.Recipe("VIEW_3D", "WINDOW", "WEIGHT_PAINT", ("vertex_group", "active_mesh"))
    code = pt.build_setup_code(recipe)
    assert code.index("primitive_cube_add") < code.index("vertex_groups.new") < code.index("mode='WEIGHT_PAINT'")


def test_needs_in_plain_words(pt):
    recipe = pt.Recipe("VIEW_3D", "WINDOW", "EDIT", ("active_mesh",))
    assert pt.recipe_needs(recipe) == ["a 3D Viewport", "an active Mesh object in Edit Mode"]
    recipe = pt.Recipe("DOPESHEET", "CHANNELS", "OBJECT", ())
    assert pt.recipe_needs(recipe) == ["a Dope Sheet (its channel list)"]
    assert pt.join_words(["a", "b", "c"]) == "a, b and c"


def test_recipe_json_round_trip(pt):
    recipe = pt.Recipe("SEQUENCE_EDITOR", "PREVIEW", "OBJECT", ("strips", "sequencer_both"))
    data = recipe.to_json()
    assert data == {
        "area": "SEQUENCE_EDITOR",
        "ui_type": "SEQUENCE_EDITOR",
        "region": "PREVIEW",
        "mode": "OBJECT",
        "setup": ["strips", "sequencer_both"],
    }
    assert pt.Recipe.from_json(data) == recipe
    assert (
        pt.Recipe.from_json({"ui_type": None, "region": None, "mode": "OBJECT", "setup": []}).to_json()["region"]
        is None
    )


def test_unknown_step_is_refused(pt):
    with pytest.raises(KeyError, match="unknown setup step"):
        pt.build_setup_code(pt.Recipe("VIEW_3D", "WINDOW", "OBJECT", ("rm_rf",)))


# Names the snippet defines before any step runs (build_setup_code), and those it adds before the "space" phase.
BEFORE_STEPS = {"bpy", "context", "scene", "obj"}
EDITOR_NAMES = {"window", "screen", "area", "space", "region", "override"}


def _assigned(code: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return names


def test_steps_are_real_functions_whose_parameters_some_step_or_the_snippet_defines():
    """A step reads only names the snippet or another step defines (its parameters say which): ruff and mypy see
    its body as code, and a typo in a name that no step defines fails here, not in a user's pasted snippet."""
    defined = set(BEFORE_STEPS | EDITOR_NAMES)
    for step in steps.STEPS.values():
        defined |= _assigned(step.code)
    for step in steps.STEPS.values():
        assert isinstance(step.function, types.FunctionType) and step.function.__name__ == step.name
        parameters = set(step.function.__code__.co_varnames[: step.function.__code__.co_argcount])
        assert parameters <= defined, (step.name, parameters - defined)
        if step.phase in ("object", "data", "after_mode"):
            assert not parameters & (EDITOR_NAMES - {"override"}), step.name  # the editor is chosen later


def test_a_step_body_is_its_code_without_the_signature():
    body = steps.STEPS["active_mesh"].code
    assert body == "bpy.ops.mesh.primitive_cube_add()\nobj = context.view_layer.objects.active"
    assert "pass" not in steps.STEPS["factory_startup"].code.split()
    assert steps.STEPS["factory_startup"].code.startswith("# (nothing to do in a fresh session")


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="unknown phase"):
        steps.step("sometime", "never")


def test_minimizing_proposes_one_thing_less_and_keeps_what_the_mode_acts_on():
    passing = {"ui_type": "VIEW_3D", "region": "UI", "mode": "EDIT", "setup": ["active_mesh", "vertex_group"]}
    variants = library.simpler(passing)
    assert {"ui_type": "VIEW_3D", "region": "UI", "mode": "EDIT", "setup": ["active_mesh"]} in variants
    assert {
        "ui_type": "VIEW_3D",
        "region": "UI",
        "mode": "OBJECT",
        "setup": ["active_mesh", "vertex_group"],
    } in variants
    assert {
        "ui_type": "VIEW_3D",
        "region": "WINDOW",
        "mode": "EDIT",
        "setup": ["active_mesh", "vertex_group"],
    } in variants
    assert {"ui_type": None, "region": "WINDOW", "mode": "EDIT", "setup": ["active_mesh", "vertex_group"]} in variants
    assert all(variant["setup"][:1] == ["active_mesh"] for variant in variants)  # Edit Mode acts on it
    clipboard = {
        "ui_type": "CLIP_EDITOR",
        "region": "WINDOW",
        "mode": "OBJECT",
        "setup": ["movie_clip", "copied_tracks"],
    }
    assert all("copied_tracks" in variant["setup"] for variant in library.simpler(clipboard))
    assert all(variant["ui_type"] for variant in library.simpler(clipboard))


def test_an_operator_may_try_another_groups_recipes_first():
    """The sidebar-search operators try an Image Editor's sidebar before the "ui" group's 3D Viewport (their poll
    crashes in the factory 3D Viewport headless); every other operator tries its own group's recipes."""
    assert library.group_of("ui.region_start_filter") == "sidebar_tabs"
    assert library.group_of("ui.region_clear_filter") == "sidebar_tabs"
    assert library.group_of("ui.eyedropper_id") == "ui"
    first, second = library.candidates("sidebar_tabs", (5, 3, 0))[:2]
    assert first == {"ui_type": "IMAGE_EDITOR", "region": "UI", "mode": "OBJECT", "setup": []}
    assert second == {"ui_type": "IMAGE_EDITOR", "region": "UI", "mode": "OBJECT", "setup": ["region_filter_started"]}
    assert library.candidates("ui", (5, 3, 0))[0]["ui_type"] == "VIEW_3D"
