"""The knowledge-base sweep tool (tools/poll_kb): recipes, the shipped KBs, and a small real sweep with a crasher."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import bpy
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools" / "poll_kb"))

import reasons  # noqa: E402
import recipes  # noqa: E402

VERSIONS = [(4, 2, 23), (5, 0, 1)]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_recipe_uses_the_vocabulary_and_its_setup_compiles(gd, version):
    pt = gd.core.poll_text
    everything = recipes.global_order(version) + [
        recipe for group in recipes.AFFINITY for recipe in recipes.candidates(group, version)
    ]
    assert len(everything) > 500
    for recipe in everything:
        compile(pt.build_setup_code(pt.Recipe.from_json(recipe)), recipes.recipe_key(recipe), "exec")


def test_groups_try_their_natural_editor_first():
    version = (5, 0, 1)
    assert recipes.candidates("action", version)[0]["ui_type"] == "DOPESHEET"
    assert recipes.candidates("graph", version)[0]["ui_type"] == "FCURVES"
    assert recipes.candidates("sequencer", version)[0]["ui_type"] == "SEQUENCE_EDITOR"
    first_mesh = recipes.candidates("mesh", version)[0]
    assert (first_mesh["ui_type"], first_mesh["mode"], first_mesh["setup"]) == ("VIEW_3D", "EDIT", ["active_mesh"])


@pytest.mark.parametrize("version", ["5.0.1", "4.2.23"])
def test_shipped_kbs_are_compact_consistent_and_measured(gd, version):
    path = REPO / "poll_kb" / f"kb-{version}.json.gz"
    assert path.stat().st_size < 60_000
    kb = json.loads(gzip.decompress(path.read_bytes()))
    assert kb["schema"] == "gotcha-doctor/poll-kb/1" and kb["blender_version"] == version
    for recipe in kb["recipes"]:
        assert all(step in gd.core.poll_text.STEPS for step in recipe["setup"])
    for op, item in kb["ops"].items():
        assert set(item) <= {"d", "r", "x", "m", "ms", "nd", "why", "a", "io"}, op
        assert ("why" in item) == (not item.get("d") and "r" not in item), op
        if "r" in item:
            assert 0 <= item["r"] < len(kb["recipes"])
    assert {"DOPESHEET", "VIEW_3D", "VIEW_3D:UI", "PROPERTIES", "OUTLINER", "TIMELINE"} <= set(kb["swept_editors"])
    assert "DOPESHEET" in kb["ops"]["action.clean"]["a"] and "TIMELINE" in kb["ops"]["action.clean"]["a"]
    stats = reasons.coverage(kb)
    assert stats["failing"] > 1600 and stats["percent"] > 85.0
    table = (REPO / "docs" / f"poll-coverage-{version}.md").read_text(encoding="utf-8")
    assert f"**{stats['percent']:.1f} %**" in table
    assert all(f"`{op}`" in table for op in stats["missing"])


def real_sweep(only: str, tmp_path) -> dict:
    """Run tools/poll_kb/sweep.py (one worker, real bpy child processes) on a few operators; its raw result."""
    raw = tmp_path / "raw.json"
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "poll_kb" / "sweep.py"),
            "--workers",
            "1",
            "--only",
            only,
            "--raw",
            str(raw),
            "--logs",
            str(tmp_path / "logs"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(raw.read_text())  # type: ignore[no-any-return]


def test_a_real_sweep_records_the_crasher_and_goes_on(gd, tmp_path):
    if "slot_channels_move_to_new_action" not in dir(bpy.ops.anim):
        pytest.skip("no operator with a crashing poll in this Blender")
    kb = real_sweep("anim.slot_channels_move_to_new_action,action.clean,graph.clean", tmp_path)
    crasher = kb["ops"]["anim.slot_channels_move_to_new_action"]
    assert {"recipe": None, "how": "signal 11"} in crasher["crash"]  # the worker died; the sweep went on
    assert "recipe" in crasher  # ...and still found a context where its poll passes (with a Dope Sheet)
    assert kb["recipes"][kb["ops"]["action.clean"]["recipe"]]["ui_type"] == "DOPESHEET"
    assert kb["sweep"]["worker_restarts"] >= 1


def test_the_sweep_measures_which_polls_ignore_an_overridden_active_object(gd, tmp_path):
    # shade_smooth's poll reads the view layer's active object (a known gotcha); mesh.subdivide's reads
    # CTX_data_edit_object, which temp_override can set; action.clean does not look at the active object.
    ops = real_sweep("object.shade_smooth,mesh.subdivide,action.clean", tmp_path)["ops"]
    assert ops["object.shade_smooth"]["default"] and ops["object.shade_smooth"]["decoy"] == "ignored"
    assert ops["mesh.subdivide"]["decoy"] == "honoured"
    assert ops["action.clean"]["decoy"] == "independent"
