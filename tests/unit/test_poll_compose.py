"""The explanation's wording, from observed facts only (Blender-free)."""

from __future__ import annotations

from gotcha_doctor.core.poll import compose
from gotcha_doctor.core.poll.compose import Facts

KB = "the knowledge base of Blender 5.0.1"
CHILD = "a child Blender 4.4.3 process (factory settings), just now"


def test_a_poll_that_passes_here_states_no_requirement():
    # sequencer.split on 4.3-4.5: it passed in a fresh session's default context and passes here in Edit Mode.
    facts = Facts(
        "sequencer.split", True, compose.POLLED_HERE, CHILD, passing_from=compose.FROM_DEFAULT, exact_kb=False
    )
    message = compose.compose_message(facts)
    assert message.startswith("bpy.ops.sequencer.split: poll() passes here.")
    assert "Object Mode" not in message and "Needs" not in message
    assert "It passed in the default context of a fresh session" in message
    assert message.endswith(f"Source: {CHILD}.")


def test_passing_by_default_and_failing_here_names_the_difference_not_a_requirement():
    facts = Facts(
        "object.delete",
        False,
        compose.POLLED_HERE,
        KB,
        passing_from=compose.FROM_DEFAULT,
        have=['active is Mesh "Cube" in Edit Mode'],
    )
    assert compose.compose_message(facts) == (
        "bpy.ops.object.delete: poll() fails here. It passed in the default context of a fresh session (factory "
        'startup, no override); here, active is Mesh "Cube" in Edit Mode.'
    )


def test_observed_requirements_with_what_is_here_instead():
    facts = Facts(
        "action.clean",
        False,
        compose.POLLED_HERE,
        KB,
        passing_from=compose.FROM_KB,
        needs=["a Dope Sheet", "an action with keyframes on the active object"],
        have=["this window has no Dope Sheet open"],
    )
    assert compose.compose_message(facts) == (
        "bpy.ops.action.clean: poll() fails here. Needs a Dope Sheet and an action with keyframes on the active "
        "object; this window has no Dope Sheet open."
    )


def test_a_child_context_that_was_not_narrowed_down_is_not_called_a_requirement():
    facts = Facts(
        "mesh.subdivide",
        None,
        compose.NOT_IN_SAFETY_MAP,
        CHILD,
        passing_from=compose.FROM_CHILD,
        needs=["a 3D Viewport", "an active Mesh object in Edit Mode"],
        needs_observed=False,
        exact_kb=False,
    )
    message = compose.compose_message(facts)
    assert "Needs" not in message
    assert (
        "Passed in a child process with a 3D Viewport and an active Mesh object in Edit Mode (not narrowed" in message
    )
    assert message.startswith("bpy.ops.mesh.subdivide: not polled here (this editor was never polled safely")


def test_where_it_passes_in_this_window_replaces_the_open_elsewhere_sentence():
    facts = Facts(
        "action.clean",
        False,
        compose.POLLED_HERE,
        KB,
        passing_editors=["Timeline"],
        passing_from=compose.FROM_KB,
        needs=["a Dope Sheet"],
        editor_elsewhere="this window has a Dope Sheet open, but the call has no area",
    )
    message = compose.compose_message(facts)
    assert "It passes in this window's Timeline (pass that area to temp_override)" in message
    assert "but the call" not in message
    facts.passing_editors = []
    assert (
        "Needs a Dope Sheet; this window has a Dope Sheet open, but the call has no area."
        in compose.compose_message(facts)
    )


def test_a_recorded_crasher_is_not_polled_and_warned_about():
    facts = Facts(
        "anim.slot_channels_move_to_new_action",
        None,
        compose.RECORDED_CRASHER,
        KB,
        passing_from=compose.FROM_KB,
        needs=["a Dope Sheet"],
        warnings=["poll() crashed Blender during the knowledge-base sweep (with no context override)"],
    )
    message = compose.compose_message(facts)
    assert message.startswith("bpy.ops.anim.slot_channels_move_to_new_action: not polled here (a recorded crasher).")
    assert message.endswith(
        "Warning: poll() crashed Blender during the knowledge-base sweep (with no context override)."
    )


def test_blender_s_message_and_no_known_context():
    facts = Facts(
        "ui.copy_data_path_button",
        False,
        compose.POLLED_HERE,
        KB,
        blender_message="No button under the mouse",
        why_unknown="needs the UI button under the mouse",
    )
    assert compose.compose_message(facts) == (
        "bpy.ops.ui.copy_data_path_button: poll() fails here. Blender says: No button under the mouse. No verified "
        "passing context is known (needs the UI button under the mouse)."
    )


def test_not_polled_without_a_knowledge_base_or_a_child():
    facts = Facts("gdtest.recorder", None, compose.NOT_POLLED, "what can be read safely", exact_kb=False)
    message = compose.compose_message(facts)
    assert message.startswith("bpy.ops.gdtest.recorder: not polled here (no knowledge base entry for it).")
    assert "No verified passing context is known (not in the knowledge base)" in message
