"""The Blender-free half of the poll explainer: parsing, the step vocabulary, snippets, Blender's messages."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def pt(gd):
    return gd.core.poll_text


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
            "space.mode = 'ACTION'",
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
