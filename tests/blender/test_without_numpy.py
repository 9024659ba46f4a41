"""Blender where numpy cannot be imported (Debian's Blender packages do not depend on python3-numpy): the extension
registers, every check runs and finds exactly what it finds with numpy, and the preferences say what changes.

Each side runs in a child process (tests/blender/no_numpy_child.py) started from this interpreter, so the numpy
blocker is in place before anything imports numpy, and this test session's own numpy is not touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CHILD = Path(__file__).with_name("no_numpy_child.py")


def run_child(out: Path, mode: str) -> dict:
    out.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "BLENDER_USER_RESOURCES"}
    done = subprocess.run(
        [sys.executable, str(CHILD), str(out), mode], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads((out / "result.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def both_sides(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    base = tmp_path_factory.mktemp("numpy-sides")
    return run_child(base / "without", "block"), run_child(base / "with", "allow")


def _editmode(findings: list[dict]) -> dict[str, dict]:
    return {f["id_name"]: f for f in findings if f["check"] == "editmode_sync"}


def test_without_numpy_every_check_finds_what_it_finds_with_numpy(both_sides):
    without, with_numpy = both_sides
    assert (without["numpy_imported"], without["numpy_available"]) == (False, False)
    assert (with_numpy["numpy_imported"], with_numpy["numpy_available"]) == (True, True)

    def comparable(side: dict) -> list[dict]:
        # Only how the edit side was read may differ, and the child's folder in paths and messages.
        text = json.dumps(side["findings"]).replace(side["out"], "OUT")
        found = json.loads(text)
        for finding in found:
            finding["details"].pop("edit_read", None)
        return found

    without_findings = comparable(without)
    with_findings = comparable(with_numpy)
    assert len(without_findings) == len(with_findings) >= 10
    checks = {f["check"] for f in without["findings"]}
    assert {"editmode_sync", "library_name_collisions", "relative_paths"} <= checks
    assert [(f["check"], f["severity"], f["id_type"], f["id_name"], f["message"]) for f in without_findings] == [
        (f["check"], f["severity"], f["id_type"], f["id_name"], f["message"]) for f in with_findings
    ]
    assert without_findings == with_findings  # details and fixes too
    assert without["severity_counts"] == with_numpy["severity_counts"]
    assert without["severity_order"] == with_numpy["severity_order"]
    # The modal scan's engine, stepped in 8 ms slices, finds as many (many more steps without numpy: per-vertex).
    assert without["engine_findings"] == with_numpy["engine_findings"] == len(without_findings)


def test_without_numpy_edit_mode_findings_are_exact(both_sides):
    without, with_numpy = both_sides
    for side, read in ((without, "bmesh-python"), (with_numpy, "bmesh-vertex-table")):
        found = _editmode(side["findings"])
        assert set(found) == {"BigGrid", "EditModeCube"}
        cube, grid = found["EditModeCube"], found["BigGrid"]
        assert (cube["severity"], cube["message"]) == (
            "WARNING",
            'EditModeCube: 4 vertices moved (max 0.75 m) — data not written to the Mesh yet; Mesh "EditModeCubeMesh" '
            "is also used by EditModeTwin, which sees the old data too",
        )
        assert (grid["severity"], grid["message"]) == (
            "WARNING",
            "BigGrid: 100 vertices moved (max 0.125 m) — data not written to the Mesh yet",
        )
        assert grid["details"]["moved_vertex_samples"] == list(range(0, 16_000, 1600))
        assert grid["details"]["counts_edit"] == {
            "verts": 160_000,
            "edges": 319_200,
            "faces": 159_201,
            "loops": 636_804,
        }
        assert (cube["details"]["edit_read"], grid["details"]["edit_read"]) == (read, read)


def test_without_numpy_the_preferences_say_so(both_sides):
    without, with_numpy = both_sides
    note = " ".join(label for label in without["preference_labels"] if label)
    assert note.startswith("numpy is not available in this Blender: every check works, but the Edit Mode check")
    assert not any("numpy" in (label or "") for label in with_numpy["preference_labels"])
