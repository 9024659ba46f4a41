"""core.editdiff: the diff math and wording, Blender-free and numpy-free (array.array buffers and tuples)."""

from __future__ import annotations

import math
from array import array

import pytest
from gotcha_doctor.core import editdiff
from hypothesis import given, settings
from hypothesis import strategies as st


def coords(*triples: tuple[float, float, float]) -> array:
    return array("f", [c for triple in triples for c in triple])


def test_move_tally_over_slices():
    old = coords(*[(0.0, 0.0, 0.0)] * 6)
    new = array("f", old)
    new[3:6] = array("f", (0.3, 0.4, 0.0))  # vertex 1 by 0.5
    new[14] = -0.8  # vertex 4
    tally = editdiff.MoveTally()
    tally.add(old[:9], new[:9], 0)
    tally.add(old[9:], new[9:], 3)
    assert (tally.compared, tally.moved, tally.samples) == (6, 2, [1, 4])
    assert tally.max_displacement == pytest.approx(0.8)
    with pytest.raises(ValueError, match="slices differ in length: 6 vs 9 coordinates"):
        tally.add(old[:6], new[:9])


def test_move_tally_compares_values_not_bytes():
    # -0.0 and 0.0 have different bytes but are the same position.
    tally = editdiff.MoveTally()
    tally.add(coords((0.0, 1.0, 2.0)), coords((-0.0, 1.0, 2.0)))
    assert (tally.compared, tally.moved) == (1, 0)


def test_samples_are_capped():
    tally = editdiff.MoveTally()
    tally.add(array("f", bytes(600)), array("f", [1.0] * 150))
    assert tally.moved == 50 and tally.samples == list(range(editdiff.SAMPLE_LIMIT))


def test_select_tally_takes_bytes_lists_and_arrays():
    tally = editdiff.SelectTally()
    tally.add(bytes([0, 1, 1, 0]), [False, True, False, True])
    assert tally.changed == 2
    with pytest.raises(ValueError, match="selection slices differ in length: 2 vs 3"):
        tally.add(b"\x00\x01", b"\x00\x01\x01")


def naive_moves(old: list[float], new: list[float]) -> tuple[int, float, list[int]]:
    moved, largest, samples = 0, 0.0, []
    for i in range(len(old) // 3):
        a, b = old[3 * i : 3 * i + 3], new[3 * i : 3 * i + 3]
        if a != b:
            moved += 1
            largest = max(largest, math.dist(a, b))
            samples.append(i)
    return moved, largest, samples[: editdiff.SAMPLE_LIMIT]


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(0, 9000),
    changes=st.lists(st.tuples(st.integers(0, 8999), st.integers(0, 2), st.floats(-4, 4, width=32)), max_size=40),
    cut=st.integers(0, 9000),
)
def test_move_tally_agrees_with_a_naive_loop(count, changes, cut):
    # Stretches of 4,096 / 256 / 16 elements are skipped when equal: changes anywhere, slices cut anywhere.
    old = array("f", [float(i % 97) for i in range(3 * count)])
    new = array("f", old)
    for index, axis, value in changes:
        if index < count:
            new[3 * index + axis] = value
    cut = min(cut, count)
    tally = editdiff.MoveTally()
    tally.add(old[: 3 * cut], new[: 3 * cut], 0)
    tally.add(old[3 * cut :], new[3 * cut :], cut)
    moved, largest, samples = naive_moves(old.tolist(), new.tolist())
    assert (tally.compared, tally.moved, tally.samples) == (count, moved, samples)
    assert tally.max_displacement == pytest.approx(largest)


def test_messages():
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
    # Nothing pending: the others see the same data (an INFO finding must not say "old data").
    assert (
        editdiff.shared_note("Mesh", "M", ["B"], pending=False)
        == '; Mesh "M" is also used by B, which sees the same data'
    )
    assert editdiff.shared_note("Curve", "C", ["B"], pending=None) == (
        '; Curve "C" is also used by B, which reads the Curve as last written'
    )


def test_bone_diff():
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


def test_faces_rewired():
    sizes = array("i", [4, 3, 4])
    corners = array("i", [0, 1, 2, 3, 2, 1, 4, 4, 5, 6, 7])
    assert editdiff.faces_rewired(sizes, corners, sizes, array("i", corners)) == 0
    # Same faces in another order and from another starting corner: nothing changed.
    assert editdiff.faces_rewired(sizes, corners, [4, 4, 3], [2, 3, 0, 1, 6, 7, 4, 5, 1, 4, 2]) == 0
    other = array("i", corners)
    other[5] = 7  # the triangle now uses vertex 7
    assert editdiff.faces_rewired(sizes, corners, sizes, other) == 1
    flipped = [0, 1, 2, 3, 1, 2, 4, 4, 5, 6, 7]  # the triangle's winding reversed
    assert editdiff.faces_rewired(sizes, corners, sizes, flipped) == 1
