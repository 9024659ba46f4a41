"""Child process of test_without_numpy.py: Blender (the bpy module) where ``import numpy`` fails, as in Debian's
Blender packages, or an ordinary one for comparison.

    python no_numpy_child.py OUT_DIR block|allow

Blocks numpy before anything imports it (``block``), enables the extension from this source tree the way Blender
enables any extension, builds the gotcha zoo in OUT_DIR, recreates its live Edit Mode exhibit, adds a larger mesh
in Edit Mode (several steps, selection changes), scans with every check (the modal path's engine steps too), and
writes OUT_DIR/result.json: the findings, the panel's severity order and counts, and the preferences' draw calls.
"""

from __future__ import annotations

import importlib
import importlib.abc
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUT = Path(sys.argv[1])
BLOCK = sys.argv[2] == "block"


class _NoNumpy(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - importlib's signature
        if fullname.split(".", 1)[0] == "numpy":
            raise ModuleNotFoundError("No module named 'numpy'", name=fullname)
        return None


if BLOCK:
    sys.meta_path.insert(0, _NoNumpy())
os.environ["BLENDER_USER_RESOURCES"] = str(OUT / "user-resources")

import bpy  # noqa: E402 - after the blocker and BLENDER_USER_RESOURCES

sys.path[:0] = [str(REPO / "examples"), str(REPO / "tests" / "blender")]
import make_gotcha_zoo  # noqa: E402
from recording_layout import RecordingLayout  # noqa: E402


def _raise(error: BaseException) -> None:
    raise error


def enable_extension():
    addon_utils = importlib.import_module("addon_utils")
    repo_dir = OUT / "repo"
    repo_dir.mkdir()
    (repo_dir / "gotcha_doctor").symlink_to(REPO, target_is_directory=True)
    bpy.context.preferences.extensions.repos.new(
        name="gdnonumpy", module="gdnonumpy", custom_directory=str(repo_dir), source="USER"
    )
    module = "bl_ext.gdnonumpy.gotcha_doctor"
    addon_utils.enable(module, default_set=True, handle_error=_raise)
    return sys.modules[module]


def edit_mode_exhibits() -> None:
    """The zoo's live exhibit and a 160,000-vertex grid (more steps than one; 100 vertices moved), both in Edit
    Mode at once (multi-object Edit Mode takes the selected objects, in a 3D View)."""
    import bmesh

    if bpy.context.view_layer.objects.active is not None:
        bpy.ops.object.mode_set(mode="OBJECT")
    bpy.ops.mesh.primitive_grid_add(x_subdivisions=399, y_subdivisions=399, size=4, location=(20, 0, 0))
    grid = bpy.context.active_object
    grid.name = "BigGrid"
    cube = bpy.data.objects[make_gotcha_zoo.EDITMODE_OBJECT]
    cube.select_set(True)
    bpy.context.view_layer.objects.active = cube
    window = bpy.context.window_manager.windows[0]
    area = next(area for area in window.screen.areas if area.type == "VIEW_3D")
    with bpy.context.temp_override(window=window, area=area, region=area.regions[-1]):
        assert bpy.ops.object.mode_set(mode="EDIT") == {"FINISHED"}
    assert (cube.mode, grid.mode) == ("EDIT", "EDIT")
    make_gotcha_zoo.make_live_editmode_exhibit()
    bm = bmesh.from_edit_mesh(grid.data)
    bm.verts.ensure_lookup_table()
    for index in range(0, 160_000, 1600):
        bm.verts[index].co.z += 0.125
    bmesh.update_edit_mesh(grid.data)


def main() -> None:
    gd = enable_extension()
    zoo = make_gotcha_zoo.build(OUT / "zoo")
    bpy.ops.wm.open_mainfile(filepath=str(zoo), use_scripts=False)
    edit_mode_exhibits()
    assert bpy.ops.gotcha.scan() == {"FINISHED"}
    state = bpy.context.window_manager.gotcha_doctor
    report = gd.runner.report_from_state(state)
    # The modal scan's engine, stepped within the default budget: the same findings in small steps.
    engine = gd.runner.make_engine([module.INFO.id for module in gd.checks.ALL_CHECKS])
    steps = 1
    while not engine.step(0.008):
        steps += 1
    layout = RecordingLayout()
    stand_in = type("StandIn", (), {"layout": layout, "time_budget_ms": 8.0})()
    gd.preferences.GotchaDoctorPreferences.draw(stand_in, bpy.context)
    result = {
        "out": str(OUT),
        "numpy_imported": "numpy" in sys.modules,
        "numpy_available": gd.core.bmesh_fastread.numpy_available(),
        "findings": report["findings"],
        "engine_findings": len(engine.findings),
        "engine_steps": steps,
        "severity_order": gd.panels.main.severity_order(state.findings),
        "severity_counts": gd.panels.main.severity_counts(state.findings),
        "preference_labels": [kwargs.get("text") for kind, kwargs in layout.calls if kind == "label"],
    }
    (OUT / "result.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
