"""A poll explainer's snippet uses what the session has before it adds anything: the editor of this window where
the poll was seen to pass, and the active object when it is of the type the recipe would add."""

from __future__ import annotations

import json

import bpy
from test_poll_explain import poll_in_fresh_process


def explain(operator: str) -> dict:
    assert bpy.ops.gotcha.explain_poll(operator=operator) == {"FINISHED"}
    state = bpy.context.window_manager.gotcha_doctor
    gd_properties = __import__("blender_scenes").extension().properties
    return json.loads(json.dumps(gd_properties.finding_as_report_dict(state.findings[state.active_index])))


def test_action_clean_snippet_uses_the_timeline_where_it_passes_in_this_window(gd):
    bpy.ops.wm.read_homefile(use_empty=False)  # the Layout workspace: a Timeline, no Dope Sheet
    answer = explain("action.clean")
    passing = answer["details"]["passing_context"]
    assert "TIMELINE" in passing["snippet_uses"]["editors"], answer["message"]
    assert "passes in this window's Timeline" in answer["message"]
    snippet = passing["snippet"]
    assert "area = next((a for a in screen.areas if a.ui_type in ('TIMELINE', 'DOPESHEET')), None)" in snippet
    recipe = gd.core.poll.recipe
    poll_only = recipe.build_snippet(
        "action.clean", recipe.Recipe.from_json(passing), poll_only=True, **passing["snippet_uses"]
    )
    assert poll_in_fresh_process(poll_only) == "True"  # a fresh Layout has the Timeline: it is used, nothing changed
    # The recipe as verified still turns the largest area into a Dope Sheet when neither is open.
    assert "a.ui_type == 'DOPESHEET'" in recipe.build_snippet("action.clean", recipe.Recipe.from_json(passing))


def test_mesh_subdivide_snippet_uses_the_active_mesh_instead_of_adding_a_cube(gd):
    bpy.ops.wm.read_homefile(use_empty=False)  # the default Cube is active
    assert bpy.context.view_layer.objects.active.type == "MESH"
    passing = explain("mesh.subdivide")["details"]["passing_context"]
    assert passing["snippet_uses"]["active_type"] == "MESH"
    assert "primitive_cube_add" not in passing["snippet"]
    assert "# setup: an active Mesh object: the active object is one already" in passing["snippet"]
    recipe = gd.core.poll.recipe
    poll_only = recipe.build_snippet(
        "mesh.subdivide", recipe.Recipe.from_json(passing), poll_only=True, **passing["snippet_uses"]
    )
    assert poll_in_fresh_process(poll_only) == "True"
    # With a camera active the mesh is added, as verified.
    camera = bpy.data.objects.new("Cam", bpy.data.cameras.new("Cam"))
    bpy.context.collection.objects.link(camera)
    bpy.context.view_layer.objects.active = camera
    passing = explain("mesh.subdivide")["details"]["passing_context"]
    assert passing["snippet_uses"]["active_type"] == "CAMERA" and "primitive_cube_add" in passing["snippet"]
