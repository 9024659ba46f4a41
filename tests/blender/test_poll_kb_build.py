"""Building a poll knowledge base for this Blender in the background (kb_builder.py): child processes only, a
crashing poll survived, the result in the extension's user folder (never the add-on folder), then used."""

from __future__ import annotations

import os
from pathlib import Path

import bpy
import pytest

REPO = Path(__file__).resolve().parents[2]
SLOT_OP = "anim.slot_channels_move_to_new_action"


@pytest.fixture
def built_kb(gd):
    """Removes a KB built by the test (it would otherwise answer for this version in later tests)."""
    yield
    build = gd.kb_builder.current()
    if build is not None and build.thread is not None:
        build.thread.join(timeout=600)
    if build is not None and build.path and os.path.exists(build.path):
        os.remove(build.path)
    gd.checks.operator_poll.forget_kbs()


def test_a_build_runs_in_child_processes_and_its_kb_answers_afterwards(gd, built_kb):
    ops = ["action.clean", "object.delete", "sequencer.split"]
    has_slot_op = SLOT_OP.split(".")[1] in dir(bpy.ops.anim)
    if has_slot_op:
        ops.append(SLOT_OP)  # segfaults 5.0.1's poll with no override: the build must go on
    assert bpy.ops.gotcha.build_poll_kb(operators=",".join(ops)) == {"FINISHED"}
    with pytest.raises(RuntimeError, match="already being built"):
        gd.kb_builder.start(only=ops)
    build = gd.kb_builder.current()
    build.thread.join(timeout=600)
    assert build.error is None and build.path is not None, build.status
    path = Path(build.path)
    assert path.name == f"kb-{gd.checks.operator_poll.blender_version()}.json.gz"
    assert Path(os.environ["BLENDER_USER_RESOURCES"]) in path.parents  # the extension's user folder...
    assert REPO not in path.resolve().parents  # ...never the add-on folder
    assert "built in" in build.status and build.progress == 1.0

    base, match = gd.checks.operator_poll.load_kb()
    assert match == "exact" and base.built_by == "built on this machine" and base.source == build.path
    assert set(base.ops) == set(ops)
    if has_slot_op:
        crashed = base.entry(SLOT_OP).crashed
        assert crashed == (tuple(bpy.app.version)[:3] == (5, 0, 1))  # only 5.0.1's poll segfaults
    finding = gd.checks.operator_poll.explain("action.clean", bpy.context)
    assert finding.details["knowledge_base"] == base.blender_version
    assert finding.details["source"].endswith("built on this machine")
    assert finding.details["passing_context"]["ui_type"] == "DOPESHEET"
    assert finding.details["passing_context"]["setup"] == []


def test_a_cancelled_build_stops_its_children_and_writes_nothing(gd, built_kb):
    """What unregister does to a build still running (kb_builder.shutdown): it ends at the sweep's next stage and
    writes no KB."""
    build = gd.kb_builder.start(only=["action.clean"])
    build.cancel(timeout=600)
    assert not build.running
    assert build.path is None and build.error == "cancelled", build.status
    assert build.status == "Building the poll knowledge base failed: cancelled"
    assert not os.path.exists(os.path.join(build.folder, f"kb-{build.version}.json.gz"))
    gd.kb_builder.shutdown()  # nothing left to cancel: returns at once
