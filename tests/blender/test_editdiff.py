"""core.editdiff: the diff math and wording, Blender-free (plain numpy arrays and tuples)."""

from __future__ import annotations

import numpy as np
import pytest


def test_move_tally_over_slices(gd):
    editdiff = gd.core.editdiff
    old = np.zeros((6, 3), np.float32)
    new = old.copy()
    new[1] = (0.3, 0.4, 0.0)  # 0.5
    new[4] = (0.0, 0.0, -0.8)
    tally = editdiff.MoveTally()
    tally.add(old[:3], new[:3], 0)
    tally.add(old[3:], new[3:], 3)
    assert (tally.compared, tally.moved, tally.samples) == (6, 2, [1, 4])
    assert tally.max_displacement == pytest.approx(0.8)
    with pytest.raises(ValueError, match="differ in shape"):
        tally.add(old[:2], new[:3])


def test_samples_are_capped(gd):
    editdiff = gd.core.editdiff
    tally = editdiff.MoveTally()
    tally.add(np.zeros((50, 3), np.float32), np.ones((50, 3), np.float32))
    assert tally.moved == 50 and tally.samples == list(range(editdiff.SAMPLE_LIMIT))


def test_messages(gd):
    editdiff = gd.core.editdiff
    deltas = editdiff.count_deltas(
        {"verts": 8, "edges": 12, "faces": 6, "loops": 24}, {"verts": 8, "edges": 12, "faces": 7, "loops": 24}
    )
    assert deltas == {"verts": 0, "edges": 0, "faces": 1, "loops": 0}
    tally = editdiff.MoveTally(compared=8, moved=12, max_displacement=0.8)
    parts = editdiff.mesh_change_parts(deltas, tally, 0)
    assert editdiff.pending_message("Cube", parts, "Mesh") == (
        "Cube: 12 vertices moved (max 0.8 m), 1 face added — data not written to the Mesh yet"
    )
    assert editdiff.describe_counts({"verts": -1, "loops": 2}) == ["1 vertex removed", "2 face corners added"]
    assert editdiff.mesh_change_parts({}, None, 3) == ["selection of 3 vertices changed"]
    assert editdiff.shared_note("Mesh", "M", []) == ""
    assert (
        editdiff.shared_note("Mesh", "M", ["B", "C"]) == '; Mesh "M" is also used by B, C, which see the old data too'
    )


def test_bone_diff(gd):
    editdiff = gd.core.editdiff
    axes = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0)
    old = {
        "A": ((0, 0, 0), (0, 0, 1), axes, None, False),
        "Gone": ((0, 0, 0), (0, 1, 0), axes, None, False),
        "Child": ((0, 0, 1), (0, 0, 2), axes, "A", True),
    }
    new = {
        "A": ((0, 0, 0), (0, 0, 2), axes, None, False),
        "New": ((1, 0, 0), (1, 1, 0), axes, None, False),
        "Child": ((0, 0, 1 + 1e-7), (0, 0, 2), axes, None, False),
    }
    diff = editdiff.diff_bones(old, new)
    assert (diff.added, diff.removed, diff.moved, diff.reparented) == (["New"], ["Gone"], ["A"], ["Child"])
    assert diff.max_displacement == pytest.approx(1.0)
    assert diff.parts() == ["1 bone moved (max 1 m)", "1 bone added", "1 bone removed", "1 bone re-parented"]
    rolled = {"A": ((0, 0, 0), (0, 0, 1), (0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.0), None, False)}
    assert editdiff.diff_bones({"A": old["A"]}, rolled).moved == ["A"]  # roll alone counts as moved
    assert not editdiff.diff_bones(new, new).pending


def test_faces_rewired(gd):
    editdiff = gd.core.editdiff
    sizes = np.array([4, 3, 4])
    corners = np.array([0, 1, 2, 3, 2, 1, 4, 4, 5, 6, 7])
    assert editdiff.faces_rewired(sizes, corners, sizes, corners.copy()) == 0
    # Same faces in another order and from another starting corner: nothing changed.
    assert editdiff.faces_rewired(sizes, corners, np.array([4, 4, 3]), np.array([2, 3, 0, 1, 6, 7, 4, 5, 1, 4, 2])) == 0
    other = corners.copy()
    other[5] = 7  # the triangle now uses vertex 7
    assert editdiff.faces_rewired(sizes, corners, sizes, other) == 1
    flipped = np.array([0, 1, 2, 3, 1, 2, 4, 4, 5, 6, 7])  # the triangle's winding reversed
    assert editdiff.faces_rewired(sizes, corners, sizes, flipped) == 1
