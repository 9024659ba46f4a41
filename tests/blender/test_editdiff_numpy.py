"""core.editdiff with numpy (as in official Blender builds) gives exactly what its standard-library path gives
(tests/unit covers that path against a naive loop, without numpy)."""

from __future__ import annotations

import random
from array import array

import pytest


@pytest.mark.parametrize("count", [0, 1, 4095, 4096, 4097, 70_001])
def test_numpy_and_standard_library_paths_agree(gd, monkeypatch, count):
    editdiff = gd.core.editdiff
    assert editdiff.np is not None  # the bpy wheels bundle numpy
    rng = random.Random(count)
    old = array("f", (rng.uniform(-5, 5) for _ in range(3 * count)))
    new = array("f", old)
    for _ in range(min(count, 300)):
        new[rng.randrange(3 * count)] += rng.choice((0.5, -1.0, 1e-6))
    if count:
        new[0] = -0.0 if old[0] == 0.0 else new[0]
    old_select = bytes(rng.getrandbits(1) for _ in range(count))
    new_select = bytearray(old_select)
    for _ in range(min(count, 50)):
        new_select[rng.randrange(count)] ^= 1
    results = []
    for numpy_module in (editdiff.np, None):
        monkeypatch.setattr(editdiff, "np", numpy_module)
        moves, selection = editdiff.MoveTally(), editdiff.SelectTally()
        cut = count // 3
        moves.add(old[: 3 * cut], new[: 3 * cut], 0)
        moves.add(old[3 * cut :], new[3 * cut :], cut)
        selection.add(old_select, new_select)
        results.append((moves, selection))
    assert results[0] == results[1]
    assert results[0][0].compared == count
